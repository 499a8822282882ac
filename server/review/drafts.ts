// A department's edits through the item form are proposals, not changes: they collect in the
// department's draft submission, which the department submits for review. The catalogue changes only
// when the legal office finalises the decision. Admins still correct items directly (issue 2).
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import type { ReviewRepository } from '../../db/queries/review/index.js';
import { can, isOwnScoped, type Subject } from '../auth/policy.js';
import { errors } from '../errors.js';
import { prepareItemEdit, updateItem, type ItemChange } from '../catalogue/items.js';
import { ITEM_FIELD_LABELS, type ItemFields } from '../domain/item-fields.js';
import type { StoredProposal } from '../catalogue/apply-proposal.js';
import { PREREQUISITES_LABEL } from '../domain/prerequisite-names.js';
import { prepareSubmission } from './submissions.js';
import { transition } from './states.js';
import type { Reviewer } from './workflow.js';

export interface ItemEdit extends ItemChange {
  /** Set when the edit went into a draft submission instead of the catalogue. */
  draft: { submissionId: number; submissionItemId: number | null } | null;
}

/** The item form's save: a department proposes (draft submission), an admin changes the catalogue. */
export function saveItemEdit(review: ReviewRepository, actor: Actor, subject: Subject, code: string, input: unknown): ItemEdit {
  // Whoever may correct any item corrects it directly; whoever may touch only their own proposes.
  if (!isOwnScoped(subject, 'update:item')) return { ...updateItem(review.db, actor, subject, code, input), draft: null };
  return proposeItemChange(review, actor, subject, code, input);
}

/** The department's draft submission made from the item form, if one is open. */
export const draftSubmissionOf = (review: ReviewRepository, departmentId: number): number | null => review.submissions.draftOf(departmentId);

/** The fields a department's pending draft proposes for an item (the form shows them instead of the catalogue's). */
export function draftFieldsOf(review: ReviewRepository, departmentId: number, itemId: number): (ItemFields & { prerequisites?: string[] }) | null {
  const stored = review.items.draftProposalOf(departmentId, itemId) as StoredProposal | null;
  if (!stored) return null;
  return stored.prerequisitesPresent ? { ...stored.fields, prerequisites: stored.prerequisites } : stored.fields;
}

function proposeItemChange(review: ReviewRepository, actor: Actor, subject: Subject, code: string, input: unknown): ItemEdit {
  return withTransaction(review.db, () => {
    const { row, fields, rowVersion, before, changed, prerequisites } = prepareItemEdit(review.db, subject, code, input);
    let submissionId = review.submissions.draftOf(row.department_id);
    const existing = submissionId ? review.items.draftItemOf(submissionId, row.id) : null;
    if (changed.length === 0 && !prerequisites) {
      // Back to the catalogue's values: nothing left to propose.
      if (existing !== null) review.items.delete(existing);
      return { code, rowVersion, changed, draft: submissionId ? { submissionId, submissionItemId: null } : null };
    }
    if (submissionId === null) {
      submissionId = review.submissions.insertDraft({ departmentId: row.department_id, campaignId: review.campaigns.current()?.id ?? null, createdBy: actor.name, createdById: actor.id });
    }
    const citations = review.items.citationsOf(row.id) as StoredProposal['citations'];
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
    if (existing !== null) {
      review.items.updateDraft(existing, { name: fields.name, category: fields.category, proposal, changes });
      submissionItemId = existing;
    } else {
      submissionItemId = review.items.insertDraft({ submissionId, itemId: row.id, name: fields.name, category: fields.category, proposal, changes });
    }
    appendAudit(review.db, actor, {
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
export function submitDraft(review: ReviewRepository, reviewer: Reviewer, submissionId: number, input: Record<string, unknown>): number {
  return withTransaction(review.db, () => {
    const s = review.submissions.get(submissionId);
    if (!s || !can(reviewer, 'answer:submission', { departmentId: s.departmentId })) throw errors.notFound('申报');
    if (Number(input.rowVersion) !== s.rowVersion) throw errors.conflict('这份草稿已有变化，请刷新页面后再提交。');
    const items = review.items.drafts(submissionId);
    if (items.length === 0) throw errors.invalid('草稿中没有待提交的修改。');
    for (const item of items) {
      const result = transition(item.state, 'submit', reviewer.role, { kind: item.kind, disposition: null, expertsAssigned: 0, expertsPending: 0, expertReviewClosed: false });
      if (!result.ok) throw errors.conflict(result.reason);
      review.items.setState(item.id, result.to);
      appendAudit(review.db, { id: reviewer.id, name: reviewer.username }, { action: 'review.submit', entityType: 'submission_item', entityId: item.id, before: { state: 'draft' }, after: { state: result.to } });
    }
    review.submissions.setState(submissionId, 'submitted');
    review.catalogue.markSubmitted(submissionId);
    prepareSubmission(review, submissionId);
    appendAudit(review.db, { id: reviewer.id, name: reviewer.username }, { action: 'submission.submit', entityType: 'submission', entityId: submissionId, after: { items: items.length } });
    return items.length;
  });
}

/** The department drops its draft: nothing of it reaches the legal office. */
export function discardDraft(review: ReviewRepository, reviewer: Reviewer, submissionId: number): void {
  withTransaction(review.db, () => {
    const s = review.submissions.get(submissionId);
    if (!s || !can(reviewer, 'answer:submission', { departmentId: s.departmentId })) throw errors.notFound('申报');
    if (s.state !== 'draft') throw errors.conflict('只有草稿可以放弃；已提交的申报请用“撤回”。');
    review.submissions.delete(submissionId);
    appendAudit(review.db, { id: reviewer.id, name: reviewer.username }, { action: 'submission.discard', entityType: 'submission', entityId: submissionId });
  });
}
