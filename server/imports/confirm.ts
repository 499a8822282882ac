// Confirming or discarding a staged import. A department's upload becomes a submission for review;
// a baseline goes straight into the working catalogue (legal office and admin only). All in one
// transaction with its audit entries: a failure leaves the catalogue as it was.
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import type { ImportRepository } from '../../db/queries/imports.js';
import { can, type Subject } from '../auth/policy.js';
import { errors } from '../errors.js';
import { MESSAGES } from '../domain/labels.js';
import { readerGone, removeTemporaryUpload } from './recover.js';
import { compareItem } from './compare.js';
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

function applyDepartmentMapping({ db, importRepository: repo }: ImportDeps, actor: Actor, imp: ImportRecord, mapping: DepartmentMapping): void {
  const unknown = imp.unknownDepartments;
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
        kind = diff.length ? 'changed' : 'unchanged';
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

export function confirmImport(deps: ImportDeps, importId: number, actor: Actor, subject: Subject, mapping: DepartmentMapping = {}): ConfirmResult {
  const { db, importRepository: repo } = deps;
  return withTransaction(db, () => {
    const imp = loadForDecision(repo, importId, subject, 'confirm');
    if (imp.mode === 'dry_run') throw errors.invalid('试导入（--dry-run）只出报告，不能确认。');
    applyDepartmentMapping(deps, actor, imp, mapping);
    const result: ConfirmResult =
      imp.mode === 'baseline' ? { submissions: [], applied: applyBaseline(deps, actor, imp) } : { submissions: createSubmissions(deps, actor, imp), applied: null };
    repo.markConfirmed(imp.id, result.submissions[0]?.id ?? null);
    appendAudit(db, actor, { action: 'import.confirm', entityType: 'import', entityId: imp.id, after: result });
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

function createSubmissions({ db, importRepository: repo }: ImportDeps, actor: Actor, imp: ImportRecord): ConfirmResult['submissions'] {
  const departments = repo.proposingDepartments(imp.id);
  if (imp.departmentId !== null && !departments.includes(imp.departmentId)) departments.push(imp.departmentId);
  const out: ConfirmResult['submissions'] = [];
  const review = createReviewRepository(db);
  for (const departmentId of departments) {
    const submissionId = repo.createSubmission({ departmentId, importId: imp.id, createdBy: actor.name, createdById: actor.id });
    const proposed = repo.proposeRows(submissionId, imp.id, departmentId);
    const removals = repo.proposeRemovals(submissionId, imp.id, departmentId);
    appendAudit(db, actor, {
      action: 'submission.create',
      entityType: 'submission',
      entityId: submissionId,
      after: { departmentId, importId: imp.id, proposals: proposed, removals },
    });
    prepareSubmission(review, submissionId);
    out.push({ id: submissionId, departmentId, items: proposed + removals });
  }
  return out;
}

export { nextItemCode } from '../catalogue/apply-proposal.js';

function applyBaseline({ db, importRepository: repo }: ImportDeps, actor: Actor, imp: ImportRecord): { created: number; updated: number } {
  const writer = proposalWriter(db, actor, { importId: imp.id });
  let created = 0;
  let updated = 0;
  for (const row of repo.proposedRows(imp.id)) {
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
