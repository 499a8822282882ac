// Confirming or discarding a staged import. A department's upload becomes a submission for review;
// a baseline goes straight into the working catalogue (legal office and admin only). All in one
// transaction with its audit entries: a failure leaves the catalogue as it was.
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import type { ImportRepository } from '../../db/queries/imports.js';
import { can, type Subject } from '../auth/policy.js';
import { errors } from '../errors.js';
import { IMPORT_MESSAGES, MESSAGES } from '../domain/labels.js';
import { readerGone, removeTemporaryUpload } from './recover.js';
import { compareItem, matchedKind } from './compare.js';
import { currentItem } from './stage.js';
import type { ImportDeps } from './service.js';
import { proposalWriter, type StoredProposal } from '../catalogue/apply-proposal.js';
import { prepareSubmission } from '../review/service.js';
import { createReviewRepository } from '../../db/queries/review/index.js';

type ImportRecord = NonNullable<ReturnType<ImportRepository['importRecord']>>;

/** Statuses an import may be confirmed from, and discarded from (a refused or failed one too: the clerk clears it away). */
const DECIDABLE = { confirm: ['ready'], discard: ['ready', 'refused', 'failed'] } as const;

function loadForDecision(imports: ImportRepository, importId: number, subject: Subject, decision: keyof typeof DECIDABLE): ImportRecord {
  const imp = imports.importRecord(importId);
  if (!imp) throw errors.notFound('导入记录');
  if (!can(subject, 'create:import')) throw errors.forbidden();
  if (!can(subject, 'create:import', { departmentId: imp.departmentId })) throw errors.forbidden('只能处理本部门的导入。');
  if (imp.mode === 'baseline' && !can(subject, 'create:baseline')) throw errors.forbidden();
  // An import whose reader is gone (see recover.ts) may be discarded before the next start-up ends it.
  const interrupted = imp.status === 'reading' && decision === 'discard' && readerGone(imp);
  if (!interrupted && !(DECIDABLE[decision] as readonly string[]).includes(imp.status)) {
    throw errors.conflict(
      imp.status === 'confirmed' ? MESSAGES.importConfirmed
      : imp.status === 'discarded' ? MESSAGES.importDiscarded
      : decision === 'discard' ? MESSAGES.importReading
      : MESSAGES.importNotReady,
    );
  }
  return imp;
}

/** Unknown department names → an existing department code, or `new:CODE` to create one with that name. */
export type DepartmentMapping = Record<string, string>;

/** No sheet of the file had its item column found: nothing was read, a person must map the columns first. */
function itemColumnMissing(repo: ImportRepository, importId: number): boolean {
  const sheets = (repo.layoutOf(importId)?.sheets ?? []) as { found: boolean }[];
  return sheets.length > 0 && !sheets.some((s) => s.found);
}

/**
 * Why nothing of an import can be confirmed, whatever departments are mapped: its item column not found,
 * or no row that can be proposed (a complete list would then propose cancelling every item only because
 * every row had an error). Null when there is something to confirm.
 */
function nothingToConfirm(repo: ImportRepository, imp: Pick<ImportRecord, 'id' | 'counts'>): string | null {
  if (itemColumnMissing(repo, imp.id)) return IMPORT_MESSAGES.itemColumnMissing;
  if (!imp.counts.items) return IMPORT_MESSAGES.nothingToSubmit;
  return null;
}

/** Why an import cannot be confirmed yet (nothingToConfirm, or departments not mapped), or null. */
export function notConfirmableYet(repo: ImportRepository, imp: Pick<ImportRecord, 'id' | 'unknownDepartments' | 'counts'>, given: DepartmentMapping = {}): string | null {
  const nothing = nothingToConfirm(repo, imp);
  if (nothing) return nothing;
  const chosen = { ...repo.layoutOf(imp.id)?.departmentChoices, ...given };
  const missing = imp.unknownDepartments.filter((name) => !chosen[name]);
  if (missing.length) return IMPORT_MESSAGES.departmentsNotMapped(missing);
  return null;
}

