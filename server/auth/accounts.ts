// Accounts: creating and keeping users (admin page, CLI, demo), passwords, and checking a login.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import {
  accountByUsername,
  deleteOtherSessions,
  deleteUserSessions,
  departmentIdByCode,
  insertUser,
  loginRow,
  passwordHashOf,
  setPasswordHash,
  updateAccount,
  usernameTaken,
  type AccountRow,
} from '../../db/queries/accounts.js';
import { randomBytes } from 'node:crypto';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { ROLE_CODES, type Role } from '../domain/vocabulary.js';
import { roleNeedsDepartment } from './policy.js';
import { errors } from '../errors.js';
import { LOGIN_MESSAGES, localTime } from '../domain/labels.js';
import type { LoginThrottle, ThrottleVerdict } from './login-throttle.js';
import { fieldErrors } from '../domain/item-fields.js';
import { DUMMY_HASH, PASSWORD_RULE, hashPassword, verifyPassword } from './passwords.js';
import { ACCOUNT_MESSAGES } from '../domain/labels.js';

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

/**
 * Check a username and password. Unknown users cost the same time as wrong passwords. A disabled
 * account is told so (in Chinese), but only to someone who knows its password.
 */
export async function authenticate(db: Db, username: string, password: string): Promise<{ id: number; username: string } | null> {
  const row = loginRow(db, username.trim());
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  if (ok && row?.disabled) throw errors.forbidden(ACCOUNT_MESSAGES.disabled);
  return ok && row ? { id: row.id, username: row.username } : null;
}

export function recordLogin(db: Db, user: { id: number; username: string }, outcome: 'auth.login' | 'auth.logout'): void {
  withTransaction(db, () => appendAudit(db, { id: user.id, name: user.username }, { action: outcome, entityType: 'user', entityId: user.username }));
}


function accountOf(db: Db, username: string): AccountRow {
  const account = accountByUsername(db, username);
  if (!account) throw errors.missing(ACCOUNT_MESSAGES.notFound(username));
  return account;
}

const optionalText = (max: number, message: string) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max, message).optional());

export const accountEditSchema = z.object({
  displayName: z.string({ message: '请填写姓名' }).trim().min(1, '请填写姓名').max(60, '姓名过长'),
  role: z.enum(ROLE_CODES, { message: '请选择角色' }),
  departmentCode: optionalText(32, '部门编码过长'),
});

/** What an account looks like in the audit log: names and codes, never a password or its hash. */
const auditView = (a: { displayName: string; role: Role; departmentCode: string | null; disabled?: boolean }) => ({
  displayName: a.displayName,
  role: a.role,
  departmentCode: a.departmentCode,
  ...(a.disabled === undefined ? {} : { disabled: a.disabled }),
});

/** The admin changes an account's name, role and department. The admin's own role stays (no lock-out). */
export function editUser(db: Db, actor: Actor, username: string, input: unknown): AccountRow {
  const parsed = accountEditSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  const e = parsed.data;
  if (roleNeedsDepartment(e.role) && !e.departmentCode) throw errors.invalid('部门用户必须指定所属部门。', { departmentCode: '部门用户必须指定所属部门' });
  return withTransaction(db, () => {
    const before = accountOf(db, username);
    if (actor.id === before.id && e.role !== before.role) throw errors.invalid(ACCOUNT_MESSAGES.selfDemote, { role: ACCOUNT_MESSAGES.selfDemote });
    let departmentId: number | null = null;
    let departmentCode: string | null = null;
    if (roleNeedsDepartment(e.role)) {
      departmentCode = e.departmentCode!.toUpperCase();
      departmentId = departmentIdByCode(db, departmentCode);
      if (departmentId === null) throw errors.invalid(`部门 ${e.departmentCode} 不存在。`, { departmentCode: '部门不存在' });
    }
    updateAccount(db, before.id, { displayName: e.displayName, role: e.role, departmentId });
    // A changed role or department changes what the person may do: their sessions start again.
    if (before.role !== e.role || before.departmentId !== departmentId) deleteUserSessions(db, before.id);
    appendAudit(db, actor, { action: 'user.update', entityType: 'user', entityId: username, before: auditView(before), after: auditView({ ...e, departmentCode }) });
    return accountOf(db, username);
  });
}

