// Editing items through the form: a department's save is a proposal in its draft submission (the
// catalogue changes only after review); an admin corrects directly; stale saves are refused; all audited.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { verifyAuditLog } from '../../db/audit.js';
import { itemFormOf } from '../support/forms.js';

let server: TestServer;
let code: string;
let otherCode: string;
beforeAll(async () => {
  server = await startTestServer(demoDb());
  const first = (dept: string) =>
    (server.db.$client.prepare('SELECT i.code FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = ? ORDER BY i.id LIMIT 1').get(dept) as {
      code: string;
    }).code;
  code = first('XZSPJ');
  otherCode = first('RSJ');
});
afterAll(() => server.close());

/** The working catalogue's item, as staff read it (anonymous visitors get the published version). */
const item = async (c: string) => {
  const reader = server.client();
  await reader.login('supervisor');
  return (await reader.get(`/api/v1/items/${encodeURIComponent(c)}`)).json<Record<string, any>>();
};
const formOf = itemFormOf;
const auditFor = (c: string) =>
  server.db.$client.prepare("SELECT * FROM audit_log WHERE entity_type = 'item' AND entity_id = ? ORDER BY seq").all(c) as Record<string, any>[];

const draftOf = (c: string) =>
  server.db.$client
    .prepare(
      `SELECT si.id, si.state, si.changes, s.id AS submissionId, s.state AS submissionState, s.department_id AS departmentId, s.row_version AS rowVersion
         FROM submission_items si JOIN submissions s ON s.id = si.submission_id JOIN items i ON i.id = si.item_id
        WHERE i.code = ? AND s.source = 'form' ORDER BY si.id DESC LIMIT 1`,
    )
    .get(c) as { id: number; state: string; changes: string; submissionId: number; submissionState: string; departmentId: number; rowVersion: number } | undefined;

