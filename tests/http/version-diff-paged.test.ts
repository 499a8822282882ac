// The comparison of two versions is paged: counts by kind and by department over the whole change,
// one page of entries at a time (filtered by kind or department), and a JSON twin with the total and
// the next page.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';

let server: TestServer;
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
let pageSize: number;
let changedCount: number;

interface DiffJson {
  counts: { added: number; changed: number; removed: number; total: number };
  byDepartment: { code: string; added: number; changed: number; removed: number; total: number }[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  nextPage: number | null;
  nextUrl: string | null;
  added: { code: string }[];
  changed: { code: string; fields: { field: string }[] }[];
  removed: { code: string }[];
}

beforeAll(async () => {
  server = await startTestServer(demoDb());
  pageSize = server.services.config.pageSize;
  const sql = server.db.$client;
  const ids = (department: string, n: number, offset = 0) =>
    sql
      .prepare("SELECT i.id FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = ? AND i.removed_at IS NULL AND i.parent_id IS NULL AND NOT EXISTS (SELECT 1 FROM items c WHERE c.parent_id = i.id) ORDER BY i.id LIMIT ? OFFSET ?")
      .pluck()
      .all(department, n, offset) as number[];
  // Version 1 lacks two 区人社局 items (they come back in version 2: added).
  const comeBack = ids('RSJ', 2);
  for (const id of comeBack) sql.prepare(`UPDATE items SET removed_at = ${NOW}, updated_at = ${NOW} WHERE id = ?`).run(id);
  publishVersion(server.services, SYSTEM_ACTOR, { title: '第1版', effectiveOn: '2026-01-01' });
  await new Promise((r) => setTimeout(r, 5));
  for (const id of comeBack) sql.prepare(`UPDATE items SET removed_at = NULL, updated_at = ${NOW} WHERE id = ?`).run(id);
  // More 区行政审批局 changes than fit on a page; three 区人社局 items leave.
  const changed = ids('XZSPJ', pageSize + 7);
  changedCount = changed.length;
  for (const id of changed) sql.prepare(`UPDATE items SET remarks = '第2版调整', updated_at = ${NOW} WHERE id = ?`).run(id);
  for (const id of ids('RSJ', 3, 2)) sql.prepare(`UPDATE items SET removed_at = ${NOW}, updated_at = ${NOW} WHERE id = ?`).run(id);
  publishVersion(server.services, SYSTEM_ACTOR, { title: '第2版', effectiveOn: '2026-06-01' });
});
afterAll(() => server.close());

describe('the paged comparison of two versions', () => {
  it('counts every change by kind and by department, whatever page is shown', async () => {
    const c = server.client();
    const json = (await c.get('/api/v1/versions/1/diff/2')).json() as DiffJson;
    expect(json.counts).toEqual({ added: 2, changed: changedCount, removed: 3, total: changedCount + 5 });
    expect(json.byDepartment.map((d) => [d.code, d.added, d.changed, d.removed, d.total])).toEqual([
      ['XZSPJ', 0, changedCount, 0, changedCount],
      ['RSJ', 2, 0, 3, 5],
    ]);
    const page = await c.get('/versions/1/diff/2');
    expect(page.text).toContain(`id="changed-count">${changedCount}<`);
    expect(page.text).toContain('id="diff-by-department"');
    expect(page.text).toContain('data-department="RSJ"');
  });

  it('pages the entries: the first page holds a page of them, in kind order, and names the next', async () => {
    const c = server.client();
    const first = (await c.get('/api/v1/versions/1/diff/2')).json() as DiffJson;
    expect(first.total).toBe(changedCount + 5);
    expect(first.added.length + first.changed.length + first.removed.length).toBe(pageSize);
    expect(first.added.length).toBe(2);
    expect(first.removed).toEqual([]);
    expect(first.changed[0]!.fields.map((f) => f.field)).toEqual(['remarks']);
    expect(first.nextPage).toBe(2);
    expect(first.nextUrl).toBe('/api/v1/versions/1/diff/2?page=2');
    const second = (await c.get(first.nextUrl!)).json() as DiffJson;
    expect(second.page).toBe(2);
    expect(second.nextPage).toBeNull();
    expect(second.nextUrl).toBeNull();
    expect(second.removed.length).toBe(3);
    const seen = [...first.added, ...first.changed, ...second.changed, ...second.added].map((e) => e.code);
    expect(new Set(seen).size).toBe(changedCount + 2);
    const html = await c.get('/versions/1/diff/2');
    expect(html.text).toMatch(/href="\/versions\/1\/diff\/2\?page(=|&#x3D;)2" rel="next"/);
    expect((html.text.match(/<section class="change"/g) ?? []).length).toBe(pageSize - 2);
  });

  it('filters by kind and by department, keeping the counts of the whole comparison', async () => {
    const c = server.client();
    const removed = (await c.get('/api/v1/versions/1/diff/2?kind=removed')).json() as DiffJson;
    expect([removed.total, removed.added.length, removed.changed.length, removed.removed.length, removed.nextPage]).toEqual([3, 0, 0, 3, null]);
    expect(removed.counts.total).toBe(changedCount + 5);
    const rsj = (await c.get('/api/v1/versions/1/diff/2?department=RSJ')).json() as DiffJson;
    expect([rsj.total, rsj.added.length, rsj.removed.length, rsj.changed.length]).toEqual([5, 2, 3, 0]);
    const page = await c.get('/versions/1/diff/2?kind=removed');
    expect(page.text).toContain('id="removed"');
    expect(page.text).not.toContain('<section class="change"');
  });
});
