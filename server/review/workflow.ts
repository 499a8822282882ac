// What every review use case shares: who acts, how input is parsed, and `move` — the one way an item
// changes state: the transition table decides, the row version must be the one the person read, the
// submission's state follows its items, the catalogue item's review status follows, and it is audited.
import { z } from 'zod';
import { isoDate } from '../domain/schemas.js';
import { appendAudit, type Actor } from '../../db/audit.js';
import type { ReviewRepository, SubmissionItemRow, TransitionColumns } from '../../db/queries/review/index.js';
import type { Disposition, Role } from '../domain/vocabulary.js';
import { can } from '../auth/policy.js';
import { errors } from '../errors.js';
import { fieldErrors } from '../domain/item-fields.js';
import { submissionStateOf, transition, type ReviewAction, type TransitionFacts } from './states.js';

/** Who acts: the signed-in user as the workflow sees them. */
export interface Reviewer {
  id: number | null;
  username: string;
  role: Role;
  departmentId: number | null;
}

/** Items chosen on a list, each with the row version the person saw (null when the caller has none). */
export type Selection = { id: number; rowVersion: number | null }[];

export const actorOf = (r: Reviewer): Actor => ({ id: r.id, name: r.username });
export const today = () => new Date().toISOString().slice(0, 10);
export const nowIso = () => new Date().toISOString();

export { isoDate };
export const optionalDate = z.preprocess((v) => (v === '' || v === undefined ? null : v), isoDate().nullable());
export const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v ?? null), z.string().trim().max(max, `不能超过 ${max} 字`).nullable());
export const requiredText = (max: number, message: string) => z.string({ message }).trim().min(1, message).max(max, `不能超过 ${max} 字`);

export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  return parsed.data;
}

export const STALE = '该事项已被他人处理（您看到的是旧版本），本次操作未保存。请刷新页面查看最新状态后再操作。';

/** Items chosen on a list: `id:rowVersion` pairs (a checkbox carries the version its row showed). */
export function parseSelection(raw: unknown): Selection {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw];
  return list
    .map((v) => {
      if (typeof v === 'number') return { id: v, rowVersion: null };
      if (typeof v === 'object' && v !== null) {
        const o = v as { id?: unknown; rowVersion?: unknown };
        return { id: Number(o.id), rowVersion: o.rowVersion === undefined ? null : Number(o.rowVersion) };
      }
      const [id, version] = String(v).split(':');
      return { id: Number(id), rowVersion: version === undefined ? null : Number(version) };
    })
    .filter((s) => Number.isSafeInteger(s.id) && s.id > 0 && (s.rowVersion === null || Number.isSafeInteger(s.rowVersion)));
}

/** The row version a form sent back; a form without one is refused. */
export const versionOf = (input: Record<string, unknown>): number => {
  const v = Number(input.rowVersion);
  if (!Number.isSafeInteger(v)) throw errors.invalid('缺少版本号，请刷新页面后重试。');
  return v;
};

/** An item under review the reviewer may see; another department's item is as good as missing. */
export function loadItem(review: ReviewRepository, reviewer: Reviewer, id: number): SubmissionItemRow {
  const row = review.items.get(id);
  if (!row || !can(reviewer, 'read:review', { departmentId: row.departmentId })) throw errors.notFound('申报事项');
  return row;
}

function factsOf(review: ReviewRepository, row: SubmissionItemRow, disposition: Disposition | null): TransitionFacts {
  const experts = review.items.expertCounts(row.id);
  return { kind: row.kind, disposition, expertsAssigned: experts.assigned, expertsPending: experts.pending, expertReviewClosed: row.expertReviewClosedReason !== null };
}

/**
 * Applies one transition to one item: the transition table decides, the row version must be the one
 * the person read, and the columns in `set` are written with the new state. Audited.
 */
export function move(
  review: ReviewRepository,
  reviewer: Reviewer,
  row: SubmissionItemRow,
  action: ReviewAction,
  rowVersion: number | null,
  set: TransitionColumns = {},
  auditExtra: Record<string, unknown> = {},
  disposition: Disposition | null = row.disposition,
): SubmissionItemRow {
  if (rowVersion !== null && rowVersion !== row.rowVersion) throw errors.conflict(STALE);
  const result = transition(row.state, action, reviewer.role, factsOf(review, row, disposition));
  if (!result.ok) throw errors.conflict(`“${row.name ?? '该事项'}”：${result.reason}`);
  if (!review.items.transition(row.id, row.rowVersion, result.to, set)) throw errors.conflict(STALE);
  review.submissions.setState(row.submissionId, submissionStateOf(review.submissions.itemStates(row.submissionId)));
  if (row.itemId !== null) review.catalogue.setReviewStatus(row.itemId, result.to === 'withdrawn' ? 'none' : result.to);
  appendAudit(review.db, actorOf(reviewer), {
    action: `review.${action}`,
    entityType: 'submission_item',
    entityId: row.id,
    before: { state: row.state },
    after: { state: result.to, ...auditExtra },
  });
  return review.items.get(row.id)!;
}
