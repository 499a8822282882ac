// A comparison as pages (server/publication/changes.ts): counts over every change, the filter, one page.
import { describe, it, expect } from 'vitest';
import { pageOfChanges, pagerOfChanges, type Change } from '../../../server/publication/changes.js';

const change = (code: string, kind: Change['kind'], departmentCode = 'A'): Change => ({ code, kind, name: code, departmentCode, departmentName: `部门${departmentCode}`, before: 1, after: 2 });
const changes = [change('3', 'removed', 'B'), change('2', 'changed'), change('1', 'changed', 'B'), change('5', 'added'), change('4', 'added', 'B')];

describe('a page of changes', () => {
  it('counts every change by kind and department whatever the filter, most changed department first', () => {
    const page = pageOfChanges(changes, { kind: 'removed', page: 1, pageSize: 2 });
    expect(page.counts).toEqual({ added: 2, changed: 2, removed: 1, total: 5 });
    expect(page.byDepartment.map((d) => [d.code, d.added, d.changed, d.removed, d.total])).toEqual([
      ['B', 1, 1, 1, 3],
      ['A', 1, 1, 0, 2],
    ]);
    expect(page.entries.map((e) => e.code)).toEqual(['3']);
  });

  it('lists added, then changed, then removed, each in code order, a page at a time, naming the next page', () => {
    const first = pageOfChanges(changes, { page: 1, pageSize: 2 });
    expect([first.entries.map((e) => e.code), first.total, first.pages, first.nextPage]).toEqual([['4', '5'], 5, 3, 2]);
    const last = pageOfChanges(changes, { page: 3, pageSize: 2 });
    expect([last.entries.map((e) => e.code), last.nextPage]).toEqual([['3'], null]);
    // A page past the end shows the last one.
    expect(pageOfChanges(changes, { page: 9, pageSize: 2 }).page).toBe(3);
  });

  it('filters by department', () => {
    expect(pageOfChanges(changes, { department: 'B', page: 1, pageSize: 10 }).entries.map((e) => e.code)).toEqual(['4', '1', '3']);
  });

  it('pages of a kept list (the publish preflight’s) are the pages of the list, whatever the filter, page and order of looks', () => {
    const pager = pagerOfChanges(changes);
    const queries = [
      { page: 1, pageSize: 2 },
      { page: 3, pageSize: 2 },
      { page: 9, pageSize: 2 },
      { kind: 'added' as const, page: 1, pageSize: 1 },
      { department: 'B', page: 2, pageSize: 2 },
      { kind: 'changed' as const, department: 'A', page: 1, pageSize: 10 },
      { page: 2, pageSize: 2 },
    ];
    for (const q of [...queries, ...queries]) expect(pager(q)).toEqual(pageOfChanges(changes, q));
  });
});
