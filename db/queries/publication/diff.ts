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
