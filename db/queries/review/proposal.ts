// A submission item's proposal: its own once one is written (the item form's, a returned proposal
// corrected), otherwise the one its upload's staged row holds. Confirming an upload does not copy its
// proposals (submission_items.import_row_id, db/schema.ts): every read of a proposal goes through here.
import { sql, type SQL } from 'drizzle-orm';
import { submissionItems } from '../../schema.js';

/** The proposal of the submission item named `item` (a table name or alias) in SQL text. */
const proposalText = (item: string): string => `coalesce(${item}.proposal, (SELECT ir.proposal FROM import_rows ir WHERE ir.id = ${item}.import_row_id))`;

/** The proposal of the submission item a drizzle query reads (from submission_items, unaliased), decoded as the column is. */
export const proposalOf = (): SQL<Record<string, unknown> | null> =>
  sql.raw(proposalText('"submission_items"')).mapWith(submissionItems.proposal) as SQL<Record<string, unknown> | null>;

/** The same for the submission item under the alias `si`. */
export const PROPOSAL_OF_SI = proposalText('si');

/** Whether the submission item under the alias `si` has fields (a removal has none, of its own or staged). */
export const HAS_PROPOSAL_SI = '(si.proposal IS NOT NULL OR si.import_row_id IS NOT NULL)';
