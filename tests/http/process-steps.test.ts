// Process steps (办理流程) end to end: parsed and stored whenever an item's text is written (item form,
// finalised proposal, import), shown as a numbered list on the item page and as a preview under the
// form's text, seen by the checks; `catalogue check` fills the steps of items kept before.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { tempDir, writeWorkbook } from '../support/sheets.js';
import { main, type Io } from '../../server/cli.js';
import { openDatabase } from '../../db/client.js';
import { itemFormOf } from '../support/forms.js';

let server: TestServer;
const dir = tempDir('process-steps-http-');
let admin: TestClient;
let code: string;

beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(dir, 'uploads') });
  admin = server.client();
  await admin.login('admin');
  code = server.db.$client
    .prepare("SELECT i.code FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.category = 'permit' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1")
    .pluck()
    .get() as string;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const stepsOf = (c: string) =>
  server.db.$client
    .prepare('SELECT s.seq, s.name, s.post, s.limit_days AS limitDays FROM process_steps s JOIN items i ON i.id = s.item_id WHERE i.code = ? ORDER BY s.seq')
    .all(c) as { seq: number; name: string; post: string | null; limitDays: number | null }[];
// The working catalogue, as staff read it (visitors get the published version).
const itemJson = async (c: string) => (await admin.get(`/api/v1/items/${encodeURIComponent(c)}`)).json<Record<string, any>>();
const formOf = itemFormOf;

const THREE_POSTS = '1.受理（综合窗口，即时）\n2.审查（科员，2个工作日）\n3.审核（科长，1个工作日）\n4.审批（分管局长，1个工作日）\n5.送达（综合窗口，1个工作日）';

describe('the demo district shows its items’ steps', () => {
  it('every demo item with a step list has its steps stored at seeding', () => {
    const missing = server.db.$client
      .prepare("SELECT count(*) FROM items i WHERE i.process_text LIKE '%→%' AND NOT EXISTS (SELECT 1 FROM process_steps s WHERE s.item_id = i.id)")
      .pluck()
      .get();
    expect(missing).toBe(0);
    const text = server.db.$client.prepare('SELECT process_text FROM items WHERE code = ?').pluck().get(code) as string;
    expect(stepsOf(code).map((s) => s.name)).toEqual(text.split('→'));
  });

  it('the item page lists the steps in order, numbered, and its JSON twin carries them', async () => {
    const page = await admin.get(`/items/${encodeURIComponent(code)}`);
    expect(page.text).toMatch(/<section id="process-steps"><h3>办理流程<\/h3><ol class="steps"><li><span class="step-name">受理<\/span><\/li><li><span class="step-name">审查<\/span><\/li>/);
    expect((await itemJson(code)).steps.map((s: { name: string }) => s.name)).toEqual(stepsOf(code).map((s) => s.name));
  });
});

