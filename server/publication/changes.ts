// A comparison as pages: the changes (added, changed, removed) of two catalogues counted by kind and by
// department, filtered, and one page of them. Pure: the version comparison (diff.ts) and the publish
// preflight (preflight.ts) each list their changes cheaply (codes, names, departments, no item text)
// and read the text of one page only, so a change of 10,000 items costs a page, not 10,000 pages.
import type { ChangeKind } from '../domain/labels.js';

export type { ChangeKind };
export const CHANGE_KIND_ORDER: readonly ChangeKind[] = ['added', 'changed', 'removed'];

/** One item that differs between the two sides; `before` / `after` say where each side's text is. */
export interface Change<Ref = number> {
  code: string;
  kind: ChangeKind;
  name: string;
  departmentCode: string;
  departmentName: string;
  before: Ref | null;
  after: Ref | null;
}

export interface ChangeCounts {
  added: number;
  changed: number;
  removed: number;
  total: number;
}

export interface DepartmentChanges extends ChangeCounts {
  code: string;
  name: string;
}

export interface ChangesQuery {
  kind?: ChangeKind | undefined;
  department?: string | undefined;
  page: number;
  pageSize: number;
}

export interface ChangesPage<E> {
  /** All changes, by kind, whatever the filter. */
  counts: ChangeCounts;
  /** All changes by department (most changed first), whatever the filter. */
  byDepartment: DepartmentChanges[];
  kind: ChangeKind | null;
  department: string | null;
  page: number;
  pageSize: number;
  /** The changes the filter keeps. */
  total: number;
  pages: number;
  /** The next page's number, or null on the last. */
  nextPage: number | null;
  entries: E[];
}

const zero = (): ChangeCounts => ({ added: 0, changed: 0, removed: 0, total: 0 });

/** Counts, the filter and one page of the changes, in kind order (added, changed, removed) then code order. */
export function pageOfChanges<Ref>(changes: readonly Change<Ref>[], q: ChangesQuery): ChangesPage<Change<Ref>> {
  const counts = zero();
  const departments = new Map<string, DepartmentChanges>();
  for (const c of changes) {
    counts[c.kind]++;
    counts.total++;
    let d = departments.get(c.departmentCode);
    if (!d) departments.set(c.departmentCode, (d = { code: c.departmentCode, name: c.departmentName, ...zero() }));
    d[c.kind]++;
    d.total++;
  }
  const kept = changes.filter((c) => (!q.kind || c.kind === q.kind) && (!q.department || c.departmentCode === q.department));
  const rank = (k: ChangeKind) => CHANGE_KIND_ORDER.indexOf(k);
  kept.sort((x, y) => rank(x.kind) - rank(y.kind) || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  const pages = Math.max(1, Math.ceil(kept.length / q.pageSize));
  const page = Math.min(Math.max(1, q.page), pages);
  return {
    counts,
    byDepartment: [...departments.values()].sort((x, y) => y.total - x.total || (x.code < y.code ? -1 : 1)),
    kind: q.kind ?? null,
    department: q.department ?? null,
    page,
    pageSize: q.pageSize,
    total: kept.length,
    pages,
    nextPage: page < pages ? page + 1 : null,
    entries: kept.slice((page - 1) * q.pageSize, page * q.pageSize),
  };
}

/** The fields compared, in the order a comparison lists them. */
export const COMPARED_FIELDS = [
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
] as const;

/** Each compared field whose value differs between two published texts, before and after. */
export function changedFields(beforeJson: string, afterJson: string): { field: string; before: unknown; after: unknown }[] {
  const old = JSON.parse(beforeJson) as Record<string, unknown>;
  const now = JSON.parse(afterJson) as Record<string, unknown>;
  return COMPARED_FIELDS.filter((f) => JSON.stringify(old[f] ?? null) !== JSON.stringify(now[f] ?? null)).map((f) => ({ field: f, before: old[f] ?? null, after: now[f] ?? null }));
}

/**
 * pageOfChanges over a list that no longer changes (the publish preflight's, kept per state of the
 * working catalogue): each filter's counts and sorted list are worked out at its first look and kept
 * (a few filters at a time), so later pages and looks cost a page, not a pass over a million changes.
 */
export function pagerOfChanges<Ref>(changes: readonly Change<Ref>[]): (q: ChangesQuery) => ChangesPage<Change<Ref>> {
  const byFilter = new Map<string, ChangesPage<Change<Ref>>>();
  return (q) => {
    const key = `${q.kind ?? ''}|${q.department ?? ''}`;
    let all = byFilter.get(key);
    if (!all) {
      if (byFilter.size >= 8) byFilter.clear();
      all = pageOfChanges(changes, { kind: q.kind, department: q.department, page: 1, pageSize: Number.MAX_SAFE_INTEGER });
      byFilter.set(key, all);
    }
    const pages = Math.max(1, Math.ceil(all.total / q.pageSize));
    const page = Math.min(Math.max(1, q.page), pages);
    return { ...all, page, pageSize: q.pageSize, pages, nextPage: page < pages ? page + 1 : null, entries: all.entries.slice((page - 1) * q.pageSize, page * q.pageSize) };
  };
}
