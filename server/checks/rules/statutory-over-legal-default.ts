// STATUTORY_OVER_LEGAL_DEFAULT: a permit is decided within 20 working days (行政许可法 art. 42);
// a longer statutory limit must come from a law or regulation that says so.
import { rankOrder } from '../../domain/vocabulary.js';
import { GROUND, PERMIT_LAW_EFFECTIVE } from '../grounds.js';
import { citationLabel, findingOf, NO_FINDINGS, weighSettingBases } from '../basis.js';
import type { Rule } from '../types.js';

/** 行政许可法 art. 42: twenty working days. */
export const PERMIT_DEFAULT_LIMIT_DAYS = 20;
const LOCAL_REGULATION = rankOrder('local_regulation');

export const statutoryOverLegalDefault: Rule<'STATUTORY_OVER_LEGAL_DEFAULT'> = {
  code: 'STATUTORY_OVER_LEGAL_DEFAULT',
  severity: 'warning',
  title: '法定时限超过二十个工作日',
  explanation:
    '行政许可应当自受理之日起二十个工作日内作出决定，经本机关负责人批准可延长十日；法律、法规另有规定的除外。' +
    '法定时限超过二十个工作日的，须有法律、法规明确规定：设定依据只有规章或规范性文件的为警告，有法律、法规依据的提示核对该法律、法规是否规定了更长期限。',
  ground: GROUND.timeLimit,
  suggestion: 'review',
  effective: { from: PERMIT_LAW_EFFECTIVE },
  scope: 'item',
  check(item) {
    if (item.category !== 'permit' || item.instant) return NO_FINDINGS;
    const days = item.statutoryLimitDays;
    if (days === null || days <= PERMIT_DEFAULT_LIMIT_DAYS) return NO_FINDINGS;
    const { best } = weighSettingBases(item);
    const byStatute = best !== null && rankOrder(best.rank) <= LOCAL_REGULATION;
    return [
      findingOf(statutoryOverLegalDefault, {
        severity: byStatute ? 'info' : 'warning',
        message: byStatute
          ? `“${item.name}”法定时限${days}个工作日，超过二十个工作日；须${citationLabel(best.citation)}对期限另有规定`
          : `“${item.name}”法定时限${days}个工作日，超过二十个工作日，而设定依据中没有法律、法规对期限另作规定`,
        suggestionText: byStatute
          ? '核对该法律、法规是否规定了更长的期限；没有规定的，法定时限改为二十个工作日'
          : '法定时限改为二十个工作日（经负责人批准可延长十日）',
        details: { statutoryLimitDays: days },
      }),
    ];
  },
};
