// The legal office's decisions: a disposition with its reason and legal ground, one item or many at
// once, and findings of the checks set aside with a reason.
import { z } from 'zod';
import { appendAudit, withTransaction } from '../../db/audit.js';
import type { ReviewRepository, SubmissionItemRow } from '../../db/queries/review/index.js';
import { CATEGORIES, CATEGORY_CODES, DISPOSITIONS, LEVEL_CODES, LEVELS, PROPOSAL_KINDS, type Disposition } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { DISPOSITIONS_FOR } from './states.js';
import { STALE, actorOf, loadItem, move, nowIso, optionalText, parse, requiredText, type Reviewer, type Selection } from './workflow.js';

export const decisionSchema = z
  .object({
    disposition: z.enum(Object.keys(DISPOSITIONS) as [Disposition, ...Disposition[]], { message: '请选择处理决定' }),
    reason: requiredText(2000, '请写明处理理由'),
    legalGround: optionalText(500),
    delegateLevel: z.preprocess((v) => (v === '' ? undefined : v), z.enum(LEVEL_CODES, { message: '请选择下放到的层级' }).optional()),
    delegateBody: optionalText(100),
    mergeInto: optionalText(100),
    transferTo: optionalText(100),
    newCategory: z.preprocess((v) => (v === '' ? undefined : v), z.enum(CATEGORY_CODES, { message: '请选择改变后的事项类型' }).optional()),
    newMode: optionalText(100),
  })
  .superRefine((d, ctx) => {
    const need = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (d.disposition === 'delegate') {
      if (!d.delegateLevel) need('delegateLevel', '请选择下放到的层级');
      if (!d.delegateBody) need('delegateBody', '请填写承接的机关');
    }
    if (d.disposition === 'merge' && !d.mergeInto) need('mergeInto', '请填写并入事项的编码');
    if (d.disposition === 'transfer' && !d.transferTo) need('transferTo', '请填写转移到的部门或机构');
    if (d.disposition === 'change_mode' && !d.newMode) need('newMode', '请写明改变后的管理方式（如：改为备案）');
  });
export type DecisionInput = z.infer<typeof decisionSchema>;

/** What a decision records about where the item goes, and the same in words for the audit log. */
function detailsOf(review: ReviewRepository, d: DecisionInput, row: SubmissionItemRow): { details: Record<string, string>; destination: string | null } {
  switch (d.disposition) {
    case 'delegate':
      return { details: { level: d.delegateLevel!, body: d.delegateBody! }, destination: `下放至${LEVELS[d.delegateLevel!]}：${d.delegateBody}` };
    case 'merge': {
      const target = review.catalogue.liveByCode(d.mergeInto!);
      if (!target) throw errors.invalid(`目录中没有编码为“${d.mergeInto}”的事项。`, { mergeInto: '找不到该编码的事项' });
      if (target.id === row.itemId) throw errors.invalid('不能并入事项本身。', { mergeInto: '不能并入事项本身' });
      return { details: { intoCode: target.code, intoName: target.name }, destination: `并入“${target.name}”（${target.code}）` };
    }
    case 'transfer': {
      // A department on file is recorded by code (finalising moves the item there); any other body by name.
      const department = review.catalogue.department(d.transferTo!);
      return department
        ? { details: { department: department.code, body: department.name }, destination: `转移至${department.name}` }
        : { details: { body: d.transferTo! }, destination: `转移至${d.transferTo}` };
    }
    case 'change_mode':
      return {
        details: { mode: d.newMode!, ...(d.newCategory ? { category: d.newCategory } : {}) },
        destination: `改变管理方式：${d.newMode}${d.newCategory ? `（改为${CATEGORIES[d.newCategory]}）` : ''}`,
      };
    default:
      // Retaining or accepting an item may settle the category it was imported without (待分类).
      return { details: d.newCategory ? { category: d.newCategory } : {}, destination: null };
  }
}

/**
 * The legal office's decision on one or more items with the same reason (a bulk decision records
 * one decision per item). An item not yet under review is taken into review first.
 */
export function decideItems(review: ReviewRepository, reviewer: Reviewer, selection: Selection, input: unknown): number {
  const d = parse(decisionSchema, input);
  if (selection.length === 0) throw errors.invalid('请至少选择一个事项。');
  return withTransaction(review.db, () => {
    for (const s of selection) {
      let row = loadItem(review, reviewer, s.id);
      if (!DISPOSITIONS_FOR[row.kind].includes(d.disposition)) {
        const kindName = PROPOSAL_KINDS[row.kind];
        throw errors.invalid(`“${row.name}”是${kindName}，不能作出“${DISPOSITIONS[d.disposition]}”的决定。`, { disposition: '该处理决定不适用于此事项' });
      }
      const { details, destination } = detailsOf(review, d, row);
      if (row.state === 'submitted' || row.state === 'resubmitted') row = move(review, reviewer, row, 'start_review', s.rowVersion);
      else if (s.rowVersion !== null && s.rowVersion !== row.rowVersion) throw errors.conflict(STALE);
      move(
        review,
        reviewer,
        row,
        'decide',
        null,
        { disposition: d.disposition, dispositionDetails: details, reason: d.reason, legalGround: d.legalGround, decidedBy: reviewer.username, decidedAt: nowIso() },
        { disposition: d.disposition, destination, reason: d.reason, legalGround: d.legalGround, bulk: selection.length > 1 },
        d.disposition,
      );
    }
    return selection.length;
  });
}

export const overrideSchema = z.object({ rule: requiredText(40, '请选择要排除的问题'), reason: requiredText(1000, '排除问题必须写明理由') });

/** A reviewer sets a finding aside, with a reason that is kept (and shown in the filing record). */
export function overrideFlag(review: ReviewRepository, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  const o = parse(overrideSchema, input);
  withTransaction(review.db, () => {
    const row = loadItem(review, reviewer, id);
    if (!review.items.flags(id).some((f) => f.rule === o.rule)) throw errors.invalid('该事项没有这个问题标记。', { rule: '该事项没有这个问题标记' });
    if (row.state === 'final' || row.state === 'withdrawn') throw errors.conflict('已定稿或已撤回的事项不能再排除问题。');
    review.items.override(id, o.rule, o.reason, reviewer.username);
    review.items.bumpVersion(id);
    appendAudit(review.db, actorOf(reviewer), { action: 'review.override', entityType: 'submission_item', entityId: id, after: o });
  });
}
