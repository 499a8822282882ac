// The review workflow over HTTP with the demo accounts: who sees what, decisions with reasons,
// returns and answers, expert opinions, optimistic versions, and no skipped states.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';

let server: TestServer;
const dir = tempDir('review-http-');
let legal: TestClient;
let dept: TestClient;
let expert: TestClient;
let existing: { code: string; name: string };

const items = () =>
  server.db.$client.prepare('SELECT id, kind, name, state, row_version AS rowVersion FROM submission_items ORDER BY id').all() as {
    id: number;
    kind: string;
    name: string;
    state: string;
    rowVersion: number;
  }[];
const named = (name: string) => items().find((i) => i.name === name)!;

beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(dir, 'uploads') });
  legal = server.client();
  await legal.login('legal');
  dept = server.client();
  await dept.login('dept-xzsp');
  expert = server.client();
  await expert.login('expert');
  existing = server.db.$client
    .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1")
    .get() as typeof existing;
  expect((await legal.postForm('/review/campaigns', { name: '2026年行政权力清单清理', startsOn: '2026-11-01', dueOn: '2026-12-31' })).status).toBe(303);
  const sheet = await writeWorkbook(join(dir, 'xzsp.xlsx'), [
    {
      rows: [
        ['区行政审批局行政权力清单'],
        HEADER,
        [1, '', '新设的某某经营许可', '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', ''],
        [2, existing.code, existing.name, '', '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '15个工作日', '10个工作日', '不收费', '身份证', ''],
        [3, '', '另一个新设事项登记', '', '行政确认', '区行政审批局', '《中华人民共和国道路运输条例》第二十四条', '', '', '', '', ''],
      ],
    },
  ]);
  // The department's complete list: the items it lacks are proposed for cancellation.
  const upload = await dept.postMultipart('/workspace/imports', { scope: 'complete' }, { name: 'xzsp.xlsx', bytes: readFileSync(sheet) });
  expect(upload.status).toBe(303);
  const importId = Number(/(\d+)$/.exec(upload.location!)![1]);
  for (let i = 0; i < 200; i++) {
    if ((await dept.get(`/api/v1/imports/${importId}`)).json().status !== 'reading') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect((await dept.postForm(`/workspace/imports/${importId}/confirm`, { confirmCancellations: '1' })).status).toBe(303);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('who sees what', () => {
  it("a department sees its own submission with the campaign's deadline; another department cannot open it or its items", async () => {
    const list = await dept.get('/review/submissions');
    expect(list.text).toContain('2026年行政权力清单清理');
    expect(list.text).toContain('2026-12-31');
    const submissionId = server.db.$client.prepare('SELECT id FROM submissions ORDER BY id DESC LIMIT 1').pluck().get() as number;
    const own = await dept.get(`/review/submissions/${submissionId}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('撤回申报（法制办尚未开始审核）'); // nobody has started on it yet
    const other = server.client();
    await other.login('dept-rsj');
    expect((await other.get(`/review/submissions/${submissionId}`)).status).toBe(404);
    expect((await other.get(`/review/items/${named('新设的某某经营许可').id}`)).status).toBe(404);
    expect((await other.get('/api/v1/submissions')).json().submissions).toEqual([]);
    expect((await other.get('/api/v1/review/queue')).json().items).toEqual([]);
  });

  it('the legal office sees which departments have not submitted', async () => {
    const campaignId = server.db.$client.prepare('SELECT id FROM campaigns').pluck().get() as number;
    const page = await legal.get(`/review/campaigns/${campaignId}`);
    expect(page.text).toContain('id="missing"');
    const json = (await legal.get(`/api/v1/campaigns/${campaignId}`)).json() as { missing: string[] };
    expect(json.missing).toContain('RSJ');
    expect(json.missing).not.toContain('XZSPJ');
  });

  it('the queue filters by flag: the proposal without a basis is listed under NO_BASIS', async () => {
    const page = await legal.get('/review/queue?rule=NO_BASIS');
    expect(page.text).toContain('新设的某某经营许可');
    expect(page.text).not.toContain('另一个新设事项登记');
  });
});

describe('decisions', () => {
  it('the legal office cancels the NO_BASIS item with a reason from the item page', async () => {
    const fresh = named('新设的某某经营许可');
    const page = await legal.get(`/review/items/${fresh.id}`);
    expect(page.text).toContain('NO_BASIS');
    const reply = await legal.postForm(`/review/items/${fresh.id}/decide`, { rowVersion: String(fresh.rowVersion), disposition: 'cancel', reason: '没有法律、法规依据' });
    expect(reply.status).toBe(303);
    expect(named('新设的某某经营许可').state).toBe('decided');
  });

  it('of two reviewers saving the same version, the second is told and nothing of the first is lost', async () => {
    const changed = named(existing.name);
    const other = server.client();
    await other.login('admin');
    const first = await legal.postForm(`/review/items/${changed.id}/decide`, { rowVersion: String(changed.rowVersion), disposition: 'retain', reason: '依据有效' });
    expect(first.status).toBe(303);
    const second = await other.postForm(`/review/items/${changed.id}/decide`, { rowVersion: String(changed.rowVersion), disposition: 'cancel', reason: '另一意见' });
    expect(second.status).toBe(409);
    expect(second.text).toContain('已被他人处理');
    expect(server.db.$client.prepare('SELECT disposition, reason FROM submission_items WHERE id = ?').get(changed.id)).toEqual({ disposition: 'retain', reason: '依据有效' });
  });

  it('no role can skip a state: finalising an item that needs experts, answering an item not returned, a department deciding', async () => {
    const changed = named(existing.name);
    expect((await legal.postForm(`/review/items/${changed.id}/finalise`, { rowVersion: String(changed.rowVersion) })).status).toBe(409);
    const other = named('另一个新设事项登记');
    expect((await dept.postForm(`/review/items/${other.id}/answer`, { rowVersion: String(other.rowVersion), answer: 'x' })).status).toBe(409);
    expect((await dept.postForm(`/review/items/${other.id}/decide`, { rowVersion: String(other.rowVersion), disposition: 'new', reason: 'x' })).status).toBe(403);
    expect(named('另一个新设事项登记').state).toBe('submitted');
  });

  it('returns an item; the department answers; it comes back for review', async () => {
    const other = named('另一个新设事项登记');
    expect((await legal.postForm(`/review/items/${other.id}/return`, { rowVersion: String(other.rowVersion), request: '请补充设定依据的条款项' })).status).toBe(303);
    const page = await dept.get(`/review/items/${other.id}`);
    expect(page.text).toContain('请补充设定依据的条款项');
    expect(page.text).toContain('id="answer-form"');
    const returned = named('另一个新设事项登记');
    expect((await dept.postForm(`/review/items/${other.id}/answer`, { rowVersion: String(returned.rowVersion), answer: '依据为第十二条第一项' })).status).toBe(303);
    expect(named('另一个新设事项登记').state).toBe('resubmitted');
    const submissionId = server.db.$client.prepare('SELECT id FROM submissions ORDER BY id DESC LIMIT 1').pluck().get() as number;
    expect((await dept.get(`/review/submissions/${submissionId}`)).text).not.toContain('撤回申报（法制办尚未开始审核）');
  });
});

describe('expert review', () => {
  it('an expert sees only the items assigned to them and records an opinion; then the legal office finalises', async () => {
    const changed = named(existing.name);
    const expertId = server.db.$client.prepare("SELECT id FROM users WHERE username = 'expert'").pluck().get() as number;
    expect((await expert.get(`/review/items/${changed.id}`)).status).toBe(404);
    expect((await legal.postForm(`/review/items/${changed.id}/experts`, { rowVersion: String(changed.rowVersion), expert: String(expertId) })).status).toBe(303);
    const queue = (await expert.get('/api/v1/review/queue')).json() as { items: { id: number }[] };
    expect(queue.items.map((i) => i.id)).toEqual([changed.id]);
    expect((await expert.get(`/review/items/${named('新设的某某经营许可').id}`)).status).toBe(404);
    const page = await expert.get(`/review/items/${changed.id}`);
    expect(page.text).toContain('id="opinion-form"');
    // While the expert has not answered, the legal office is told why it cannot finalise yet.
    const waiting = await legal.get(`/review/items/${changed.id}`);
    expect(waiting.text).toContain('id="finalise-blocked"');
    expect(waiting.text).toContain('1 位专家尚未提出意见');
    expect(waiting.text).not.toContain('id="finalise-form"');
    expect((await expert.postForm(`/review/items/${changed.id}/opinion`, { opinion: 'agree', notes: '' })).status).toBe(303);
    expect((await legal.get(`/review/items/${changed.id}`)).text).toContain('id="finalise-form"');
    const ready = named(existing.name);
    expect((await legal.postForm(`/review/items/${changed.id}/finalise`, { rowVersion: String(ready.rowVersion) })).status).toBe(303);
    expect(server.db.$client.prepare('SELECT promised_limit_days FROM items WHERE code = ?').pluck().get(existing.code)).toBe(10);
    const final = await legal.get(`/review/items/${changed.id}`);
    expect(final.text).toContain('提出评审意见');
    expect(final.text).toContain('定稿');
  });

  it('the supervisor reads an item and its timeline but gets no forms', async () => {
    const sup = server.client();
    await sup.login('supervisor');
    const page = await sup.get(`/review/items/${named(existing.name).id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="timeline"');
    expect(page.text).not.toContain('id="decide-form"');
  });
});

describe('bulk decisions', () => {
  it('all NO_BASIS items of a department cancelled at once with one reason, each recorded', async () => {
    // The department's other items were proposed for removal by the upload; take two of them.
    const removals = items().filter((i) => i.kind === 'remove' && i.state === 'submitted').slice(0, 2);
    const reply = await legal.postForm('/review/queue/actions', {
      action: 'decide',
      item: removals.map((r) => `${r.id}:${r.rowVersion}`),
      disposition: 'cancel',
      reason: '上级已取消，同步取消',
      back: '/review/queue',
    });
    expect(reply.status).toBe(303);
    for (const r of removals) expect(items().find((i) => i.id === r.id)!.state).toBe('decided');
    const decisions = server.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'review.decide' AND after LIKE '%上级已取消，同步取消%'").pluck().get();
    expect(decisions).toBe(2);
  });
});
