// A department edits its own items through the form; every change is audited; stale saves are refused.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { verifyAuditLog } from '../../db/audit.js';

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

const item = async (c: string) => (await server.client().get(`/api/v1/items/${encodeURIComponent(c)}`)).json<Record<string, any>>();
const formOf = (i: Record<string, any>, changes: Record<string, string> = {}) => ({
  name: i.name,
  category: i.category,
  level: i.level ?? '',
  statutoryLimitDays: i.statutoryLimitDays == null ? '' : String(i.statutoryLimitDays),
  promisedLimitDays: i.promisedLimitDays == null ? '' : String(i.promisedLimitDays),
  materials: i.materials ?? '',
  conditions: i.conditions ?? '',
  processText: i.processText ?? '',
  feeStandard: i.feeStandard ?? '',
  feeBasis: i.feeBasis ?? '',
  contactPhone: i.contactPhone ?? '',
  supervisionPhone: i.supervisionPhone ?? '',
  remarks: i.remarks ?? '',
  ...(i.instant ? { instant: 'on' } : {}),
  ...(i.feeCharged ? { feeCharged: 'on' } : {}),
  rowVersion: String(i.rowVersion),
  serviceObjects: i.serviceObjects,
  ...changes,
});
const auditFor = (c: string) =>
  server.db.$client.prepare("SELECT * FROM audit_log WHERE entity_type = 'item' AND entity_id = ? ORDER BY seq").all(c) as Record<string, any>[];

describe('editing an item', () => {
  it('a department saves its own item and the audit log records who, when, before and after', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const before = await item(code);
    const reply = await c.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(before, { promisedLimitDays: '3', materials: '1. 申请表\n2. 营业执照' }));
    expect(reply.status).toBe(303);
    const after = await item(code);
    expect(after).toMatchObject({ promisedLimitDays: 3, materials: '1. 申请表\n2. 营业执照', rowVersion: before.rowVersion + 1 });
    const [entry] = auditFor(code).slice(-1);
    expect(entry).toMatchObject({ actor: 'dept-xzsp', action: 'item.update' });
    expect(JSON.parse(entry!.before)).toEqual({ promisedLimitDays: before.promisedLimitDays, materials: before.materials });
    expect(JSON.parse(entry!.after)).toEqual({ promisedLimitDays: 3, materials: '1. 申请表\n2. 营业执照' });
    expect(Date.now() - new Date(entry!.at).getTime()).toBeLessThan(60_000);
    expect(verifyAuditLog(server.db).ok).toBe(true);
  });

  it('a second save based on the same version is refused and overwrites nothing', async () => {
    const a = server.client();
    const b = server.client();
    await a.login('dept-xzsp');
    await b.login('admin');
    const read = await item(code);
    expect((await a.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(read, { remarks: '甲的修改' }))).status).toBe(303);
    const second = await b.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(read, { remarks: '乙的修改' }));
    expect(second.status).toBe(409);
    expect(second.text).toContain('已被他人修改');
    expect(second.text).toContain('乙的修改'); // the form is shown again with what was typed
    expect((await item(code)).remarks).toBe('甲的修改');
  });

  it('an invalid value is refused with a Chinese message on the field and the item is unchanged', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const read = await item(code);
    const reply = await c.postForm(`/workspace/items/${encodeURIComponent(code)}`, formOf(read, { promisedLimitDays: '十天', name: '' }));
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('承诺时限须为数字');
    expect(reply.text).toContain('请填写事项名称');
    expect(await item(code)).toEqual(read);
  });

  it('a department field smuggled into the form cannot move an item to another department', async () => {
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
    const after = await item(code);
    expect(after.department).toEqual(read.department);
    expect((await item(otherCode)).remarks).not.toBe('换部门？');
  });

  it('the JSON API edits with the same rules: own item yes, stale version 409', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const csrf = await c.csrfToken();
    const read = await item(code);
    const body = { ...read, promisedLimitDays: 1 };
    const ok = await c.sendJson('PUT', `/api/v1/items/${encodeURIComponent(code)}`, body, csrf);
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ rowVersion: read.rowVersion + 1, changed: ['promisedLimitDays'] });
    const stale = await c.sendJson('PUT', `/api/v1/items/${encodeURIComponent(code)}`, { ...body, promisedLimitDays: 2 }, csrf);
    expect(stale.status).toBe(409);
    expect(stale.json().error.code).toBe('conflict');
    expect((await item(code)).promisedLimitDays).toBe(1);
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

  it('the JSON API refuses a write without the X-CSRF-Token header', async () => {
    const c = server.client();
    await c.login('dept-xzsp');
    const read = await item(code);
    expect((await c.sendJson('PUT', `/api/v1/items/${encodeURIComponent(code)}`, { ...read, remarks: 'x' })).status).toBe(403);
  });
});