function applyDepartmentMapping({ db, importRepository: repo }: ImportDeps, actor: Actor, imp: ImportRecord, given: DepartmentMapping): void {
  const unknown = imp.unknownDepartments;
  const mapping: DepartmentMapping = { ...repo.layoutOf(imp.id)?.departmentChoices, ...given };
  const missing = unknown.filter((name) => !mapping[name]);
  if (missing.length) throw errors.invalid(`以下部门在系统中不存在，请先对应到已有部门或新建：${missing.join('、')}`);
  for (const name of unknown) {
    const target = mapping[name]!;
    let departmentId: number;
    if (target.startsWith('new:')) {
      const code = target.slice(4).trim().toUpperCase();
      if (!/^[A-Z0-9_-]{1,32}$/.test(code)) throw errors.invalid(`新部门编码“${code}”无效：只能由字母、数字、下划线和连字符组成。`);
      if (repo.departmentByCode(code)) throw errors.invalid(`部门编码 ${code} 已存在。`);
      departmentId = repo.createDepartment(code, name);
      appendAudit(db, actor, { action: 'department.create', entityType: 'department', entityId: code, after: { code, name, level: 'district', from: `import ${imp.id}` } });
    } else {
      const d = repo.departmentByCode(target.toUpperCase());
      if (!d) throw errors.invalid(`部门 ${target} 不存在。`);
      departmentId = d.id;
    }
    for (const r of repo.rowsNamingDepartment(imp.id, name)) {
      const proposal = r.proposal as unknown as StoredProposal;
      let kind: 'new' | 'changed' | 'unchanged' = 'new';
      let itemId = r.itemId;
      let changes: unknown[] | null = null;
      const item = itemId ? repo.itemById(itemId) : !proposal.code && r.name !== null ? repo.activeItemByName(departmentId, r.name) : undefined;
      if (item) {
        itemId = item.id;
        const diff = compareItem(currentItem(repo, item, true), proposal, new Set(proposal.present));
        kind = matchedKind(diff, proposal.disposition);
        changes = diff;
      }
      repo.rematchRow(r.id, { departmentId, itemId, kind, changes });
    }
  }
}

export interface ConfirmResult {
  submissions: { id: number; departmentId: number; items: number }[];
  applied: { created: number; updated: number } | null;
}

/** How far a confirm is: rows written of a baseline, or departments' submissions created. */
export type ConfirmProgress = (done: number, total: number) => void;

/** What the person confirmed beyond the department mapping. */
export interface ConfirmOptions {
  /** Told as the confirm writes (the job's progress bar). */
  onProgress?: ConfirmProgress;
  /** A complete list's missing items are proposed for cancellation only with this explicit confirmation. */
  confirmCancellations?: boolean;
  /** Staged rows (import_rows ids) whose reverts of later decisions the person ticked: proposed as the file has them. */
  acceptReverts?: readonly number[];
}

export function confirmImport(deps: ImportDeps, importId: number, actor: Actor, subject: Subject, mapping: DepartmentMapping = {}, options: ConfirmOptions = {}): ConfirmResult {
  const { db, importRepository: repo } = deps;
  return withTransaction(db, () => {
    const imp = loadForDecision(repo, importId, subject, 'confirm');
    if (imp.mode === 'dry_run') throw errors.invalid('试导入（--dry-run）只出报告，不能确认。');
    const nothing = nothingToConfirm(repo, imp);
    if (nothing) throw errors.invalid(nothing);
    const missing = imp.counts.missing ?? 0;
    if (imp.complete && imp.mode === 'submission' && missing > 0 && !options.confirmCancellations) {
      throw errors.invalid(IMPORT_MESSAGES.missingNotConfirmed(missing), { confirmCancellations: IMPORT_MESSAGES.missingConfirm(missing) });
    }
    const checkedOn = stagedFindingsDate(repo, imp);
    applyDepartmentMapping(deps, actor, imp, mapping);
    const acceptedReverts = acceptReverts(deps, imp, options.acceptReverts ?? []);
    const result: ConfirmResult =
      imp.mode === 'baseline'
        ? { submissions: [], applied: applyBaseline(deps, actor, imp, options.onProgress) }
        : { submissions: createSubmissions(deps, actor, imp, acceptedReverts.length === 0 ? checkedOn : null, options.onProgress), applied: null };
    repo.markConfirmed(imp.id, result.submissions[0]?.id ?? null);
    appendAudit(db, actor, {
      action: 'import.confirm',
      entityType: 'import',
      entityId: imp.id,
      after: { ...result, complete: imp.complete, confirmedCancellations: !!options.confirmCancellations, acceptedReverts },
    });
    return result;
  });
}

export function discardImport({ db, importRepository: repo }: ImportDeps, importId: number, actor: Actor, subject: Subject): void {
  const tempPath = withTransaction(db, () => {
    const imp = loadForDecision(repo, importId, subject, 'discard');
    repo.clearStagedRows(imp.id);
    repo.markDiscarded(imp.id);
    appendAudit(db, actor, { action: 'import.discard', entityType: 'import', entityId: imp.id });
    return imp.tempPath;
  });
  if (tempPath) removeTemporaryUpload(tempPath);
}

/**
 * Audit actions that change nothing the checks read (no item, instrument, list, prerequisite or
 * campaign): uploads and mappings, logins, feedback.
 */
const CHANGES_NOTHING_CHECKED = [
  'import.upload',
  'import.remap',
  'import.discard',
  'import.interrupted',
  'import.map_departments',
  'mapping.remember',
  'mapping.edit',
  'mapping.forget',
  'auth.login_failed',
  'auth.login_locked',
  'feedback.create',
  'feedback.answer',
];

