// Keeping accounts: the admin edits, disables, enables and resets; every person changes their own password.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { DEMO_PASSWORD } from '../../server/bootstrap.js';

let server: TestServer;
let admin: TestClient;

const account = (username: string) =>
  server.db.$client
    .prepare('SELECT u.display_name AS displayName, u.role, d.code AS department, u.disabled, u.must_change_password AS mustChange, u.password_hash AS hash FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE username = ?')
    .get(username) as { displayName: string; role: string; department: string | null; disabled: number; mustChange: number; hash: string };
const auditActions = (username: string) =>
  (server.db.$client.prepare("SELECT action FROM audit_log WHERE entity_type = 'user' AND entity_id = ? ORDER BY seq").pluck().all(username) as string[]);
const sessionsOf = (username: string) =>
  server.db.$client.prepare('SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ?').pluck().get(username) as number;

beforeAll(async () => {
  server = await startTestServer(demoDb());
  admin = server.client();
  await admin.login('admin');
});
afterAll(() => server.close());

describe('the admin keeps accounts', () => {
  it("the admin edits an account's name, role and department, and the change is in the audit log with before and after", async () => {
    const reply = await admin.postForm('/admin/users/dept-jt', { displayName: '交通局 王五', role: 'department', departmentCode: 'RSJ' });
    expect(reply.status).toBe(303);
    expect(account('dept-jt')).toMatchObject({ displayName: '交通局 王五', role: 'department', department: 'RSJ' });
    const entry = server.db.$client.prepare("SELECT before, after FROM audit_log WHERE action = 'user.update' ORDER BY seq DESC LIMIT 1").get() as { before: string; after: string };
    expect(JSON.parse(entry.before)).toMatchObject({ displayName: '交通运输局经办人', departmentCode: 'JTYSJ' });
    expect(JSON.parse(entry.after)).toMatchObject({ displayName: '交通局 王五', departmentCode: 'RSJ' });
    expect(entry.after).not.toMatch(/scrypt/);
    const page = await admin.get('/admin/users/dept-jt');
    expect(page.text).toContain('交通局 王五');
  });

  it('a department account without a department is refused and nothing changes', async () => {
    const before = account('dept-jt');
    const reply = await admin.postForm('/admin/users/dept-jt', { displayName: '某某', role: 'department', departmentCode: '' });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('部门用户必须指定所属部门');
    expect(account('dept-jt')).toEqual(before);
  });

  it("a disabled account's open session ends at once, it cannot log in (told in Chinese), and enabled again it can", async () => {
    const user = server.client();
    await user.login('dept-rsj');
    expect((await user.get('/workspace')).status).toBe(200);
    expect((await admin.postForm('/admin/users/dept-rsj/disable', {})).status).toBe(303);
    expect(account('dept-rsj').disabled).toBe(1);
    expect(sessionsOf('dept-rsj')).toBe(0);
    const after = await user.get('/workspace');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/login/);
    const again = await server.client().postForm('/login', { username: 'dept-rsj', password: DEMO_PASSWORD });
    expect(again.status).toBe(403);
    expect(again.text).toContain('该账号已停用');
    // A wrong password still says only that the name or password is wrong.
    expect((await server.client().postForm('/login', { username: 'dept-rsj', password: 'wrong-password' })).text).not.toContain('已停用');
    expect((await admin.postForm('/admin/users/dept-rsj/enable', {})).status).toBe(303);
    expect((await server.client().postForm('/login', { username: 'dept-rsj', password: DEMO_PASSWORD })).status).toBe(303);
    expect(auditActions('dept-rsj')).toEqual(expect.arrayContaining(['user.disable', 'user.enable']));
  });

  it('an admin cannot disable their own account', async () => {
    const reply = await admin.postForm('/admin/users/admin/disable', {});
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('不能停用自己正在使用的账号');
    expect(account('admin').disabled).toBe(0);
  });

  it('a reset password is shown once and must be changed at first login: every page leads to the change form until it is done', async () => {
    const user = server.client();
    await user.login('supervisor');
    const reply = await admin.postForm('/admin/users/supervisor/reset-password', {});
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toContain('no-store');
    const password = /<code translate="no">([^<]+)<\/code>/.exec(reply.text)![1]!;
    expect(password).toHaveLength(14);
    expect(account('supervisor').mustChange).toBe(1);
    expect(sessionsOf('supervisor')).toBe(0);
    expect((await user.get('/workspace')).status).toBe(303); // the old session ended
    expect(server.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'user.reset_password' AND (coalesce(after, '') LIKE ? OR coalesce(before, '') LIKE ?)").pluck().get(`%${password}%`, `%${password}%`)).toBe(0);
    expect((await admin.get('/admin/users/supervisor')).text).not.toContain(password);

    expect((await server.client().postForm('/login', { username: 'supervisor', password: DEMO_PASSWORD })).status).toBe(400);
    const first = server.client();
    await first.login('supervisor', password);
    for (const path of ['/workspace', '/audit', '/items']) {
      const page = await first.get(path);
      expect(page.status, path).toBe(303);
      expect(page.location).toBe('/account/password');
    }
    expect((await first.get('/api/v1/review/queue')).status).toBe(403);
    const form = await first.get('/account/password');
    expect(form.text).toContain('id="must-change"');
    const changed = await first.postForm('/account/password', { current: password, password: 'my-own-password-1', confirm: 'my-own-password-1' }, { from: '/account/password' });
    expect(changed.status).toBe(303);
    expect(changed.location).toBe('/workspace');
    expect((await first.get('/audit')).status).toBe(200);
    expect(account('supervisor').mustChange).toBe(0);
    expect(auditActions('supervisor')).toEqual(expect.arrayContaining(['user.reset_password', 'user.change_password']));
  });
});

describe('every person changes their own password', () => {
  it('the current password is required; a refused change changes nothing', async () => {
    const user = server.client();
    await user.login('expert');
    const before = account('expert').hash;
    const wrong = await user.postForm('/account/password', { current: 'not-my-password', password: 'a-new-password-2', confirm: 'a-new-password-2' }, { from: '/account/password' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('当前密码不正确');
    const mismatch = await user.postForm('/account/password', { current: DEMO_PASSWORD, password: 'a-new-password-2', confirm: 'a-new-password-3' }, { from: '/account/password' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('两次输入的新密码不一致');
    const short = await user.postForm('/account/password', { current: DEMO_PASSWORD, password: 'short', confirm: 'short' }, { from: '/account/password' });
    expect(short.status).toBe(400);
    expect(account('expert').hash).toBe(before);
  });

  it("changing one's password keeps this session, ends the others, and the new password (scrypt) logs in", async () => {
    const here = server.client();
    await here.login('legal');
    const elsewhere = server.client();
    await elsewhere.login('legal');
    const reply = await here.postForm('/account/password', { current: DEMO_PASSWORD, password: 'legal-new-password', confirm: 'legal-new-password' }, { from: '/account/password' });
    expect(reply.status).toBe(303);
    expect((await here.get('/account/password?changed=1')).text).toContain('id="password-changed"');
    expect((await elsewhere.get('/workspace')).status).toBe(303);
    expect(account('legal').hash).toMatch(/^scrypt\$/);
    expect((await server.client().postForm('/login', { username: 'legal', password: DEMO_PASSWORD })).status).toBe(400);
    expect((await server.client().postForm('/login', { username: 'legal', password: 'legal-new-password' })).status).toBe(303);
  });
});
