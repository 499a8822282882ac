// Campaigns hold everything: a submission with no campaign open waits, visibly (the department is told,
// the legal office is asked to open one, with the count), and joins the next campaign when it opens —
// with the decisions made on it meanwhile, so the campaign's filing record and register cover them.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';
import { createReviewRepository } from '../../db/queries/review/index.js';
import { saveItemEdit, submitDraft } from '../../server/review/drafts.js';
import { readFields } from '../../server/catalogue/items.js';
import type { Reviewer } from '../../server/review/service.js';

let server: TestServer;
const dir = tempDir('campaign-waiting-');
let legal: TestClient;
let dept: TestClient;
let existing: { code: string; name: string };

const sql = () => server.db.$client;
const row = (name: string) =>
  sql().prepare('SELECT id, state, row_version AS rowVersion, submission_id AS submissionId FROM submission_items WHERE name = ? ORDER BY id DESC LIMIT 1').get(name) as {
    id: number;
    state: string;
    rowVersion: number;
    submissionId: number;
  };
const campaignOf = (submissionId: number) => sql().prepare('SELECT campaign_id FROM submissions WHERE id = ?').pluck().get(submissionId) as number | null;

async function upload(rows: (string | number)[][], file: string) {
  const sheet = await writeWorkbook(join(dir, file), [{ rows: [HEADER, ...rows] }]);
  const reply = await dept.postMultipart('/workspace/imports', { scope: 'partial' }, { name: file, bytes: readFileSync(sheet) });
  expect(reply.status).toBe(303);
  const importId = Number(/(\d+)$/.exec(reply.location!)![1]);
  for (let i = 0; i < 200; i++) {
    if ((await dept.get(`/api/v1/imports/${importId}`)).json().status !== 'reading') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect((await dept.postForm(`/workspace/imports/${importId}/confirm`, {})).status).toBe(303);
}

beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(dir, 'uploads') });
  legal = server.client();
  await legal.login('legal');
  dept = server.client();
  await dept.login('dept-xzsp');
  existing = sql()
    .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL AND i.parent_id IS NULL ORDER BY i.id LIMIT 1")
    .get() as typeof existing;
  expect(sql().prepare('SELECT count(*) FROM campaigns').pluck().get()).toBe(0);
  await upload(
    [
      [1, existing.code, existing.name, '', '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '20个工作日', '', '不收费', '', ''],
      [2, '', '等待期间新设的登记', '', '行政确认', '区行政审批局', '', '', '', '', '', ''],
    ],
    'waiting.xlsx',
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a submission with no campaign open', () => {
  it('waits visibly: the department is told it waits for the clean-up to start; the legal office is asked to open a campaign, with the count waiting', async () => {
    const submissionId = row(existing.name).submissionId;
    expect(campaignOf(submissionId)).toBeNull();
    const list = await dept.get('/review/submissions');
    expect(list.text).toContain('id="waiting-for-campaign"');
    expect(list.text).toContain('等待清理工作开始');
    expect((await dept.get('/api/v1/submissions')).json().submissions[0]).toMatchObject({ id: submissionId, waitingForCampaign: true });
    expect((await dept.get(`/review/submissions/${submissionId}`)).text).toContain('id="submission-waiting"');
    for (const path of ['/review/campaigns', '/review/queue', '/review/submissions']) {
      const page = await legal.get(path);
      expect(page.text, path).toContain('有 1 份申报正在等待清理工作开始');
      expect(page.text, path).toContain('data-count="1"');
    }
  });

  it('joins the next campaign when it opens, with the decisions made on it meanwhile: the filing record and the register cover them', async () => {
    // The legal office cancels the existing item and finalises it while no campaign is open.
    const changed = row(existing.name);
    expect((await legal.postForm(`/review/items/${changed.id}/decide`, { rowVersion: String(changed.rowVersion), disposition: 'cancel', reason: '上位法已取消该审批' })).status).toBe(303);
    expect((await legal.postForm(`/review/items/${changed.id}/finalise`, { rowVersion: String(row(existing.name).rowVersion) })).status).toBe(303);
    expect(sql().prepare('SELECT campaign_id FROM register_entries WHERE submission_item_id = ?').pluck().get(changed.id)).toBeNull();

    expect((await legal.postForm('/review/campaigns', { name: '2027年清理', startsOn: '2027-01-01' })).status).toBe(303);
    const campaignId = sql().prepare('SELECT id FROM campaigns').pluck().get() as number;
    expect(campaignOf(changed.submissionId)).toBe(campaignId);
    expect(sql().prepare('SELECT campaign_id FROM register_entries WHERE submission_item_id = ?').pluck().get(changed.id)).toBe(campaignId);
    const audit = sql().prepare("SELECT after FROM audit_log WHERE action = 'campaign.create'").pluck().get() as string;
    expect(JSON.parse(audit).joined).toEqual([changed.submissionId]);

    const record = (await legal.get(`/api/v1/campaigns/${campaignId}/filing`)).json() as { entries: { itemName: string; disposition: string; state: string }[] };
    expect(record.entries).toEqual([expect.objectContaining({ itemName: existing.name, disposition: 'cancel', state: 'final' })]);
    const campaign = (await legal.get(`/api/v1/campaigns/${campaignId}`)).json() as { missing: string[] };
    expect(campaign.missing).not.toContain('XZSPJ');
    expect((await legal.get('/review/register?department=XZSPJ')).text).toContain(`/review/campaigns/${campaignId}/filing`);
    // Nothing waits any more.
    expect((await dept.get('/review/submissions')).text).not.toContain('id="waiting-for-campaign"');
    expect((await legal.get('/review/campaigns')).text).not.toContain('id="waiting-for-campaign"');
  });

  it('while a campaign is open a submission joins it; a draft begun in an earlier campaign joins the one open when it is submitted', async () => {
    const review = createReviewRepository(server.db);
    const user = (u: string) => sql().prepare('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?').get(u) as Reviewer;
    const d = user('dept-xzsp');
    const first = sql().prepare('SELECT id FROM campaigns').pluck().get() as number;
    const item = sql()
      .prepare("SELECT i.* FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL AND i.parent_id IS NULL ORDER BY i.id LIMIT 1 OFFSET 3")
      .get() as Record<string, unknown> & { code: string; row_version: number };
    const edit = saveItemEdit(review, { id: d.id, name: d.username }, { role: 'department', departmentId: d.departmentId }, item.code, {
      ...readFields(item as never),
      rowVersion: item.row_version,
      remarks: '草稿中的修改',
    });
    expect((await legal.postForm(`/review/campaigns/${first}/close`, {})).status).toBe(303);
    expect((await legal.postForm('/review/campaigns', { name: '2027年第二轮清理', startsOn: '2027-06-01' })).status).toBe(303);
    const second = sql().prepare('SELECT max(id) FROM campaigns').pluck().get() as number;
    submitDraft(review, d, edit.draft!.submissionId, { rowVersion: sql().prepare('SELECT row_version FROM submissions WHERE id = ?').pluck().get(edit.draft!.submissionId) });
    expect(campaignOf(edit.draft!.submissionId)).toBe(second);
    await upload([[1, '', '开放期间新设的登记', '', '行政确认', '区行政审批局', '', '', '', '', '', '']], 'open.xlsx');
    expect(campaignOf(row('开放期间新设的登记').submissionId)).toBe(second);
  });
});
