// Published versions for the public: stable pages and JSON twins per version, the catalogue on a date,
// ETag / 304, and a diff that shows a change made through review with its reason.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion, verifyVersion } from '../../server/publication/publish.js';
import { saveItemEdit, submitDraft } from '../../server/review/drafts.js';
import { assignExperts, decideItems, finaliseItems, recordOpinion, type Reviewer } from '../../server/review/service.js';
import { readFields } from '../../server/catalogue/items.js';
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReviewRepository } from '../../db/queries/review/index.js';

let server: TestServer;
let code: string;
let before: { v1Page: string; v1Etag: string };
const user = (username: string) => server.db.$client.prepare('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?').get(username) as Reviewer;

beforeAll(async () => {
  server = await startTestServer(demoDb());
  // A remark a spreadsheet would run as a formula: exports must keep it inert.
  server.db.$client.prepare("UPDATE items SET remarks = '=HYPERLINK(\"http://evil.example\")' WHERE id = (SELECT min(id) FROM items)").run();
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）', effectiveOn: '2026-01-01' });
  code = server.db.$client.prepare("SELECT i.code FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1").pluck().get() as string;
});
afterAll(() => server.close());

describe('a published version', () => {
  it('is listed, browsable and has JSON twins holding the same items', async () => {
    const c = server.client();
    const list = await c.get('/versions');
    expect(list.text).toContain('某区行政权力清单（2026年第1版）');
    const page = await c.get('/versions/1');
    expect(page.status).toBe(200);
    const json = (await c.get('/api/v1/versions/1/items')).json() as { total: number; items: { code: string }[] };
    expect(json.total).toBe(server.db.$client.prepare('SELECT count(*) FROM items WHERE removed_at IS NULL').pluck().get());
    for (const i of json.items) expect(page.text).toContain(`/versions/1/items/${encodeURIComponent(i.code)}`);
    const home = await c.get('/');
    expect(home.text).toContain('id="latest-version"');
  });

  it('answers a repeated request with 304 when the ETag matches', async () => {
    const c = server.client();
    const first = await c.get(`/versions/1/items/${encodeURIComponent(code)}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    before = { v1Page: first.text, v1Etag: etag };
    expect((await c.get(`/versions/1/items/${encodeURIComponent(code)}`, { 'if-none-match': etag })).status).toBe(304);
  });

  it('the catalogue on a date goes to the version in force then', async () => {
    const c = server.client();
    const r = await c.get('/versions?date=2026-06-30');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/versions/1');
    const before = await c.get('/versions?date=2025-06-30');
    expect(before.status).toBe(404);
    expect(before.text).toContain('2025-06-30 时还没有施行的目录版本');
    const missing = await c.get('/versions/1/items/NO-SUCH-CODE');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('第 1 版目录中没有这一事项');
  });
});

describe('downloads of a version', () => {
  it('the xlsx and the csv open with exceljs and hold the same items as the version JSON; formulas are inert', async () => {
    const c = server.client();
    const all = (await c.get('/api/v1/versions/1/items?page=1')).json() as { total: number };
    const codes = server.db.$client.prepare('SELECT code FROM revision_spans WHERE from_version <= 1 AND (to_version IS NULL OR to_version > 1) ORDER BY code').pluck().all() as string[];
    expect(codes).toHaveLength(all.total);

    const xlsx = await fetch(`${server.url}/versions/1/download/xlsx`);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const ws = wb.getWorksheet('事项目录')!;
    expect(ws.getRow(1).getCell(1).value).toBe('事项编码');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const xlsxCodes: string[] = [];
    ws.eachRow((row, i) => {
      if (i > 1) xlsxCodes.push(String(row.getCell(1).value));
    });
    expect(xlsxCodes).toEqual(codes);
    let formulas = 0;
    ws.eachRow((row) => row.eachCell((cell) => void (cell.type === ExcelJS.ValueType.Formula && formulas++)));
    expect(formulas).toBe(0);

    const csvBytes = Buffer.from(await (await fetch(`${server.url}/versions/1/download/csv`)).arrayBuffer());
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs to read UTF-8
    const csvText = csvBytes.toString('utf8');
    expect(csvText).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    writeFileSync(join(dir, 'v1.csv'), csvText.slice(1));
    const csvWb = new ExcelJS.Workbook();
    const sheet = await csvWb.csv.readFile(join(dir, 'v1.csv'));
    const csvCodes: string[] = [];
    sheet.eachRow((row, i) => {
      if (i > 1) csvCodes.push(String(row.getCell(1).value));
    });
    expect(csvCodes).toEqual(codes);
  });

  it('json and CPSV-AP JSON-LD carry every item, each a PublicService with its competent authority', async () => {
    const json = (await (await fetch(`${server.url}/versions/1/download/json`)).json()) as { items: { code: string }[] };
    const ld = (await (await fetch(`${server.url}/versions/1/download/jsonld`)).json()) as { '@graph': { '@id': string; '@type': string; hasCompetentAuthority?: string }[] };
    const services = ld['@graph'].filter((n) => n['@type'] === 'PublicService');
    expect(services).toHaveLength(json.items.length);
    const authorities = new Set(ld['@graph'].filter((n) => n['@type'] === 'PublicOrganisation').map((n) => n['@id']));
    for (const s of services) expect(authorities.has(s.hasCompetentAuthority!)).toBe(true);
  });
});

describe('a change through review, published as version 2', () => {
  it('shows on the diff page with its reason, while version 1 still shows what it showed', async () => {
    const db = server.db;
    const review = createReviewRepository(db);
    const dept = user('dept-xzsp');
    const legal = user('legal');
    const expert = user('expert');
    const row = db.$client.prepare('SELECT * FROM items WHERE code = ?').get(code) as Record<string, unknown> & { row_version: number; promised_limit_days: number | null };
    const promised = row.promised_limit_days === 1 ? 2 : 1;
    const edit = saveItemEdit(review, { id: dept.id, name: dept.username }, { role: 'department', departmentId: dept.departmentId }, code, {
      ...readFields(row as never),
      rowVersion: row.row_version,
      promisedLimitDays: promised,
    });
    submitDraft(review, dept, edit.draft!.submissionId, { rowVersion: db.$client.prepare('SELECT row_version FROM submissions WHERE id = ?').pluck().get(edit.draft!.submissionId) });
    const item = () => db.$client.prepare('SELECT id, row_version AS rowVersion FROM submission_items WHERE id = ?').get(edit.draft!.submissionItemId) as { id: number; rowVersion: number };
    decideItems(review, legal, [item()], { disposition: 'retain', reason: '压缩承诺时限，提高办事效率' });
    assignExperts(review, legal, [item()], [expert.id!]);
    recordOpinion(review, expert, item().id, { opinion: 'agree' });
    finaliseItems(review, legal, [item()]);
    const v2 = publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第2版）', effectiveOn: '2026-07-01' });
    expect(v2.changed).toBe(1);

    const c = server.client();
    const diff = await c.get('/versions/1/diff/2');
    expect(diff.text).toContain('id="changed-count">1<');
    expect(diff.text).toContain('压缩承诺时限，提高办事效率');
    expect(diff.text).toContain('承诺时限');
    const json = (await c.get('/api/v1/versions/1/diff/2')).json() as { changed: { code: string; fields: { field: string; after: unknown }[]; decision: { reason: string } }[] };
    expect(json.changed).toEqual([expect.objectContaining({ code, fields: [expect.objectContaining({ field: 'promisedLimitDays', after: promised })], decision: expect.objectContaining({ reason: '压缩承诺时限，提高办事效率' }) })]);
    // The published content is the same; only the list of later versions has grown.
    const article = (html: string) => /<article[\s\S]*<\/article>/.exec(html)![0].replace(/<section id="history">[\s\S]*?<\/section>/, '');
    expect(article((await c.get(`/versions/1/items/${encodeURIComponent(code)}`)).text)).toBe(article(before.v1Page));
    expect(verifyVersion(db, 1).ok).toBe(true);
    // A browser holding version 1's item page from before version 2 must not keep its old history list.
    expect((await c.get(`/versions/1/items/${encodeURIComponent(code)}`, { 'if-none-match': before.v1Etag })).status).toBe(200);
    const history = (await c.get(`/api/v1/versions/2/items/${encodeURIComponent(code)}`)).json() as { history: { fromVersion: number }[] };
    expect(history.history.map((h) => h.fromVersion)).toEqual([1, 2]);
  });
});
