// The database side of backup and restore: SQLite's online backup (safe while the server writes: it
// copies a consistent snapshot, the write-ahead log's commits included), the integrity check, and
// whether a database file is in use by another connection (a running server).
import Database from 'better-sqlite3';
import { asc } from 'drizzle-orm';
import type { Db } from '../client.js';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../schema.js';
import { uploads } from '../schema.js';

/**
 * Copies the database into `dest` (a new file) with SQLite's online backup API, in one step: the copy
 * is the database as one read transaction sees it, whatever other connections write meanwhile.
 * The copy is left as a single file (no -wal), in rollback-journal mode.
 */
export async function backupDatabase(db: Db, dest: string): Promise<void> {
  await db.$client.backup(dest, { progress: () => 1 << 30 });
  const copy = new Database(dest);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** PRAGMA integrity_check (or quick_check): 'ok', or SQLite's list of what is wrong. */
export function integrityProblems(db: Db, quick = false): string[] {
  const rows = db.$client.pragma(quick ? 'quick_check' : 'integrity_check') as { integrity_check?: string; quick_check?: string }[];
  const lines = rows.map((r) => r.integrity_check ?? r.quick_check ?? '');
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

/** The archived uploads the database refers to (paths relative to the uploads folder). */
export function archivedUploads(db: Db): { sha256: string; storedPath: string }[] {
  return db.select({ sha256: uploads.sha256, storedPath: uploads.storedPath }).from(uploads).orderBy(asc(uploads.id)).all();
}

/**
 * Whether another connection has this database open (a running server, a command): leaving WAL mode
 * needs every other connection closed, and is refused at once otherwise. On success the file is left
 * whole, its log copied back, in rollback-journal mode; the next ordinary open turns WAL on again.
 */
export function takeSoleAccess(path: string): boolean {
  const sqlite = new Database(path, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 0');
    return sqlite.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    return false;
  } finally {
    sqlite.close();
  }
}

/** A backup's database, opened as it is (no pragmas changed, no migrations), for reading it. */
export function openCopy(path: string, options: { readonly?: boolean } = {}): Db {
  const sqlite = new Database(path, { fileMustExist: true, readonly: options.readonly ?? false });
  return drizzle(sqlite, { schema }) as Db;
}

/** Leaves a database file whole on its own (its log copied back, rollback-journal mode), ready to be moved. */
export function settleIntoOneFile(db: Db): void {
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.pragma('journal_mode = DELETE');
}

/**
 * Whether the database can be written: a write transaction that rewrites one header field with its own
 * value, rolled back. SQLite opens a file it may not write read-only without a word; this says so.
 * Throws SQLite's error (SQLITE_READONLY, SQLITE_FULL, SQLITE_IOERR…) when it cannot.
 */
export function probeWrite(db: Db): void {
  const sqlite = db.$client;
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const id = Number(sqlite.pragma('application_id', { simple: true }));
    sqlite.pragma(`application_id = ${id}`);
  } finally {
    sqlite.exec('ROLLBACK');
  }
}

/** PRAGMA quick_check of a database file, opened as it is (nothing written, no pragmas set): [] when whole. */
export function quickCheckFile(path: string): string[] {
  const sqlite = new Database(path, { fileMustExist: true });
  try {
    const lines = (sqlite.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
  } finally {
    sqlite.close();
  }
}