/** Disable an account: it cannot log in, and its sessions end at once. Enabling lets it log in again. */
export function setUserDisabled(db: Db, actor: Actor, username: string, disabled: boolean): AccountRow {
  return withTransaction(db, () => {
    const before = accountOf(db, username);
    if (disabled && actor.id === before.id) throw errors.invalid(ACCOUNT_MESSAGES.selfDisable);
    if (before.disabled === disabled) return before;
    updateAccount(db, before.id, { disabled });
    if (disabled) deleteUserSessions(db, before.id);
    appendAudit(db, actor, {
      action: disabled ? 'user.disable' : 'user.enable',
      entityType: 'user',
      entityId: username,
      before: { disabled: before.disabled },
      after: { disabled },
    });
    return accountOf(db, username);
  });
}

/** A password a person can read out and type: 14 characters without look-alikes (0/O, 1/l/I). */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(14)].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * The admin resets a password: a one-time password, shown once, that the person must replace at their
 * next login. Their sessions end. The log records the reset, never the password.
 */
export async function resetPassword(db: Db, actor: Actor, username: string): Promise<{ username: string; password: string }> {
  accountOf(db, username);
  const password = oneTimePassword();
  const hash = await hashPassword(password);
  withTransaction(db, () => {
    const account = accountOf(db, username);
    setPasswordHash(db, account.id, hash, true);
    deleteUserSessions(db, account.id);
    appendAudit(db, actor, { action: 'user.reset_password', entityType: 'user', entityId: username, after: { mustChangePassword: true } });
  });
  return { username, password };
}

/** An operator sets a password from the command line (read from standard input): no change is forced. */
export async function setPassword(db: Db, actor: Actor, username: string, password: string): Promise<void> {
  const parsed = newPasswordSchema.shape.password.safeParse(password);
  if (!parsed.success) throw errors.invalid(parsed.error.issues[0]!.message, { password: parsed.error.issues[0]!.message });
  accountOf(db, username);
  const hash = await hashPassword(password);
  withTransaction(db, () => {
    const account = accountOf(db, username);
    setPasswordHash(db, account.id, hash, false);
    deleteUserSessions(db, account.id);
    appendAudit(db, actor, { action: 'user.set_password', entityType: 'user', entityId: username, after: { mustChangePassword: false } });
  });
}

export const newPasswordSchema = z.object({
  password: z.string({ message: '请填写新密码' }).min(PASSWORD_RULE.min, PASSWORD_RULE.message).max(200, '密码过长'),
  confirm: z.string({ message: '请再次输入新密码' }),
});

export const changePasswordSchema = newPasswordSchema.extend({ current: z.string({ message: '请填写当前密码' }).min(1, '请填写当前密码').max(200) });

/**
 * A person changes their own password: the current one is required. Their other sessions end; the one
 * they are using stays, and a one-time password's forced change is done.
 */
export async function changeOwnPassword(db: Db, user: { id: number; username: string }, sessionId: string, input: unknown): Promise<void> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  const { current, password, confirm } = parsed.data;
  const stored = passwordHashOf(db, user.id) ?? DUMMY_HASH;
  if (!(await verifyPassword(current, stored))) throw errors.invalid(ACCOUNT_MESSAGES.wrongCurrent, { current: ACCOUNT_MESSAGES.wrongCurrent });
  if (password !== confirm) throw errors.invalid(ACCOUNT_MESSAGES.mismatch, { confirm: ACCOUNT_MESSAGES.mismatch });
  if (password === current) throw errors.invalid(ACCOUNT_MESSAGES.sameAsOld, { password: ACCOUNT_MESSAGES.sameAsOld });
  const hash = await hashPassword(password);
  withTransaction(db, () => {
    setPasswordHash(db, user.id, hash, false);
    deleteOtherSessions(db, user.id, sessionId);
    appendAudit(db, { id: user.id, name: user.username }, { action: 'user.change_password', entityType: 'user', entityId: user.username });
  });
}
