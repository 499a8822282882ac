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

/** A revision on one side of a comparison: [code, revisionId, contentHash, name, departmentCode]. */
export type SideRevision = [string, number, string, string, string];

/**
 * The two sides of the comparison of versions a < b, read through the versions' indexes alone (no item
 * text): the revisions valid at a that a version in (a, b] closed, and the revisions a version in (a, b]
 * opened that are still valid at b. A code on one side only was removed or added; on both, changed
 * (unless it changed back: same hash). Items valid at both without a change are on neither side.
 */
export function comparisonSides(db: Db, a: number, b: number): { before: SideRevision[]; after: SideRevision[] } {
  const before = db.$client
    .prepare(
      `SELECT r.code, r.id, r.content_hash, r.name, r.department_code FROM revision_closures c JOIN item_revisions r ON r.id = c.revision_id
        WHERE c.to_version > @a AND c.to_version <= @b AND r.from_version <= @a`,
    )
    .raw()
    .all({ a, b }) as SideRevision[];
  const after = db.$client
    .prepare(
      `SELECT r.code, r.id, r.content_hash, r.name, r.department_code FROM item_revisions r LEFT JOIN revision_closures c ON c.revision_id = r.id
        WHERE r.from_version > @a AND r.from_version <= @b AND (c.to_version IS NULL OR c.to_version > @b)`,
    )
    .raw()
    .all({ a, b }) as SideRevision[];
  return { before, after };
}

/** Every department's name by code (a comparison names the departments it counts). */
export const departmentNamesByCode = (db: Db): Map<string, string> =>
  new Map(db.$client.prepare('SELECT code, name FROM departments').raw().all() as [string, string][]);
