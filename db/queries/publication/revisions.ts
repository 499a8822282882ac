// Reading what the published versions hold: item revisions, by id, by code at a version, or a whole
// version in order. A version's items are the revisions valid at its number; the revision_spans view
// (migration 0017: each revision with the version that closed it) is not in the drizzle schema, so the
// reads over it are written in SQL.
import { eq } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { preparedOnce } from '../../prepared.js';
import { itemRevisions } from '../../schema.js';

/** The revisions of version @n (in revision_spans r). */
export const VALID = '(r.from_version <= @n AND (r.to_version IS NULL OR r.to_version > @n))';

/** The published texts of these revisions, by id. */
export function revisionContents(db: Db, ids: number[]): Map<number, string> {
  if (ids.length === 0) return new Map();
  const rows = contentsStatement(db).all(JSON.stringify(ids)) as [number, string][];
  return new Map(rows);
}

/**
 * One statement for any number of ids (passed as a JSON array): a search reads its page's texts on every
 * request, and building and preparing the query each time cost more than running it.
 */
const contentsStatement = preparedOnce('SELECT id, content FROM item_revisions WHERE id IN (SELECT value FROM json_each(?))', (s) => s.raw());

/** An item's published text at version n, if the version holds it. */
export const contentAt = (db: Db, code: string, n: number): string | undefined =>
  db.$client.prepare(`SELECT r.content FROM revision_spans r WHERE r.code = @code AND ${VALID}`).pluck().get({ code, n }) as string | undefined;

/** A revision's code and name. */
export const revisionCodeName = (db: Db, id: number): { code: string; name: string } | undefined =>
  db.select({ code: itemRevisions.code, name: itemRevisions.name }).from(itemRevisions).where(eq(itemRevisions.id, id)).get();

/** An item's published history: every version range it was published in, with its content hash. */
export const itemHistory = (db: Db, code: string) =>
  db.$client
    .prepare('SELECT from_version AS fromVersion, to_version AS toVersion, name, content_hash AS contentHash FROM revision_spans WHERE code = ? ORDER BY from_version')
    .all(code) as { fromVersion: number; toVersion: number | null; name: string; contentHash: string }[];

/** Version n's published texts in code order, one at a time (the downloads). */
export const versionContents = (db: Db, n: number): IterableIterator<string> =>
  db.$client.prepare(`SELECT r.content FROM revision_spans r WHERE ${VALID} ORDER BY r.code`).pluck().iterate({ n }) as IterableIterator<string>;

/** Version n's revisions in code order as (code, content, stored hash): what verifying a version recomputes. */
export const versionTexts = (db: Db, n: number): IterableIterator<[string, string, string]> =>
  db.$client.prepare(`SELECT r.code, r.content, r.content_hash FROM revision_spans r WHERE ${VALID} ORDER BY r.code`).raw().iterate({ n }) as IterableIterator<[string, string, string]>;

/** Version n's published texts in the list pages' order: department, then code. */
export const versionContentsInListOrder = (db: Db, n: number): IterableIterator<string> =>
  db.$client.prepare(`SELECT r.content FROM revision_spans r WHERE ${VALID} ORDER BY r.department_code, r.code`).pluck().iterate({ n }) as IterableIterator<string>;

/** How many items of version n fall in each category, most first. */
export const versionCategoryCounts = (db: Db, n: number): { code: string; count: number }[] =>
  db.$client.prepare(`SELECT r.category AS code, count(*) AS count FROM revision_spans r WHERE ${VALID} GROUP BY r.category ORDER BY count DESC, r.category`).all({ n }) as {
    code: string;
    count: number;
  }[];

/** Version n's sub-items (code, name) with their main item's code, in code order. */
export const versionSubItems = (db: Db, n: number): { code: string; name: string; parent: string }[] =>
  db.$client
    .prepare(`SELECT r.code, r.name, json_extract(r.content, '$.parent.code') AS parent FROM revision_spans r WHERE ${VALID} AND json_extract(r.content, '$.parent.code') IS NOT NULL ORDER BY r.code`)
    .all({ n }) as { code: string; name: string; parent: string }[];

/** Whether version n holds an item, as a function prepared once (asked for each main item). */
export function publishedInVersion(db: Db, n: number): (code: string) => boolean {
  const statement = db.$client.prepare(`SELECT 1 FROM revision_spans r WHERE r.code = @code AND ${VALID}`).pluck();
  return (code) => statement.get({ code, n }) !== undefined;
}

export interface SpanRow {
  code: string;
  fromVersion: number;
  toVersion: number | null;
  name: string;
  contentHash: string;
  /** The text, for the revision valid at version n only. */
  content: string | null;
}

/** Every revision of every item in code and version order, with the text of those valid at version n: each item's history and its page at once. */
export const revisionsWithHistory = (db: Db, n: number): IterableIterator<SpanRow> =>
  db.$client
    .prepare(
      `SELECT r.code, r.from_version AS fromVersion, r.to_version AS toVersion, r.name, r.content_hash AS contentHash,
              CASE WHEN ${VALID} THEN r.content END AS content
         FROM revision_spans r ORDER BY r.code, r.from_version`,
    )
    .iterate({ n }) as IterableIterator<SpanRow>;