describe('an admin edits the 办理流程 text in the item form', () => {
  it('the form shows the steps the text gives under it, without JavaScript', async () => {
    const form = await admin.get(`/workspace/items/${encodeURIComponent(code)}/edit`);
    expect(form.text).toContain('<textarea id="f-process" name="processText"');
    expect(form.text).toContain('id="steps-preview"');
    expect(form.text).toMatch(/<tr><td>1<\/td><td>受理<\/td><td><span class="muted">未写明<\/span><\/td>/);
  });

  it('saving replaces the stored steps with the new text’s, with posts and limits; the item page shows them', async () => {
    const before = await itemJson(code);
    const reply = await admin.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(before, { processText: THREE_POSTS, promisedLimitDays: '5', statutoryLimitDays: '20' }));
    expect(reply.status).toBe(303);
    expect(stepsOf(code)).toEqual([
      { seq: 1, name: '受理', post: '综合窗口', limitDays: 0 },
      { seq: 2, name: '审查', post: '科员', limitDays: 2 },
      { seq: 3, name: '审核', post: '科长', limitDays: 1 },
      { seq: 4, name: '审批', post: '分管局长', limitDays: 1 },
      { seq: 5, name: '送达', post: '综合窗口', limitDays: 1 },
    ]);
    const page = await admin.get(`/items/${encodeURIComponent(code)}`);
    expect(page.text).toContain('<li><span class="step-name">受理</span><span class="step-post">岗位：综合窗口</span><span class="step-limit">时限：当日办结</span></li>');
    expect(page.text).toContain('<li><span class="step-name">审查</span><span class="step-post">岗位：科员</span><span class="step-limit">时限：2 个工作日</span></li>');
    // The form shows what the text gives: posts and limits in the preview table.
    const form = await admin.get(`/workspace/items/${encodeURIComponent(code)}/edit`);
    expect(form.text).toContain('<tr><td>4</td><td>审批</td><td>分管局长</td><td>1 个工作日</td></tr>');
    // The change is audited as the text it is.
    const audit = server.db.$client.prepare("SELECT after FROM audit_log WHERE entity_type = 'item' AND entity_id = ? ORDER BY seq DESC LIMIT 1").pluck().get(code) as string;
    expect(JSON.parse(audit).processText).toBe(THREE_POSTS);
  });

  it('the checks see the steps: three review posts raise TOO_MANY_REVIEW_POSTS on the item page', async () => {
    const page = await admin.get(`/items/${encodeURIComponent(code)}`);
    expect(page.text).toContain('TOO_MANY_REVIEW_POSTS');
    expect(page.text).toContain('由3个岗位审核把关：科员（审查）、科长（审核）、分管局长（审批）');
  });

  it('steps adding up to more than the promised limit raise STEP_LIMITS_EXCEED_ITEM_LIMIT', async () => {
    const before = await itemJson(code);
    await admin.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(before, { promisedLimitDays: '4' }));
    const page = await admin.get(`/items/${encodeURIComponent(code)}`);
    expect(page.text).toContain('STEP_LIMITS_EXCEED_ITEM_LIMIT');
    expect(page.text).toContain('各环节时限合计5个工作日');
  });

  it('a text that is not a step list leaves no steps, and the form says so', async () => {
    const before = await itemJson(code);
    await admin.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(before, { processText: '按照相关规定办理' }));
    expect(stepsOf(code)).toEqual([]);
    const page = await admin.get(`/items/${encodeURIComponent(code)}`);
    expect(page.text).toContain('<section><h3>办理流程</h3><p>按照相关规定办理</p></section>');
    const form = await admin.get(`/workspace/items/${encodeURIComponent(code)}/edit`);
    expect(form.text).toContain('这段文字不是按环节分开的流程');
  });

  it('a save refused for another field shows the typed text’s steps and stores nothing', async () => {
    const before = await itemJson(code);
    const reply = await admin.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(before, { processText: '受理→审核（科长，3个工作日）→办结', promisedLimitDays: '十天' }));
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('<tr><td>2</td><td>审核</td><td>科长</td><td>3 个工作日</td></tr>');
    expect(stepsOf(code)).toEqual([]);
  });
});

