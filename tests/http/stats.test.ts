// The dashboard over HTTP on the demo district: /api/v1/stats returns the computed figures, the page's
// tables hold exactly the API's numbers, the xlsx holds every table, the command line prints the same
// JSON, and who may see what (published figures public; the working catalogue staff; findings only
// for the roles that read findings).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { startTestServer, type TestServer, type TestClient } from '../support/http.js';
import { publishVersion } from '../../server/publication/publish.js';
import { figureTables, statsFor, type Stats } from '../../server/analysis/stats.js';
import { main, type Io } from '../../server/cli.js';

let server: TestServer;
let dir: string;
let dbPath: string;
let legal: TestClient;
let department: TestClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stats-'));
  dbPath = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), dbPath);
  server = await startTestServer(openDatabase(dbPath));
  legal = server.client();
  await legal.login('legal');
  department = server.client();
  await department.login('dept-xzsp');
});
afterAll(async () => {
  await server.close();
  server.db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const roundTrip = (s: Stats) => JSON.parse(JSON.stringify(s)) as Stats;

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' };
  const code = await main([...args, '--db', dbPath], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every figure table of a dashboard page: data-key of each row and data-value of each cell. */
function pageTables(html: string): Record<string, { key: string; values: (number | null)[] }[]> {
  const out: Record<string, { key: string; values: (number | null)[] }[]> = {};
  for (const m of html.matchAll(/<table class="figure-table" data-table="([^"]+)">([\s\S]*?)<\/table>/g)) {
    out[m[1]!] = [...m[2]!.matchAll(/<tr data-key="([^"]*)">([\s\S]*?)<\/tr>/g)].map((r) => ({
      key: r[1]!,
      values: [...r[2]!.matchAll(/<td class="num" data-value="([^"]*)">/g)].map((c) => (c[1] === '' ? null : Number(c[1]))),
    }));
  }
  return out;
}

