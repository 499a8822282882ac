// Public feedback per item: a citizen (no account) leaves a comment, correction or complaint; the legal
// office reads it with the contact, answers, and decides whether the answer is public; public answers
// show under the guide (live and published), never a contact or an address. Throttled per address,
// a honeypot against robots, CSRF as every form; every stored change audited.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR, verifyAuditLog } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { countOpenFeedback } from '../../db/queries/feedback.js';
import { FEEDBACK_THROTTLE } from '../../server/feedback/throttle.js';

let server: TestServer;
let code: string;
const CONTACT = '13912345678';
// Requests come through a trusted local proxy, which names the citizen's address.
beforeAll(async () => {
  server = await startTestServer(demoDb(), { trustProxy: 'loopback' });
  code = server.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
  publishVersion(server.services, SYSTEM_ACTOR, { title: '第1版', effectiveOn: '2026-01-01' });
});
afterAll(() => server.close());

const formPath = () => `/items/${encodeURIComponent(code)}/feedback`;
async function send(client: TestClient, fields: Record<string, string>, address: string, csrf?: string | null) {
  const token = csrf === undefined ? await client.csrfToken(formPath()) : csrf;
  const body = new URLSearchParams({ ...fields, ...(token ? { _csrf: token } : {}) });
  return client.request('POST', formPath(), { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address } });
}
const rows = () => server.db.$client.prepare('SELECT * FROM feedback ORDER BY id').all() as Record<string, any>[];
const audits = (action: string) => server.db.$client.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY seq').all(action) as Record<string, any>[];

describe('a citizen leaves feedback', () => {
  it('without an account: stored with its contact and address, audited without them, acknowledged', async () => {
    const citizen = server.client();
    const reply = await send(citizen, { kind: 'correction', body: '办理地点已搬迁到新政务中心，请更新。', contact: CONTACT }, '203.0.113.7');
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`${formPath()}?sent=1`);
    expect((await citizen.get(reply.location!)).text).toContain('您的留言已收到');
    expect(rows()).toMatchObject([{ item_code: code, kind: 'correction', contact: CONTACT, address: '203.0.113.7', answer: null, answer_public: 0 }]);
    const [entry] = audits('feedback.create');
    expect(entry).toMatchObject({ actor: 'public', entity_type: 'feedback' });
    expect(`${entry!.before}${entry!.after}`).not.toContain(CONTACT);
    expect(`${entry!.before}${entry!.after}`).not.toContain('203.0.113.7');
    expect(countOpenFeedback(server.db)).toBe(1);
  });

  it('an unanswered message waits in the legal office’s inbox on 工作台 and as a badge on 公众留言', async () => {
    const legal = server.client();
    await legal.login('legal');
    const inbox = (await legal.get('/api/v1/inbox')).json<{ items: { key: string; count: number; url: string }[] }>();
    expect(inbox.items.find((r) => r.key === 'openFeedback')).toMatchObject({ count: countOpenFeedback(server.db), url: '/feedback?state=open' });
    const page = (await legal.get('/workspace')).text;
    expect(page).toContain('公众留言待答复');
    const department = server.client();
    await department.login('dept-jt');
    expect((await department.get('/workspace')).text).not.toContain('公众留言待答复');
  });

  it('a filled honeypot is answered as if sent and stores nothing; an empty message is refused, keeping what was typed; no CSRF token, no entry', async () => {
    const before = rows().length;
    const robot = await send(server.client(), { kind: 'comment', body: '广告广告广告广告', website: 'http://spam.example' }, '198.51.100.1');
    expect(robot.status).toBe(303);
    const empty = await send(server.client(), { kind: 'complaint', body: '  ', contact: '我的电话' }, '198.51.100.2');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请填写留言内容。');
    expect(empty.text).toContain('value="我的电话"');
    const forged = await send(server.client(), { kind: 'comment', body: '没有令牌的留言内容' }, '198.51.100.3', null);
    expect(forged.status).toBe(403);
    expect(rows().length).toBe(before);
    expect(audits('feedback.create').length).toBe(1);
  });

  it(`an address sends at most ${FEEDBACK_THROTTLE.perWindow} an hour; the next is refused in Chinese and stores nothing; another address is not held back`, async () => {
    const citizen = server.client();
    for (let i = 0; i < FEEDBACK_THROTTLE.perWindow; i++) expect((await send(citizen, { kind: 'comment', body: `第${i + 1}条测试留言内容` }, '192.0.2.50')).status).toBe(303);
    const before = rows().length;
    const refused = await send(citizen, { kind: 'comment', body: '再来一条测试留言内容' }, '192.0.2.50');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('提交的留言过于频繁');
    expect(refused.text).toContain('再来一条测试留言内容');
    expect(rows().length).toBe(before);
    expect((await send(citizen, { kind: 'comment', body: '另一个地址的留言内容' }, '192.0.2.51')).status).toBe(303);
  });
});

