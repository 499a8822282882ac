// Every xlsx and csv the product writes makes formula-like text inert the same way: a database holding
// text that starts with = + - @ in item names, remarks, a department's name, a campaign's name, a decision's
// reason and a version's title is exported through every writer, and every cell read back is checked.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { parseCsv } from '../../db/seed/csv.js';
import { main, type Io } from '../../server/cli.js';
import { createCampaign, decideItems, type Reviewer } from '../../server/review/service.js';
import { createReviewRepository } from '../../db/queries/review/index.js';
import { publishVersion } from '../../server/publication/publish.js';
import { inertCell, restoreInertCell } from '../../server/domain/spreadsheet-cells.js';
import { cellToText } from '../../imports/normalise.js';
import { HEADER, writeWorkbook } from '../support/sheets.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';

const FORMULA_LIKE = /^[=+\-@\t\r]/;
const DEPARTMENT = '=HYPERLINK("http://evil.example","区行政审批局")';
const CAMPAIGN = '@SUM(1,1) 专项清理';
const REASON = '=cmd|\' /C calc\'!A0';
const NEW_ITEM = '+1+1 新设许可';
const TITLE = '-2+3 某区清单';
const REMARKS = '@remarks 备注';

let dir: string;
let db: Db;
let server: TestServer;
let campaignId: number;
let versionNumber: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'formula-cells-'));
  const path = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), path);
  db = openDatabase(path);
  const review = createReviewRepository(db);
  const reviewer = (username: string) =>
    db.$client.prepare('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?').get(username) as Reviewer;
  campaignId = createCampaign(review, reviewer('legal'), { name: CAMPAIGN, startsOn: '2026-11-01' });
  db.$client.close();

  // A department proposes a new item with a formula-like name, through the importer.
  const sheet = await writeWorkbook(join(dir, 'xzsp.xlsx'), [
    { rows: [HEADER, [1, '', NEW_ITEM, '', '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '20个工作日', '', '不收费', '身份证', REMARKS]] },
  ]);
  const io: Io = { out: () => undefined, err: () => undefined, readStdin: async () => '' };
  expect(await main(['import', sheet, '--department', 'XZSPJ', '--user', 'dept-xzsp', '--db', path], io, {})).toBe(0);

  db = openDatabase(path);
  const review2 = createReviewRepository(db);
  const proposal = db.$client.prepare('SELECT id, row_version AS rowVersion FROM submission_items WHERE name = ?').get(NEW_ITEM) as { id: number; rowVersion: number };
  decideItems(review2, reviewer('legal'), [proposal], { disposition: 'cancel', reason: REASON });

  // Formula-like text already in the working catalogue: a department's name, item names (of flagged
  // items, so the flag list shows them) and remarks. Written behind the program's back, as a test fixture.
  db.$client.prepare("UPDATE departments SET name = ? WHERE code = 'XZSPJ'").run(DEPARTMENT);
  db.$client.exec(`UPDATE items SET name = '=' || name, remarks = '${REMARKS}'
                    WHERE id IN (SELECT i.id FROM items i JOIN departments d ON d.id = i.department_id JOIN item_flags f ON f.item_id = i.id
                                  WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL LIMIT 3)`);
  server = await startTestServer(db);
  versionNumber = publishVersion(server.services, SYSTEM_ACTOR, { title: TITLE, effectiveOn: '2026-12-01' }).version;
});
afterAll(async () => {
  await server?.close();
  db?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

async function download(c: TestClient, path: string): Promise<Buffer> {
  const res = await fetch(`${server.url}${path}`, { headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  expect(res.status, path).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** Every text an xlsx holds: each cell's text (rich text joined) on every sheet, and the file's title and author. */
async function xlsxTexts(bytes: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const texts: string[] = [wb.title, wb.creator].filter((t): t is string => typeof t === 'string' && t !== '');
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type, `${ws.name}!${cell.address} is a formula`).not.toBe(ExcelJS.ValueType.Formula);
        const v = cell.value;
        if (typeof v === 'string') texts.push(v);
        else if (v && typeof v === 'object' && 'richText' in v) texts.push(v.richText.map((r) => r.text).join(''));
      }),
    ),
  );
  return texts;
}

const csvTexts = (bytes: Buffer) => parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, '')).flat();

/** Each planted text is in the file, and no text starts like a formula (a planted one opening a cell is made inert). */
function expectInert(texts: string[], planted: string[], what: string): void {
  for (const p of planted) expect(texts.some((t) => t.includes(p)), `${what} holds ${p}`).toBe(true);
  expect(texts.filter((t) => FORMULA_LIKE.test(t)), what).toEqual([]);
  expect(texts.some((t) => t.startsWith("'") && FORMULA_LIKE.test(t.slice(1))), `${what} has inert cells`).toBe(true);
}

describe('formula-like text in exports', () => {
  it('every xlsx and csv writer makes formula-like cells inert with a leading apostrophe', async () => {
    const legal = server.client();
    await legal.login('legal');
    const dept = server.client();
    await dept.login('dept-xzsp');

    expectInert(await xlsxTexts(await download(legal, `/versions/${versionNumber}/download/xlsx`)), [TITLE, DEPARTMENT, REMARKS], 'version xlsx');
    expectInert(csvTexts(await download(legal, `/versions/${versionNumber}/download/csv`)), [DEPARTMENT, REMARKS], 'version csv');
    expectInert(await xlsxTexts(await download(legal, '/workspace/flags.xlsx')), [DEPARTMENT], 'flags xlsx');
    expectInert(await xlsxTexts(await download(legal, `/review/campaigns/${campaignId}/filing.xlsx`)), [CAMPAIGN, REASON, NEW_ITEM, DEPARTMENT], 'filing xlsx');
    expectInert(await xlsxTexts(await download(legal, `/dashboard.xlsx?version=${versionNumber}`)), [TITLE, DEPARTMENT], 'dashboard xlsx of a version');
    expectInert(await xlsxTexts(await download(legal, '/dashboard.xlsx')), [DEPARTMENT], 'dashboard xlsx of the working catalogue');
    expectInert(await xlsxTexts(await download(dept, '/workspace/template.xlsx?prefill=1')), [DEPARTMENT, REMARKS], 'pre-filled template');
    expectInert(await xlsxTexts(await download(dept, '/workspace/template.xlsx')), [DEPARTMENT], 'blank template');
  });

  it('the importer reads an inert cell back as the text it was, so a filled-in template round-trips exactly', () => {
    for (const text of ['=1+1', '+86 028', '-', '@x', '\tx', "'=x", "''+y", "'plain", 'plain', '', "'"]) {
      expect(restoreInertCell(inertCell(text)), JSON.stringify(text)).toBe(text);
      expect(cellToText(inertCell(text)), JSON.stringify(text)).toBe(text);
    }
  });
});
