// Comparing two published versions: added, removed and changed items, changed fields side by side,
// and for each removal or change the disposition and reason the review recorded. Work follows the
// number of revisions between the two versions, not the catalogue's size.
import type { Db } from '../../db/client.js';
import { errors } from '../errors.js';
import { codesChangedBetween, diffLookups } from '../../db/queries/publication/diff.js';
import { publishedAtOf } from '../../db/queries/publication/versions.js';
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
  'servicePlace',
  'serviceHours',
  'onSiteVisits',
  'onlineDepth',
  'resultName',
  'citations',
];

export function diffVersions(db: Db, from: number, to: number): VersionDiff {
  const versions = publishedAtOf(db, [from, to]);
  if (versions.length !== (from === to ? 1 : 2)) throw errors.notFound('版本');
  const [a, b] = from <= to ? [from, to] : [to, from];
  const window = { a: versions.find((v) => v.number === a)!.publishedAt, b: versions.find((v) => v.number === b)!.publishedAt };
  const codes = codesChangedBetween(db, a, b);
  const { textAt, decisionOf } = diffLookups(db);
  const out: VersionDiff = { from: a, to: b, added: [], removed: [], changed: [] };
  for (const code of codes) {
    const before = textAt(code, a);
    const after = textAt(code, b);
    if (before && after && before.content_hash === after.content_hash) continue;
    const pick = (JSON.parse((after ?? before)!.content) as PublishedItem);
    const entry: DiffEntry = { code, name: pick.name, departmentCode: pick.department.code, departmentName: pick.department.name };
    if (!before) {
      out.added.push({ ...entry, decision: decisionOf(code, window.a, window.b) });
      continue;
    }
    const decision = decisionOf(code, window.a, window.b);
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
