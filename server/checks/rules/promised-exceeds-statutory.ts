// PROMISED_EXCEEDS_STATUTORY: the promised limit (承诺时限) is a promise to do better than the
// statutory one (法定时限), never worse.
import { GROUND } from '../grounds.js';
import { findingOf, NO_FINDINGS } from '../basis.js';
import type { Rule } from '../types.js';

export const promisedExceedsStatutory: Rule<'PROMISED_EXCEEDS_STATUTORY'> = {
  code: 'PROMISED_EXCEEDS_STATUTORY',
  severity: 'error',
  title: '承诺时限超过法定时限',
  explanation: '承诺时限是在法定时限内作出的服务承诺，只能短于或等于法定时限。承诺时限长于法定时限的，多为填写错误或违法延长期限。',
  ground: GROUND.promisedLimit,
  suggestion: 'fix_data',
  effective: {},
  scope: 'item',
  check(item) {
    const { promisedLimitDays: promised, statutoryLimitDays: statutory } = item;
    if (promised === null || statutory === null || promised <= statutory) return NO_FINDINGS;
    return [
      findingOf(promisedExceedsStatutory, {
        message: `“${item.name}”承诺时限${promised}个工作日，超过法定时限${statutory}个工作日`,
        suggestionText: `将承诺时限压缩到法定时限${statutory}个工作日以内`,
        details: { promisedLimitDays: promised, statutoryLimitDays: statutory },
      }),
    ];
  },
};
