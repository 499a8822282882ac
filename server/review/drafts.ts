// A department's edits through the item form are proposals, not changes: they collect in the
// department's draft submission, which the department submits for review. The catalogue changes only
// when the legal office finalises the decision. Admins still correct items directly (issue 2).
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { can, isOwnScoped, type Subject } from '../auth/policy.js';
import { errors } from '../errors.js';
import { prepareItemEdit, updateItem, type ItemChange } from '../catalogue/items.js';
import { ITEM_FIELD_LABELS, type ItemFields } from '../catalogue/item-fields.js';
import type { StoredProposal } from '../catalogue/apply-proposal.js';
import { PREREQUISITES_LABEL } from '../analysis/prerequisite-names.js';
import { currentCampaign, prepareSubmission, type Reviewer } from './service.js';
import { transition } from './states.js';

export interface ItemEdit extends ItemChange {
  /** Set when the edit went into a draft submission instead of the catalogue. */
  draft: { submissionId: number; submissionItemId: number | null } | null;
}

/** The item form's save: a department proposes (draft submission), an admin changes the catalogue. */
export function saveItemEdit(db: Db, actor: Actor, subject: Subject, code: string, input: unknown): ItemEdit {
  // Whoever may correct any item corrects it directly; whoever may touch only their own proposes.
  if (!isOwnScoped(subject, 'update:item')) return { ...updateItem(db, actor, subject, code, input), draft: null };
  return proposeItemChange(db, actor, subject, code, input);
}

/** The department's draft submission made from the item form, if one is open. */
export const draftSubmissionOf = (db: Db, departmentId: number): number | null =>
  (db.$client.prepare("SELECT id FROM submissions WHERE department_id = ? AND source = 'form' AND state = 'draft' ORDER BY id DESC LIMIT 1").pluck().get(departmentId) as
    | number
    | undefined) ?? null;

/** The fields a department's pending draft proposes for an item (the form shows them instead of the catalogue's). */
export function draftFieldsOf(db: Db, departmentId: number, itemId: number): (ItemFields & { prerequisites?: string[] }) | null {
  const proposal = db.$client
    .prepare(
      `SELECT si.proposal FROM submission_items si JOIN submissions s ON s.id = si.submission_id
        WHERE s.department_id = ? AND s.source = 'form' AND si.state = 'draft' AND si.item_id = ? ORDER BY si.id DESC LIMIT 1`,
    )
    .pluck()
    .get(departmentId, itemId) as string | undefined;
  if (!proposal) return null;
  const stored = JSON.parse(proposal) as StoredProposal;
  return stored.prerequisitesPresent ? { ...stored.fields, prerequisites: stored.prerequisites } : stored.fields;
}

function proposeItemChange(db: Db, actor: Actor, subject: Subject, code: string, input: unknown): ItemEdit {
  return withTransaction(db, () => {
    const sqlite = db.$client;
    const { row, fields, rowVersion, before, changed, prerequisites } = prepareItemEdit(db, subject, code, input);
    let submissionId = draftSubmissionOf(db, row.department_id);
    const existing = submissionId
      ? (sqlite.prepare("SELECT id FROM submission_items WHERE submission_id = ? AND item_id = ? AND state = 'draft'").pluck().get(submissionId, row.id) as number | undefined)
      : undefined;
    if (changed.length === 0 && !prerequisites) {
      // Back to the catalogue's values: nothing left to propose.
      if (existing !== undefined) sqlite.prepare('DELETE FROM submission_items WHERE id = ?').run(existing);
      return { code, rowVersion, changed, draft: submissionId ? { submissionId, submissionItemId: null } : null };
    }
    if (submissionId === null) {
      submissionId = Number(
        sqlite
          .prepare("INSERT INTO submissions (department_id, campaign_id, source, state, created_by, created_by_id) VALUES (?, ?, 'form', 'draft', ?, ?)")
          .run(row.department_id, currentCampaign(db)?.id ?? null, actor.name, actor.id).lastInsertRowid,
      );
    }
    const citations = sqlite
      .prepare('SELECT title, article, document_number AS documentNumber, tag, quoted_text AS quotedText, role, instrument_id AS instrumentId FROM citations WHERE item_id = ? ORDER BY seq')
      .all(row.id) as StoredProposal['citations'];
    // Only the changed fields are `present`: finalising applies those and leaves the rest as they are then.
    const proposal: StoredProposal = {
      code,
      fields,
      mainItemName: row.main_item_name,
      citations,
      prerequisites: prerequisites?.after ?? [],
      prerequisitesPresent: prerequisites !== null,
      disposition: null,
      present: changed,
    };
    const changes: { field: string; label: string; before: unknown; after: unknown }[] = changed.map((k) => ({ field: k, label: ITEM_FIELD_LABELS[k], before: before[k], after: fields[k] }));
    if (prerequisites) changes.push({ field: 'prerequisites', label: PREREQUISITES_LABEL, before: prerequisites.before.join('；'), after: prerequisites.after.join('；') });
    let submissionItemId: number;
    if (existing !== undefined) {
      sqlite
        .prepare('UPDATE submission_items SET name = ?, category = ?, proposal = ?, changes = ?, row_version = row_version + 1 WHERE id = ?')
        .run(fields.name, fields.category, JSON.stringify(proposal), JSON.stringify(changes), existing);
      submissionItemId = existing;
    } else {
      submissionItemId = Number(
        sqlite
          .prepare("INSERT INTO submission_items (submission_id, item_id, kind, name, category, proposal, changes, state) VALUES (?, ?, 'change', ?, ?, ?, ?, 'draft')")
          .run(submissionId, row.id, fields.name, fields.category, JSON.stringify(proposal), JSON.stringify(changes)).lastInsertRowid,
      );
    }
    appendAudit(db, actor, {
      action: 'item.propose',
      entityType: 'item',
      entityId: code,
      before: { ...Object.fromEntries(changed.map((k) => [k, before[k]])), ...(prerequisites ? { prerequisites: prerequisites.before } : {}) },
      after: { ...Object.fromEntries(changed.map((k) => [k, fields[k]])), ...(prerequisites ? { prerequisites: prerequisites.after } : {}), submission: submissionId },
    });
    return { code, rowVersion, changed: prerequisites ? [...changed, 'prerequisites'] : changed, draft: { submissionId, submissionItemId } };
  });
}

