// Importing a department's spreadsheet: archive it, read it in a child process, stage the rows with
// their comparison to the catalogue, report; then confirm (a submission, or for a baseline straight
// into the catalogue) or discard. A refused or failed import changes nothing in the catalogue.
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import type { Config } from '../config.js';
import { errors } from '../errors.js';
import { accessOf, can, isOwnScoped, type Subject } from '../auth/policy.js';
import { readUploadInChild } from '../../imports/run-worker.js';
import { sniffFile } from '../../imports/sniff.js';
import type { RegistryInstrument } from '../../imports/legal-basis.js';
import { RefusedUpload } from '../../imports/types.js';
import { ZipArchive } from '../../imports/zip.js';
import { registryForChecks } from '../checks/load.js';
import { buildCheckContext, checkDeps } from '../checks/context.js';
import { DEFAULT_READ_LIMITS } from '../domain/limits.js';
import { archiveUpload, sha256OfFile } from './archive.js';
import { checkpointInBackground } from './checkpointer.js';
import { emptyCounts, normaliseDepartmentName, presentFields, stageBatch, type StageContext } from './stage.js';

export type ImportMode = 'submission' | 'dry_run' | 'baseline';

export interface ImportRequest {
  path: string;
  originalName: string;
  /** A department's own list; null = a whole catalogue (legal office and admin only). */
  departmentCode: string | null;
  mode: ImportMode;
  actor: Actor;
  /** Who asks. Null only for a dry run from the command line. */
  subject: Subject | null;
  /** Move the file into the archive instead of copying it (web uploads in a temp folder). */
  moveFile?: boolean;
}

export interface ImportReport {
  importId: number | null;
  status: 'ready' | 'refused';
  refusal: { code: string; message: string } | null;
  rows: number;
  items: number;
  errors: { sheet: string; row: number; column: string; message: string }[];
  warnings: { sheet: string; row: number; column: string; message: string }[];
  new: number;
  changed: number;
  unchanged: number;
  missing: number;
  noBasis: number;
  unknownDepartments: string[];
  sha256: string;
  previousUpload: { importId: number; by: string; at: string; status: string } | null;
}


/** Who may run which import; a department is always confined to its own department. */
export function authoriseImport(subject: Subject | null, mode: ImportMode, departmentCode: string | null, ownDepartmentCode: string | null): void {
  if (!subject) {
    if (mode !== 'dry_run') throw errors.forbidden('导入并保存需要指定执行导入的账号（--user）。');
    return;
  }
  if (mode === 'baseline' && !can(subject, 'create:baseline')) throw errors.forbidden('只有法制办和管理员可以把清单直接载入工作目录（--baseline）。');
  if (departmentCode === null && accessOf(subject, 'create:import') !== 'any') throw errors.forbidden('只有法制办和管理员可以导入全部部门的清单。');
  if (isOwnScoped(subject, 'create:import') && departmentCode !== ownDepartmentCode) throw errors.forbidden('只能导入本部门的事项清单。');
  if (!can(subject, 'create:import')) throw errors.forbidden('您的角色不能导入清单。');
}

let registryCache: { db: Db; version: string; instruments: RegistryInstrument[] } | null = null;
/** The registry as the reading child matches citations against it; read again when an instrument was added or edited. */
export function registryInstruments(db: Db): RegistryInstrument[] {
  const { n, u } = db.$client.prepare('SELECT count(*) AS n, max(updated_at) AS u FROM legal_instruments').get() as { n: number; u: string | null };
  const version = `${n}|${u ?? ''}`;
  if (registryCache && registryCache.db === db && registryCache.version === version) return registryCache.instruments;
  const instruments = db.$client
    .prepare('SELECT id, title, normalized_title AS normalizedTitle, status, published_on AS publishedOn FROM legal_instruments')
    .all() as RegistryInstrument[];
  registryCache = { db, version, instruments };
  return instruments;
}

