// An import that stopped before a decision: refused, failed, or a dry run that is done. Its staged
// rows go and its record says why, together, so a job runner can end imports left reading at start-up.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { importRows, imports } from '../../schema.js';

const NOW = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export function stoppedImports(db: Db) {
  return {
    /** Drops what an import staged; its record stays. */
    clearStagedRows: (importId: number) => db.delete(importRows).where(eq(importRows.importId, importId)).run(),
    /** Marks an import refused (or failed: code 'failed') with the message the clerk sees. */
    markRefused: (importId: number, code: string, message: string) =>
      db.update(imports).set({ status: 'refused', refusalCode: code, refusalMessage: message, readerPid: null, tempPath: null, finishedAt: NOW }).where(eq(imports.id, importId)).run(),
    /** Marks an import that stopped half-read (its process died) failed, with the message the clerk sees. */
    markFailed: (importId: number, code: string, message: string) =>
      db.update(imports).set({ status: 'failed', refusalCode: code, refusalMessage: message, readerPid: null, tempPath: null, finishedAt: NOW }).where(eq(imports.id, importId)).run(),
    /** Imports still marked as being read: the process reading each, and a web upload's temporary file. */
    readingImports: () =>
      db.select({ id: imports.id, readerPid: imports.readerPid, tempPath: imports.tempPath }).from(imports).where(eq(imports.status, 'reading')).all(),
    /** Forgets an import entirely (a dry run leaves no record); its staged rows go with it. */
    deleteImport: (importId: number) => db.delete(imports).where(eq(imports.id, importId)).run(),
  };
}