/** The department submits its draft: every proposal in it goes to the legal office, checked. */
export function submitDraft(db: Db, reviewer: Reviewer, submissionId: number, input: Record<string, unknown>): number {
  return withTransaction(db, () => {
    const sqlite = db.$client;
    const s = sqlite.prepare('SELECT id, department_id, state, row_version FROM submissions WHERE id = ?').get(submissionId) as
      | { id: number; department_id: number; state: string; row_version: number }
      | undefined;
    if (!s || !can(reviewer, 'answer:submission', { departmentId: s.department_id })) throw errors.notFound('申报');
    if (Number(input.rowVersion) !== s.row_version) throw errors.conflict('这份草稿已有变化，请刷新页面后再提交。');
    const items = sqlite.prepare("SELECT id, kind, state FROM submission_items WHERE submission_id = ? AND state = 'draft'").all(submissionId) as { id: number; kind: 'change'; state: 'draft' }[];
    if (items.length === 0) throw errors.invalid('草稿中没有待提交的修改。');
    for (const item of items) {
      const result = transition(item.state, 'submit', reviewer.role, { kind: item.kind, disposition: null, expertsAssigned: 0, expertsPending: 0, expertReviewClosed: false });
      if (!result.ok) throw errors.conflict(result.reason);
      sqlite.prepare('UPDATE submission_items SET state = ?, row_version = row_version + 1 WHERE id = ?').run(result.to, item.id);
      appendAudit(db, { id: reviewer.id, name: reviewer.username }, { action: 'review.submit', entityType: 'submission_item', entityId: item.id, before: { state: 'draft' }, after: { state: result.to } });
    }
    sqlite.prepare("UPDATE submissions SET state = 'submitted', row_version = row_version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(submissionId);
    sqlite.prepare("UPDATE items SET review_status = 'submitted' WHERE id IN (SELECT item_id FROM submission_items WHERE submission_id = ? AND item_id IS NOT NULL)").run(submissionId);
    prepareSubmission(db, submissionId);
    appendAudit(db, { id: reviewer.id, name: reviewer.username }, { action: 'submission.submit', entityType: 'submission', entityId: submissionId, after: { items: items.length } });
    return items.length;
  });
}

/** The department drops its draft: nothing of it reaches the legal office. */
export function discardDraft(db: Db, reviewer: Reviewer, submissionId: number): void {
  withTransaction(db, () => {
    const s = db.$client.prepare('SELECT department_id, state FROM submissions WHERE id = ?').get(submissionId) as { department_id: number; state: string } | undefined;
    if (!s || !can(reviewer, 'answer:submission', { departmentId: s.department_id })) throw errors.notFound('申报');
    if (s.state !== 'draft') throw errors.conflict('只有草稿可以放弃；已提交的申报请用“撤回”。');
    db.$client.prepare('DELETE FROM submissions WHERE id = ?').run(submissionId);
    appendAudit(db, { id: reviewer.id, name: reviewer.username }, { action: 'submission.discard', entityType: 'submission', entityId: submissionId });
  });
}
