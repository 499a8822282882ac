// Check findings where people see them: the item page for those who work on the catalogue, and the CLI.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ruleCatalogue } from '../../server/checks/engine.js';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { main, type Io } from '../../server/cli.js';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { HEADER, writeWorkbook } from '../support/sheets.js';

let server: TestServer;
let noBasisCode: string;
beforeAll(async () => {
  server = await startTestServer(demoDb());
  noBasisCode = (
    server.db.$client
      .prepare(
        "SELECT i.code FROM items i WHERE i.category = 'permit' AND NOT EXISTS (SELECT 1 FROM citations c WHERE c.item_id = i.id AND c.role = 'setting') LIMIT 1",
      )
      .get() as { code: string }
  ).code;
});
afterAll(() => server.close());

describe('check findings', () => {
  it('the legal office sees on an item page each flag with its explanation, legal ground and suggestion', async () => {
    const c = server.client();
    await c.login('legal');
    const page = (await c.get(`/items/${encodeURIComponent(noBasisCode)}`)).text;
    expect(page).toContain('id="flags"');
    // The rule by its Chinese title, its code only as a tooltip.
    expect(page).toContain('title="NO_BASIS"');
    expect(page).toContain('无设定依据');
    expect(page).toContain('没有保留依据的项目一律取消');
    expect(page).toContain('建议取消');
  });

  it('the public service guide shows no check findings', async () => {
    const page = (await server.client().get(`/items/${encodeURIComponent(noBasisCode)}`)).text;
    expect(page).not.toContain('id="flags"');
    expect(page).not.toContain('NO_BASIS');
    const json = (await server.client().get(`/api/v1/items/${encodeURIComponent(noBasisCode)}`)).json();
    expect(json).not.toHaveProperty('flags');
  });

  it("the item's JSON twin carries the same flags for staff, with ground and suggestion", async () => {
    const c = server.client();
    await c.login('expert');
    const json = (await c.get(`/api/v1/items/${encodeURIComponent(noBasisCode)}`)).json() as { flags: { rule: string; ground: string; suggestion: string }[] };
    const page = (await c.get(`/items/${encodeURIComponent(noBasisCode)}`)).text;
    expect(json.flags.map((f) => f.rule)).toContain('NO_BASIS');
    // The page names each by its Chinese title (the code is a tooltip for the legal office only).
    const titles = new Map(ruleCatalogue().map((r) => [r.code as string, r.title]));
    for (const f of json.flags) expect(page).toContain(titles.get(f.rule)!);
    expect(json.flags.find((f) => f.rule === 'NO_BASIS')).toMatchObject({ suggestion: 'cancel', ground: expect.stringContaining('《') });
  });

  it('`catalogue check --json` flags every permit without a setting basis as NO_BASIS, in the documented shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-'));
    const path = join(dir, 'demo.db');
    copyFileSync(inject('demoDbPath'), path);
    const out: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: () => undefined, readStdin: async () => '' };
    expect(await main(['check', '--json', '--db', path], io, {})).toBe(0);
    const report = JSON.parse(out.join('\n')) as { items: number; flags: Record<string, string>[] };
    expect(report.items).toBe(1135);
    expect(Object.keys(report.flags[0]!).sort()).toEqual(['department', 'ground', 'item', 'message', 'name', 'rule', 'severity', 'suggestion'].sort());
    const withoutBasis = (
      server.db.$client
        .prepare(
          "SELECT code FROM items i WHERE category NOT IN ('public_service') AND NOT EXISTS (SELECT 1 FROM citations c WHERE c.item_id = i.id AND c.role = 'setting')",
        )
        .all() as { code: string }[]
    ).map((r) => r.code);
    const flagged = new Set(report.flags.filter((f) => f.rule === 'NO_BASIS').map((f) => f.item));
    expect(withoutBasis.length).toBeGreaterThan(10);
    for (const code of withoutBasis) expect(flagged.has(code), code).toBe(true);
  });

  it('`catalogue check` also checks every open submission: a proposed permit without a basis is flagged with its submission', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-sub-'));
    const path = join(dir, 'demo.db');
    copyFileSync(inject('demoDbPath'), path);
    const sheet = await writeWorkbook(join(dir, 'list.xlsx'), [
      { rows: [HEADER, [1, '', '新设的某某经营许可', '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', '']] },
    ]);
    const errs: string[] = [];
    const io: Io = { out: () => undefined, err: (l) => errs.push(l), readStdin: async () => '' };
    expect(await main(['import', sheet, '--department', 'XZSPJ', '--user', 'dept-xzsp', '--db', path], io, {}), errs.join('\n')).toBe(0);
    const out: string[] = [];
    expect(await main(['check', '--json', '--db', path], { ...io, out: (l) => out.push(l) }, {})).toBe(0);
    const report = JSON.parse(out.join('\n')) as { proposals: number; flags: { name: string; rule: string; submission?: number }[] };
    expect(report.proposals).toBe(1);
    expect(report.flags.find((f) => f.name === '新设的某某经营许可' && f.rule === 'NO_BASIS')).toMatchObject({ submission: expect.any(Number) });
  });
});
