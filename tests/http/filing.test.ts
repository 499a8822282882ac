// The filing record (备案) of a campaign and the delegation and cancellation register, on a small
// campaign made up here: two departments upload, the legal office decides, an expert gives an opinion,
// some decisions are finalised. The page, its JSON twin and the xlsx must say the same.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../db/client.js';
import type { FilingRecord } from '../../db/queries/filing.js';
import { main, type Io } from '../../server/cli.js';
import {
  assignExperts,
  closeExpertReview,
  createCampaign,
  decideItems,
  finaliseItems,
  handleOpinion,
  overrideFlag,
  recordOpinion,
  type Reviewer,
} from '../../server/review/service.js';
import { HEADER, writeWorkbook } from '../support/sheets.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { createReviewRepository, type ReviewRepository } from '../../db/queries/review/index.js';

let dir: string;
let db: Db;
let review: ReviewRepository;
let server: TestServer;
let campaignId: number;
let delegated: string;
let cancelledRsj: string;

const reviewer = (username: string): Reviewer =>
  db.$client.prepare('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?').get(username) as Reviewer;
const current = (id: number) => [{ id, rowVersion: db.$client.prepare('SELECT row_version FROM submission_items WHERE id = ?').pluck().get(id) as number }];
const proposals = (department: string) =>
  db.$client
    .prepare(
      `SELECT si.id, si.kind, si.name FROM submission_items si JOIN submissions s ON s.id = si.submission_id JOIN departments d ON d.id = s.department_id
        WHERE d.code = ? AND s.campaign_id = ? ORDER BY si.id`,
    )
    .all(department, campaignId) as { id: number; kind: string; name: string }[];

async function upload(path: string, department: string, user: string, rows: (string | number)[][]) {
  const sheet = await writeWorkbook(join(dir, `${department}.xlsx`), [{ rows: [HEADER, ...rows] }]);
  const io: Io = { out: () => undefined, err: () => undefined, readStdin: async () => '' };
  expect(await main(['import', sheet, '--department', department, '--user', user, '--complete', '--db', path], io, {})).toBe(0);
}

