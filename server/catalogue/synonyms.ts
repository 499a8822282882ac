// The search synonyms the legal office keeps (the shipped ones plus its own), and the searches' view of
// them: read again only when the table changed.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { deleteSynonym, findSynonym, getSynonym, insertSynonym, synonymPairs, synonymsStamp } from '../../db/queries/search.js';
import { Synonyms } from '../domain/search-synonyms.js';
import { normaliseText } from '../domain/search-tables.js';
import { SYNONYM_MESSAGES } from '../domain/labels.js';
import { fieldErrors } from '../domain/item-fields.js';
import { errors } from '../errors.js';

const word = (what: string) =>
  z
    .string({ message: SYNONYM_MESSAGES.required(what) })
    .trim()
    .min(1, SYNONYM_MESSAGES.required(what))
    .max(50, SYNONYM_MESSAGES.tooLong(what))
    .refine((s) => normaliseText(s).length > 0, SYNONYM_MESSAGES.noWord(what));

export const synonymInputSchema = z.object({ term: word('词语'), synonym: word('同义词') });

/** The synonyms as the searches use them, kept until the table changes. */
export class SynonymStore {
  private stamp = '';
  private synonyms = new Synonyms([], normaliseText);
  constructor(private readonly db: Db) {}

  current(): Synonyms {
    const stamp = synonymsStamp(this.db);
    if (stamp !== this.stamp) {
      this.synonyms = new Synonyms(synonymPairs(this.db), normaliseText);
      this.stamp = stamp;
    }
    return this.synonyms;
  }
}

/** The legal office adds a pair (audited). A pair already there, either way round, is refused. */
export function addSynonym(db: Db, actor: Actor, input: unknown): number {
  const parsed = synonymInputSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid(SYNONYM_MESSAGES.fix, fieldErrors(parsed.error));
  const { term, synonym } = parsed.data;
  if (normaliseText(term) === normaliseText(synonym)) throw errors.invalid(SYNONYM_MESSAGES.same, { synonym: SYNONYM_MESSAGES.same });
  return withTransaction(db, () => {
    if (findSynonym(db, term, synonym) || findSynonym(db, synonym, term)) throw errors.invalid(SYNONYM_MESSAGES.exists(term, synonym), { term: SYNONYM_MESSAGES.exists(term, synonym) });
    const id = insertSynonym(db, term, synonym);
    appendAudit(db, actor, { action: 'search_synonym.add', entityType: 'search_synonym', entityId: id, after: { term, synonym } });
    return id;
  });
}

/** The legal office removes a pair it added (the shipped ones stay: they come back with every start). */
export function removeSynonym(db: Db, actor: Actor, id: number): void {
  withTransaction(db, () => {
    const row = getSynonym(db, id);
    if (!row) throw errors.notFound(SYNONYM_MESSAGES.what);
    if (row.source === 'shipped') throw errors.invalid(SYNONYM_MESSAGES.shipped);
    deleteSynonym(db, id);
    appendAudit(db, actor, { action: 'search_synonym.remove', entityType: 'search_synonym', entityId: id, before: { term: row.term, synonym: row.synonym } });
  });
}
