// A citizen's feedback on an item: checked, throttled per address, stored and audited; the legal office
// answers it and decides whether the answer is public. Nothing personal (contact, address) leaves the
// legal office's page: public reads go through publicAnswers, which has neither.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, PUBLIC_ACTOR, withTransaction, type Actor } from '../../db/audit.js';
import { createFeedbackRepository, type FeedbackState } from '../../db/queries/feedback.js';
import { FEEDBACK_KIND_CODES } from '../domain/vocabulary.js';
import { FEEDBACK_MESSAGES } from '../domain/labels.js';
import { can, type Subject } from '../auth/policy.js';
import { errors } from '../errors.js';
import { fieldErrors } from '../domain/item-fields.js';
import type { FeedbackThrottle } from './throttle.js';

export const FEEDBACK_LIMITS = { bodyMin: 5, bodyMax: 2000, contactMax: 100, answerMax: 2000 } as const;

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

export const feedbackSchema = z.object({
  kind: z.enum(FEEDBACK_KIND_CODES, { message: FEEDBACK_MESSAGES.kind }),
  body: z.preprocess(
    trimmed,
    z
      .string({ message: FEEDBACK_MESSAGES.empty })
      .min(1, FEEDBACK_MESSAGES.empty)
      .min(FEEDBACK_LIMITS.bodyMin, FEEDBACK_MESSAGES.tooShort(FEEDBACK_LIMITS.bodyMin))
      .max(FEEDBACK_LIMITS.bodyMax, FEEDBACK_MESSAGES.tooLong(FEEDBACK_LIMITS.bodyMax)),
  ),
  contact: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null), z.string().max(FEEDBACK_LIMITS.contactMax, FEEDBACK_MESSAGES.contactTooLong(FEEDBACK_LIMITS.contactMax)).nullable()),
});

/** The honeypot: a field people never see (hidden, out of the tab order), which form-filling robots fill. */
export const HONEYPOT_FIELD = 'website';

export type FeedbackOutcome = { stored: true; id: number } | { stored: false };

/**
 * Stores a citizen's feedback on an item. A filled honeypot is answered as if stored and changes
 * nothing (a robot learns nothing); an address over its allowance is refused before anything is read.
 */
export function submitFeedback(
  db: Db,
  throttle: FeedbackThrottle,
  item: { code: string; name: string },
  input: Record<string, unknown>,
  address: string,
): FeedbackOutcome {
  if (typeof input[HONEYPOT_FIELD] === 'string' && input[HONEYPOT_FIELD] !== '') return { stored: false };
  const verdict = throttle.check(address);
  if (!verdict.allowed) throw errors.tooManyAttempts(FEEDBACK_MESSAGES.throttled(Math.ceil(verdict.seconds / 60)));
  const parsed = feedbackSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的内容后再提交。', fieldErrors(parsed.error));
  const { kind, body, contact } = parsed.data;
  const id = withTransaction(db, () => {
    const id = createFeedbackRepository(db).insert({ itemCode: item.code, itemName: item.name, kind, body, contact, address: address || null });
    // The audit entry names the item and what was said, never the contact or the address.
    appendAudit(db, PUBLIC_ACTOR, { action: 'feedback.create', entityType: 'feedback', entityId: id, after: { itemCode: item.code, itemName: item.name, feedbackKind: kind, body } });
    return id;
  });
  throttle.counted(address);
  return { stored: true, id };
}

export const answerSchema = z.object({
  answer: z.preprocess(trimmed, z.string({ message: FEEDBACK_MESSAGES.answerEmpty }).min(1, FEEDBACK_MESSAGES.answerEmpty).max(FEEDBACK_LIMITS.answerMax, FEEDBACK_MESSAGES.answerTooLong(FEEDBACK_LIMITS.answerMax))),
  answerPublic: z.preprocess((v) => v === true || v === 'on' || v === '1' || v === 'true', z.boolean()),
  rowVersion: z.coerce.number({ message: '缺少版本号，请刷新页面' }).int().min(1),
});

/** The legal office answers a feedback (or changes its answer) and says whether the answer is public. */
export function answerFeedback(db: Db, actor: Actor, subject: Subject, id: number, input: unknown): { itemCode: string; public: boolean; wasPublic: boolean } {
  if (!can(subject, 'answer:feedback')) throw errors.forbidden();
  return withTransaction(db, () => {
    const repo = createFeedbackRepository(db);
    const row = repo.get(id);
    if (!row) throw errors.notFound('留言');
    const parsed = answerSchema.safeParse(input);
    if (!parsed.success) throw errors.invalid('请修正标出的内容后再提交。', fieldErrors(parsed.error));
    const { answer, answerPublic, rowVersion } = parsed.data;
    if (row.rowVersion !== rowVersion || !repo.answer(id, rowVersion, { answer, answerPublic, answeredBy: actor.name, answeredAt: new Date().toISOString() })) {
      throw errors.conflict(FEEDBACK_MESSAGES.answeredMeanwhile);
    }
    appendAudit(db, actor, {
      action: 'feedback.answer',
      entityType: 'feedback',
      entityId: id,
      before: { answer: row.answer, answerPublic: row.answerPublic },
      after: { answer, answerPublic, itemCode: row.itemCode },
    });
    return { itemCode: row.itemCode, public: answerPublic, wasPublic: row.answerPublic };
  });
}

export const feedbackListQuery = z.object({
  state: z.enum(['open', 'answered', 'all']).catch('open'),
  page: z.coerce.number().int().min(1).catch(1),
});

export function listFeedback(db: Db, subject: Subject, state: FeedbackState, page: number, pageSize = 50) {
  if (!can(subject, 'read:feedback')) throw errors.forbidden();
  return { ...createFeedbackRepository(db).list(state, page, pageSize), page, pageSize };
}
