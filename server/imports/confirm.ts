// Confirming or discarding a staged import. A department's upload becomes a submission for review;
// a baseline goes straight into the working catalogue (legal office and admin only). All in one
// transaction with its audit entries: a failure leaves the catalogue as it was.
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { can, type Subject } from '../auth/policy.js';
import { errors } from '../errors.js';
import { readFields, type ItemRow } from '../catalogue/items.js';
import { compareItem } from './compare.js';
import { proposalWriter, type StoredProposal } from '../catalogue/apply-proposal.js';
import { prepareSubmission } from '../review/service.js';
import { createReviewRepository } from '../../db/queries/review/index.js';

interface ImportRecord {
  id: number;
  department_id: number | null;
  mode: 'submission' | 'dry_run' | 'baseline';
  status: string;
  created_by_id: number | null;
  unknown_departments: string;
}

function loadForDecision(db: Db, importId: number, subject: Subject): ImportRecord {
  const imp = db.$client.prepare('SELECT * FROM imports WHERE id = ?').get(importId) as ImportRecord | undefined;
  if (!imp) throw errors.notFound('导入记录');
  if (!can(subject, 'create:import')) throw errors.forbidden();
  if (!can(subject, 'create:import', { departmentId: imp.department_id })) throw errors.forbidden('只能处理本部门的导入。');
  if (imp.mode === 'baseline' && !can(subject, 'create:baseline')) throw errors.forbidden();
  if (imp.status !== 'ready') throw errors.conflict(imp.status === 'confirmed' ? '该导入已经确认过了。' : imp.status === 'discarded' ? '该导入已被放弃。' : '该导入尚未读取完成或已被拒绝，不能确认。');
  return imp;
}

/** Unknown department names → an existing department code, or `new:CODE` to create one with that name. */
export type DepartmentMapping = Record<string, string>;

function applyDepartmentMapping(db: Db, actor: Actor, imp: ImportRecord, mapping: DepartmentMapping): void {
  const sqlite = db.$client;
  const unknown = JSON.parse(imp.unknown_departments) as string[];
  const missing = unknown.filter((name) => !mapping[name]);
  if (missing.length) throw errors.invalid(`以下部门在系统中不存在，请先对应到已有部门或新建：${missing.join('、')}`);
  const byCode = sqlite.prepare('SELECT id FROM departments WHERE code = ?');
  const findByName = sqlite.prepare('SELECT * FROM items WHERE department_id = ? AND name = ? AND removed_at IS NULL ORDER BY id LIMIT 1');
  const citationsOf = sqlite.prepare('SELECT title, article, role FROM citations WHERE item_id = ?');
  const prerequisitesOf = sqlite.prepare('SELECT written_as FROM item_prerequisites WHERE item_id = ? ORDER BY id').pluck();
  for (const name of unknown) {
    const target = mapping[name]!;
    let departmentId: number;
    if (target.startsWith('new:')) {
      const code = target.slice(4).trim().toUpperCase();
      if (!/^[A-Z0-9_-]{1,32}$/.test(code)) throw errors.invalid(`新部门编码“${code}”无效：只能由字母、数字、下划线和连字符组成。`);
      if (byCode.get(code)) throw errors.invalid(`部门编码 ${code} 已存在。`);
      departmentId = Number(sqlite.prepare("INSERT INTO departments (code, name, level) VALUES (?, ?, 'district')").run(code, name).lastInsertRowid);
      appendAudit(db, actor, { action: 'department.create', entityType: 'department', entityId: code, after: { code, name, level: 'district', from: `import ${imp.id}` } });
    } else {
      const d = byCode.get(target.toUpperCase()) as { id: number } | undefined;
      if (!d) throw errors.invalid(`部门 ${target} 不存在。`);
      departmentId = d.id;
    }
    const rows = sqlite
      .prepare("SELECT id, name, item_id, proposal FROM import_rows WHERE import_id = ? AND department_text = ? AND kind != 'error'")
      .all(imp.id, name) as { id: number; name: string; item_id: number | null; proposal: string }[];
    for (const r of rows) {
      const proposal = JSON.parse(r.proposal) as StoredProposal;
      let kind = 'new';
      let itemId = r.item_id;
      let changes: unknown = null;
      const item = (itemId ? sqlite.prepare('SELECT * FROM items WHERE id = ?').get(itemId) : !proposal.code ? findByName.get(departmentId, r.name) : undefined) as ItemRow | undefined;
      if (item) {
        itemId = item.id;
        const current = { fields: readFields(item), mainItemName: item.main_item_name, citations: citationsOf.all(item.id) as never, prerequisites: prerequisitesOf.all(item.id) as string[] };
        const diff = compareItem(current, proposal, new Set(proposal.present));
        kind = diff.length ? 'changed' : 'unchanged';
        changes = diff;
      }
      sqlite.prepare('UPDATE import_rows SET department_id = ?, item_id = ?, kind = ?, changes = ? WHERE id = ?').run(departmentId, itemId, kind, changes ? JSON.stringify(changes) : null, r.id);
    }
  }
}

