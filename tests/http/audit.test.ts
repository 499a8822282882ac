// The audit page for people: names, roles, Chinese actions and fields, local times, the item's name;
// filters by person, role, action, item and date; paging; the xlsx export of the filtered entries.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { itemFormOf } from '../support/forms.js';
import { AUDIT_FIELD_NAMES } from '../../server/domain/labels.js';
import { appendAudit, withTransaction } from '../../db/audit.js';

let server: TestServer;
let supervisor: TestClient;
let item: { code: string; name: string };

beforeAll(async () => {
  server = await startTestServer(demoDb());
  supervisor = server.client();
  await supervisor.login('supervisor');
  // The admin corrects an item: a change with a before and an after, about an item with a name.
  const admin = server.client();
  await admin.login('admin');
  item = server.db.$client.prepare("SELECT code, name FROM items WHERE removed_at IS NULL AND promised_limit_days IS NOT NULL ORDER BY id LIMIT 1").get() as typeof item;
  const read = (await admin.get(`/api/v1/items/${encodeURIComponent(item.code)}`)).json<Record<string, unknown>>();
  const saved = await admin.postForm(`/workspace/items/${encodeURIComponent(item.code)}`, itemFormOf(read, { promisedLimitDays: '2', remarks: '=HYPERLINK("http://x")' }));
  expect(saved.status).toBe(303);
});
afterAll(() => server.close());

const visible = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

describe('the audit page reads as people speak', () => {
  it("an entry shows the person's name and role, the Chinese action and field names, before → after in words, local time, and the item's name with its code", async () => {
    const page = await supervisor.get(`/audit?item=${encodeURIComponent(item.code)}`);
    expect(page.status).toBe(200);
    const text = visible(page.text);
    expect(text).toContain('系统管理员'); // the admin's display name, not "admin"
    expect(text).toContain('管理员');
    expect(text).toContain('修改事项');
    expect(text).toContain('承诺时限');
    expect(text).toMatch(/承诺时限 ：\s*3 个工作日 → 2 个工作日/);
    expect(text).toContain(item.name);
    expect(text).toContain(item.code);
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(text).not.toContain('promisedLimitDays');
    const at = server.db.$client.prepare("SELECT at FROM audit_log WHERE action = 'item.update' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    const local = new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(text).toContain(local);
  });

  it('filters by person, role, action (chosen from a list), item name and local date range', async () => {
    const count = async (q: string) => Number(/id="audit-total">(\d+)</.exec((await supervisor.get(`/audit?${q}`)).text)![1]);
    const db = server.db.$client;
    expect(await count('actor=admin')).toBe(db.prepare("SELECT count(*) FROM audit_log WHERE actor = 'admin'").pluck().get());
    expect(await count('role=admin')).toBe(db.prepare("SELECT count(*) FROM audit_log a JOIN users u ON u.username = a.actor WHERE u.role = 'admin'").pluck().get());
    expect(await count('action=item.update')).toBe(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'item.update'").pluck().get());
    expect(await count(`item=${encodeURIComponent(item.name)}`)).toBeGreaterThanOrEqual(1);
    expect(await count(`item=${encodeURIComponent(item.name)}&action=auth.login`)).toBe(0);
    const page = await supervisor.get('/audit');
    expect(page.text).toMatch(/<select name="action">[\s\S]*<option value="item.update">修改事项<\/option>/);
    expect(page.text).toContain('type="date" name="from"');
    // A day in Beijing runs from 16:00 UTC the day before: an entry at 2026-03-01T17:00Z is on 3月2日 there.
    // The log cannot be rewritten, so the day is today's in Beijing (UTC+8), whose bounds the query must honour.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const all = await count('');
    expect(await count(`from=${today}&to=${today}`)).toBe(db.prepare('SELECT count(*) FROM audit_log WHERE at >= ? AND at < ?').pluck().get(new Date(`${today}T00:00:00+08:00`).toISOString(), new Date(new Date(`${today}T00:00:00+08:00`).getTime() + 86_400_000).toISOString()));
    expect(await count('from=2000-01-01&to=2000-01-02')).toBe(0);
    expect(await count('from=not-a-date')).toBe(all);
  });

  it('pages through the entries 50 at a time, keeping the filters in the page links', async () => {
    withTransaction(server.db, () => {
      for (let i = 0; i < 60; i++) appendAudit(server.db, { id: null, name: 'system' }, { action: 'checks.run', entityType: 'catalogue', after: { items: i } });
    });
    const filtered = await supervisor.get('/audit?action=checks.run');
    const next = (html: string) => /href="([^"]+)" rel="next"/.exec(html)?.[1]?.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(next(filtered.text)).toBe('/audit?action=checks.run&page=2');
    const second = await supervisor.get(next(filtered.text)!);
    expect((second.text.match(/<tr>\s*<td class="num"/g) ?? []).length).toBe(10);
    const first = await supervisor.get('/audit?role=supervisor');
    const total = Number(/id="audit-total">(\d+)</.exec(first.text)![1]);
    const all = await supervisor.get('/audit');
    const allTotal = Number(/id="audit-total">(\d+)</.exec(all.text)![1]);
    expect(allTotal).toBeGreaterThan(50);
    expect((all.text.match(/<tr>\s*<td class="num"/g) ?? []).length).toBe(50);
    expect(next(all.text)).toBe('/audit?page=2');
    expect(total).toBeGreaterThan(0);
  });

  it('the xlsx export holds the filtered entries as the page shows them, no cell a formula', async () => {
    const res = await fetch(`${server.url}/audit.xlsx?action=item.update`, { headers: { cookie: [...supervisor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([undefined, '序号', '时间（北京时间）', '操作人', '角色', '操作', '对象', '编码', '修改前', '修改后']);
    const rows = ws.getRows(2, ws.rowCount - 1)!.map((r) => r.values as unknown[]);
    expect(rows).toHaveLength(server.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'item.update'").pluck().get() as number);
    const row = rows[0]!;
    expect(row[3]).toBe('系统管理员');
    expect(row[5]).toBe('修改事项');
    expect(row[6]).toBe(item.name);
    expect(row[7]).toBe(item.code);
    expect(String(row[8])).toContain('承诺时限：3 个工作日');
    expect(String(row[9])).toContain('承诺时限：2 个工作日');
    for (const r of rows) for (const cell of r) if (typeof cell === 'string') expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('every field name the workflow writes into the log has a Chinese name', async () => {
    const keys = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (keys.add(k), walk(x));
    };
    for (const r of server.db.$client.prepare('SELECT before, after FROM audit_log').all() as { before: string | null; after: string | null }[]) {
      if (r.before) walk(JSON.parse(r.before));
      if (r.after) walk(JSON.parse(r.after));
    }
    expect([...keys].filter((k) => !(k in AUDIT_FIELD_NAMES))).toEqual([]);
  });

  it('the hash-chain check stays on the page', async () => {
    const page = await supervisor.get('/audit?verify=1');
    expect(page.text).toContain('哈希链完整');
  });
});
