// Comparing two published versions: added, removed and changed items, changed fields side by side,
// and for each removal or change the disposition and reason the review recorded. Work follows the
// number of revisions between the two versions, not the catalogue's size; the paged comparison
// (versionDiffPage) reads the text of one page of them only.
import type { Db } from '../../db/client.js';
import { errors } from '../errors.js';
import { codesChangedBetween, comparisonSides, departmentNamesByCode, diffLookups, type SideRevision } from '../../db/queries/publication/diff.js';
import { revisionContents } from '../../db/queries/publication/revisions.js';
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
 * Describes a page of changes: the changed fields from the two texts (each side's texts of the page's
 * changed items, by code), and the decision that led to each. Shared by the version comparison and the
 * publish preflight, which differ only in where the texts are.
 */
export function describePage<Ref>(
  page: ChangesPage<Change<Ref>>,
  texts: { before: (c: Change<Ref>[]) => Map<string, string>; after: (c: Change<Ref>[]) => Map<string, string> },
  decisionOf: (code: string) => DiffEntry['decision'],
): DiffPage {
  const changed = page.entries.filter((c) => c.kind === 'changed');
  const before = texts.before(changed);
  const after = texts.after(changed);
  const { entries, ...rest } = page;
  const out: DiffPage = { ...rest, added: [], changed: [], removed: [] };
  for (const c of entries) {
    const entry: DiffEntry = { code: c.code, name: c.name, departmentCode: c.departmentCode, departmentName: c.departmentName, decision: decisionOf(c.code) };
    if (c.kind === 'changed') entry.fields = changedFields(before.get(c.code) ?? '{}', after.get(c.code) ?? '{}');
    out[c.kind].push(entry);
  }
  return out;
}

/** The revisions' texts of these changes on one side, by code. */
export function revisionTexts<Ref extends number | null>(db: Db, changes: Change<Ref>[], side: 'before' | 'after'): Map<string, string> {
  const byId = revisionContents(db, changes.map((c) => c[side]).filter((id): id is NonNullable<Ref> => id !== null) as number[]);
  return new Map(changes.filter((c) => c[side] !== null).map((c) => [c.code, byId.get(c[side] as number) ?? '{}']));
}

/** The changes from version a to version b (a < b), classified from the revisions' hashes and names alone, in no order. */
export function versionChanges(db: Db, a: number, b: number): Change[] {
  const names = departmentNamesByCode(db);
  const { before, after } = comparisonSides(db, a, b);
  const was = new Map(before.map((r) => [r[0], r]));
  const out: Change[] = [];
  const change = (kind: Change['kind'], r: SideRevision, beforeId: number | null, afterId: number | null): Change => ({
    code: r[0],
    kind,
    name: r[3],
    departmentCode: r[4],
    departmentName: names.get(r[4]) ?? r[4],
    before: beforeId,
    after: afterId,
  });
  for (const r of after) {
    const old = was.get(r[0]);
    if (!old) out.push(change('added', r, null, r[1]));
    else {
      was.delete(r[0]);
      if (old[2] !== r[2]) out.push(change('changed', r, old[1], r[1]));
    }
  }
  for (const r of was.values()) out.push(change('removed', r, r[1], null));
  return out;
}

/** One page of the comparison of two versions (in either order), with counts by kind and by department. */
export function versionDiffPage(db: Db, from: number, to: number, q: ChangesQuery, changesOf: (a: number, b: number) => Change[] = (a, b) => versionChanges(db, a, b)): DiffPage & { from: number; to: number } {
  const versions = publishedAtOf(db, [from, to]);
  if (versions.length !== (from === to ? 1 : 2)) throw errors.notFound('版本');
  const [a, b] = from <= to ? [from, to] : [to, from];
  const window = { a: versions.find((v) => v.number === a)!.publishedAt, b: versions.find((v) => v.number === b)!.publishedAt };
  const page = pageOfChanges(changesOf(a, b), q);
  const { decisionOf } = diffLookups(db);
  const texts = { before: (c: Change[]) => revisionTexts(db, c, 'before'), after: (c: Change[]) => revisionTexts(db, c, 'after') };
  return { from: a, to: b, ...describePage(page, texts, (code) => decisionOf(code, window.a, window.b)) };
}

/**
 * The comparisons an app has made lately, kept: versions never change, so paging through a comparison
 * of 10,000 changes lists them once. A few pairs at most (each is the changes' codes and names).
 */
export function versionComparisons(db: Db, keep = 4) {
  const kept = new Map<string, Change[]>();
  const changesOf = (a: number, b: number): Change[] => {
    const key = `${a}-${b}`;
    let changes = kept.get(key);
    if (changes) kept.delete(key);
    else changes = versionChanges(db, a, b);
    kept.set(key, changes);
    if (kept.size > keep) kept.delete(kept.keys().next().value!);
    return changes;
  };
  return { page: (from: number, to: number, q: ChangesQuery) => versionDiffPage(db, from, to, q, changesOf) };
}