describe('/api/v1/stats and the dashboard', () => {
  it('the working catalogue’s figures over the API are the computed figures, findings included for the legal office', async () => {
    const reply = await legal.get('/api/v1/stats');
    expect(reply.status).toBe(200);
    const api = reply.json<Stats>();
    expect(api).toEqual(roundTrip(statsFor(server.services, { version: null, department: null, includeFlags: true })));
    expect(api.items).toBe(server.db.$client.prepare('SELECT count(*) FROM items WHERE removed_at IS NULL').pluck().get());
    expect(api.flags!.total).toBe(server.db.$client.prepare('SELECT count(*) FROM item_flags f JOIN items i ON i.id = f.item_id WHERE i.removed_at IS NULL').pluck().get());
  });

  it('a department user sees the working figures but not the check findings, which its role may not read', async () => {
    const api = (await department.get('/api/v1/stats')).json<Stats>();
    expect(api.flags).toBeNull();
    expect(api.byDepartment.every((d) => d.flags === null)).toBe(true);
    expect(api.items).toBe((await legal.get('/api/v1/stats')).json<Stats>().items);
    const page = await department.get('/dashboard');
    expect(page.text).not.toContain('data-table="flags"');
    expect(page.text).toContain('检查问题统计仅对法制办、监察和管理员显示');
  });

  it('the page’s tables hold exactly the numbers of its JSON twin', async () => {
    const page = await legal.get('/dashboard');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/api/v1/stats"');
    const api = (await legal.get('/api/v1/stats')).json<Stats>();
    const tables = pageTables(page.text);
    const expected = figureTables(api);
    expect(Object.keys(tables)).toEqual(expected.map((t) => t.id));
    for (const t of expected) expect(tables[t.id], t.id).toEqual(t.rows.map((r) => ({ key: r.key, values: r.values })));
    expect(page.text.match(/<svg /g)!.length).toBe(expected.filter((t) => t.chart).length);
  });

  it('one department: every figure is that department’s', async () => {
    const api = (await legal.get('/api/v1/stats?department=rsj')).json<Stats>();
    expect(api.scope.department).toMatchObject({ code: 'RSJ' });
    expect(api.byDepartment.map((d) => d.code)).toEqual(['RSJ']);
    expect(api.items).toBe(server.db.$client.prepare("SELECT count(*) FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'RSJ' AND i.removed_at IS NULL").pluck().get());
    const page = await legal.get('/dashboard?department=RSJ');
    expect(page.text).toMatch(/<option value="RSJ" selected>/);
    expect(page.text).toContain('href="/api/v1/stats?department&#x3D;RSJ"'); // Handlebars escapes =
  });

  it('refuses a malformed version, and answers 404 for an unknown version or department, in Chinese', async () => {
    const bad = await legal.get('/api/v1/stats?version=abc');
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toContain('版本号应为正整数');
    expect((await legal.get('/api/v1/stats?version=0')).status).toBe(400);
    const missing = await legal.get('/api/v1/stats?version=99');
    expect(missing.status).toBe(404);
    expect(missing.json().error.message).toBe('没有第 99 版目录。');
    expect((await legal.get('/api/v1/stats?department=NOPE')).json().error.message).toBe('没有编码为 NOPE 的部门。');
    expect((await legal.get('/dashboard?version=abc')).status).toBe(400);
  });

  it('the command line prints the same JSON as the API, and its plain output still starts with the counts', async () => {
    const r = await cli(['stats', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual((await legal.get('/api/v1/stats')).json());
    const one = await cli(['stats', '--department', 'RSJ', '--json']);
    expect(JSON.parse(one.out)).toEqual((await legal.get('/api/v1/stats?department=RSJ')).json());
    const plain = await cli(['stats']);
    const api = (await legal.get('/api/v1/stats')).json<Stats>();
    expect(plain.out.split('\n')[0]).toBe(`事项 ${api.items} 项，部门 ${api.departments} 个`);
    expect(plain.out).toContain('即办件占比：');
    expect(plain.out).toContain('限时办理事项');
    expect((await cli(['stats', '--version', 'x'])).code).toBe(2);
    expect((await cli(['stats', '--version', 'latest'])).err).toContain('还没有发布任何版本');
  });

  it('the xlsx holds a sheet per table with Chinese headers and the same numbers', async () => {
    const reply = await fetch(`${legal.base}/dashboard.xlsx`, { headers: { cookie: [...legal.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await reply.arrayBuffer());
    const api = (await legal.get('/api/v1/stats')).json<Stats>();
    const tables = figureTables(api);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', ...tables.map((t) => t.title)]);
    const reduction = wb.getWorksheet('精简率（较上一版）')!;
    expect(reduction.getRow(1).values).toEqual([undefined, '部门', '上一版事项数', '现有事项数', '精简率']);
    expect(reduction.getRow(2).getCell(1).value).toBe('合计');
    expect(reduction.getRow(2).getCell(3).value).toBe(api.items);
    const category = wb.getWorksheet('事项类型分布')!;
    const counts = Object.fromEntries(category.getSheetValues().slice(2).map((r) => [(r as unknown[])[1], (r as unknown[])[2]]));
    expect(Object.values(counts).reduce((a, b) => (a as number) + (b as number), 0)).toBe(api.items);
    const instant = wb.getWorksheet('即办件占比较基线提高')!;
    expect(instant.getRow(2).getCell(4).value).toBe(api.instant.share);
    expect(instant.getRow(2).getCell(4).numFmt).toBe('0.0%');
  });

  it('the public sees published figures only: none before a version, the latest version’s after', async () => {
    const anon = server.client();
    expect((await anon.get('/api/v1/stats')).status).toBe(401);
    const none = await anon.get('/dashboard');
    expect(none.status).toBe(200);
    expect(none.text).toContain('id="no-version"');
    expect(none.text).not.toContain('data-table=');

    publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（第1版）', effectiveOn: '2026-01-01' });
    const redirect = await anon.get('/dashboard');
    expect(redirect.status).toBe(303);
    expect(redirect.location).toBe('/dashboard?version=1');
    const page = await anon.get('/dashboard?version=1');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('工作目录（尚未发布）</option>');
    expect(page.text).not.toContain('data-table="flags"');
    const api = (await anon.get('/api/v1/stats?version=1')).json<Stats>();
    expect(api).toEqual(roundTrip(statsFor(server.services, { version: 1, department: null, includeFlags: false })));
    expect(api.flags).toBeNull();
    expect((await anon.get('/api/v1/stats?version=latest')).json()).toEqual(api);
    // Staff asking for the version get the same figures: a version's figures do not depend on the role.
    expect((await legal.get('/api/v1/stats?version=1')).json()).toEqual(api);
    expect(JSON.parse((await cli(['stats', '--version', '1', '--json'])).out)).toEqual(api);
    for (const t of figureTables(api)) expect(pageTables(page.text)[t.id]).toEqual(t.rows.map((r) => ({ key: r.key, values: r.values })));
    // Working-catalogue downloads stay closed to the public.
    expect((await anon.get('/dashboard.xlsx')).location).toMatch(/^\/login/);
    expect((await anon.get('/dashboard.xlsx?version=1')).status).toBe(200);
  });

  it('the main navigation links to the dashboard', async () => {
    expect((await server.client().get('/')).text).toContain('<a href="/dashboard">统计看板</a>');
  });
});