/**
 * The date (YYYY-MM-DD) the staged rows were checked as of, when their findings are still the checks'
 * answer: staging checked every row with the whole catalogue as context (stage.ts), the same check a
 * submission runs, so confirming copies the findings instead of checking every row again — provided
 * nothing the checks read changed since (no audited change but those above), no row was matched
 * again after staging (unknown departments mapped, a stale template's reverts), and the submission is
 * judged as of the same date (prepareSubmission compares). Otherwise null: every row is checked again.
 */
function stagedFindingsDate(repo: ImportRepository, imp: ImportRecord): string | null {
  const { checkedAfterAudit, checkedOn, reverts } = imp.counts;
  if (checkedAfterAudit === undefined || checkedOn === undefined) return null;
  if (imp.unknownDepartments.length > 0 || (reverts ?? 0) > 0) return null;
  if (repo.auditedAfter(checkedAfterAudit, CHANGES_NOTHING_CHECKED)) return null;
  const day = String(checkedOn);
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
}

function createSubmissions(
  { db, importRepository: repo }: ImportDeps,
  actor: Actor,
  imp: ImportRecord,
  checkedOn: string | null,
  onProgress?: ConfirmProgress,
): ConfirmResult['submissions'] {
  // A department's upload stages every row as that department's (stage.ts): its one submission needs no
  // look through the rows, which took a tenth of a second at 100,000 rows (npm run bench:import).
  const departments = imp.departmentId !== null ? [imp.departmentId] : repo.proposingDepartments(imp.id);
  const out: ConfirmResult['submissions'] = [];
  const review = createReviewRepository(db);
  for (const departmentId of departments) {
    const submissionId = repo.createSubmission({ departmentId, importId: imp.id, createdBy: actor.name, createdById: actor.id });
    // The staged findings come along with the proposals when they still hold (see stagedFindingsDate).
    const proposed = repo.proposeRows(submissionId, imp.id, departmentId, checkedOn !== null);
    // Only a complete list proposes cancelling what it lacks; a partial one proposes nothing for it.
    const removals = imp.complete ? repo.proposeRemovals(submissionId, imp.id, departmentId, IMPORT_MESSAGES.missingReason) : 0;
    appendAudit(db, actor, {
      action: 'submission.create',
      entityType: 'submission',
      entityId: submissionId,
      after: { departmentId, importId: imp.id, proposals: proposed, removals },
    });
    prepareSubmission(review, submissionId, checkedOn === null ? {} : { checkedOn });
    out.push({ id: submissionId, departmentId, items: proposed + removals });
    onProgress?.(out.length, departments.length);
  }
  return out;
}

/**
 * Rows the person ticked: the fields a stale template would revert go into the proposal as the file
 * has them, and the row is compared with the catalogue again. Rows not ticked keep the catalogue's values.
 */
function acceptReverts({ importRepository: repo }: ImportDeps, imp: ImportRecord, rowIds: readonly number[]): number[] {
  const accepted: number[] = [];
  for (const id of new Set(rowIds)) {
    const row = repo.stagedRowWithReverts(imp.id, id);
    if (!row || !row.reverts?.length || !row.proposal || row.itemId === null) continue;
    // The fields the file carries, as it has them: the proposal already holds the file's values.
    const proposal = structuredClone(row.proposal) as unknown as StoredProposal & { presentInFile?: StoredProposal['present'] };
    if (!proposal.presentInFile) continue;
    proposal.present = proposal.presentInFile;
    delete proposal.presentInFile;
    delete proposal.prerequisitesPresent;
    const item = repo.itemById(row.itemId);
    if (!item) continue;
    const diff = compareItem(currentItem(repo, item, true), proposal, new Set(proposal.present));
    repo.restageRow(id, { proposal: proposal as unknown as Record<string, unknown>, kind: matchedKind(diff, proposal.disposition), changes: diff });
    accepted.push(id);
  }
  return accepted;
}

export { nextItemCode } from '../catalogue/apply-proposal.js';

function applyBaseline({ db, importRepository: repo }: ImportDeps, actor: Actor, imp: ImportRecord, onProgress?: ConfirmProgress): { created: number; updated: number } {
  const writer = proposalWriter(db, actor, { importId: imp.id });
  let created = 0;
  let updated = 0;
  const total = (imp.counts.new ?? 0) + (imp.counts.changed ?? 0);
  for (const row of repo.proposedRows(imp.id)) {
    if ((created + updated) % 500 === 0) onProgress?.(created + updated, total);
    const proposal = row.proposal as unknown as StoredProposal;
    if (row.kind === 'new') {
      if (row.departmentId === null) throw errors.invalid('有事项的部门尚未对应，不能载入。');
      writer.create(row.departmentId, proposal);
      created++;
    } else {
      writer.update(row.itemId!, proposal);
      updated++;
    }
  }
  appendAudit(db, actor, { action: 'import.baseline', entityType: 'import', entityId: imp.id, after: { created, updated } });
  return { created, updated };
}