describe('a department edits through the form: a proposal for review, not a change', () => {
  it("a department's save goes into its draft submission with the changed fields; the catalogue is unchanged; the proposal is audited", async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const before = await item(code);
    const reply = await c.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(before, { promisedLimitDays: '3', materials: '1. 申请表\n2. 营业执照' }));
    expect(reply.status).toBe(303);
    expect(reply.location).toMatch(/draft=\d+/);
    expect(await item(code)).toEqual(before);
    const draft = draftOf(code)!;
    expect(draft).toMatchObject({ state: 'draft', submissionState: 'draft' });
    expect(JSON.parse(draft.changes).map((ch: { field: string }) => ch.field)).toEqual(['promisedLimitDays', 'materials']);
    const [entry] = auditFor(code).slice(-1);
    expect(entry).toMatchObject({ actor: 'dept-xzsp', action: 'item.propose' });
    expect(JSON.parse(entry!.before)).toEqual({ promisedLimitDays: before.promisedLimitDays, materials: before.materials });
    expect(JSON.parse(entry!.after)).toMatchObject({ promisedLimitDays: 3, materials: '1. 申请表\n2. 营业执照' });
    expect(verifyAuditLog(server.db).ok).toBe(true);
    // The form shows the draft's values, saying so.
    const form = await c.get(`/workspace/items/${encodeURIComponent(code)}/edit`);
    expect(form.text).toContain('草稿申报中的修改');
    expect(form.text).toMatch(/id="f-promised"[^>]*value="3"/);
  });

  it('saving again updates the same draft proposal; submitting sends it to the legal office, checked', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const before = await item(code);
    await c.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(before, { promisedLimitDays: '2' }));
    const draft = draftOf(code)!;
    expect(JSON.parse(draft.changes)).toEqual([{ field: 'promisedLimitDays', label: '承诺时限', before: before.promisedLimitDays, after: 2 }]);
    expect(server.db.$client.prepare('SELECT count(*) FROM submission_items WHERE submission_id = ?').pluck().get(draft.submissionId)).toBe(1);
    const submitted = await c.postForm(`/review/submissions/${draft.submissionId}/submit`, { rowVersion: String(draft.rowVersion) });
    expect(submitted.status).toBe(303);
    expect(draftOf(code)).toMatchObject({ state: 'submitted', submissionState: 'submitted' });
    expect(server.db.$client.prepare('SELECT flags IS NOT NULL FROM submission_items WHERE id = ?').pluck().get(draft.id)).toBe(1);
    const legal = server.client();
    await legal.login('legal');
    expect((await legal.get('/review/queue')).text).toContain(`/review/items/${draft.id}`);
    expect(await item(code)).toMatchObject({ promisedLimitDays: before.promisedLimitDays, rowVersion: before.rowVersion });
  });

  it('an admin corrects an item directly; a department save based on the version before it is refused and keeps nothing', async () => {
    const admin = server.client();
    const dept = server.client();
    await admin.login('admin');
    await dept.login('dept-xzsp');
    const read = await item(code);
    expect((await admin.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(read, { remarks: '甲的修改' }))).status).toBe(303);
    expect((await item(code)).rowVersion).toBe(read.rowVersion + 1);
    const second = await dept.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(read, { remarks: '乙的修改' }));
    expect(second.status).toBe(409);
    expect(second.text).toContain('已被他人修改');
    expect(second.text).toContain('乙的修改'); // the form is shown again with what was typed
    expect((await item(code)).remarks).toBe('甲的修改');
    expect(server.db.$client.prepare("SELECT count(*) FROM submission_items WHERE proposal LIKE '%乙的修改%'").pluck().get()).toBe(0);
  });

  it('an invalid value is refused with a Chinese message on the field and nothing is stored', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const read = await item(code);
    const drafts = () => server.db.$client.prepare('SELECT count(*) FROM submission_items').pluck().get();
    const n = drafts();
    const reply = await c.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(read, { promisedLimitDays: '十天', name: '' }));
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('承诺时限须为数字');
    expect(reply.text).toContain('请填写事项名称');
    expect(await item(code)).toEqual(read);
    expect(drafts()).toBe(n);
  });

  it('a department field smuggled into the form cannot move an item or its proposal to another department', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const read = await item(code);
    const reply = await c.postForm(`/workspace/items/${encodeURIComponent(code)}`, {
      ...formOf(read, { remarks: '换部门？' }),
      departmentId: '2',
      department: 'RSJ',
      department_id: '2',
      code: otherCode,
    });
    expect(reply.status).toBe(303);
    expect((await item(code)).department).toEqual(read.department);
    const own = server.db.$client.prepare("SELECT id FROM departments WHERE code = 'XZSPJ'").pluck().get();
    expect(draftOf(code)!.departmentId).toBe(own);
    expect(draftOf(otherCode)).toBeUndefined();
  });

  it('the JSON API proposes with the same rules: own item yes (a draft), stale version 409', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const csrf = await c.csrfToken();
    const read = await item(code);
    const ok = await c.sendJson('PUT', `/api/v1/items/${encodeURIComponent(code)}`, { ...read, promisedLimitDays: 1 }, csrf);
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ rowVersion: read.rowVersion, changed: ['promisedLimitDays'], draft: { submissionId: expect.any(Number) } });
    const stale = await c.sendJson('PUT', `/api/v1/items/${encodeURIComponent(code)}`, { ...read, rowVersion: read.rowVersion - 1, promisedLimitDays: 2 }, csrf);
    expect(stale.status).toBe(409);
    expect(stale.json().error.code).toBe('conflict');
    expect((await item(code)).promisedLimitDays).toBe(read.promisedLimitDays);
  });

  it('a department can drop its draft; nothing of it reaches the legal office', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const submissionId = draftOf(code)!.submissionId;
    expect((await c.postForm(`/review/submissions/${submissionId}/discard`, {})).status).toBe(303);
    expect(server.db.$client.prepare('SELECT count(*) FROM submissions WHERE id = ?').pluck().get(submissionId)).toBe(0);
  });
});

describe('cross-site request protection', () => {
  it('a form posted without the CSRF token, or with another visitor’s, is refused and changes nothing', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const read = await item(code);
    const other = server.client();
    const othersToken = await other.csrfToken();
    for (const csrf of [null, othersToken, 'x'.repeat(43)]) {
      const reply = await c.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(read, { remarks: '跨站' }), { csrf });
      expect(reply.status).toBe(403);
      expect(reply.text).toContain('表单已过期或来源不明');
    }
    expect((await item(code)).remarks).not.toBe('跨站');
  });

  it('a request from another site is refused even with a token', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const csrf = await c.csrfToken();
    const reply = await c.request('POST', '/logout', {
      body: `_csrf=${csrf}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(reply.status).toBe(403);
  });

  it('a multipart body sent to a route that takes no upload is refused without the X-CSRF-Token header, even with a token field, and changes nothing', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const read = await item(code);
    const fields = Object.fromEntries(Object.entries(formOf(read, { remarks: '多部分表单' })).map(([k, v]) => [k, String(v)]));
    // The token as a form field is not read on such a route: only the upload receiver reads multipart fields.
    const reply = await c.postMultipart(`/workspace/items/${encodeURIComponent(code)}`, fields);
    expect(reply.status).toBe(403);
    expect(reply.text).toContain('表单已过期或来源不明');
    expect((await item(code)).remarks).not.toBe('多部分表单');
    // Logging out is a state change too.
    expect((await c.postMultipart('/logout', {})).status).toBe(403);
  });

  it('the JSON API refuses a write without the X-CSRF-Token header', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const read = await item(code);
    expect((await c.sendJson('PUT', `/api/v1/items/${encodeURIComponent(code)}`, { ...read, remarks: 'x' })).status).toBe(403);
  });
});
