// What comparing two published versions reads: the codes whose revisions changed between them, an
// item's text at a version, and the review decision that led to a change.
import type { Db } from '../../client.js';

/** Codes with a revision opened or closed by a version in (a, b], in code order. */
export const codesChangedBetween = (db: Db, a: number, b: number): string[] =>
  db.$client
    .prepare(
      `SELECT code FROM item_revisions WHERE from_version > @a AND from_version <= @b
       UNION
       SELECT r.code FROM revision_closures c JOIN item_revisions r ON r.id = c.revision_id WHERE c.to_version > @a AND c.to_version <= @b
       ORDER BY code`,
    )
    .pluck()
    .all({ a, b }) as string[];

export interface RevisionText {
  content: string;
  content_hash: string;
}

export interface DiffDecision {
  disposition: string;
  reason: string | null;
  legalGround: string | null;
  decidedBy: string | null;
}

/** The two look-ups a comparison makes for each code, prepared once for all of them. */
export function diffLookups(db: Db) {
  const at = db.$client.prepare('SELECT content, content_hash FROM revision_spans WHERE code = ? AND from_version <= ? AND (to_version IS NULL OR to_version > ?)');
  const decision = db.$client.prepare(
    `SELECT si.disposition, si.reason, si.legal_ground AS legalGround, si.decided_by AS decidedBy
       FROM submission_items si JOIN items i ON i.id = si.item_id
      WHERE i.code = ? AND si.state = 'final' AND si.finalised_at > ? AND si.finalised_at <= ? ORDER BY si.finalised_at DESC LIMIT 1`,
  );
  return {
    /** The item's text at version n, if the version holds it. */
    textAt: (code: string, n: number) => at.get(code, n, n) as RevisionText | undefined,
    /** The latest final review decision on the item in the window (after, upTo]. */
    decisionOf: (code: string, after: string, upTo: string) => (decision.get(code, after, upTo) as DiffDecision | undefined) ?? null,
  };
}

/**
 * Each code changed between versions a < b with its revision at a and at b (id, hash, name, department),
 * in code order: what a paged comparison counts and classifies without reading any item's text.
 * [code, beforeId, beforeHash, beforeName, beforeDepartment, afterId, afterHash, afterName, afterDepartment]
 */
export type ChangedCodeRow = [string, number | null, string | null, string | null, string | null, number | null, string | null, string | null, string | null];

export const changedCodesBetween = (db: Db, a: number, b: number): ChangedCodeRow[] =>
  db.$client
    .prepare(
      `WITH changed(code) AS (
         SELECT code FROM item_revisions WHERE from_version > @a AND from_version <= @b
         UNION
         SELECT r.code FROM revision_closures c JOIN item_revisions r ON r.id = c.revision_id WHERE c.to_version > @a AND c.to_version <= @b
       ), spans AS (
         SELECT ch.code,
                (SELECT r.id FROM item_revisions r LEFT JOIN revision_closures c ON c.revision_id = r.id
                  WHERE r.code = ch.code AND r.from_version <= @a AND (c.to_version IS NULL OR c.to_version > @a) ORDER BY r.from_version DESC LIMIT 1) AS before_id,
                (SELECT r.id FROM item_revisions r LEFT JOIN revision_closures c ON c.revision_id = r.id
                  WHERE r.code = ch.code AND r.from_version <= @b AND (c.to_version IS NULL OR c.to_version > @b) ORDER BY r.from_version DESC LIMIT 1) AS after_id
           FROM changed ch
       )
       SELECT s.code, ra.id, ra.content_hash, ra.name, ra.department_code, rb.id, rb.content_hash, rb.name, rb.department_code
         FROM spans s LEFT JOIN item_revisions ra ON ra.id = s.before_id LEFT JOIN item_revisions rb ON rb.id = s.after_id
        ORDER BY s.code`,
    )
    .raw()
    .all({ a, b }) as ChangedCodeRow[];

/** The stored text of these revisions, by id (a page of a comparison at a time). */
export function revisionContents(db: Db, ids: number[]): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = db.$client.prepare(`SELECT id, content FROM item_revisions WHERE id IN (${chunk.map(() => '?').join(',')})`).raw().all(...chunk) as [number, string][];
    for (const [id, content] of rows) out.set(id, content);
  }
  return out;
}

/** Every department's name by code (a comparison names the departments it counts). */
export const departmentNamesByCode = (db: Db): Map<string, string> =>
  new Map(db.$client.prepare('SELECT code, name FROM departments').raw().all() as [string, string][]);
