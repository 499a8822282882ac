// Mappings of a file's columns and values: remembered per department and header set (upload_mappings),
// and how each import was read with them (import_layouts); reading an archived upload again.
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { importLayouts, importRows, imports, uploadMappings, uploads } from '../../schema.js';

/** A mapping as stored (imports/mapping.ts gives its meaning): header → column key or 'ignore'; column → file value → catalogue value. */
export interface StoredReadMapping {
  columns: Record<string, string>;
  values: Record<string, Record<string, string>>;
}

const NOW = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** How an import was read: what the preview's mapping forms are built from. */
export interface ImportLayout {
  /** Each sheet's header row and first rows (imports/mapping.ts SheetLayout). */
  sheets: unknown[];
  unrecognised: Record<string, Record<string, number>>;
  /** The mapping given when it was read (on top of the remembered ones its sheets used). */
  mapping: StoredReadMapping;
  /** Department names the catalogue does not know → a department code, or `new:CODE`. */
  departmentChoices: Record<string, string>;
}

export interface StoredMapping extends StoredReadMapping {
  id: number;
  headerKey: string;
  scope: string;
  updatedBy: string;
  updatedAt: string;
}

const asRemembered = (r: typeof uploadMappings.$inferSelect): StoredMapping => ({
  id: r.id,
  scope: r.scope,
  headerKey: r.headerKey,
  columns: r.columns,
  values: r.values,
  updatedBy: r.updatedBy,
  updatedAt: r.updatedAt,
});

export function importMappings(db: Db) {
  return {
    /** Every mapping remembered for a scope (a department `d:<id>`, or `all`). */
    rememberedMappings: (scope: string): StoredMapping[] => db.select().from(uploadMappings).where(eq(uploadMappings.scope, scope)).all().map(asRemembered),
    rememberedMapping: (scope: string, headerKey: string): StoredMapping | null => {
      const r = db.select().from(uploadMappings).where(and(eq(uploadMappings.scope, scope), eq(uploadMappings.headerKey, headerKey))).get();
      return r ? asRemembered(r) : null;
    },
    /** Every remembered mapping, newest change first (the saved-mappings page filters them by who may see them). */
    allRememberedMappings: (): StoredMapping[] => db.select().from(uploadMappings).orderBy(sql`${uploadMappings.updatedAt} DESC`, sql`${uploadMappings.id} DESC`).all().map(asRemembered),
    /** Forgets a remembered mapping: files with its header row are read as if it had never been chosen. */
    forgetMapping: (id: number) => db.delete(uploadMappings).where(eq(uploadMappings.id, id)).run(),
    /** Replaces what a remembered mapping says (its scope and header set stay). */
    replaceMapping: (id: number, mapping: StoredReadMapping, updatedBy: string) =>
      db.update(uploadMappings).set({ columns: mapping.columns, values: mapping.values, updatedBy, updatedAt: NOW }).where(eq(uploadMappings.id, id)).run(),
    rememberedMappingById: (id: number): StoredMapping | null => {
      const r = db.select().from(uploadMappings).where(eq(uploadMappings.id, id)).get();
      return r ? asRemembered(r) : null;
    },
    /** Remembers (or changes) the mapping of a scope's header set; returns its id. */
    rememberMapping: (values: { scope: string; headerKey: string; columns: Record<string, string>; values: Record<string, Record<string, string>>; updatedBy: string }): number =>
      db
        .insert(uploadMappings)
        .values(values)
        .onConflictDoUpdate({
          target: [uploadMappings.scope, uploadMappings.headerKey],
          set: { columns: values.columns, values: values.values, updatedBy: values.updatedBy, updatedAt: NOW },
        })
        .returning({ id: uploadMappings.id })
        .get().id,

    layoutOf: (importId: number): ImportLayout | null => {
      const r = db.select().from(importLayouts).where(eq(importLayouts.importId, importId)).get();
      if (!r) return null;
      return {
        sheets: r.sheets,
        unrecognised: r.unrecognised,
        mapping: { columns: {}, values: {}, ...(r.mapping as Partial<StoredReadMapping>) },
        departmentChoices: r.departmentChoices,
      };
    },
    /** Records how an import was read; department choices already made stay. */
    saveLayout: (importId: number, layout: { sheets: unknown[]; unrecognised: ImportLayout['unrecognised']; mapping: StoredReadMapping }) =>
      db
        .insert(importLayouts)
        .values({ importId, sheets: layout.sheets, unrecognised: layout.unrecognised, mapping: layout.mapping as unknown as Record<string, unknown> })
        .onConflictDoUpdate({
          target: importLayouts.importId,
          set: { sheets: layout.sheets, unrecognised: layout.unrecognised, mapping: layout.mapping as unknown as Record<string, unknown> },
        })
        .run(),
    saveDepartmentChoices: (importId: number, choices: Record<string, string>) =>
      db
        .insert(importLayouts)
        .values({ importId, departmentChoices: choices })
        .onConflictDoUpdate({ target: importLayouts.importId, set: { departmentChoices: choices } })
        .run(),

    /** How many rows name each department text the import could not match. */
    rowsPerUnmatchedDepartment: (importId: number): Map<string, number> =>
      new Map(
        db
          .select({ text: importRows.departmentText, n: count() })
          .from(importRows)
          .where(and(eq(importRows.importId, importId), sql`${importRows.departmentId} IS NULL`, sql`${importRows.departmentText} IS NOT NULL`))
          .groupBy(importRows.departmentText)
          .all()
          .map((r) => [r.text!, r.n]),
      ),

    /** The archived file of an import, to read it again. */
    archivedFile: (importId: number) =>
      db
        .select({ storedPath: uploads.storedPath, format: uploads.format, sha256: uploads.sha256, size: uploads.size })
        .from(imports)
        .innerJoin(uploads, eq(uploads.id, imports.uploadId))
        .where(eq(imports.id, importId))
        .get() ?? null,
    /** An import about to be read again: its rows go, it is reading. */
    /** Back to reading, by the process `readerPid` (an import whose reader is gone is ended: server/imports/recover.ts). */
    restartImport: (importId: number, readerPid: number) => {
      db.delete(importRows).where(eq(importRows.importId, importId)).run();
      db.update(imports)
        .set({ status: 'reading', readerPid, counts: {}, unknownDepartments: [], progressRows: 0, refusalCode: null, refusalMessage: null, finishedAt: null })
        .where(eq(imports.id, importId))
        .run();
    },
  };
}
