// Importing a department's spreadsheet: archive it, read it in a child process, stage the rows with
// their comparison to the catalogue, report; then confirm (a submission, or for a baseline straight
// into the catalogue) or discard. A refused or failed import changes nothing in the catalogue.
import type { Db } from '../../db/client.js';
import type { ImportRepository } from '../../db/queries/imports.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import type { Config } from '../config.js';
import { errors } from '../errors.js';
import { storageFault } from '../storage-faults.js';
import { accessOf, can, isOwnScoped, type Subject } from '../auth/policy.js';
import { readUploadInChild } from '../../imports/run-worker.js';
import { sniffFile } from '../../imports/sniff.js';
import type { RegistryInstrument } from '../../imports/legal-basis.js';
import { RefusedUpload } from '../../imports/types.js';
import { ZipArchive } from '../../imports/xlsx/zip.js';
import { registryForChecks } from '../checks/load.js';
import { buildCheckContext, checkDeps } from '../checks/context.js';
import { DEFAULT_READ_LIMITS } from '../domain/limits.js';
import { archiveUpload, sha256OfFile } from './archive.js';
import { CheckpointPauses, checkpointInBackground } from './checkpointer.js';
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

/**
 * What the import use cases take: the repository of the imports' own tables, and the database for the
 * transaction, the audit log and the areas an import hands over to (checks, review, the catalogue).
 */
export interface ImportDeps {
  db: Db;
  importRepository: ImportRepository;
}

let registryCache: { imports: ImportRepository; version: string; instruments: RegistryInstrument[] } | null = null;
/** The registry as the reading child matches citations against it; read again when an instrument was added or edited. */
export function registryInstruments(imports: ImportRepository): RegistryInstrument[] {
  const version = imports.registryVersion();
  if (registryCache && registryCache.imports === imports && registryCache.version === version) return registryCache.instruments;
  const instruments = imports.registryInstruments();
  registryCache = { imports, version, instruments };
  return instruments;
}

export function departmentNameIndex(imports: ImportRepository): Map<string, number> {
  const map = new Map<string, number>();
  for (const d of imports.departmentNames()) {
    map.set(normaliseDepartmentName(d.name), d.id);
    for (const alias of d.aliases) map.set(normaliseDepartmentName(alias), d.id);
  }
  return map;
}

export interface ImportHooks {
  onProgress?: (rows: number) => void;
  /** Called once the import is recorded, before the file is read (the web answers then and polls). */
  onStarted?: (importId: number) => void;
  /** Peak memory of the reading child process (benchmarks). */
  onReaderDone?: (result: { maxRssKb: number; stageMs: number }) => void;
  /** The connection's checkpoint pauses (server/services.ts), shared with the publish; a process with no other writer may leave it out. */
  checkpoints?: CheckpointPauses;
}

export async function runImport({ db, importRepository: repo }: ImportDeps, config: Config, request: ImportRequest, hooks: ImportHooks = {}): Promise<ImportReport> {
  const department = request.departmentCode ? repo.departmentByCode(request.departmentCode.toUpperCase()) : null;
  if (request.departmentCode && !department) throw errors.invalid(`部门 ${request.departmentCode} 不存在。`);
  const ownCode = request.subject?.departmentId ? (repo.departmentById(request.subject.departmentId)?.code ?? null) : null;
  authoriseImport(request.subject, request.mode, department?.code ?? null, ownCode);

  const { sha256, size } = await sha256OfFile(request.path);
  const previousUpload = repo.lastImportOfFile(sha256);

  const importId = repo.createImport({
    originalName: request.originalName,
    departmentId: department?.id ?? null,
    mode: request.mode,
    createdBy: request.actor.name,
    createdById: request.actor.id,
    // Who reads it and where a web upload waits: an import left reading by a process that is gone is
    // ended at start-up (server/imports/recover.ts), its temporary file removed.
    readerPid: process.pid,
    tempPath: request.moveFile ? request.path : null,
  });
  readingHere.add(importId);
  try {
    return await readAndStage({ db, importRepository: repo }, config, request, hooks, { importId, department, sha256, size, previousUpload });
  } finally {
    readingHere.delete(importId);
  }
}

/** Imports this process is reading now: one recorded as read here but not in this set was interrupted (a full disk). */
const readingHere = new Set<number>();
export const isBeingReadHere = (importId: number): boolean => readingHere.has(importId);