const fetchBytes = async (c: TestClient, path: string) =>
  fetch(`${server.url}${path}`, { headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'filing-'));
  const path = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), path);
  db = openDatabase(path);
  review = createReviewRepository(db);
  const legal = reviewer('legal');
  campaignId = createCampaign(review, legal, { name: '<b>2026年</b>清理', startsOn: '2026-11-01' });
  const existing = db.$client
    .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1")
    .get() as { code: string; name: string };
  db.$client.close();
  await upload(path, 'XZSPJ', 'dept-xzsp', [
    [1, '', '新设的某某经营许可', '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', ''],
    [2, existing.code, existing.name, '', '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '15个工作日', '10个工作日', '不收费', '身份证', ''],
  ]);
  await upload(path, 'RSJ', 'dept-rsj', [[1, '', '人社新设登记事项', '', '行政确认', '区人社局', '', '', '', '', '', '']]);
  db = openDatabase(path);
  review = createReviewRepository(db);
  const expert = reviewer('expert');

  // 区行政审批局: a new item cancelled (its NO_BASIS flag set aside), an existing one retained with an
  // expert's amendment handled, a third delegated; all three finalised.
  const xzsp = proposals('XZSPJ');
  const fresh = xzsp.find((p) => p.kind === 'new')!;
  decideItems(review, legal, current(fresh.id), { disposition: 'cancel', reason: '没有法律、法规依据', legalGround: '《行政许可法》第十四条' });
  overrideFlag(review, legal, fresh.id, { rule: 'NO_BASIS', reason: '已决定取消，问题已处理' });
  finaliseItems(review, legal, current(fresh.id));

  const changed = xzsp.find((p) => p.kind === 'change')!;
  decideItems(review, legal, current(changed.id), { disposition: 'retain', reason: '依据有效，承诺时限缩短' });
  assignExperts(review, legal, current(changed.id), [expert.id!]);
  recordOpinion(review, expert, changed.id, { opinion: 'amend', notes: '建议写明材料清单' });
  const reviewId = db.$client.prepare('SELECT id FROM expert_reviews WHERE submission_item_id = ?').pluck().get(changed.id) as number;
  handleOpinion(review, legal, reviewId, { handling: '已采纳，补充材料清单' });
  finaliseItems(review, legal, current(changed.id));

  const toDelegate = xzsp.find((p) => p.kind === 'remove')!;
  delegated = toDelegate.name;
  decideItems(review, legal, current(toDelegate.id), { disposition: 'delegate', reason: '便民，下放街道办理', delegateLevel: 'town', delegateBody: '各街道办事处' });
  assignExperts(review, legal, current(toDelegate.id), [expert.id!]);
  closeExpertReview(review, legal, toDelegate.id, { reason: '专家出差', rowVersion: current(toDelegate.id)[0]!.rowVersion });
  finaliseItems(review, legal, current(toDelegate.id));

  // 区人社局: two existing items cancelled, one finalised (so in the register), one only decided.
  const rsjRemovals = proposals('RSJ').filter((p) => p.kind === 'remove');
  cancelledRsj = rsjRemovals[0]!.name;
  decideItems(review, legal, current(rsjRemovals[0]!.id), { disposition: 'cancel', reason: '上级已取消' });
  finaliseItems(review, legal, current(rsjRemovals[0]!.id));
  decideItems(review, legal, current(rsjRemovals[1]!.id), { disposition: 'cancel', reason: '职能已调整' });

  server = await startTestServer(db, { pageSize: 1 });
});
afterAll(async () => {
  await server?.close();
  db?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('filing record', () => {
  it('lists every standing decision and totals them by department and by disposition', async () => {
    const c = server.client();
    await c.login('supervisor');
    const reply = await c.get(`/api/v1/campaigns/${campaignId}/filing`);
    expect(reply.status).toBe(200);
    const record = reply.json<FilingRecord>();
    expect(record.campaign.name).toBe('<b>2026年</b>清理');
    // Undecided proposals (the other removals, the new RSJ item) are not decisions and are not filed.
    expect(record.entries.map((e) => [e.departmentCode, e.disposition, e.state])).toEqual([
      ['RSJ', 'cancel', 'final'],
      ['RSJ', 'cancel', 'decided'],
      ['XZSPJ', 'cancel', 'final'],
      ['XZSPJ', 'retain', 'final'],
      ['XZSPJ', 'delegate', 'final'],
    ]);
    expect(record.totals.items).toBe(5);
    expect(record.totals.finalised).toBe(4);
    const byDisposition = Object.fromEntries(record.totals.byDisposition.filter((d) => d.count).map((d) => [d.disposition, d.count]));
    expect(byDisposition).toEqual({ cancel: 3, retain: 1, delegate: 1 });
    expect(record.totals.byDepartment.map((d) => [d.code, d.total, d.finalised, d.byDisposition.cancel, d.byDisposition.retain, d.byDisposition.delegate])).toEqual([
      ['RSJ', 2, 1, 2, 0, 0],
      ['XZSPJ', 3, 3, 1, 1, 1],
    ]);

    const [, , fresh, retained, delegation] = record.entries;
    expect(fresh).toMatchObject({ itemName: '新设的某某经营许可', kindName: '新增申报', dispositionName: '取消', reason: '没有法律、法规依据', legalGround: '《行政许可法》第十四条', decidedBy: '区司法局（法制）审核员' });
    expect(fresh!.overrides).toEqual([expect.objectContaining({ rule: 'NO_BASIS', reason: '已决定取消，问题已处理', createdBy: '区司法局（法制）审核员' })]);
    expect(retained!.opinions).toEqual([
      expect.objectContaining({ expert: '评审专家', opinion: 'amend', opinionName: '修改后同意', notes: '建议写明材料清单', handling: '已采纳，补充材料清单', handledBy: '区司法局（法制）审核员' }),
    ]);
    expect(retained!.finalisedBy).toBe('区司法局（法制）审核员');
    expect(delegation).toMatchObject({ itemName: delegated, destination: '下放至乡镇（街道）级：各街道办事处', expertReviewClosedReason: '专家出差' });
    expect(delegation!.itemCode).toMatch(/\S/);
  });

  it('the printable page shows the same totals, escapes what people typed and links its JSON and xlsx', async () => {
    const c = server.client();
    await c.login('legal');
    const page = await c.get(`/review/campaigns/${campaignId}/filing`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong id="filing-total">5</strong>');
    expect(page.text).toContain('<strong id="filing-final">4</strong>');
    expect(page.text).toContain('<strong data-disposition="cancel">3</strong>');
    expect(page.text).toMatch(/<tr data-department="XZSPJ"><th scope="row">区行政审批局<\/th>(<td class="num">\d+<\/td>){5}/);
    expect(page.text).not.toContain('<b>2026年</b>');
    expect(page.text).toContain('&lt;b&gt;2026年&lt;/b&gt;清理');
    expect(page.text).toContain(`href="/api/v1/campaigns/${campaignId}/filing"`);
    expect(page.text).toContain(`href="/review/campaigns/${campaignId}/filing.xlsx"`);
    expect(page.text).toContain('修改后同意，建议写明材料清单');
    expect((page.text.match(/<tr data-disposition=/g) ?? []).length).toBe(5);
  });

  it('a supervisor may read it; a department, an expert and the public may not', async () => {
    const supervisor = server.client();
    await supervisor.login('supervisor');
    expect((await supervisor.get(`/review/campaigns/${campaignId}/filing`)).status).toBe(200);
    for (const who of ['dept-xzsp', 'expert']) {
      const c = server.client();
      await c.login(who);
      expect((await c.get(`/review/campaigns/${campaignId}/filing`)).status, who).toBe(403);
      expect((await c.get(`/api/v1/campaigns/${campaignId}/filing`)).status, who).toBe(403);
      expect((await c.get(`/review/campaigns/${campaignId}/filing.xlsx`)).status, who).toBe(403);
    }
    expect((await server.client().get(`/api/v1/campaigns/${campaignId}/filing`)).status).toBe(401);
  });

  it('an unknown campaign is a 404', async () => {
    const c = server.client();
    await c.login('legal');
    expect((await c.get('/review/campaigns/9999/filing')).status).toBe(404);
    expect((await c.get('/api/v1/campaigns/9999/filing')).status).toBe(404);
    expect((await c.get('/review/campaigns/abc/filing.xlsx')).status).toBe(404);
  });

  it('the xlsx opens with a row per decision and a totals sheet matching the JSON', async () => {
    const c = server.client();
    await c.login('supervisor');
    const record = (await c.get(`/api/v1/campaigns/${campaignId}/filing`)).json<FilingRecord>();
    const res = await fetchBytes(c, `/review/campaigns/${campaignId}/filing.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const [decisions, totals] = wb.worksheets;
    expect(decisions!.name).toBe('备案记录');
    expect(decisions!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (decisions!.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 7)).toEqual(['序号', '事项编码', '事项名称', '事项类型', '实施部门', '申报类型', '处理决定']);
    const rows: unknown[][] = [];
    decisions!.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows.map((r) => [r[2], r[4], r[6]])).toEqual(record.entries.map((e) => [e.itemName, e.departmentName, e.dispositionName]));
    const col = (name: string) => header.indexOf(name);
    const retained = rows.find((r) => r[6] === '保留')!;
    expect(retained[col('专家评审意见')]).toBe('评审专家：修改后同意，建议写明材料清单');
    expect(String(retained[col('专家意见处理情况')])).toContain('已采纳，补充材料清单');
    expect(rows.find((r) => r[2] === '新设的某某经营许可')![col('排除的问题标记及理由')]).toBe('NO_BASIS：已决定取消，问题已处理（区司法局（法制）审核员）');

    expect(totals!.name).toBe('汇总');
    const totalHeader = (totals!.getRow(1).values as unknown[]).slice(1);
    const cell = (row: number, name: string) => totals!.getRow(row).getCell(totalHeader.indexOf(name) + 1).value;
    expect(totals!.getRow(2).getCell(1).value).toBe('RSJ');
    expect([cell(2, '取消'), cell(2, '合计'), cell(2, '已定稿')]).toEqual([2, 2, 1]);
    expect(totals!.getRow(3).getCell(1).value).toBe('XZSPJ');
    expect([cell(3, '取消'), cell(3, '保留'), cell(3, '下放'), cell(3, '合计'), cell(3, '已定稿')]).toEqual([1, 1, 1, 3, 3]);
    expect([totals!.getRow(4).getCell(2).value, cell(4, '取消'), cell(4, '合计'), cell(4, '已定稿')]).toEqual(['合计', 3, 5, 4]);
  });
});

describe('delegation and cancellation register', () => {
  it('finds an entry by part of its name and filters by disposition and department', async () => {
    const c = server.client();
    await c.login('supervisor');
    const all = (await c.get('/api/v1/register')).json<{ total: number }>();
    expect(all.total).toBe(2);
    const part = delegated.slice(1, 4);
    const found = (await c.get(`/api/v1/register?q=${encodeURIComponent(part)}`)).json<{ total: number; entries: { itemName: string; disposition: string; destination: string; campaignName: string }[] }>();
    expect(found.entries.map((e) => e.itemName)).toContain(delegated);
    expect(found.entries.find((e) => e.itemName === delegated)).toMatchObject({ disposition: 'delegate', destination: '下放至乡镇（街道）级：各街道办事处', campaignName: '<b>2026年</b>清理' });

    const cancelled = (await c.get('/api/v1/register?disposition=cancel')).json<{ total: number; entries: { itemName: string; disposition: string; departmentCode: string; reason: string }[] }>();
    expect(cancelled.total).toBe(1);
    expect(cancelled.entries).toEqual([expect.objectContaining({ itemName: cancelledRsj, disposition: 'cancel', departmentCode: 'RSJ', reason: '上级已取消' })]);
    expect((await c.get('/api/v1/register?department=RSJ&disposition=delegate')).json<{ total: number }>().total).toBe(0);
    // % and _ are searched as characters.
    expect((await c.get('/api/v1/register?q=%25')).json<{ total: number }>().total).toBe(0);
  });

  it('the page pages, shows the same entries as its JSON twin and links each to its campaign’s filing record', async () => {
    const c = server.client();
    await c.login('legal');
    const first = await c.get('/review/register');
    expect(first.status).toBe(200);
    expect(first.text).toContain('<strong id="total">2</strong>');
    expect(first.text).toContain('href="/review/register?page&#x3D;2"');
    expect(first.text).toContain(`href="/review/campaigns/${campaignId}/filing"`);
    expect(first.text).toContain('注销下放登记</a>');
    const second = (await c.get('/api/v1/register?page=2')).json<{ entries: { itemName: string }[] }>();
    const page2 = await c.get('/review/register?page=2');
    expect(page2.text).toContain(second.entries[0]!.itemName);
    const filtered = await c.get(`/review/register?disposition=delegate&q=${encodeURIComponent(delegated)}`);
    expect(filtered.text).toContain('<strong id="total">1</strong>');
    expect(filtered.text).toContain('<option value="delegate" selected>');
  });

  it('a department may not read the register and sees no link to it', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    expect((await c.get('/review/register')).status).toBe(403);
    expect((await c.get('/api/v1/register')).status).toBe(403);
    expect((await c.get('/workspace')).text).not.toContain('注销下放登记');
  });
});
