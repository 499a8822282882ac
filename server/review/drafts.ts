// A department's edits through the item form are proposals, not changes: they collect in the
// department's draft submission, which the department submits for review. The catalogue changes only
// when the legal office finalises the decision. Admins still correct items directly (issue 2).
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import type { ReviewRepository } from '../../db/queries/review/index.js';
import { can, isOwnScoped, type Subject } from '../auth/policy.js';
import { errors } from '../errors.js';
import { auditOf, prepareItemEdit, updateItem, type ItemChange } from '../catalogue/items.js';
import { ITEM_FIELD_LABELS, type ItemFields } from '../domain/item-fields.js';
import type { StoredProposal } from '../catalogue/apply-proposal.js';
import { PREREQUISITES_LABEL } from '../domain/prerequisite-names.js';
import { checkSubmissionItems, prepareSubmission } from './submissions.js';
import { z } from 'zod';
import { citationSummary } from '../catalogue/items.js';
import { returnedProposalOf, updateReturnedProposal } from '../../db/queries/basis.js';
import { BASIS_ERRORS, CITATIONS_LABEL, CITATION_ROLES } from '../domain/labels.js';
import type { PresentField } from '../imports/compare.js';
import { loadItem, move, parse, STALE, today } from './workflow.js';
import { recheckItemByCode } from '../checks/item-recheck.js';
import { transition } from './states.js';
import type { Reviewer } from './workflow.js';

export interface ItemEdit extends ItemChange {
  /** Set when the edit went into a draft submission instead of the catalogue. */
  draft: { submissionId: number; submissionItemId: number | null } | null;
  /** Set when the edit corrected a proposal the legal office had returned (and whether it went back). */
  returned: { submissionItemId: number; resubmitted: boolean } | null;
}

/** The item form's save: a department proposes (draft submission), an admin changes the catalogue. */
export function saveItemEdit(review: ReviewRepository, actor: Actor, subject: Subject, code: string, input: unknown): ItemEdit {
  // Whoever may correct any item corrects it directly; whoever may touch only their own proposes.
  if (!isOwnScoped(subject, 'update:item')) {
    const change = updateItem(review.db, actor, subject, code, input);
    // Every save re-checks the item, so the form shows its findings beside the fields.
    if (change.changed.length > 0) recheckItemByCode(review.db, code);
    return { ...change, draft: null, returned: null };
  }
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

/** The proposal the department's form save makes: the fields it changes, and the citations when they change. */
function proposalOfEdit(review: ReviewRepository, code: string, edit: ReturnType<typeof prepareItemEdit>): { proposal: StoredProposal; changes: { field: string; label: string; before: unknown; after: unknown }[]; changed: ItemEdit['changed'] } {
  const { row, fields, before, changed, prerequisites, citations } = edit;
  const present: PresentField[] = [...changed, ...(citations ? (['citations', 'implementingCitations'] as const) : [])];
  // Only the changed fields are `present`: finalising applies those and leaves the rest as they are then.
  const proposal: StoredProposal = {
    code,
    fields,
    mainItemName: row.main_item_name,
    citations: citations ? citations.after : (review.items.citationsOf(row.id) as StoredProposal['citations']),
    prerequisites: prerequisites?.after ?? [],
    prerequisitesPresent: prerequisites !== null,
    disposition: null,
    present,
  };
  const changes: { field: string; label: string; before: unknown; after: unknown }[] = changed.map((k) => ({ field: k, label: ITEM_FIELD_LABELS[k], before: before[k], after: fields[k] }));
  if (prerequisites) changes.push({ field: 'prerequisites', label: PREREQUISITES_LABEL, before: prerequisites.before.join('；'), after: prerequisites.after.join('；') });
  if (citations) changes.push({ field: 'citations', label: CITATIONS_LABEL, before: citationsText(citations.before), after: citationsText(citations.after) });
  const all: ItemEdit['changed'] = [...changed, ...(prerequisites ? (['prerequisites'] as const) : []), ...(citations ? (['citations'] as const) : [])];
  return { proposal, changes, changed: all };
}

/** Citations as one line for a change list: 《title》第X条（设定依据）；… */
const citationsText = (list: readonly { title: string; article: string | null; role: 'setting' | 'implementing' }[]) =>
  list.map((c) => `《${c.title}》${c.article ?? ''}（${CITATION_ROLES[c.role]}）`).join('；');


function proposeItemChange(review: ReviewRepository, actor: Actor, subject: Subject, code: string, input: unknown): ItemEdit {
  const result = withTransaction(review.db, () => {
    const edit = prepareItemEdit(review.db, subject, code, input);
    const { row, fields, rowVersion } = edit;
    // A proposal the legal office returned is corrected in place, not drafted anew.
    const returned = returnedProposalOf(review.db, row.department_id, row.id);
    if (returned) return correctReturned(review, actor, subject, code, edit, returned, (input ?? {}) as Record<string, unknown>);
    let submissionId = review.submissions.draftOf(row.department_id);
    const existing = submissionId ? review.items.draftItemOf(submissionId, row.id) : null;
    const { proposal, changes, changed } = proposalOfEdit(review, code, edit);
    if (changed.length === 0) {
      // Back to the catalogue's values: nothing left to propose.
      if (existing !== null) {
        review.items.delete(existing);
        appendAudit(review.db, actor, { action: 'item.propose', entityType: 'item', entityId: code, before: { submissionItem: existing }, after: { withdrawnFromDraft: true, submission: submissionId } });
      }
      return { code, rowVersion, changed, draft: submissionId ? { submissionId, submissionItemId: null } : null, returned: null };
    }
    if (submissionId === null) {
      submissionId = review.submissions.insertDraft({ departmentId: row.department_id, campaignId: review.campaigns.current()?.id ?? null, createdBy: actor.name, createdById: actor.id });
    }
    let submissionItemId: number;
    if (existing !== null) {
      review.items.updateDraft(existing, { name: fields.name, category: fields.category, proposal, changes });
      submissionItemId = existing;
    } else {
      submissionItemId = review.items.insertDraft({ submissionId, itemId: row.id, name: fields.name, category: fields.category, proposal, changes });
    }
    const { before, after } = auditOf(edit);
    appendAudit(review.db, actor, { action: 'item.propose', entityType: 'item', entityId: code, before, after: { ...after, submission: submissionId } });
    // The draft is checked as the legal office will see it, so the form shows the findings now.
    checkSubmissionItem(review, submissionId, submissionItemId);
    return { code, rowVersion, changed, draft: { submissionId, submissionItemId }, returned: null };
  });
  return result;
}

export const answerOfCorrection = z.object({ answer: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v ?? null), z.string().trim().max(2000, BASIS_ERRORS.answerTooLong(2000)).nullable()) });

