// Expert review: the legal office assigns experts to decided items, each expert gives an opinion on
// the items assigned to them, the legal office records how each opinion was handled, and may close an
// item's expert review with a reason (or reopen the item for review).
import { z } from 'zod';
import { appendAudit, withTransaction } from '../../db/audit.js';
import type { ReviewRepository } from '../../db/queries/review/index.js';
import { OPINION_CODES } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { STALE, actorOf, loadItem, move, optionalText, parse, requiredText, versionOf, type Reviewer, type Selection } from './workflow.js';

/** Assigns experts to decided items (sending them to expert review) or adds experts to items already there. */
export function assignExperts(review: ReviewRepository, reviewer: Reviewer, selection: Selection, expertIds: number[]): number {
  if (selection.length === 0) throw errors.invalid('请至少选择一个事项。');
  if (expertIds.length === 0) throw errors.invalid('请至少选择一位专家。', { experts: '请至少选择一位专家' });
  return withTransaction(review.db, () => {
    const names = expertIds.map((e) => {
      const name = review.experts.activeExpertName(e);
      if (!name) throw errors.invalid('所选账号不是专家。', { experts: '所选账号不是专家' });
      return name;
    });
    for (const s of selection) {
      const row = loadItem(review, reviewer, s.id);
      for (const e of expertIds) review.experts.assign(row.id, e, reviewer.username);
      if (row.state === 'decided') move(review, reviewer, row, 'send_to_experts', s.rowVersion, {}, { experts: names });
      else if (row.state === 'in_expert_review') {
        appendAudit(review.db, actorOf(reviewer), { action: 'review.assign_experts', entityType: 'submission_item', entityId: row.id, after: { experts: names } });
      } else throw errors.conflict(`“${row.name}”尚未作出处理决定，不能送专家评审。`);
    }
    return selection.length;
  });
}

export const opinionSchema = z.object({
  opinion: z.enum(OPINION_CODES, { message: '请选择评审意见' }),
  notes: optionalText(2000),
});

/** An expert records an opinion on an item assigned to them (and only on those). */
export function recordOpinion(review: ReviewRepository, reviewer: Reviewer, submissionItemId: number, input: Record<string, unknown>): void {
  const o = parse(opinionSchema, input);
  if (o.opinion !== 'agree' && !o.notes) throw errors.invalid('不同意或需修改时，请写明意见。', { notes: '请写明意见' });
  withTransaction(review.db, () => {
    const assignment = review.experts.assignment(submissionItemId, reviewer.id);
    if (!assignment) throw errors.notFound('评审事项');
    if (review.items.state(submissionItemId) !== 'in_expert_review') throw errors.conflict('该事项已不在专家评审中，意见未保存。');
    // A client that sends no version answers the assignment as it stands.
    const version = Number(input.rowVersion);
    if (!review.experts.answer(assignment.id, Number.isSafeInteger(version) ? version : assignment.rowVersion, o.opinion, o.notes)) throw errors.conflict(STALE);
    appendAudit(review.db, actorOf(reviewer), { action: 'review.opinion', entityType: 'submission_item', entityId: submissionItemId, after: o });
  });
}

export const handlingSchema = z.object({ handling: requiredText(2000, '请写明对专家意见的处理情况') });

/** The legal office records how an expert's opinion was handled. */
export function handleOpinion(review: ReviewRepository, reviewer: Reviewer, expertReviewId: number, input: Record<string, unknown>): void {
  const h = parse(handlingSchema, input);
  withTransaction(review.db, () => {
    const opinion = review.experts.get(expertReviewId);
    if (!opinion) throw errors.notFound('专家意见');
    if (!opinion.opinion) throw errors.conflict('专家尚未提出意见。');
    review.experts.handle(expertReviewId, h.handling, reviewer.username);
    appendAudit(review.db, actorOf(reviewer), { action: 'review.handle_opinion', entityType: 'submission_item', entityId: opinion.submissionItemId, after: { expertReviewId, ...h } });
  });
}

export const closeExpertSchema = z.object({ reason: requiredText(1000, '结束专家评审必须写明理由') });

/** The legal office closes an item's expert review without waiting for every expert. */
export function closeExpertReview(review: ReviewRepository, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  const c = parse(closeExpertSchema, input);
  withTransaction(review.db, () => {
    const row = loadItem(review, reviewer, id);
    if (row.state !== 'in_expert_review') throw errors.conflict('该事项不在专家评审中。');
    if (versionOf(input) !== row.rowVersion) throw errors.conflict(STALE);
    review.items.closeExpertReview(id, c.reason);
    appendAudit(review.db, actorOf(reviewer), { action: 'review.close_expert_review', entityType: 'submission_item', entityId: id, after: c });
  });
}

export function reopenItem(review: ReviewRepository, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  withTransaction(review.db, () => {
    const row = loadItem(review, reviewer, id);
    move(review, reviewer, row, 'reopen', versionOf(input), { expertReviewClosedReason: null });
  });
}
