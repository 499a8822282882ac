// Backup and restore. A backup is a folder:
//   <out>/catalogue.db    the database, copied with SQLite's online backup API (safe while the server
//                         writes: one consistent snapshot, the write-ahead log's commits included)
//   <out>/uploads/…       every archived upload the database refers to, by its path relative to the
//                         uploads folder (<sha256[0..2]>/<sha256>.<format>)
//   <out>/backup.json     what was backed up, when, and each file's SHA-256
// It is written under a temporary name and renamed into place at the end: a folder named <out> is always
// a whole backup. A restore checks everything (integrity, the audit chain, every published version's
// hash, every upload's hash) on a copy BEFORE it replaces anything, and replaces the database by a
// rename: the database file is always either the old one or the whole restored one.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Db } from '../../db/client.js';
import { openDurable } from '../../db/durability.js';
import { archivedUploads, backupDatabase, integrityProblems, openCopy, settleIntoOneFile, takeSoleAccess } from '../../db/queries/backup.js';
import { verifyAuditLog } from '../../db/audit.js';
import { listVersions } from '../../db/queries/publication/versions.js';
import { verifyVersions } from '../publication/verify.js';
import { sha256OfFile } from '../imports/archive.js';
import { OPERATIONS } from '../domain/labels.js';

export const BACKUP_DATABASE = 'catalogue.db';
export const BACKUP_UPLOADS = 'uploads';
export const BACKUP_MANIFEST = 'backup.json';

/** A backup or restore that was refused or failed, said in Chinese; nothing was replaced. */
export class OperationRefused extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export interface BackupManifest {
  format: 1;
  createdAt: string;
  database: { file: string; bytes: number; sha256: string };
  uploads: { count: number; missing: string[] };
}

const partialName = (path: string, what: string) => join(dirname(path), `.${basename(path)}.${what}-${randomBytes(4).toString('hex')}`);

/** Where an upload's file lives: stored paths are relative to the uploads folder (absolute ones, from before, as they are). */
const uploadFile = (uploadsDir: string, storedPath: string) => (isAbsolute(storedPath) ? storedPath : join(uploadsDir, storedPath));

/** Backs up the database and its uploads into the new folder `out`. */
export async function createBackup(db: Db, uploadsDir: string, out: string): Promise<BackupManifest> {
  const target = resolve(out);
  if (existsSync(target)) throw new OperationRefused(OPERATIONS.backupExists(out), 2);
  mkdirSync(dirname(target), { recursive: true });
  const partial = partialName(target, 'partial');
  mkdirSync(partial);
  try {
    const dbFile = join(partial, BACKUP_DATABASE);
    await backupDatabase(db, dbFile);
    // The uploads the copy refers to: the snapshot's own list, so the two always belong together.
    const copy = openCopy(dbFile, { readonly: true });
    const stored = (() => {
      try {
        return archivedUploads(copy);
      } finally {
        copy.$client.close();
      }
    })();
    const missing: string[] = [];
    let count = 0;
    for (const u of stored) {
      const relative = isAbsolute(u.storedPath) ? `${u.sha256.slice(0, 2)}/${basename(u.storedPath)}` : u.storedPath;
      const source = uploadFile(uploadsDir, u.storedPath);
      if (!existsSync(source)) {
        missing.push(relative);
        continue;
      }
      const dest = join(partial, BACKUP_UPLOADS, relative);
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(source, dest);
      count++;
    }
    const manifest: BackupManifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      database: { file: BACKUP_DATABASE, bytes: statSync(dbFile).size, sha256: (await sha256OfFile(dbFile)).sha256 },
      uploads: { count, missing },
    };
    writeFileSync(join(partial, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(partial, target);
    return manifest;
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    if (err instanceof OperationRefused) throw err;
    throw new OperationRefused(OPERATIONS.backupFailed(describe(err)), 1);
  }
}

export interface RestoreResult {
  dbPath: string;
  /** The database the restore replaced, kept beside it (null when there was none). */
  kept: string | null;
  uploads: number;
  missingUploads: number;
  versions: number;
  auditEntries: number;
}

/**
 * Restores the backup folder `from` into the database file `dbPath` and the uploads folder. Every check
 * runs on a copy first; a refusal leaves the database and the uploads folder as they were.
 */
export async function restoreBackup(from: string, dbPath: string, uploadsDir: string): Promise<RestoreResult> {
  const source = join(from, BACKUP_DATABASE);
  if (!existsSync(source)) throw new OperationRefused(OPERATIONS.restoreNotABackup(from), 2);
  const target = resolve(dbPath);
  mkdirSync(dirname(target), { recursive: true });
  const staged = partialName(target, 'restoring');
  copyFileSync(source, staged);
  try {
    const checked = await checkCopy(staged, from);
    if (existsSync(target) && !takeSoleAccess(target)) throw new OperationRefused(OPERATIONS.restoreInUse(dbPath), 3);
    // The uploads first: extra files in the archive are harmless; a database naming files not there is not.
    let copied = 0;
    for (const relative of checked.uploads) {
      const dest = join(uploadsDir, relative);
      if (existsSync(dest)) continue;
      mkdirSync(dirname(dest), { recursive: true });
      const part = `${dest}.partial`;
      copyFileSync(join(from, BACKUP_UPLOADS, relative), part);
      renameSync(part, dest);
      copied++;
    }
    let kept: string | null = null;
    if (existsSync(target)) {
      kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        linkSync(target, kept);
      } catch {
        copyFileSync(target, kept);
      }
    }
    for (const side of ['-wal', '-shm', '-journal']) rmSync(`${target}${side}`, { force: true });
    renameSync(staged, target);
    return { dbPath: target, kept, uploads: copied, missingUploads: checked.missingUploads, versions: checked.versions, auditEntries: checked.auditEntries };
  } catch (err) {
    rmSync(staged, { force: true });
    for (const side of ['-wal', '-shm', '-journal']) rmSync(`${staged}${side}`, { force: true });
    if (err instanceof OperationRefused) throw err;
    throw new OperationRefused(OPERATIONS.restoreNotADatabase, 1, [describe(err)]);
  }
}

