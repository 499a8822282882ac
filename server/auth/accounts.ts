// Accounts: creating users (admin page, CLI, demo) and checking a login.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { departmentIdByCode, insertUser, loginRow, usernameTaken } from '../../db/queries/accounts.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { ROLE_CODES, type Role } from '../domain/vocabulary.js';
import { roleNeedsDepartment } from './policy.js';
import { errors } from '../errors.js';
import { LOGIN_MESSAGES, localTime } from '../domain/labels.js';
import type { LoginThrottle, ThrottleVerdict } from './login-throttle.js';
import { fieldErrors } from '../domain/item-fields.js';
import { DUMMY_HASH, PASSWORD_RULE, hashPassword, verifyPassword } from './passwords.js';

export const userInputSchema = z
  .object({
    username: z
      .string({ message: '请填写用户名' })
      .trim()
      .regex(/^[A-Za-z0-9_.-]{3,40}$/, '用户名须为 3–40 个字母、数字、点、下划线或连字符'),
    displayName: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(60, '姓名过长').optional()),
    password: z.string({ message: '请填写密码' }).min(PASSWORD_RULE.min, PASSWORD_RULE.message).max(200, '密码过长'),
    role: z.enum(ROLE_CODES, { message: '请选择角色' }),
    departmentCode: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().optional()),
  })
  .refine((u) => !roleNeedsDepartment(u.role) || !!u.departmentCode, {
    message: '部门用户必须指定所属部门',
    path: ['departmentCode'],
  });
export type UserInput = z.input<typeof userInputSchema>;

export async function createUser(db: Db, actor: Actor, input: unknown): Promise<{ id: number; username: string; role: Role }> {
  const parsed = userInputSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  const u = parsed.data;
  const passwordHash = await hashPassword(u.password);
  return withTransaction(db, () => {
    if (usernameTaken(db, u.username)) {
      throw errors.invalid(`用户名 ${u.username} 已存在。`, { username: '该用户名已被使用' });
    }
    let departmentId: number | null = null;
    if (roleNeedsDepartment(u.role)) {
      departmentId = departmentIdByCode(db, u.departmentCode!.toUpperCase());
      if (departmentId === null) throw errors.invalid(`部门 ${u.departmentCode} 不存在。`, { departmentCode: '部门不存在' });
    }
    const id = insertUser(db, { username: u.username, displayName: u.displayName ?? u.username, passwordHash, role: u.role, departmentId });
    appendAudit(db, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: u.username,
      after: { username: u.username, displayName: u.displayName ?? u.username, role: u.role, departmentCode: u.departmentCode ?? null },
    });
    return { id, username: u.username, role: u.role };
  });
}

/**
 * A login attempt as the login form makes it: refused while its account or address is throttled (before
 * the password is checked), checked otherwise; a failure is counted and audited (with the lock it began).
 */
export async function attemptLogin(
  db: Db,
  throttle: LoginThrottle,
  attempt: { username: string; password: string; address: string },
): Promise<{ id: number; username: string }> {
  const keys = { username: attempt.username, address: attempt.address };
  return throttle.oneAtATime(attempt.username, async () => {
    refuseIfThrottled(throttle.check(keys));
    const user = await authenticate(db, attempt.username, attempt.password);
    if (user) {
      throttle.succeeded(keys);
      return user;
    }
    const { lockedNow, accountFailures } = throttle.failed(keys);
    const account = loginRow(db, attempt.username.trim());
    withTransaction(db, () => {
      // An unknown name is not written down: people type their password into the name field.
      const entityId = account?.username ?? null;
      const after = { address: attempt.address, knownAccount: account !== null, failures: accountFailures };
      appendAudit(db, ANONYMOUS, { action: 'auth.login_failed', entityType: 'user', entityId, after });
      for (const by of lockedNow) appendAudit(db, ANONYMOUS, { action: 'auth.login_locked', entityType: 'user', entityId, after: { ...after, by } });
    });
    refuseIfThrottled(throttle.check(keys), true);
    throw errors.invalid(LOGIN_MESSAGES.wrongPassword);
  });
}

const ANONYMOUS = { id: null, name: 'anonymous' };

/** `onlyLocks`: right after a failure, tell a lock that began (a mere wait is told at the next attempt). */
function refuseIfThrottled(verdict: ThrottleVerdict, onlyLocks = false): void {
  if (verdict.allowed || (onlyLocks && !verdict.locked)) return;
  const message = verdict.locked
    ? LOGIN_MESSAGES.locked(verdict.by, localTime(new Date(verdict.until).toISOString()))
    : LOGIN_MESSAGES.wait(verdict.seconds);
  throw errors.tooManyAttempts(message);
}

/** Check a username and password. Unknown users cost the same time as wrong passwords. */
export async function authenticate(db: Db, username: string, password: string): Promise<{ id: number; username: string } | null> {
  const row = loginRow(db, username.trim());
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  return ok && row && !row.disabled ? { id: row.id, username: row.username } : null;
}

export function recordLogin(db: Db, user: { id: number; username: string }, outcome: 'auth.login' | 'auth.logout'): void {
  withTransaction(db, () => appendAudit(db, { id: user.id, name: user.username }, { action: outcome, entityType: 'user', entityId: user.username }));
}
