// Comparing two published versions: added, removed and changed items, changed fields side by side,
// and for each removal or change the disposition and reason the review recorded. Work follows the
// number of revisions between the two versions, not the catalogue's size; the paged comparison
// (versionDiffPage) reads the text of one page of them only.
import type { Db } from '../../db/client.js';
import { errors } from '../errors.js';
import { changedCodesBetween, codesChangedBetween, departmentNamesByCode, diffLookups, revisionContents } from '../../db/queries/publication/diff.js';
import { changedFields, pageOfChanges, type Change, type ChangesPage, type ChangesQuery } from './changes.js';
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
    out.changed.push({ ...entry, fields: changedFields(before.content, after.content), decision });
  }
  return out;
}

/** One page of a comparison: the counts and the page's entries, split by kind as the full comparison is. */
export interface DiffPage extends Omit<ChangesPage<DiffEntry & { kind: Change['kind'] }>, 'entries'> {
  added: DiffEntry[];
  changed: DiffEntry[];
  removed: DiffEntry[];
}

/**
 * Describes a page of changes: the changed fields from the two texts, and the decision that led to each.
 * Shared by the version comparison and the publish preflight, which differ only in where the texts are.
 */
export function describePage<Ref>(
  page: ChangesPage<Change<Ref>>,
  texts: { before: (c: Change<Ref>[]) => Map<Ref, string>; after: (c: Change<Ref>[]) => Map<Ref, string> },
  decisionOf: (code: string) => DiffEntry['decision'],
): DiffPage {
  const before = texts.before(page.entries.filter((c) => c.kind === 'changed'));
  const after = texts.after(page.entries.filter((c) => c.kind === 'changed'));
  const out: DiffPage = { ...page, added: [], changed: [], removed: [] };
  delete (out as Partial<ChangesPage<unknown>>).entries;
  for (const c of page.entries) {
    const entry: DiffEntry = { code: c.code, name: c.name, departmentCode: c.departmentCode, departmentName: c.departmentName, decision: decisionOf(c.code) };
    if (c.kind === 'changed') entry.fields = changedFields(before.get(c.before!) ?? '{}', after.get(c.after!) ?? '{}');
    out[c.kind].push(entry);
  }
  return out;
}

/** The changes from version a to version b, counted and classified from the revisions' hashes and names alone. */
export function versionChanges(db: Db, a: number, b: number): Change[] {
  const names = departmentNamesByCode(db);
  const out: Change[] = [];
  for (const [code, beforeId, beforeHash, beforeName, beforeDepartment, afterId, afterHash, afterName, afterDepartment] of changedCodesBetween(db, a, b)) {
    if (beforeId !== null && afterId !== null && beforeHash === afterHash) continue;
    const kind = beforeId === null ? 'added' : afterId === null ? 'removed' : 'changed';
    if (beforeId === null && afterId === null) continue;
    const departmentCode = (afterDepartment ?? beforeDepartment)!;
    out.push({ code, kind, name: (afterName ?? beforeName)!, departmentCode, departmentName: names.get(departmentCode) ?? departmentCode, before: beforeId, after: afterId });
  }
  return out;
}

/** One page of the comparison of two versions (in either order), with counts by kind and by department. */
export function versionDiffPage(db: Db, from: number, to: number, q: ChangesQuery): DiffPage & { from: number; to: number } {
  const versions = publishedAtOf(db, [from, to]);
  if (versions.length !== (from === to ? 1 : 2)) throw errors.notFound('版本');
  const [a, b] = from <= to ? [from, to] : [to, from];
  const window = { a: versions.find((v) => v.number === a)!.publishedAt, b: versions.find((v) => v.number === b)!.publishedAt };
  const page = pageOfChanges(versionChanges(db, a, b), q);
  const { decisionOf } = diffLookups(db);
  const byIds = (side: 'before' | 'after') => (changes: Change[]) => revisionContents(db, changes.map((c) => c[side]!));
  return { from: a, to: b, ...describePage(page, { before: byIds('before'), after: byIds('after') }, (code) => decisionOf(code, window.a, window.b)) };
}
