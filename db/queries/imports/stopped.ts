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
      db.update(imports).set({ status: 'refused', refusalCode: code, refusalMessage: message, finishedAt: NOW }).where(eq(imports.id, importId)).run(),
    /** Forgets an import entirely (a dry run leaves no record); its staged rows go with it. */
    deleteImport: (importId: number) => db.delete(imports).where(eq(imports.id, importId)).run(),
  };
}
