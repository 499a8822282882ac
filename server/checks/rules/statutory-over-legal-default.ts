// STATUTORY_OVER_LEGAL_DEFAULT: a permit is decided within 20 working days, or 45 when it is handled
// jointly (行政许可法 art. 42); a longer statutory limit must come from a law or regulation that says so.
import { parseTimeLimit } from '../../domain/time-limits.js';
import { rankOrder } from '../../domain/vocabulary.js';
import { GROUND, PERMIT_LAW_EFFECTIVE } from '../grounds.js';
import { citationLabel, findingOf, NO_FINDINGS, weighSettingBases } from '../basis.js';
import type { CheckedCitation, CheckedItem, Rule } from '../types.js';

/** 行政许可法 art. 42 para. 1: twenty working days. */
export const PERMIT_DEFAULT_LIMIT_DAYS = 20;
/** Art. 42 para. 2: forty-five days when the permit is handled jointly, in one place or by one body (art. 26). */
export const JOINT_HANDLING_LIMIT_DAYS = 45;
const LOCAL_REGULATION = rankOrder('local_regulation');

/** Art. 26's 统一办理, 联合办理, 集中办理, and the 并联审批 / 联合审查 the work plans ask for, in the name or the process. */
const JOINT_RE = /联合(?:办理|审批|审查|踏勘|勘验|勘察|验收)|并联(?:审批|办理)|统一办理|集中办理/;
/** A limit in quoted article text: "二十日内", "四十五个工作日", "三个月". */
const QUOTED_LIMIT_RE = /(?:[0-9]+|[零〇两一二三四五六七八九十百]+)\s*个?\s*(?:工作日|日|天|月|年)/g;

/** Handled jointly (art. 42 para. 2): the name or the process says so. */
export const isJointlyHandled = (item: Pick<CheckedItem, 'name' | 'processText'>): boolean =>
  JOINT_RE.test(item.name) || (item.processText !== null && JOINT_RE.test(item.processText));

/** The longest limit the citation's quoted words set, in days; null when they set none. */
export function quotedLimitDays(c: CheckedCitation): number | null {
  if (!c.quotedText) return null;
  let longest: number | null = null;
  for (const m of c.quotedText.matchAll(QUOTED_LIMIT_RE)) {
    const days = parseTimeLimit(m[0]).days;
    if (days !== null && (longest === null || days > longest)) longest = days;
  }
  return longest;
}

/**
 * A cited law or regulation (art. 42: "法律、法规另有规定的，依照其规定") whose quoted words set a limit
 * at least as long as the item's statutory one: that basis sets the longer limit.
 */
function basisSettingLimit(item: CheckedItem, days: number): CheckedCitation | null {
  for (const c of item.citations) {
    if (c.instrument.status === 'repealed' || c.instrument.rank === 'unknown' || rankOrder(c.instrument.rank) > LOCAL_REGULATION) continue;
    const quoted = quotedLimitDays(c);
    if (quoted !== null && quoted >= days) return c;
  }
  return null;
}

export const statutoryOverLegalDefault: Rule<'STATUTORY_OVER_LEGAL_DEFAULT'> = {
  code: 'STATUTORY_OVER_LEGAL_DEFAULT',
  severity: 'warning',
  title: '法定时限超过二十个工作日',
  explanation:
    '行政许可应当自受理之日起二十个工作日内作出决定，经本机关负责人批准可延长十日；统一办理、联合办理、集中办理的不超过四十五日，' +
    '经本级人民政府负责人批准可延长十五日；法律、法规另有规定的除外。法定时限超过的，须有法律、法规明确规定：' +
    '所引法律、法规的条文写明了更长期限的不提示；设定依据只有规章或规范性文件的为警告；有法律、法规依据但未引出期限条文的，提示核对。',
  ground: GROUND.timeLimit,
  suggestion: 'review',
  effective: { from: PERMIT_LAW_EFFECTIVE },
  scope: 'item',
  check(item) {
    if (item.category !== 'permit' || item.instant) return NO_FINDINGS;
    const days = item.statutoryLimitDays;
    const joint = isJointlyHandled(item);
    const limit = joint ? JOINT_HANDLING_LIMIT_DAYS : PERMIT_DEFAULT_LIMIT_DAYS;
    if (days === null || days <= limit) return NO_FINDINGS;
    if (basisSettingLimit(item, days)) return NO_FINDINGS;
    const { best } = weighSettingBases(item);
    const byStatute = best !== null && rankOrder(best.rank) <= LOCAL_REGULATION;
    const over = joint ? '超过联合办理的四十五日' : '超过二十个工作日';
    const fallback = joint ? '法定时限改为四十五日（经本级人民政府负责人批准可延长十五日）' : '法定时限改为二十个工作日（经负责人批准可延长十日）';
    return [
      findingOf(statutoryOverLegalDefault, {
        severity: byStatute ? 'info' : 'warning',
        message: byStatute
          ? `“${item.name}”法定时限${days}个工作日，${over}；须${citationLabel(best.citation)}对期限另有规定`
          : `“${item.name}”法定时限${days}个工作日，${over}，而设定依据中没有法律、法规对期限另作规定`,
        suggestionText: byStatute ? `核对该法律、法规是否规定了更长的期限；没有规定的，${fallback}` : fallback,
        details: { statutoryLimitDays: days, defaultLimitDays: limit, jointHandling: joint },
      }),
    ];
  },
};
