// The start-up check of the server: the database opens read-write, PRAGMA quick_check passes, the
// migrations apply. Otherwise a Chinese explanation of what is wrong and what to do, and an exit code
// per cause (README.md, "Faults"), never a stack trace: a supervisor restarting the server in a loop
// shows the operator the reason each time.
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../../db/client.js';
import { migrateDatabase } from '../../db/client.js';
import { openDurable } from '../../db/durability.js';
import { probeWrite, quickCheckFile } from '../../db/queries/backup.js';
import { STARTUP_FAILURES } from '../domain/labels.js';

/** The exit code of each reason the server does not start. */
export const STARTUP_EXIT_CODES = {
  cannotOpen: 10,
  readOnly: 11,
  damaged: 12,
  migration: 13,
  diskFull: 14,
  locked: 15,
  ioError: 16,
  portInUse: 17,
} as const;

export type StartupCause = keyof typeof STARTUP_EXIT_CODES;

export class StartupFailure extends Error {
  readonly exitCode: number;
  constructor(
    readonly reason: StartupCause,
    message: string,
  ) {
    super(message);
    this.exitCode = STARTUP_EXIT_CODES[reason];
  }
}

const codeOf = (err: unknown): string => (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '');
const detailOf = (err: unknown): string => [codeOf(err), (err as Error)?.message].filter(Boolean).join('：');

/** The cause of a database error met while starting, or `fallback` when its code names none. */
export function startupCause<F extends StartupCause | null>(err: unknown, fallback: F): StartupCause | F {
  const code = codeOf(err);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'diskFull';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'readOnly';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'ioError';
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ENOTDIR') return 'cannotOpen';
  return fallback;
}

/** A start-up failure for this error (one already explained stays as it is). */
export function startupFailure(err: unknown, dbPath: string, fallback: StartupCause): StartupFailure {
  if (err instanceof StartupFailure) return err;
  const cause = startupCause(err, fallback);
  return new StartupFailure(cause, cause === 'portInUse' ? STARTUP_FAILURES.portInUse(0) : STARTUP_FAILURES[cause](dbPath, detailOf(err)));
}

/** Whether this process may write the file and create files beside it (-wal, -shm). */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why the file did not open; SQLite cannot open a WAL database it may not write (no -shm can be made): read-only. */
function openFailure(err: unknown, dbPath: string): StartupFailure {
  if (startupCause(err, 'cannotOpen') === 'cannotOpen' && existsSync(dbPath) && !writable(dbPath)) {
    return new StartupFailure('readOnly', STARTUP_FAILURES.readOnly(dbPath, detailOf(err)));
  }
  return startupFailure(err, dbPath, 'cannotOpen');
}

/** Opens the server's database after checking it can be written, is whole, and takes the migrations. */
export function openCheckedDatabase(dbPath: string, options: { busyTimeoutMs?: number } = {}): Db {
  // A damaged file is found before anything writes to it (even turning WAL on rewrites its header).
  if (existsSync(dbPath)) {
    let problems: string[];
    try {
      problems = quickCheckFile(dbPath);
    } catch (err) {
      throw openFailure(err, dbPath);
    }
    if (problems.length) throw new StartupFailure('damaged', STARTUP_FAILURES.damaged(dbPath, `PRAGMA quick_check：${problems.slice(0, 3).join('；')}`));
  }
  let db: Db;
  try {
    // Commits people are told about are on the disk first (db/durability.ts).
    db = openDurable(dbPath, { migrate: false, busyTimeoutMs: options.busyTimeoutMs });
  } catch (err) {
    throw openFailure(err, dbPath);
  }
  try {
    probeWrite(db);
  } catch (err) {
    db.$client.close();
    throw startupFailure(err, dbPath, 'ioError');
  }
  try {
    migrateDatabase(db);
  } catch (err) {
    db.$client.close();
    throw startupFailure(err, dbPath, 'migration');
  }
  return db;
}