export function departmentNameIndex(db: Db): Map<string, number> {
  const map = new Map<string, number>();
  for (const d of db.$client.prepare('SELECT id, name, aliases FROM departments').all() as { id: number; name: string; aliases: string }[]) {
    map.set(normaliseDepartmentName(d.name), d.id);
    for (const alias of JSON.parse(d.aliases) as string[]) map.set(normaliseDepartmentName(alias), d.id);
  }
  return map;
}

export interface ImportHooks {
  onProgress?: (rows: number) => void;
  /** Called once the import is recorded, before the file is read (the web answers then and polls). */
  onStarted?: (importId: number) => void;
  /** Peak memory of the reading child process (benchmarks). */
  onReaderDone?: (result: { maxRssKb: number; stageMs: number }) => void;
}

export async function runImport(db: Db, config: Config, request: ImportRequest, hooks: ImportHooks = {}): Promise<ImportReport> {
  const { onProgress } = hooks;
  const sqlite = db.$client;
  const department = request.departmentCode
    ? (sqlite.prepare('SELECT id, code, name FROM departments WHERE code = ?').get(request.departmentCode.toUpperCase()) as
        | { id: number; code: string; name: string }
        | undefined)
    : null;
  if (request.departmentCode && !department) throw errors.invalid(`部门 ${request.departmentCode} 不存在。`);
  const ownCode = request.subject?.departmentId
    ? ((sqlite.prepare('SELECT code FROM departments WHERE id = ?').get(request.subject.departmentId) as { code: string } | undefined)?.code ?? null)
    : null;
  authoriseImport(request.subject, request.mode, department?.code ?? null, ownCode);

  const { sha256, size } = await sha256OfFile(request.path);
  const previous = sqlite
    .prepare('SELECT i.id, i.created_by, i.created_at, i.status FROM imports i JOIN uploads u ON u.id = i.upload_id WHERE u.sha256 = ? ORDER BY i.id DESC LIMIT 1')
    .get(sha256) as { id: number; created_by: string; created_at: string; status: string } | undefined;
  const previousUpload = previous ? { importId: previous.id, by: previous.created_by, at: previous.created_at, status: previous.status } : null;

  const importId = Number(
    sqlite
      .prepare('INSERT INTO imports (original_name, department_id, mode, status, created_by, created_by_id) VALUES (?, ?, ?, ?, ?, ?)')
      .run(request.originalName, department?.id ?? null, request.mode, 'reading', request.actor.name, request.actor.id).lastInsertRowid,
  );
  hooks.onStarted?.(importId);
  const counts = emptyCounts();
  const ctx: StageContext = {
    db,
    importId,
    fixedDepartment: department ? { id: department.id, name: department.name } : null,
    departmentsByName: departmentNameIndex(db),
    present: ['name', 'category'],
    unknownDepartments: new Set(),
    departmentIds: new Set(),
    checkRegistry: registryForChecks(checkDeps(db).checks),
    checkContext: buildCheckContext(checkDeps(db), { scope: 'catalogue' }),
  };

  const finishRefused = (code: string, message: string): ImportReport => {
    withTransaction(db, () => {
      sqlite.prepare('DELETE FROM import_rows WHERE import_id = ?').run(importId);
      if (request.mode === 'dry_run') sqlite.prepare('DELETE FROM imports WHERE id = ?').run(importId);
      else
        sqlite
          .prepare("UPDATE imports SET status = 'refused', refusal_code = ?, refusal_message = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?")
          .run(code, message, importId);
    });
    return {
      importId: request.mode === 'dry_run' ? null : importId,
      status: 'refused',
      refusal: { code, message },
      rows: 0,
      items: 0,
      errors: [],
      warnings: [],
      new: 0,
      changed: 0,
      unchanged: 0,
      missing: 0,
      noBasis: 0,
      unknownDepartments: [],
      sha256,
      previousUpload,
    };
  };

  let format: 'xlsx' | 'csv';
  let rowsRead = 0;
  let stageMs = 0;
  try {
    if (size > config.uploadMaxBytes) {
      throw new RefusedUpload('zip.too_large', `文件大小 ${(size / 1048576).toFixed(0)} MB 超过上限 ${(config.uploadMaxBytes / 1048576).toFixed(0)} MB，请拆分后上传。`);
    }
    format = (await sniffFile(request.path)).format;
    const memoryMb = await readerHeapMb(request.path, format, config.importMemoryMb);
    const registry = registryInstruments(db);
    const checkpoints = checkpointInBackground(db);
    const result = await readUploadInChild(request.path, {
      memoryMb,
      registry,
      timeoutMs: config.importTimeoutMs,
      onSheet: (info) => {
        if (info.headerRow !== null) ctx.present = presentFields(info.headers);
      },
      onRows: (rows, read) => {
        const t = performance.now();
        stageBatch(ctx, rows, counts);
        stageMs += performance.now() - t;
        rowsRead = read;
        sqlite.prepare('UPDATE imports SET progress_rows = ? WHERE id = ?').run(read, importId);
        onProgress?.(read);
      },
    }).finally(() => checkpoints.stop());
    rowsRead = result.rowsRead;
    hooks.onReaderDone?.({ ...result, stageMs });
  } catch (error) {
    if (error instanceof RefusedUpload) return finishRefused(error.code, error.message);
    // An unexpected failure: the clerk gets a plain message; the technical detail goes to the server log.
    console.error(`import ${importId} failed`, error);
    finishRefused('failed', '读取文件时出现意外错误，已停止，目录没有任何改动。请重新上传；如仍失败，请联系管理员并提供导入编号。');
    throw error;
  }

  const missing = countMissing(db, importId, department?.id ?? null, ctx.departmentIds);
  const finalCounts = {
    rows: rowsRead,
    items: counts.items,
    errors: counts.errorRows,
    new: counts.new,
    changed: counts.changed,
    unchanged: counts.unchanged,
    missing,
    noBasis: counts.noBasis,
  };
  withTransaction(db, () => {
    let uploadId: number | null = null;
    if (request.mode !== 'dry_run') {
      uploadId = archiveUpload(db, config.uploadsDir, { path: request.path, sha256, size, originalName: request.originalName, format, move: !!request.moveFile }, request.actor.name).uploadId;
      appendAudit(db, request.actor, {
        action: 'import.upload',
        entityType: 'import',
        entityId: importId,
        after: { file: request.originalName, sha256, size, department: department?.code ?? null, mode: request.mode, counts: finalCounts },
      });
    }
    sqlite
      .prepare(
        "UPDATE imports SET status = 'ready', upload_id = ?, counts = ?, unknown_departments = ?, progress_rows = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
      )
      .run(uploadId, JSON.stringify(finalCounts), JSON.stringify([...ctx.unknownDepartments]), rowsRead, importId);
  });
  const report = importReport(db, importId, { sha256, previousUpload });
  if (request.mode === 'dry_run') withTransaction(db, () => sqlite.prepare('DELETE FROM imports WHERE id = ?').run(importId));
  return request.mode === 'dry_run' ? { ...report, importId: null } : report;
}