/**
 * The department corrects a proposal the legal office returned: the proposal itself changes (fields,
 * citations), is checked again, and, when the person asks (`resubmit`), goes back to the legal office
 * with an optional answer. Runs in the caller's transaction.
 */
function correctReturned(
  review: ReviewRepository,
  actor: Actor,
  subject: Subject,
  code: string,
  edit: ReturnType<typeof prepareItemEdit>,
  returned: NonNullable<ReturnType<typeof returnedProposalOf>>,
  input: Record<string, unknown>,
): ItemEdit {
  const { fields, rowVersion } = edit;
  const answer = parse(answerOfCorrection, input).answer;
  const version = input.proposalVersion === undefined ? returned.rowVersion : Number(input.proposalVersion);
  if (version !== returned.rowVersion) throw errors.conflict(STALE);
  const { proposal, changes, changed } = proposalOfEdit(review, code, edit);
  const previous = returned.proposal as StoredProposal | null;
  const previousCitations = previous?.citations ?? [];
  if (!updateReturnedProposal(review.db, returned.id, returned.rowVersion, { name: fields.name, category: fields.category, proposal, changes })) throw errors.conflict(STALE);
  const { before, after } = auditOf(edit);
  appendAudit(review.db, actor, {
    action: 'review.correct',
    entityType: 'submission_item',
    entityId: returned.id,
    before: { ...before, proposedCitations: previousCitations.map(citationSummary) },
    after: { ...after, proposedCitations: proposal.citations.map(citationSummary), item: code },
  });
  checkSubmissionItem(review, returned.submissionId, returned.id);
  let resubmitted = false;
  if (input.resubmit !== undefined && input.resubmit !== '') {
    const reviewer = { id: actor.id ?? null, username: actor.name, role: subject.role, departmentId: subject.departmentId };
    const row = loadItem(review, reviewer, returned.id);
    move(review, reviewer, row, 'answer', row.rowVersion, { departmentAnswer: answer }, { answer, corrected: true });
    resubmitted = true;
  }
  return { code, rowVersion, changed, draft: null, returned: { submissionItemId: returned.id, resubmitted } };
}

/** Checks one proposal of a submission now, as of its campaign's date, and stores the findings on it. */
function checkSubmissionItem(review: ReviewRepository, submissionId: number, submissionItemId: number): void {
  const campaignId = review.items.get(submissionItemId)?.campaignId ?? null;
  const campaign = campaignId ? review.campaigns.get(campaignId) : review.campaigns.current();
  checkSubmissionItems(review, submissionId, campaign?.judgedAt ?? today(), submissionItemId);
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
