// Accounts and sessions: the reads and writes of logging in, staying logged in and adding accounts.
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../client.js';
import { departments, sessions, users } from '../schema.js';
import type { Role } from '../../server/domain/vocabulary.js';

export interface SessionRow {
  id: string;
  csrf_token: string;
  last_seen_at: string;
  expires_at: string;
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  department_id: number | null;
  department_code: string | null;
  department_name: string | null;
  disabled: number;
  must_change_password: number;
}

export const usernameTaken = (db: Db, username: string): boolean => db.select({ id: users.id }).from(users).where(eq(users.username, username)).get() !== undefined;

export const departmentIdByCode = (db: Db, code: string): number | null =>
  db.select({ id: departments.id }).from(departments).where(eq(departments.code, code)).get()?.id ?? null;

export const departmentCodeByName = (db: Db, name: string): string | null =>
  db.select({ code: departments.code }).from(departments).where(eq(departments.name, name)).get()?.code ?? null;

export function insertUser(db: Db, u: { username: string; displayName: string; passwordHash: string; role: Role; departmentId: number | null }): number {
  return db.insert(users).values(u).returning({ id: users.id }).get().id;
}

/** What a login checks: the password hash, and whether the account is disabled. */
export const loginRow = (db: Db, username: string) =>
  db.select({ id: users.id, username: users.username, passwordHash: users.passwordHash, disabled: users.disabled }).from(users).where(eq(users.username, username)).get() ?? null;

/** An active account with its department's code, as the command line acts for it. */
export function activeUser(db: Db, username: string): { id: number; username: string; role: Role; departmentId: number | null; departmentCode: string | null } | null {
  const row = db
    .select({ id: users.id, username: users.username, role: users.role, departmentId: users.departmentId, departmentCode: departments.code, disabled: users.disabled })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(eq(users.username, username))
    .get();
  if (!row || row.disabled) return null;
  const { disabled: _d, ...user } = row;
  return user;
}

export const isEmptyCatalogue = (db: Db): boolean =>
  db.$client.prepare('SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM departments) + (SELECT count(*) FROM users)').pluck().get() === 0;

export function insertSession(db: Db, s: { id: string; userId: number; csrfToken: string; createdAt: string; lastSeenAt: string; expiresAt: string }): void {
  db.insert(sessions).values(s).run();
}

/** The session with its user and department, read on every signed-in request (hence one raw statement). */
export const sessionRow = (db: Db, id: string): SessionRow | undefined =>
  db.$client
    .prepare(
      `SELECT s.id, s.csrf_token, s.last_seen_at, s.expires_at, u.id AS user_id, u.username, u.display_name, u.role,
              u.department_id, u.disabled, u.must_change_password, d.code AS department_code, d.name AS department_name
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN departments d ON d.id = u.department_id
        WHERE s.id = ?`,
    )
    .get(id) as SessionRow | undefined;

export const touchSession = (db: Db, id: string, at: string): void => void db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id)).run();
export const deleteSession = (db: Db, id: string): void => void db.delete(sessions).where(eq(sessions.id, id)).run();
export const deleteUserSessions = (db: Db, userId: number): void => void db.delete(sessions).where(eq(sessions.userId, userId)).run();

/** Every account's display name by username (who started a job, as pages name them). */
export const displayNames = (db: Db): Map<string, string> =>
  new Map(db.select({ username: users.username, displayName: users.displayName }).from(users).all().map((u) => [u.username, u.displayName]));

/** An account as the admin keeps it: who, which role and department, and whether it is disabled. */
export interface AccountRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  departmentCode: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
}

export const accountByUsername = (db: Db, username: string): AccountRow | null =>
  db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      departmentId: users.departmentId,
      departmentCode: departments.code,
      disabled: users.disabled,
      mustChangePassword: users.mustChangePassword,
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(eq(users.username, username))
    .get() ?? null;

export const passwordHashOf = (db: Db, userId: number): string | null =>
  db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).get()?.hash ?? null;

export function updateAccount(db: Db, userId: number, fields: { displayName?: string; role?: Role; departmentId?: number | null; disabled?: boolean }): void {
  db.update(users).set({ ...fields, updatedAt: new Date().toISOString() }).where(eq(users.id, userId)).run();
}

export function setPasswordHash(db: Db, userId: number, passwordHash: string, mustChangePassword: boolean): void {
  db.update(users).set({ passwordHash, mustChangePassword, updatedAt: new Date().toISOString() }).where(eq(users.id, userId)).run();
}

/** End every session of a user but one (the session changing its own password stays). */
export const deleteOtherSessions = (db: Db, userId: number, keepSessionId: string): void =>
  void db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId))).run();
