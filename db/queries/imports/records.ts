// The imports table: recording an import, following it from reading to its decision, and the
// summaries the department's list and the progress page show.
import { and, desc, eq, gt, lt, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { auditLog, departments, imports, uploads, IMPORT_MODES } from '../../schema.js';

const NOW = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const p = sql.placeholder;

export type ImportModeCode = (typeof IMPORT_MODES)[number];

export interface ImportSummary {
  id: number;
  originalName: string;
  departmentName: string | null;
  mode: string;
  status: string;
  createdBy: string;
  createdAt: string;
  progressRows: number;
  counts: Record<string, number>;
  refusalMessage: string | null;
  unknownDepartments: string[];
  departmentId: number | null;
  submissionId: number | null;
  complete: boolean;
  /** The process reading it, while it is read. */
  readerPid: number | null;
}

/** An earlier import of the same file, as the report mentions it. */
export interface EarlierImport {
  importId: number;
  by: string;
  at: string;
  status: string;
}

const summaryColumns = {
  id: imports.id,
  originalName: imports.originalName,
  departmentName: departments.name,
  mode: imports.mode,
  status: imports.status,
  createdBy: imports.createdBy,
  createdAt: imports.createdAt,
  progressRows: imports.progressRows,
  counts: imports.counts,
  refusalMessage: imports.refusalMessage,
  unknownDepartments: imports.unknownDepartments,
  departmentId: imports.departmentId,
  submissionId: imports.submissionId,
  complete: imports.complete,
  readerPid: imports.readerPid,
};
const earlierColumns = { importId: imports.id, by: imports.createdBy, at: imports.createdAt, status: imports.status };

export function importRecords(db: Db) {
  const summaries = () => db.select(summaryColumns).from(imports).leftJoin(departments, eq(departments.id, imports.departmentId));
  const summaryById = summaries().where(eq(imports.id, p('id'))).prepare();
  const allSummaries = summaries().orderBy(desc(imports.id)).limit(p('limit')).prepare();
  const departmentSummaries = summaries().where(eq(imports.departmentId, p('departmentId'))).orderBy(desc(imports.id)).limit(p('limit')).prepare();
  const recordById = db.select().from(imports).where(eq(imports.id, p('id'))).prepare();
  const withUpload = db
    .select({ record: imports, sha256: uploads.sha256 })
    .from(imports)
    .leftJoin(uploads, eq(uploads.id, imports.uploadId))
    .where(eq(imports.id, p('id')))
    .prepare();
  const lastOfFile = db
    .select(earlierColumns)
    .from(imports)
    .innerJoin(uploads, eq(uploads.id, imports.uploadId))
    // Only the same department's imports (null: imports of the whole catalogue): one department never
    // learns who in another uploaded the same file, or when.
    .where(and(eq(uploads.sha256, p('sha256')), sql`${imports.departmentId} IS ${p('departmentId')}`))
    .orderBy(desc(imports.id))
    .limit(1)
    .prepare();
  const earlierOfUpload = db
    .select(earlierColumns)
    .from(imports)
    .where(
      and(
        eq(imports.uploadId, p('uploadId')),
        lt(imports.id, p('before')),
        sql`${imports.departmentId} IS (SELECT later.department_id FROM imports AS later WHERE later.id = ${p('before')})`,
      ),
    )
    .orderBy(desc(imports.id))
    .limit(1)
    .prepare();
  const lastOfUpload = db.select(earlierColumns).from(imports).where(eq(imports.uploadId, p('uploadId'))).orderBy(desc(imports.id)).limit(1).prepare();
  const progress = db.update(imports).set({ progressRows: sql`${p('rows')}` }).where(eq(imports.id, p('id'))).prepare();

  return {
    importSummary: (id: number): ImportSummary | null => summaryById.get({ id }) ?? null,
    /** A department's imports (or all, for departmentId null), newest first. */
    listImports: (departmentId: number | null, limit = 50): ImportSummary[] =>
      departmentId === null ? allSummaries.all({ limit }) : departmentSummaries.all({ departmentId, limit }),
    importRecord: (id: number) => recordById.get({ id }),
    /** The import with the hash of its archived file (none before it is accepted). */
    importWithUpload: (id: number) => withUpload.get({ id }),
    /** The latest import of a file with this content, whoever made it. */
    /** The latest import of a file for the same department (`departmentId` null: for the whole catalogue). */
    lastImportOfFile: (sha256: string, departmentId: number | null): EarlierImport | null => lastOfFile.get({ sha256, departmentId }) ?? null,
    lastImportOfUpload: (uploadId: number): EarlierImport | null => lastOfUpload.get({ uploadId }) ?? null,
    /** The import of the same archived file made just before this one, for the same department. */
    importBefore: (uploadId: number, importId: number): EarlierImport | null => earlierOfUpload.get({ uploadId, before: importId }) ?? null,

    /** Records an import as it starts reading. */
    createImport: (values: {
      originalName: string;
      departmentId: number | null;
      mode: ImportModeCode;
      complete?: boolean;
      createdBy: string;
      createdById: number | null;
      readerPid?: number | null;
      tempPath?: string | null;
    }): number =>
      db.insert(imports).values({ ...values, status: 'reading' }).returning({ id: imports.id }).get().id,
    recordProgress: (id: number, rows: number) => progress.run({ id, rows }),
    markReady: (id: number, values: { uploadId: number | null; counts: Record<string, number>; unknownDepartments: string[]; progressRows: number }) =>
      db.update(imports).set({ status: 'ready', ...values, readerPid: null, tempPath: null, finishedAt: NOW }).where(eq(imports.id, id)).run(),
    markConfirmed: (id: number, submissionId: number | null) =>
      db.update(imports).set({ status: 'confirmed', submissionId, finishedAt: NOW }).where(eq(imports.id, id)).run(),
    markDiscarded: (id: number) => db.update(imports).set({ status: 'discarded', readerPid: null, tempPath: null, finishedAt: NOW }).where(eq(imports.id, id)).run(),

    /** The audit log's last entry: every change to data appends one, so a later entry means something changed. */
    lastAuditSeq: (): number => db.select({ seq: sql<number | null>`max(${auditLog.seq})` }).from(auditLog).get()?.seq ?? 0,
    /** Whether the audit log has an entry after `seq` whose action is not one of `except`. */
    auditedAfter: (seq: number, except: readonly string[]): boolean =>
      db
        .select({ one: sql`1` })
        .from(auditLog)
        .where(and(gt(auditLog.seq, seq), notInArray(auditLog.action, [...except])))
        .limit(1)
        .get() !== undefined,
  };
}