/** The checks a backup's database passes before it may replace anything; brings the copy to the current schema. */
async function checkCopy(staged: string, from: string): Promise<{ uploads: string[]; missingUploads: number; versions: number; auditEntries: number }> {
  let copy: Db;
  try {
    copy = openCopy(staged);
    const problems = integrityProblems(copy);
    if (problems.length) {
      copy.$client.close();
      throw new OperationRefused(OPERATIONS.restoreDamaged, 1, problems.slice(0, 20));
    }
    copy.$client.close();
    // A backup of an older release gets this release's migrations, on the copy.
    copy = openDurable(staged);
  } catch (err) {
    if (err instanceof OperationRefused) throw err;
    throw new OperationRefused(OPERATIONS.restoreNotADatabase, 1, [describe(err)]);
  }
  try {
    const audit = verifyAuditLog(copy);
    if (!audit.ok) throw new OperationRefused(OPERATIONS.restoreAuditBroken, 1, audit.problems.slice(0, 20));
    const versions = listVersions(copy);
    for (const result of verifyVersions(copy, versions.map((v) => v.number))) {
      if (!result.ok) throw new OperationRefused(OPERATIONS.restoreVersionAltered(result.version), 1, result.problems.slice(0, 20).map((p) => p.message));
    }
    const uploads: string[] = [];
    let missingUploads = 0;
    for (const u of archivedUploads(copy)) {
      const file = join(from, BACKUP_UPLOADS, u.storedPath);
      if (!existsSync(file)) {
        missingUploads++;
        continue;
      }
      if ((await sha256OfFile(file)).sha256 !== u.sha256) throw new OperationRefused(OPERATIONS.restoreUploadAltered(u.storedPath));
      uploads.push(u.storedPath);
    }
    settleIntoOneFile(copy);
    return { uploads, missingUploads, versions: versions.length, auditEntries: audit.entries };
  } finally {
    copy.$client.close();
  }
}

/** The backup's manifest, when it has one. */
export function readManifest(from: string): BackupManifest | null {
  try {
    return JSON.parse(readFileSync(join(from, BACKUP_MANIFEST), 'utf8')) as BackupManifest;
  } catch {
    return null;
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return [e.code, e.message].filter(Boolean).join(' ') || String(err);
}
