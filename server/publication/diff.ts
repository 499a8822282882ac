// Comparing two published versions: added, removed and changed items, changed fields side by side,
// and for each removal or change the disposition and reason the review recorded. Work follows the
// number of revisions between the two versions, not the catalogue's size.
import type { Db } from '../../db/client.js';
import { errors } from '../errors.js';
import type { PublishedItem } from './publish.js';

export interface DiffEntry {
  code: string;
  name: string;
  departmentCode: string;
  departmentName: string;
  /** For changed items: each field whose value differs, before and after. */
  fields?: { field: string; before: unknown; after: unknown }[];
  /** The review's decision that led to the change, when there was one. */
  decision?: { disposition: string; reason: string | null; legalGround: string | null; decidedBy: string | null } | null;
}

export interface VersionDiff {
  from: number;
  to: number;
  added: DiffEntry[];
  removed: DiffEntry[];
  changed: DiffEntry[];
}

const FIELDS: (keyof PublishedItem)[] = [
  'name',
  'category',
  'level',
  'department',
  'parent',
  'mainItemName',
  'serviceObjects',
  'statutoryLimitDays',
  'promisedLimitDays',
  'instant',
  'feeCharged',
  'feeStandard',
  'feeBasis',
  'conditions',
  'materials',
  'processText',
  'contactPhone',
  'supervisionPhone',
  'remarks',
  'citations',
];

export function diffVersions(db: Db, from: number, to: number): VersionDiff {
  const sqlite = db.$client;
  const versions = sqlite.prepare('SELECT number, published_at AS publishedAt FROM catalogue_versions WHERE number IN (?, ?)').all(from, to) as { number: number; publishedAt: string }[];
  if (versions.length !== (from === to ? 1 : 2)) throw errors.notFound('版本');
  const [a, b] = from <= to ? [from, to] : [to, from];
  const window = { a: versions.find((v) => v.number === a)!.publishedAt, b: versions.find((v) => v.number === b)!.publishedAt };
  const codes = sqlite
    .prepare(
      `SELECT code FROM item_revisions WHERE from_version > @a AND from_version <= @b
       UNION
       SELECT r.code FROM revision_closures c JOIN item_revisions r ON r.id = c.revision_id WHERE c.to_version > @a AND c.to_version <= @b
       ORDER BY code`,
    )
    .pluck()
    .all({ a, b }) as string[];
  const at = sqlite.prepare('SELECT content, content_hash FROM revision_spans WHERE code = ? AND from_version <= ? AND (to_version IS NULL OR to_version > ?)');
  const decisionOf = sqlite.prepare(
    `SELECT si.disposition, si.reason, si.legal_ground AS legalGround, si.decided_by AS decidedBy
       FROM submission_items si JOIN items i ON i.id = si.item_id
      WHERE i.code = ? AND si.state = 'final' AND si.finalised_at > ? AND si.finalised_at <= ? ORDER BY si.finalised_at DESC LIMIT 1`,
  );
  const out: VersionDiff = { from: a, to: b, added: [], removed: [], changed: [] };
  for (const code of codes) {
    const before = at.get(code, a, a) as { content: string; content_hash: string } | undefined;
    const after = at.get(code, b, b) as { content: string; content_hash: string } | undefined;
    if (before && after && before.content_hash === after.content_hash) continue;
    const pick = (JSON.parse((after ?? before)!.content) as PublishedItem);
    const entry: DiffEntry = { code, name: pick.name, departmentCode: pick.department.code, departmentName: pick.department.name };
    if (!before) {
      out.added.push({ ...entry, decision: (decisionOf.get(code, window.a, window.b) as DiffEntry['decision']) ?? null });
      continue;
    }
    const decision = (decisionOf.get(code, window.a, window.b) as DiffEntry['decision'] | undefined) ?? null;
    if (!after) {
      out.removed.push({ ...entry, name: (JSON.parse(before.content) as PublishedItem).name, decision });
      continue;
    }
    const old = JSON.parse(before.content) as Record<string, unknown>;
    const now = JSON.parse(after.content) as Record<string, unknown>;
    const fields = FIELDS.filter((f) => JSON.stringify(old[f] ?? null) !== JSON.stringify(now[f] ?? null)).map((f) => ({ field: f, before: old[f] ?? null, after: now[f] ?? null }));
    out.changed.push({ ...entry, fields, decision });
  }
  return out;
}
