// The search synonyms table: the shipped pairs loaded into every database, the legal office's additions.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { preparedOnce } from '../prepared.js';
import { searchSynonyms } from '../schema.js';

export interface SynonymRow {
  id: number;
  term: string;
  synonym: string;
  source: 'shipped' | 'added';
  createdAt: string;
}

export const listSynonyms = (db: Db): SynonymRow[] => db.select().from(searchSynonyms).orderBy(asc(searchSynonyms.id)).all();

/** The pairs alone (what the searches read). */
export const synonymPairs = (db: Db): [string, string][] =>
  db.select({ term: searchSynonyms.term, synonym: searchSynonyms.synonym }).from(searchSynonyms).all().map((r) => [r.term, r.synonym]);

/** Adds the shipped pairs a database does not hold yet (never touches the legal office's). */
export function insertShippedSynonyms(db: Db, pairs: readonly (readonly [string, string])[]): number {
  let added = 0;
  for (const [term, synonym] of pairs) {
    added += db.insert(searchSynonyms).values({ term, synonym, source: 'shipped' }).onConflictDoNothing().run().changes;
  }
  return added;
}

export const findSynonym = (db: Db, term: string, synonym: string): SynonymRow | undefined =>
  db.select().from(searchSynonyms).where(and(eq(searchSynonyms.term, term), eq(searchSynonyms.synonym, synonym))).get();

export const getSynonym = (db: Db, id: number): SynonymRow | undefined => db.select().from(searchSynonyms).where(eq(searchSynonyms.id, id)).get();

export const insertSynonym = (db: Db, term: string, synonym: string): number =>
  Number(db.insert(searchSynonyms).values({ term, synonym, source: 'added' }).run().lastInsertRowid);

export const deleteSynonym = (db: Db, id: number): boolean => db.delete(searchSynonyms).where(eq(searchSynonyms.id, id)).run().changes === 1;

/** A cheap fingerprint of the table (the searches reload their synonyms when it moves). */
export const synonymsStamp = (db: Db): string => {
  const r = stampStatement(db).get() as { n: number; m: number; s: number };
  return `${r.n}:${r.m}:${r.s}`;
};
// Asked by every search.
const stampStatement = preparedOnce('SELECT count(*) AS n, coalesce(max(id), 0) AS m, coalesce(sum(id), 0) AS s FROM search_synonyms');
