// The legal office's work list: filter by rule, department and severity; the xlsx export holds the
// same findings as the page.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => server.close());

describe('work list of check findings', () => {
  it('the demo starts with its findings stored, and the list filters by rule, department and severity', async () => {
    const c = server.client();
    await c.login('legal');
    const all = (await c.get('/api/v1/flags')).json<{ total: number }>();
    expect(all.total).toBeGreaterThan(100);
    const noBasis = (await c.get('/api/v1/flags?rule=NO_BASIS&department=XZSPJ&severity=error')).json<{ total: number; flags: { rule: string; departmentCode: string; severity: string }[] }>();
    expect(noBasis.total).toBeGreaterThan(0);
    expect(noBasis.flags.every((f) => f.rule === 'NO_BASIS' && f.departmentCode === 'XZSPJ' && f.severity === 'error')).toBe(true);
    const page = await c.get('/workspace/flags?rule=NO_BASIS&department=XZSPJ&severity=error');
    expect(page.text).toContain(`<strong id="total">${noBasis.total}</strong>`);
  });

  it('a rule whose findings carry two severities is one line of the summary, which says why they differ', async () => {
    const c = server.client();
    await c.login('legal');
    const severities = server.db.$client.prepare("SELECT DISTINCT severity FROM item_flags WHERE rule = 'NO_BASIS'").pluck().all();
    expect(severities.length).toBe(2);
    const summary = /<ul class="summary" id="flag-summary">([^]*?)<\/ul>/.exec((await c.get('/workspace/flags')).text)![1]!;
    const lines = summary.split('</li>').filter((l) => l.includes('title="NO_BASIS"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/（错误 \d+，警告 \d+）/);
    expect(lines[0]).toContain('为何严重程度不同');
    expect(lines[0]).toContain('提示补充（警告）');
    // A rule with one severity has no such note.
    const single = summary.split('</li>').find((l) => l.includes('title="BASIS_REPEALED"'));
    if (single) expect(single).not.toContain('为何严重程度不同');
  });

  it('a rule shows by its Chinese title; its code is a tooltip for the legal office only', async () => {
    const legal = server.client();
    await legal.login('legal');
    expect((await legal.get('/workspace/flags?rule=NO_BASIS')).text).toContain('title="NO_BASIS"');
    const supervisor = server.client();
    await supervisor.login('supervisor');
    const page = (await supervisor.get('/workspace/flags?rule=NO_BASIS')).text;
    expect(page).toContain('无设定依据');
    expect(page).not.toContain('title="NO_BASIS"');
  });

  it('the xlsx export holds the same findings as the filtered list', async () => {
    const c = server.client();
    await c.login('supervisor');
    const api = (await c.get('/api/v1/flags?rule=BASIS_REPEALED')).json<{ total: number; flags: { itemCode: string; message: string }[] }>();
    const res = await fetch(`${server.url}/workspace/flags.xlsx?rule=BASIS_REPEALED`, { headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('事项编码');
    const codes: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) codes.push(String(row.getCell(1).value));
    });
    expect(codes.length).toBe(api.total);
    expect(new Set(codes)).toEqual(new Set(api.flags.map((f) => f.itemCode)));
  });

  it('the xlsx export names each rule by its Chinese title (the code only in its own last column) and gives local times', async () => {
    const c = server.client();
    await c.login('legal');
    const res = await fetch(`${server.url}/workspace/flags.xlsx?rule=BASIS_REPEALED`, { headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    const row = Object.fromEntries(headers.map((h, i) => [String(h), String(ws.getRow(2).getCell(i + 1).value)]));
    expect(row['规则']).toBe('设定依据已废止');
    expect(headers.at(-1)).toBe('规则编码');
    expect(row['规则编码']).toBe('BASIS_REPEALED');
    const stored = server.db.$client.prepare("SELECT checked_at FROM item_flags WHERE rule = 'BASIS_REPEALED' LIMIT 1").pluck().get() as string;
    const local = new Date(new Date(stored).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(row['检查时间']!.startsWith(local)).toBe(true);
  });

  it('re-checking the whole catalogue is the legal office’s, and is audited', async () => {
    const c = server.client();
    await c.login('legal');
    const reply = await c.postForm('/workspace/flags/recheck', {});
    expect(reply.status).toBe(303);
    expect(server.db.$client.prepare("SELECT actor FROM audit_log WHERE action = 'checks.run' ORDER BY seq DESC LIMIT 1").get()).toEqual({ actor: 'legal' });
  });
});