async function readAndStage(
  { db, importRepository: repo }: ImportDeps,
  config: Config,
  request: ImportRequest,
  hooks: ImportHooks,
  { importId, department, sha256, size, previousUpload }: {
    importId: number;
    department: { id: number; name: string; code: string } | null | undefined;
    sha256: string;
    size: number;
    previousUpload: ImportReport['previousUpload'];
  },
): Promise<ImportReport> {
  const { onProgress } = hooks;
  hooks.onStarted?.(importId);
  const counts = emptyCounts();
  const ctx: StageContext = {
    imports: repo,
    importId,
    fixedDepartment: department ? { id: department.id, name: department.name } : null,
    departmentsByName: departmentNameIndex(repo),
    present: ['name', 'category'],
    unknownDepartments: new Set(),
    departmentIds: new Set(),
    checkRegistry: registryForChecks(checkDeps(db).checks),
    checkContext: buildCheckContext(checkDeps(db), { scope: 'catalogue' }),
  };

  const finishRefused = (code: string, message: string): ImportReport => {
    withTransaction(db, () => {
      repo.clearStagedRows(importId);
      if (request.mode === 'dry_run') repo.deleteImport(importId);
      else repo.markRefused(importId, code, message);
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
    const registry = registryInstruments(repo);
    const checkpoints = checkpointInBackground(db, hooks.checkpoints ?? new CheckpointPauses());
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
        repo.recordProgress(importId, read);
        onProgress?.(read);
      },
    }).finally(() => checkpoints.stop());
    rowsRead = result.rowsRead;
    hooks.onReaderDone?.({ ...result, stageMs });
  } catch (error) {
    if (error instanceof RefusedUpload) return finishRefused(error.code, error.message);
    // An unexpected failure: the clerk gets a plain message; the technical detail goes to the server log.
    console.error(`import ${importId} failed`, error);
    // A full disk or a failing database file is named; recording even that may fail on a full disk, and
    // then the import's page says it was interrupted (its reader is gone, see recover.ts).
    const fault = storageFault(error);
    try {
      finishRefused('failed', fault?.message ?? '读取文件时出现意外错误，已停止，目录没有任何改动。请重新上传；如仍失败，请联系管理员并提供导入编号。');
    } catch (recording) {
      console.error(`import ${importId}: its failure could not be recorded`, recording);
    }
    throw error;
  }

  const missing = repo.countMissingItems(importId, department ? { departmentId: department.id } : { departmentIds: [...ctx.departmentIds] });
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
      uploadId = archiveUpload(repo, config.uploadsDir, { path: request.path, sha256, size, originalName: request.originalName, format, move: !!request.moveFile }, request.actor.name).uploadId;
      appendAudit(db, request.actor, {
        action: 'import.upload',
        entityType: 'import',
        entityId: importId,
        after: { file: request.originalName, sha256, size, department: department?.code ?? null, mode: request.mode, counts: finalCounts },
      });
    }
    repo.markReady(importId, { uploadId, counts: finalCounts, unknownDepartments: [...ctx.unknownDepartments], progressRows: rowsRead });
  });
  const report = importReport(repo, importId, { sha256, previousUpload });
  if (request.mode === 'dry_run') withTransaction(db, () => repo.deleteImport(importId));
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

type Issue = { sheet: string; row: number; column: string; message: string };

/** The report of a staged import, as the CLI prints it and the preview shows it. */
export function importReport(
  imports: ImportRepository,
  importId: number,
  extra: { sha256?: string; previousUpload?: ImportReport['previousUpload'] } = {},
): ImportReport {
  const found = imports.importWithUpload(importId);
  if (!found) throw errors.notFound('导入记录');
  const { record: imp, sha256 } = found;
  const earlier = imp.uploadId ? imports.importBefore(imp.uploadId, importId) : null;
  const counts = imp.counts;
  const errorsList: Issue[] = [];
  const warningsList: Issue[] = [];
  for (const r of imports.issues(importId)) {
    for (const e of r.errors) errorsList.push({ sheet: r.sheet, row: r.row, ...e });
    for (const w of r.warnings) warningsList.push({ sheet: r.sheet, row: r.row, ...w });
  }
  return {
    importId,
    status: imp.status === 'refused' ? 'refused' : 'ready',
    refusal: imp.refusalCode ? { code: imp.refusalCode, message: imp.refusalMessage ?? '' } : null,
    rows: counts.rows ?? 0,
    items: counts.items ?? 0,
    errors: errorsList,
    warnings: warningsList,
    new: counts.new ?? 0,
    changed: counts.changed ?? 0,
    unchanged: counts.unchanged ?? 0,
    missing: counts.missing ?? 0,
    noBasis: counts.noBasis ?? 0,
    unknownDepartments: imp.unknownDepartments,
    sha256: extra.sha256 ?? sha256 ?? '',
    previousUpload: extra.previousUpload ?? earlier,
  };
}