/**
 * The reading child's heap: rows stream through it, so it needs little, except a workbook's shared-string
 * table, which it holds whole. A small heap makes V8 collect early and keeps the reader's footprint
 * small; the declared table size (only an estimate: the reader caps real sizes itself) sets how much more.
 */
export async function readerHeapMb(path: string, format: 'xlsx' | 'csv', maxMb: number): Promise<number> {
  const BASE_MB = 200;
  if (format !== 'xlsx') return Math.min(maxMb, BASE_MB);
  let archive: ZipArchive | null = null;
  try {
    archive = await ZipArchive.open(path, DEFAULT_READ_LIMITS);
    const sst = archive.entries.find((e) => /(^|\/)sharedStrings\.xml$/i.test(e.name));
    const sstMb = sst ? sst.declaredSize / 1048576 : 0;
    return Math.min(maxMb, Math.ceil(BASE_MB + sstMb * 3));
  } catch {
    return Math.min(maxMb, BASE_MB);
  } finally {
    await archive?.close();
  }
}

/** Items of the import's departments (its own, or every one its rows belong to) that no row matched. */
function countMissing(db: Db, importId: number, departmentId: number | null, rowDepartments: Set<number>): number {
  const scope = departmentId !== null ? 'i.department_id = @departmentId' : 'i.department_id IN (SELECT value FROM json_each(@rowDepartments))';
  return (
    db.$client
      .prepare(
        `SELECT count(*) AS n FROM items i WHERE i.removed_at IS NULL AND ${scope}
           AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.import_id = @importId AND r.item_id = i.id)`,
      )
      .get({ importId, departmentId, rowDepartments: JSON.stringify([...rowDepartments]) }) as { n: number }
  ).n;
}

