// At start-up: imports left 'reading' by a process that is gone (killed, a power cut, a full disk that
// stopped the server) are ended. Each is marked failed with a Chinese reason the clerk sees, its staged
// rows are removed in the same transaction (with an audit entry), and a web upload's temporary file is
// deleted. The clerk can then discard it or upload the file again.
import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { appendAudit, SYSTEM_ACTOR, withTransaction } from '../../db/audit.js';
import type { Db } from '../../db/client.js';
import type { ImportRepository } from '../../db/queries/imports.js';
import { MESSAGES } from '../domain/labels.js';
import { processAlive } from '../jobs/alive.js';
import { isBeingReadHere } from './service.js';

/**
 * Whether the process that was reading an import is gone: another process that died, or this one
 * when it no longer reads it (its reading stopped and could not even record that, as on a full disk).
 */
export function readerGone(imp: { id: number; readerPid: number | null }): boolean {
  if (imp.readerPid === null) return true;
  if (imp.readerPid === process.pid) return !isBeingReadHere(imp.id);
  return !processAlive(imp.readerPid);
}

/** A web upload waits in a private folder of its own (server/http/upload.ts): that folder goes with it. */
const TEMP_FOLDER = /^catalogue-upload-/;

export function removeTemporaryUpload(path: string): void {
  const folder = dirname(path);
  rmSync(TEMP_FOLDER.test(basename(folder)) ? folder : path, { recursive: true, force: true });
}

/** Ends the imports interrupted by a process that died; returns their ids. */
export function recoverInterruptedImports(db: Db, repo: ImportRepository): number[] {
  const ended: number[] = [];
  for (const imp of repo.readingImports()) {
    if (!readerGone(imp)) continue;
    withTransaction(db, () => {
      repo.clearStagedRows(imp.id);
      repo.markFailed(imp.id, 'interrupted', MESSAGES.importInterrupted);
      appendAudit(db, SYSTEM_ACTOR, { action: 'import.interrupted', entityType: 'import', entityId: imp.id, after: { status: 'failed' } });
    });
    if (imp.tempPath) removeTemporaryUpload(imp.tempPath);
    ended.push(imp.id);
  }
  return ended;
}