export interface ConfirmResult {
  submissions: { id: number; departmentId: number; items: number }[];
  applied: { created: number; updated: number } | null;
}

export function confirmImport(db: Db, importId: number, actor: Actor, subject: Subject, mapping: DepartmentMapping = {}): ConfirmResult {
  return withTransaction(db, () => {
    const imp = loadForDecision(db, importId, subject);
    if (imp.mode === 'dry_run') throw errors.invalid('试导入（--dry-run）只出报告，不能确认。');
    applyDepartmentMapping(db, actor, imp, mapping);
    const result: ConfirmResult =
      imp.mode === 'baseline' ? { submissions: [], applied: applyBaseline(db, actor, imp) } : { submissions: createSubmissions(db, actor, imp), applied: null };
    db.$client
      .prepare("UPDATE imports SET status = 'confirmed', submission_id = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?")
      .run(result.submissions[0]?.id ?? null, imp.id);
    appendAudit(db, actor, { action: 'import.confirm', entityType: 'import', entityId: imp.id, after: result });
    return result;
  });
}

export function discardImport(db: Db, importId: number, actor: Actor, subject: Subject): void {
  withTransaction(db, () => {
    const imp = loadForDecision(db, importId, subject);
    db.$client.prepare('DELETE FROM import_rows WHERE import_id = ?').run(imp.id);
    db.$client.prepare("UPDATE imports SET status = 'discarded', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(imp.id);
    appendAudit(db, actor, { action: 'import.discard', entityType: 'import', entityId: imp.id });
  });
}

function createSubmissions(db: Db, actor: Actor, imp: ImportRecord): ConfirmResult['submissions'] {
  const sqlite = db.$client;
  const departments = (
    sqlite.prepare("SELECT DISTINCT department_id FROM import_rows WHERE import_id = ? AND kind IN ('new', 'changed') AND department_id IS NOT NULL").all(imp.id) as {
      department_id: number;
    }[]
  ).map((d) => d.department_id);
  if (imp.department_id !== null && !departments.includes(imp.department_id)) departments.push(imp.department_id);
  const out: ConfirmResult['submissions'] = [];
  const review = createReviewRepository(db);
  for (const departmentId of departments) {
    const submissionId = Number(
      sqlite
        .prepare("INSERT INTO submissions (department_id, source, import_id, state, created_by, created_by_id) VALUES (?, 'upload', ?, 'submitted', ?, ?)")
        .run(departmentId, imp.id, actor.name, actor.id).lastInsertRowid,
    );
    const proposed = sqlite
      .prepare(
        `INSERT INTO submission_items (submission_id, item_id, kind, proposal, changes, state)
         SELECT ?, item_id, CASE kind WHEN 'new' THEN 'new' ELSE 'change' END, proposal, changes, 'submitted'
           FROM import_rows WHERE import_id = ? AND department_id = ? AND kind IN ('new', 'changed') ORDER BY id`,
      )
      .run(submissionId, imp.id, departmentId).changes;
    const removals = sqlite
      .prepare(
        `INSERT INTO submission_items (submission_id, item_id, kind, state)
         SELECT ?, i.id, 'remove', 'submitted' FROM items i
          WHERE i.department_id = ? AND i.removed_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.import_id = ? AND r.item_id = i.id)`,
      )
      .run(submissionId, departmentId, imp.id).changes;
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

function applyBaseline(db: Db, actor: Actor, imp: ImportRecord): { created: number; updated: number } {
  const sqlite = db.$client;
  const writer = proposalWriter(db, actor, { importId: imp.id });
  let created = 0;
  let updated = 0;
  // Read in keyset pages: better-sqlite3 allows no writes while a statement is being iterated.
  const page = sqlite.prepare(
    "SELECT id, department_id, item_id, kind, proposal FROM import_rows WHERE import_id = ? AND kind IN ('new', 'changed') AND id > ? ORDER BY id LIMIT 2000",
  );
  const pages = function* () {
    let after = 0;
    for (;;) {
      const rows = page.all(imp.id, after) as { id: number; department_id: number | null; item_id: number | null; kind: string; proposal: string }[];
      if (rows.length === 0) return;
      yield* rows;
      after = rows[rows.length - 1]!.id;
    }
  };
  for (const row of pages()) {
    const proposal = JSON.parse(row.proposal) as StoredProposal;
    if (row.kind === 'new') {
      if (row.department_id === null) throw errors.invalid('有事项的部门尚未对应，不能载入。');
      writer.create(row.department_id, proposal);
      created++;
    } else {
      writer.update(row.item_id!, proposal);
      updated++;
    }
  }
  appendAudit(db, actor, { action: 'import.baseline', entityType: 'import', entityId: imp.id, after: { created, updated } });
  return { created, updated };
}