type Issue = { sheet: string; row: number; column: string; message: string };

/** The report of a staged import, as the CLI prints it and the preview shows it. */
export function importReport(
  db: Db,
  importId: number,
  extra: { sha256?: string; previousUpload?: ImportReport['previousUpload'] } = {},
): ImportReport {
  const sqlite = db.$client;
  const imp = sqlite.prepare('SELECT i.*, u.sha256 FROM imports i LEFT JOIN uploads u ON u.id = i.upload_id WHERE i.id = ?').get(importId) as
    | { status: string; counts: string; unknown_departments: string; refusal_code: string | null; refusal_message: string | null; sha256: string | null; upload_id: number | null }
    | undefined;
  if (!imp) throw errors.notFound('导入记录');
  const earlier = imp.upload_id
    ? (sqlite.prepare('SELECT id, created_by, created_at, status FROM imports WHERE upload_id = ? AND id < ? ORDER BY id DESC LIMIT 1').get(imp.upload_id, importId) as
        | { id: number; created_by: string; created_at: string; status: string }
        | undefined)
    : undefined;
  const counts = JSON.parse(imp.counts) as Record<string, number>;
  const errorsList: Issue[] = [];
  const warningsList: Issue[] = [];
  for (const r of sqlite
    .prepare('SELECT sheet, row_number, errors, warnings FROM import_rows WHERE import_id = ? AND (errors IS NOT NULL OR warnings IS NOT NULL) ORDER BY id')
    .iterate(importId) as IterableIterator<{ sheet: string; row_number: number; errors: string | null; warnings: string | null }>) {
    for (const e of JSON.parse(r.errors ?? '[]') as { column: string; message: string }[]) errorsList.push({ sheet: r.sheet, row: r.row_number, ...e });
    for (const w of JSON.parse(r.warnings ?? '[]') as { column: string; message: string }[]) warningsList.push({ sheet: r.sheet, row: r.row_number, ...w });
  }
  return {
    importId,
    status: imp.status === 'refused' ? 'refused' : 'ready',
    refusal: imp.refusal_code ? { code: imp.refusal_code, message: imp.refusal_message ?? '' } : null,
    rows: counts.rows ?? 0,
    items: counts.items ?? 0,
    errors: errorsList,
    warnings: warningsList,
    new: counts.new ?? 0,
    changed: counts.changed ?? 0,
    unchanged: counts.unchanged ?? 0,
    missing: counts.missing ?? 0,
    noBasis: counts.noBasis ?? 0,
    unknownDepartments: JSON.parse(imp.unknown_departments) as string[],
    sha256: extra.sha256 ?? imp.sha256 ?? '',
    previousUpload: extra.previousUpload ?? (earlier ? { importId: earlier.id, by: earlier.created_by, at: earlier.created_at, status: earlier.status } : null),
  };
}
