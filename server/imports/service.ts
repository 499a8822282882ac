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
import { openReader, type Reader } from '../../imports/run-worker.js';
import { readerHeapMb, readerStartedEarly } from './early-reader.js';
import { sniffFile } from '../../imports/sniff.js';
import { readTemplateStamp } from '../../imports/template-stamp.js';
import type { RegistryInstrument } from '../../imports/legal-basis.js';
import { RefusedUpload } from '../../imports/types.js';
import type { ReadMapping, RememberedMapping, SheetLayout } from '../../imports/mapping.js';
import { registryForChecks } from '../checks/load.js';
import { buildCheckContext, checkDeps } from '../checks/context.js';
import { archiveUpload, archivedPath, sha256OfFile } from './archive.js';
import { CheckpointPauses, checkpointInBackground } from './checkpointer.js';
import { applyTemplateStamp, emptyCounts, endStaging, normaliseDepartmentName, presentFields, stageBatch, type StageContext } from './stage.js';

export type ImportMode = 'submission' | 'dry_run' | 'baseline';

export interface ImportRequest {
  path: string;
  originalName: string;
  /** A department's own list; null = a whole catalogue (legal office and admin only). */
  departmentCode: string | null;
  mode: ImportMode;
  /**
   * The file is the department's complete list: what it lacks is proposed for cancellation. A partial
   * file (the default) proposes nothing for what it lacks.
   */
  complete?: boolean;
  actor: Actor;
  /** Who asks. Null only for a dry run from the command line. */
  subject: Subject | null;
  /** Move the file into the archive instead of copying it (web uploads in a temp folder). */
  moveFile?: boolean;
  /** Header and value mappings given with the file (the command line's --column and --value). */
  mapping?: ReadMapping;
  /**
   * The report leaves its errors and warnings out (empty lists): the caller reads them a row at a time
   * with reportIssues (an upload may carry one on each of a million rows). Not for a dry run, whose
   * staged rows are gone when it returns.
   */
  issuesApart?: boolean;
  /**
   * The reading child already started on `path` (the command line starts it before its own code loads:
   * server/cli.ts); without it, one is started here.
   */
  reader?: Promise<Reader | null> | null;
}