describe('the legal office answers', () => {
  it('sees every feedback with its contact; a department and the public do not', async () => {
    const legal = server.client();
    await legal.login('legal');
    const page = await legal.get('/feedback');
    expect(page.status).toBe(200);
    expect(page.text).toContain('办理地点已搬迁到新政务中心');
    expect(page.text).toContain(CONTACT);
    const json = await legal.get('/api/v1/feedback?state=open');
    expect(json.json<{ total: number }>().total).toBe(countOpenFeedback(server.db));
    const dept = server.client();
    await dept.login('dept-xzsp');
    expect((await dept.get('/feedback')).status).toBe(403);
    expect((await server.client().get('/feedback')).status).not.toBe(200);
  });

  it('a public answer shows under the guide (live and published, past the kept page), the question with it, never the contact or the address', async () => {
    const anonymous = server.client();
    const versionPage = `/versions/1/items/${encodeURIComponent(code)}`;
    const first = await anonymous.get(versionPage); // now kept by the page cache, with its ETag
    expect(first.text).toContain('暂无公开答复');
    const etag = first.headers.get('etag')!;
    const legal = server.client();
    await legal.login('legal');
    const id = rows()[0]!.id as number;
    const answered = await legal.postForm(`/feedback/${id}/answer`, { answer: '已核实，办事指南中的办理地点已更新。', answerPublic: 'on', rowVersion: '1' }, { from: '/feedback' });
    expect(answered.status).toBe(303);
    for (const path of [`/items/${encodeURIComponent(code)}`, versionPage]) {
      const page = (await anonymous.get(path)).text;
      expect(page, path).toContain('已核实，办事指南中的办理地点已更新。');
      expect(page).toContain('办理地点已搬迁到新政务中心');
      expect(page).not.toContain(CONTACT);
      expect(page).not.toContain('203.0.113.7');
    }
    expect((await anonymous.get(versionPage, { 'if-none-match': etag })).status).toBe(200);
    const [entry] = audits('feedback.answer');
    expect(entry).toMatchObject({ actor: 'legal', entity_id: String(id) });
    expect(JSON.parse(entry!.after)).toMatchObject({ answerPublic: true });
    expect(verifyAuditLog(server.db).ok).toBe(true);
  });

  it('an answer kept private is recorded but not shown; answering over a stale version is refused and changes nothing', async () => {
    const legal = server.client();
    await legal.login('legal');
    const second = rows()[1]!;
    expect((await legal.postForm(`/feedback/${second.id}/answer`, { answer: '内部处理：已转交业务科室。', rowVersion: '1' }, { from: '/feedback' })).status).toBe(303);
    expect(rows()[1]).toMatchObject({ answer: '内部处理：已转交业务科室。', answer_public: 0, answered_by: 'legal' });
    expect((await server.client().get(`/items/${encodeURIComponent(code)}`)).text).not.toContain('内部处理');
    const stale = await legal.postForm(`/feedback/${second.id}/answer`, { answer: '另一答复', answerPublic: 'on', rowVersion: '1' }, { from: '/feedback' });
    expect(stale.status).toBe(409);
    expect(rows()[1]).toMatchObject({ answer: '内部处理：已转交业务科室。', answer_public: 0 });
  });

  it('a supervisor reads but cannot answer', async () => {
    const supervisor = server.client();
    await supervisor.login('supervisor');
    const page = await supervisor.get('/feedback?state=all');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('保存答复');
    const id = rows()[2]!.id as number;
    expect((await supervisor.postForm(`/feedback/${id}/answer`, { answer: '越权答复', rowVersion: '1' })).status).toBe(403);
  });
});
