// STEP_LIMITS_EXCEED_ITEM_LIMIT: the limits of an item's steps (岗位审批时限) must fit in the item's
// own limit — the promised one, or without a promise the statutory one (seed 000 二（四）1).
import { cachedProcessSteps } from '../../domain/process-steps.js';
import { SEED_000 } from '../grounds.js';
import { findingOf, NO_FINDINGS } from '../basis.js';
import type { Rule } from '../types.js';

export const STEP_LIMITS_GROUND = `${SEED_000}二（四）1：“要将办理时限细化分解到工作流程中的每个环节和岗位，严格限定办理时间，解决超时审批问题”`;

export const stepLimitsExceedItemLimit: Rule<'STEP_LIMITS_EXCEED_ITEM_LIMIT'> = {
  code: 'STEP_LIMITS_EXCEED_ITEM_LIMIT',
  severity: 'warning',
  title: '各环节时限合计超过事项时限',
  explanation:
    '办理时限要细化分解到每个环节和岗位，各环节的时限加起来不能超过事项的承诺时限（没有承诺时限的，不能超过法定时限；即办件为当日）。' +
    '合计超出的，要么环节时限写错了，要么承诺无法兑现。环节时限按工作日计，即时、当场、当日和不足一天的小时数计为零。',
  ground: STEP_LIMITS_GROUND,
  suggestion: 'fix_data',
  effective: {},
  scope: 'item',
  check(item) {
    const steps = item.steps ?? cachedProcessSteps(item.processText);
    const timed = steps.filter((s) => s.limitDays !== null);
    if (timed.length === 0) return NO_FINDINGS;
    const promised = item.promisedLimitDays ?? (item.instant ? 0 : null);
    const limit = promised ?? item.statutoryLimitDays;
    if (limit === null) return NO_FINDINGS;
    const total = timed.reduce((sum, s) => sum + s.limitDays!, 0);
    if (total <= limit) return NO_FINDINGS;
    const which = promised !== null ? (item.instant && item.promisedLimitDays === null ? '即办件当日办结的承诺' : `承诺时限${limit}个工作日`) : `法定时限${limit}个工作日`;
    const parts = timed.map((s) => `${s.name}${s.limitDays}日`).join('、');
    return [
      findingOf(stepLimitsExceedItemLimit, {
        message: `“${item.name}”各环节时限合计${total}个工作日（${parts}），超过${which}`,
        suggestionText: `压缩各环节时限，使合计不超过${limit}个工作日；环节时限填写有误的，予以更正`,
        details: { stepLimitDays: total, itemLimitDays: limit, basis: promised !== null ? 'promised' : 'statutory' },
      }),
    ];
  },
};