export interface ImportReport {
  importId: number | null;
  status: 'ready' | 'refused';
  refusal: { code: string; message: string } | null;
  rows: number;
  items: number;
  errors: { sheet: string; row: number; column: string; message: string; cell?: string }[];
  warnings: { sheet: string; row: number; column: string; message: string; cell?: string }[];
  new: number;
  changed: number;
  unchanged: number;
  missing: number;
  noBasis: number;
  /** Whether the file was uploaded as the department's complete list (only then is `missing` proposed for cancellation). */
  complete: boolean;
  /** Rows where a stale pre-filled template would undo a later decision (not proposed unless ticked). */
  reverts: number;
  unknownDepartments: string[];
  /** No sheet's item column was found: a person must say which column it is before anything is read. */
  needsMapping: boolean;
  /** Each sheet's header row as read (or its likeliest one) with its first rows. */
  layouts: SheetLayout[];
  /** Column → distinct value the reader did not understand → rows. */
  unrecognised: Record<string, Record<string, number>>;
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
  // A department written by its code (some provincial lists do): after names, so a name always wins.
  for (const d of imports.departmentNames()) {
    const code = normaliseDepartmentName(d.code);
    if (!map.has(code)) map.set(code, d.id);
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

/** The remembered mappings' scope: a department's own, or the whole-catalogue imports'. */
export const mappingScope = (departmentId: number | null) => (departmentId === null ? 'all' : `d:${departmentId}`);

export async function runImport(deps: ImportDeps, config: Config, request: ImportRequest, hooks: ImportHooks = {}): Promise<ImportReport> {
  const repo = deps.importRepository;
  const department = request.departmentCode ? repo.departmentByCode(request.departmentCode.toUpperCase()) : null;
  if (request.departmentCode && !department) throw errors.invalid(`部门 ${request.departmentCode} 不存在。`);
  const ownCode = request.subject?.departmentId ? (repo.departmentById(request.subject.departmentId)?.code ?? null) : null;
  authoriseImport(request.subject, request.mode, department?.code ?? null, ownCode);

  // The reading child starts now, unless the command line started it already (request.reader): it reads
  // the workbook, its shared strings and its sheets' pre-scan while this process hashes the file, records
  // the import and gets the checks ready.
  const reader = await (request.reader ?? readerStartedEarly(request.path, config));
  let recorded: { importId: number; sha256: string; size: number; previousUpload: ImportReport['previousUpload'] };
  try {
    const { sha256, size } = await sha256OfFile(request.path);
    const previousUpload = repo.lastImportOfFile(sha256, department?.id ?? null);
    const importId = repo.createImport({
      originalName: request.originalName,
      departmentId: department?.id ?? null,
      mode: request.mode,
      complete: !!request.complete,
      createdBy: request.actor.name,
      createdById: request.actor.id,
      // Who reads it and where a web upload waits: an import left reading by a process that is gone is
      // ended at start-up (server/imports/recover.ts), its temporary file removed.
      readerPid: process.pid,
      tempPath: request.moveFile ? request.path : null,
    });
    recorded = { importId, sha256, size, previousUpload };
  } catch (e) {
    reader?.close();
    throw e;
  }
  const { importId, sha256, size, previousUpload } = recorded;
  hooks.onStarted?.(importId);
  try {
    return await readingHereWhile(importId, () =>
      readAndStage(deps, config, { importId, department: department ?? null, path: request.path, sha256, size, previousUpload, request, archive: true, reader }, hooks),
    );
  } finally {
    // Stopped in any case (it is already, unless staging failed before reading).
    reader?.close();
  }
}

/** Imports this process is reading now: one recorded as read here but not in this set was interrupted (a full disk). */
const readingHere = new Set<number>();
export const isBeingReadHere = (importId: number): boolean => readingHere.has(importId);
async function readingHereWhile<T>(importId: number, read: () => Promise<T>): Promise<T> {
  readingHere.add(importId);
  try {
    return await read();
  } finally {
    readingHere.delete(importId);
  }
}

/**
 * Reads an import's archived file again with a mapping, staging its rows anew: the catalogue is not
 * touched, and the import is ready for its preview again. Audited with the mapping it was read with.
 */
export async function restageImport(deps: ImportDeps, config: Config, importId: number, mapping: ReadMapping, actor: Actor, subject: Subject, hooks: ImportHooks = {}): Promise<ImportReport> {
  const { db, importRepository: repo } = deps;
  const imp = repo.importRecord(importId);
  if (!imp) throw errors.notFound('导入记录');
  if (!can(subject, 'create:import', { departmentId: imp.departmentId })) throw errors.forbidden('只能处理本部门的导入。');
  if (imp.mode === 'baseline' && !can(subject, 'create:baseline')) throw errors.forbidden();
  if (imp.status !== 'ready') throw errors.conflict(imp.status === 'reading' ? '文件正在读取中，请稍候再试。' : '该导入已经确认或放弃，不能再修改对应关系；请重新上传文件。');
  const file = repo.archivedFile(importId);
  if (!file) throw errors.conflict('找不到该导入的原始文件，请重新上传。');
  const department = imp.departmentId !== null ? repo.departmentById(imp.departmentId) : null;
  withTransaction(db, () => {
    repo.restartImport(importId, process.pid);
    appendAudit(db, actor, { action: 'import.remap', entityType: 'import', entityId: importId, after: { columns: mapping.columns, values: mapping.values } });
  });
  hooks.onStarted?.(importId);
  const request: ImportRequest = {
    path: archivedPath(config.uploadsDir, file.storedPath),
    originalName: imp.originalName,
    departmentCode: department?.code ?? null,
    mode: imp.mode,
    actor,
    subject,
    mapping,
  };
  return readingHereWhile(importId, () =>
    readAndStage(deps, config, { importId, department: department ?? null, path: archivedPath(config.uploadsDir, file.storedPath), sha256: file.sha256, size: file.size, previousUpload: null, request, archive: false }, hooks),
  );
}

interface Reading {
  importId: number;
  department: { id: number; code: string; name: string } | null;
  path: string;
  sha256: string;
  size: number;
  previousUpload: ImportReport['previousUpload'];
  request: ImportRequest;
  /** First reading: archive the file and log the upload. */
  archive: boolean;
  /** The reading child, when it was started before the import was recorded (runImport). */
  reader?: Reader | null;
}

async function readAndStage({ db, importRepository: repo }: ImportDeps, config: Config, reading: Reading, hooks: ImportHooks): Promise<ImportReport> {
  const { onProgress } = hooks;
  const { importId, department, request, sha256, size, previousUpload } = reading;
  const counts = emptyCounts();
  // The last change before the checks read the catalogue: confirming reuses the rows' findings only if
  // nothing the checks read changed after it (see stagedFindingsDate in confirm.ts).
  const checkedAfterAudit = repo.lastAuditSeq();
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
      complete: !!request.complete,
      reverts: 0,
      unknownDepartments: [],
      needsMapping: false,
      layouts: [],
      unrecognised: {},
      sha256,
      previousUpload,
    };
  };

