// `catalogue user` upkeep subcommands, run in-process on a copy of the demo database.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { main, type Io } from '../../../server/cli.js';
import { openDatabase } from '../../../db/client.js';
import { verifyPassword } from '../../../server/auth/passwords.js';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-user-'));
  dbPath = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), dbPath);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = async (args: string[], stdin = '') => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin };
  const code = await main([...args, '--db', dbPath], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const account = (username: string) => {
  const db = openDatabase(dbPath);
  try {
    return db.$client
      .prepare('SELECT u.display_name AS displayName, u.role, d.code AS department, u.disabled, u.must_change_password AS mustChange, u.password_hash AS hash FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE username = ?')
      .get(username) as { displayName: string; role: string; department: string | null; disabled: number; mustChange: number; hash: string };
  } finally {
    db.$client.close();
  }
};
const lastAudit = () => {
  const db = openDatabase(dbPath);
  try {
    return db.$client.prepare('SELECT actor, action, entity_id AS entityId FROM audit_log ORDER BY seq DESC LIMIT 1').get();
  } finally {
    db.$client.close();
  }
};

describe('catalogue user', () => {
  it('user edit changes only the fields given, keeps the department of an unchanged role, and is audited', async () => {
    const r = await run(['user', 'edit', '--username', 'dept-jt', '--display-name', '交通局 赵六']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('交通局 赵六');
    expect(account('dept-jt')).toMatchObject({ displayName: '交通局 赵六', role: 'department', department: 'JTYSJ' });
    expect(lastAudit()).toMatchObject({ actor: expect.stringMatching(/^cli:/), action: 'user.update', entityId: 'dept-jt' });
    const moved = await run(['user', 'edit', '--username', 'dept-jt', '--department', 'RSJ']);
    expect(moved.code).toBe(0);
    expect(account('dept-jt').department).toBe('RSJ');
    const refused = await run(['user', 'edit', '--username', 'expert', '--role', 'department']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('部门用户必须指定所属部门');
    expect(account('expert').role).toBe('expert');
  });

  it('user disable and enable stop and restore a login, each audited; an unknown account is named', async () => {
    expect((await run(['user', 'disable', '--username', 'supervisor'])).code).toBe(0);
    expect(account('supervisor').disabled).toBe(1);
    expect(lastAudit()).toMatchObject({ action: 'user.disable' });
    expect((await run(['user', 'enable', '--username', 'supervisor'])).code).toBe(0);
    expect(account('supervisor').disabled).toBe(0);
    expect(lastAudit()).toMatchObject({ action: 'user.enable' });
    const missing = await run(['user', 'disable', '--username', 'nobody']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('账号 nobody 不存在');
  });

  it('user reset-password prints a one-time password that logs in and must be changed', async () => {
    const r = await run(['user', 'reset-password', '--username', 'expert', '--json']);
    expect(r.code).toBe(0);
    const { password, mustChangePassword } = JSON.parse(r.out) as { password: string; mustChangePassword: boolean };
    expect(mustChangePassword).toBe(true);
    const stored = account('expert');
    expect(stored.mustChange).toBe(1);
    expect(await verifyPassword(password, stored.hash)).toBe(true);
    expect(lastAudit()).toMatchObject({ action: 'user.reset_password' });
  });

  it('user passwd sets the password read from standard input, and refuses a short one', async () => {
    const short = await run(['user', 'passwd', '--username', 'legal'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.err).toContain('密码至少 10 个字符');
    const r = await run(['user', 'passwd', '--username', 'legal'], 'a-long-new-password\n');
    expect(r.code).toBe(0);
    const stored = account('legal');
    expect(await verifyPassword('a-long-new-password', stored.hash)).toBe(true);
    expect(stored.mustChange).toBe(0);
    expect(lastAudit()).toMatchObject({ action: 'user.set_password', entityId: 'legal' });
  });
});