describe('a department’s change reaches the steps when the legal office finalises it', () => {
  it('the proposal is checked with its steps; the catalogue’s steps change only at finalising', async () => {
    const other = server.db.$client
      .prepare("SELECT i.code FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.category = 'permit' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1 OFFSET 1")
      .pluck()
      .get() as string;
    const stored = stepsOf(other);
    const dept = server.client();
    await dept.login('dept-xzsp');
    const before = await itemJson(other);
    expect((await dept.postForm(`/workspace/items/${encodeURIComponent(other)}`, formOf(before, { processText: THREE_POSTS }))).status).toBe(303);
    expect(stepsOf(other)).toEqual(stored);
    const draft = server.db.$client
      .prepare(
        `SELECT si.id, s.id AS submissionId, s.row_version AS rowVersion FROM submission_items si JOIN submissions s ON s.id = si.submission_id JOIN items i ON i.id = si.item_id
          WHERE i.code = ? AND s.source = 'form' ORDER BY si.id DESC LIMIT 1`,
      )
      .get(other) as { id: number; submissionId: number; rowVersion: number };
    expect((await dept.postForm(`/review/submissions/${draft.submissionId}/submit`, { rowVersion: String(draft.rowVersion) })).status).toBe(303);
    const flags = server.db.$client.prepare('SELECT flags FROM submission_items WHERE id = ?').pluck().get(draft.id) as string;
    expect(flags).toContain('TOO_MANY_REVIEW_POSTS');

    const legal = server.client();
    await legal.login('legal');
    const version = () => server.db.$client.prepare('SELECT row_version FROM submission_items WHERE id = ?').pluck().get(draft.id) as number;
    const expertId = server.db.$client.prepare("SELECT id FROM users WHERE username = 'expert'").pluck().get() as number;
    expect((await legal.postForm(`/review/items/${draft.id}/decide`, { rowVersion: String(version()), disposition: 'retain', reason: '依据有效，流程待压缩' })).status).toBe(303);
    expect((await legal.postForm(`/review/items/${draft.id}/experts`, { rowVersion: String(version()), expert: String(expertId) })).status).toBe(303);
    expect((await legal.postForm(`/review/items/${draft.id}/close-experts`, { rowVersion: String(version()), reason: '流程调整，无须等待' })).status).toBe(303);
    expect(stepsOf(other)).toEqual(stored);
    expect((await legal.postForm(`/review/items/${draft.id}/finalise`, { rowVersion: String(version()) })).status).toBe(303);
    expect(stepsOf(other).map((s) => [s.name, s.post, s.limitDays])).toEqual([
      ['受理', '综合窗口', 0],
      ['审查', '科员', 2],
      ['审核', '科长', 1],
      ['审批', '分管局长', 1],
      ['送达', '综合窗口', 1],
    ]);
  });
});