  let format: 'xlsx' | 'csv';
  let rowsRead = 0;
  let stageMs = 0;
  let layouts: SheetLayout[] = [];
  let unrecognised: Record<string, Record<string, number>> = {};
  const given: ReadMapping = request.mapping ?? { columns: {}, values: {} };
  const remembered = repo.rememberedMappings(mappingScope(department?.id ?? null)) as RememberedMapping[];
  // The reading child, started by runImport already or here; stopped whatever happens.
  let reader: Reader | null = reading.reader ?? null;
  try {
    if (reading.archive && size > config.uploadMaxBytes) {
      throw new RefusedUpload('zip.too_large', `文件大小 ${(size / 1048576).toFixed(0)} MB 超过上限 ${(config.uploadMaxBytes / 1048576).toFixed(0)} MB，请拆分后上传。`);
    }
    format = (await sniffFile(reading.path)).format;
    reader ??= await openReader(reading.path, { memoryMb: await readerHeapMb(reading.path, format, config.importMemoryMb), timeoutMs: config.importTimeoutMs, scratchDir: config.uploadsDir });
    const opened = reader;
    const registry = registryInstruments(repo);
    const checkpoints = checkpointInBackground(db, hooks.checkpoints ?? new CheckpointPauses());
    const result = await opened.read({
      mapping: { mapping: given, remembered },
      registry,
      onSheet: (info) => {
        if (info.headerRow !== null) ctx.present = presentFields(info.headers);
      },
      onRows: (rows, read) => {
        const t = performance.now();
        stageBatch(ctx, rows, counts, read);
        stageMs += performance.now() - t;
        rowsRead = read;
        onProgress?.(read);
      },
    }).finally(() => {
      opened.close();
      return checkpoints.stop();
    });
    endStaging(ctx, counts);
    rowsRead = result.rowsRead;
    layouts = result.layouts;
    unrecognised = result.unrecognised;
    hooks.onReaderDone?.({ ...result, stageMs });
    // A pre-filled template of this department: read once the reading child accepted the file, its stamp
    // tells a clerk's edit from a value the catalogue changed since the template was made.
    const stamp = format === 'xlsx' ? await readTemplateStamp(request.path) : null;
    if (stamp && (!department || stamp.departmentCode === department.code)) applyTemplateStamp(ctx, stamp, counts);
  } catch (error) {
    reader?.close();
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

  // A partial file says nothing about what it lacks: nothing is counted, nothing proposed.
  const missing = request.complete ? repo.countMissingItems(importId, department ? { departmentId: department.id } : { departmentIds: [...ctx.departmentIds] }) : 0;
  const finalCounts = {
    rows: rowsRead,
    items: counts.items,
    errors: counts.errorRows,
    new: counts.new,
    changed: counts.changed,
    unchanged: counts.unchanged,
    missing,
    noBasis: counts.noBasis,
    reverts: counts.reverts,
  };
  withTransaction(db, () => {
    let uploadId: number | null = null;
    if (request.mode !== 'dry_run' && !reading.archive) uploadId = repo.importRecord(importId)!.uploadId;
    else if (request.mode !== 'dry_run') {
      uploadId = archiveUpload(repo, config.uploadsDir, { path: request.path, sha256, size, originalName: request.originalName, format, move: !!request.moveFile }, request.actor.name).uploadId;
      appendAudit(db, request.actor, {
        action: 'import.upload',
        entityType: 'import',
        entityId: importId,
        after: { file: request.originalName, sha256, size, department: department?.code ?? null, mode: request.mode, complete: !!request.complete, counts: finalCounts },
      });
    }
    const checked = { checkedAfterAudit, checkedOn: Number(ctx.checkContext.asOf.replaceAll('-', '')) };
    repo.markReady(importId, { uploadId, counts: { ...finalCounts, ...checked }, unknownDepartments: [...ctx.unknownDepartments], progressRows: rowsRead });
    repo.saveLayout(importId, { sheets: layouts, unrecognised, mapping: given as { columns: Record<string, string>; values: Record<string, Record<string, string>> } });
  });
  const report = importReport(repo, importId, { sha256, previousUpload, withoutIssues: !!request.issuesApart && request.mode !== 'dry_run' });
  if (request.mode === 'dry_run') withTransaction(db, () => repo.deleteImport(importId));
  return request.mode === 'dry_run' ? { ...report, importId: null } : report;
}

/** An error or warning: the sheet, row and column it is about, and the cell's own text when it had one. */
export type Issue = { sheet: string; row: number; column: string; message: string; cell?: string };

/** A staged import's errors or warnings in row order, one at a time (what importReport lists). */
export function* reportIssues(imports: ImportRepository, importId: number, kind: 'errors' | 'warnings'): Generator<Issue> {
  for (const r of imports.issuesOfKind(importId, kind)) for (const e of r.list) yield { sheet: r.sheet, row: r.row, ...e };
}

/** The report of a staged import, as the CLI prints it and the preview shows it. */
export function importReport(
  imports: ImportRepository,
  importId: number,
  extra: { sha256?: string; previousUpload?: ImportReport['previousUpload']; withoutIssues?: boolean } = {},
): ImportReport {
  const found = imports.importWithUpload(importId);
  if (!found) throw errors.notFound('导入记录');
  const { record: imp, sha256 } = found;
  const earlier = imp.uploadId ? imports.importBefore(imp.uploadId, importId) : null;
  const counts = imp.counts;
  const layout = imports.layoutOf(importId);
  const layouts = (layout?.sheets ?? []) as SheetLayout[];
  const errorsList: Issue[] = [];
  const warningsList: Issue[] = [];
  if (!extra.withoutIssues) {
    for (const r of imports.issues(importId)) {
      for (const e of r.errors) errorsList.push({ sheet: r.sheet, row: r.row, ...e });
      for (const w of r.warnings) warningsList.push({ sheet: r.sheet, row: r.row, ...w });
    }
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
    complete: imp.complete,
    reverts: counts.reverts ?? 0,
    unknownDepartments: imp.unknownDepartments,
    needsMapping: layouts.length > 0 && !layouts.some((l) => l.found),
    layouts,
    unrecognised: layout?.unrecognised ?? {},
    sha256: extra.sha256 ?? sha256 ?? '',
    previousUpload: extra.previousUpload ?? earlier,
  };
}
