// Server-side sessions in SQLite. The cookie holds a random token; the table holds only its SHA-256.
// A session ends after an idle period or an absolute lifetime, whichever comes first.
import { createHash, randomBytes } from 'node:crypto';
import { isBusy, type Db } from '../../db/client.js';
import { deleteSession, deleteUserSessions, insertSession, sessionRow, touchSession } from '../../db/queries/accounts.js';
import type { Role } from '../domain/vocabulary.js';

export const SESSION_COOKIE = 'catalogue_sid';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  departmentCode: string | null;
  departmentName: string | null;
  /** After a password reset: the person must choose a new password before anything else. */
  mustChangePassword: boolean;
}

export interface ActiveSession {
  id: string;
  csrfToken: string;
  user: SessionUser;
}

export interface SessionTimeouts {
  idleMinutes: number;
  absoluteHours: number;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const token = () => randomBytes(32).toString('base64url');

/** Create a fresh session (a new id at every login, so a planted id is worthless). */
export function createSession(db: Db, userId: number, timeouts: SessionTimeouts, now = new Date()): { token: string } {
  const raw = token();
  const at = now.toISOString();
  const expires = new Date(now.getTime() + timeouts.absoluteHours * 3600_000).toISOString();
  insertSession(db, { id: sha256(raw), userId, csrfToken: token(), createdAt: at, lastSeenAt: at, expiresAt: expires });
  return { token: raw };
}


/** Look a token up; expired sessions are deleted and yield null. Touches last_seen at most once a minute. */
export function findSession(db: Db, rawToken: string | undefined, timeouts: SessionTimeouts, now = new Date()): ActiveSession | null {
  if (!rawToken || rawToken.length > 100) return null;
  const id = sha256(rawToken);
  const row = sessionRow(db, id);
  if (!row) return null;
  const idleLimit = new Date(row.last_seen_at).getTime() + timeouts.idleMinutes * 60_000;
  if (row.disabled || now.getTime() > idleLimit || now.toISOString() > row.expires_at) {
    destroySession(db, rawToken);
    return null;
  }
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    try {
      touchSession(db, id, now.toISOString());
    } catch (err) {
      // A job holds the write lock: the touch waits for the next request (a minute's slack is plenty).
      if (!isBusy(err)) throw err;
    }
  }
  return {
    id,
    csrfToken: row.csrf_token,
    user: {
      id: row.user_id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      departmentId: row.department_id,
      departmentCode: row.department_code,
      departmentName: row.department_name,
      mustChangePassword: row.must_change_password === 1,
    },
  };
}

export function destroySession(db: Db, rawToken: string): void {
  deleteSession(db, sha256(rawToken));
}

export function destroyUserSessions(db: Db, userId: number): void {
  deleteUserSessions(db, userId);
}