describe('an imported 办理流程 column', () => {
  it('the preview checks each row’s steps, and confirmed new and changed items get their steps at finalising', async () => {
    const dept = server.client();
    await dept.login('dept-xzsp');
    const existing = server.db.$client
      .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.category = 'permit' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1 OFFSET 2")
      .get() as { code: string; name: string };
    const header = ['序号', '事项编码', '事项名称', '事项类型', '实施主体', '设定依据', '法定时限', '承诺时限', '办理流程'];
    const sheet = await writeWorkbook(join(dir, 'steps.xlsx'), [
      {
        rows: [
          header,
          [1, '', '新设的某某流程许可', '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '20个工作日', '3个工作日', '窗口受理→初审→复审→局长审批→窗口发证'],
          [2, existing.code, existing.name, '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '20个工作日', '5个工作日', '1.受理（窗口，即时）2.审核（科长，2个工作日）3.审批（局长，1个工作日）4.送达（窗口）'],
        ],
      },
    ]);
    const upload = await dept.postMultipart('/workspace/imports', {}, { name: 'steps.xlsx', bytes: readFileSync(sheet) });
    expect(upload.status).toBe(303);
    const importId = Number(/(\d+)$/.exec(upload.location!)![1]);
    for (let i = 0; i < 200; i++) {
      if ((await dept.get(`/api/v1/imports/${importId}`)).json().status !== 'reading') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const rows = server.db.$client.prepare('SELECT name, flags FROM import_rows WHERE import_id = ? ORDER BY row_number').all(importId) as { name: string; flags: string | null }[];
    expect(rows[0]!.flags).toContain('TOO_MANY_REVIEW_POSTS');
    expect(rows[1]!.flags ?? '').not.toContain('TOO_MANY_REVIEW_POSTS');
    expect((await dept.postForm(`/workspace/imports/${importId}/confirm`, {})).status).toBe(303);

    const legal = server.client();
    await legal.login('legal');
    const expertId = server.db.$client.prepare("SELECT id FROM users WHERE username = 'expert'").pluck().get() as number;
    const proposals = server.db.$client
      .prepare("SELECT si.id, si.kind FROM submission_items si WHERE si.name IN ('新设的某某流程许可', ?) AND si.state = 'submitted' ORDER BY si.id")
      .all(existing.name) as { id: number; kind: string }[];
    expect(proposals.map((p) => p.kind).sort()).toEqual(['change', 'new']);
    for (const p of proposals) {
      const version = () => server.db.$client.prepare('SELECT row_version FROM submission_items WHERE id = ?').pluck().get(p.id) as number;
      const disposition = p.kind === 'new' ? 'new' : 'retain';
      expect((await legal.postForm(`/review/items/${p.id}/decide`, { rowVersion: String(version()), disposition, reason: '依据有效' })).status).toBe(303);
      expect((await legal.postForm(`/review/items/${p.id}/experts`, { rowVersion: String(version()), expert: String(expertId) })).status).toBe(303);
      expect((await legal.postForm(`/review/items/${p.id}/close-experts`, { rowVersion: String(version()), reason: '测试' })).status).toBe(303);
      expect((await legal.postForm(`/review/items/${p.id}/finalise`, { rowVersion: String(version()) })).status).toBe(303);
    }
    const created = server.db.$client.prepare("SELECT code FROM items WHERE name = '新设的某某流程许可'").pluck().get() as string;
    expect(stepsOf(created).map((s) => [s.name, s.post])).toEqual([
      ['受理', '窗口'],
      ['初审', null],
      ['复审', null],
      ['审批', '局长'],
      ['发证', '窗口'],
    ]);
    // The import dropped the leading "1." (it strips a list marker); the steps are still four.
    expect(stepsOf(existing.code).map((s) => [s.name, s.post, s.limitDays])).toEqual([
      ['受理', '窗口', 0],
      ['审核', '科长', 2],
      ['审批', '局长', 1],
      ['送达', '窗口', null],
    ]);
  });
});

describe('catalogue check fills the steps of items kept before steps were stored', () => {
  it('an item without stored steps gets them from its text; items that have them keep them', async () => {
    const path = join(dir, 'check.db');
    copyFileSync(inject('demoDbPath'), path);
    const before = openDatabase(path);
    const total = before.$client.prepare('SELECT count(*) FROM process_steps').pluck().get() as number;
    expect(total).toBeGreaterThan(1000);
    before.$client.prepare('DELETE FROM process_steps').run();
    before.$client.close();
    const io: Io = { out: () => {}, err: () => {}, readStdin: async () => '' };
    expect(await main(['check', '--json', '--db', path], io, {})).toBe(0);
    const after = openDatabase(path);
    expect(after.$client.prepare('SELECT count(*) FROM process_steps').pluck().get()).toBe(total);
    after.$client.close();
  });

  it('a baseline import writes the steps of the items it creates', async () => {
    const path = join(dir, 'baseline.db');
    copyFileSync(inject('demoDbPath'), path);
    const csv = join(dir, 'baseline.csv');
    writeFileSync(csv, '事项名称,事项类型,实施主体,设定依据,法定时限,办理流程\n基线导入的某某许可,行政许可,区行政审批局,《中华人民共和国行政许可法》第十二条,20个工作日,受理、审核、审批、办结\n');
    const io: Io = { out: () => {}, err: () => {}, readStdin: async () => '' };
    expect(await main(['import', csv, '--baseline', '--department', 'XZSPJ', '--user', 'admin', '--db', path], io, {})).toBe(0);
    const db = openDatabase(path);
    const steps = db.$client
      .prepare("SELECT s.name FROM process_steps s JOIN items i ON i.id = s.item_id WHERE i.name = '基线导入的某某许可' ORDER BY s.seq")
      .pluck()
      .all();
    db.$client.close();
    expect(steps).toEqual(['受理', '审核', '审批', '办结']);
  });
});
