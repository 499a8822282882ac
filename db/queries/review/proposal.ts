// A submission item's proposal: its own once one is written (the item form's, a returned proposal
// corrected), otherwise the one its upload's staged row holds. Confirming an upload does not copy its
// proposals (submission_items.import_row_id, db/schema.ts): every read of a proposal goes through here.
import { sql, type SQL } from 'drizzle-orm';
import { importRows, submissionItems } from '../../schema.js';

/** The proposal of the submission item a drizzle query reads, decoded as the column is. */
export const proposalOf = (): SQL<Record<string, unknown> | null> =>
  sql<Record<string, unknown> | null>`coalesce(${submissionItems.proposal}, (SELECT ${importRows.proposal} FROM ${importRows} WHERE ${importRows.id} = ${submissionItems.importRowId}))`.mapWith(
    submissionItems.proposal,
  );

/** The same in SQL text, for the submission item under the alias `si`. */
export const PROPOSAL_OF_SI = 'coalesce(si.proposal, (SELECT ir.proposal FROM import_rows ir WHERE ir.id = si.import_row_id))';

/** Whether the submission item under the alias `si` has fields (a removal has none). */
export const HAS_PROPOSAL_SI = '(si.proposal IS NOT NULL OR si.import_row_id IS NOT NULL)';
