// Time limits (法定时限, 承诺时限) as departments write them, turned into days and an
// instant-handling flag: "20个工作日", "即办", "承诺时限15个工作日", "十五日", "5天", "3个月".
import { cleanText } from './clean-text.js';

export interface TimeLimit {
  /** Days as written (working days unless `natural`); 0 for instant and same-day handling; null when none is given. */
  days: number | null;
  /** 即办件: handled on the spot (即办, 即时办结, 当场办结, 即来即办, 立即, 随到随办, "0"). */
  instant: boolean;
  /** The limit counts calendar days: written as 自然日, or in months, weeks, years or 24+ hours. */
  natural: boolean;
  /** False when the text says something that is not a time limit: the caller reports it. */
  ok: boolean;
}

const DIGIT_VALUES: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, '○': 0, Ｏ: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const UNIT_VALUES: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const ARABIC_RE = /^[0-9０-９]+(?:[.．][0-9０-９]+)?$/;
const FULL_WIDTH_DIGIT_RE = /[０-９．]/g;

/**
 * A number written in Arabic digits (half- or full-width, with an optional decimal part) or in
 * Chinese numerals: 十 → 10, 二十五 → 25, 一百零五 → 105, 两 → 2, 一万二千 → 12000, and digit by
 * digit without units (二〇一六 → 2016). Null for anything else, incl. malformed numerals (十百).
 */
export function chineseToNumber(s: string): number | null {
  const t = s.trim();
  if (t === '') return null;
  if (ARABIC_RE.test(t)) {
    return Number(t.replace(FULL_WIDTH_DIGIT_RE, (ch) => (ch === '．' ? '.' : String(ch.charCodeAt(0) - 0xff10))));
  }
  let hasUnit = false;
  for (const ch of t) {
    if (UNIT_VALUES[ch] !== undefined || ch === '万' || ch === '萬') hasUnit = true;
    else if (DIGIT_VALUES[ch] === undefined) return null;
  }
  if (!hasUnit) {
    // 二〇一六: digit by digit. A single 零 is zero.
    let n = 0;
    for (const ch of t) n = n * 10 + DIGIT_VALUES[ch]!;
    return n;
  }
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let lastUnit = Infinity;
  for (const ch of t) {
    const d = DIGIT_VALUES[ch];
    if (d !== undefined) {
      // Two digits in a row (一二十) only after 零 (一百零五).
      if (digit !== null && digit !== 0) return null;
      digit = d;
      continue;
    }
    if (ch === '万' || ch === '萬') {
      section += digit ?? 0;
      if (section === 0 || total !== 0) return null;
      total = section * 10000;
      section = 0;
      digit = null;
      lastUnit = Infinity;
      continue;
    }
    const unit = UNIT_VALUES[ch]!;
    if (unit >= lastUnit) return null;
    // 十 without a digit is 一十 (十五, 一百十); 百 and 千 need one.
    if (digit === null && unit !== 10) return null;
    if (digit === 0) return null;
    section += (digit ?? 1) * unit;
    digit = null;
    lastUnit = unit;
  }
  return total + section + (digit ?? 0);
}

const EMPTY: TimeLimit = { days: null, instant: false, natural: false, ok: true };
const INSTANT: TimeLimit = { days: 0, instant: true, natural: false, ok: true };
const UNPARSED: TimeLimit = { days: null, instant: false, natural: false, ok: false };

/** Cells that say there is no limit: '', 无, 暂无, /, —, 不适用, 无法定时限, 法律未规定 … */
const NONE_RE =
  /^(?:无|暂无|没有|无时限|无期限|无法定时限|无承诺时限|不适用|不涉及|(?:法律法规|法律|法规)?(?:未|无|没有)(?:作|明确)?(?:规定|要求)(?:时限|期限)?|[/\\／—\-－–―_~～.。、]+|n\/?a|null|none)[。.]?$/i;
/** On-the-spot handling. Searched, so "承诺即办", "即办件" and "当场办结" all count. */
const INSTANT_RE = /即办|即时|当场|立即|随到随办|现场办结|即到即办/;
/** Handled the same day but not on the spot. */
const SAME_DAY_RE = /当日|当天/;
const NUMBER = '[0-9]+(?:\\.[0-9]+)?|[零〇○一二两三四五六七八九十百千]+';
/**
 * A quantity with its unit: "20个工作日", "十五日", "5天", "3个月", "2小时", "5-10个工作日" (the upper
 * bound counts). 日 must not be part of 之日/日起 (自受理之日起…), which the number before it ensures.
 */
const QUANTITY_RE = new RegExp(
  `(${NUMBER})(?:\\s*(?:-|~|～|—|–|至|到)\\s*(${NUMBER}))?\\s*(?:个)?\\s*(工作日|自然日|日历日|个?工作天|天|日|个?月|年|小时|个?钟头|周|星期)`,
);
const BARE_NUMBER_RE = /^(?:[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+)$/;
const SPACES_RE = /\s+/g;

/**
 * One time limit. Days are counted as written: "20个工作日" → 20, "十五日" and "5天" → 15 and 5 (日 and
 * 天 are taken as the working days of 行政许可法 art. 82, `natural` false); "30个自然日" → 30 natural.
 * Months count 30 natural days, weeks 7, years 365 (`natural` true). Hours: under 24 → same day
 * (days 0, not instant); 24 or more → whole days rounded up, natural. Fractions of a day round up
 * ("1.5个工作日" → 2; "0.5个工作日" → 0, same day). Instant words (即办, 当场办结, 立即 …) or a
 * bare "0" → instant with 0 days; "当日办结" → 0 days, not instant. When the text holds several
 * limits, the first one counts (use parseTimeLimits for labelled 法定/承诺 pairs). A bare number
 * ("20") is taken as days. Empty, 无, /, — → days null, ok. Anything else → ok false.
 */
export function parseTimeLimit(text: string): TimeLimit {
  const t = cleanText(text).replace(SPACES_RE, '');
  if (t === '' || NONE_RE.test(t)) return EMPTY;
  if (BARE_NUMBER_RE.test(t)) {
    const n = chineseToNumber(t);
    if (n === null) return UNPARSED;
    return n === 0 ? INSTANT : { days: Math.ceil(n), instant: false, natural: false, ok: true };
  }
  const q = QUANTITY_RE.exec(t);
  const instantAt = t.search(INSTANT_RE);
  if (instantAt >= 0 && (!q || instantAt < q.index)) return INSTANT;
  if (q) return quantityToLimit(q);
  if (SAME_DAY_RE.test(t)) return { days: 0, instant: false, natural: false, ok: true };
  return UNPARSED;
}

function quantityToLimit(q: RegExpExecArray): TimeLimit {
  const n = chineseToNumber(q[2] ?? q[1]!);
  if (n === null) return UNPARSED;
  const unit = q[3]!;
  if (unit === '小时' || unit.endsWith('钟头')) {
    return n < 24 ? { days: 0, instant: false, natural: false, ok: true } : natural(Math.ceil(n / 24));
  }
  if (unit.endsWith('月')) return natural(Math.ceil(n * 30));
  if (unit === '周' || unit === '星期') return natural(Math.ceil(n * 7));
  if (unit === '年') return natural(Math.ceil(n * 365));
  const days = n < 1 ? 0 : Math.ceil(n);
  if (n === 0) return INSTANT;
  return { days, instant: false, natural: unit === '自然日' || unit === '日历日', ok: true };
}

const natural = (days: number): TimeLimit => ({ days, instant: false, natural: true, ok: true });

export interface LabelledTimeLimits {
  statutory?: TimeLimit;
  promised?: TimeLimit;
}

/** 法定… / 承诺…, not 法定节假日 (which only says holidays are not counted). */
const LABEL_RE = /(法定|承诺)(?!节|假)(?:办结|办理)?(?:时限|期限|时间)?(?:为|是)?[:：]?/g;

/**
 * A cell that may hold both limits, each under its label: "法定20个工作日，承诺5个工作日" →
 * { statutory: 20, promised: 5 }. Text before the first label (or the whole cell when it has no
 * label) is filed under `unlabelled` when given, otherwise left out.
 */
export function parseTimeLimits(text: string, unlabelled?: keyof LabelledTimeLimits): LabelledTimeLimits {
  const t = cleanText(text);
  const out: LabelledTimeLimits = {};
  const labels: { key: keyof LabelledTimeLimits; start: number; end: number }[] = [];
  LABEL_RE.lastIndex = 0;
  for (let m = LABEL_RE.exec(t); m; m = LABEL_RE.exec(t)) {
    labels.push({ key: m[1] === '法定' ? 'statutory' : 'promised', start: m.index, end: m.index + m[0].length });
  }
  const lead = t.slice(0, labels[0]?.start ?? t.length).replace(/[，,；;。\s]+$/, '');
  if (unlabelled && (lead !== '' || labels.length === 0)) out[unlabelled] = parseTimeLimit(lead);
  labels.forEach((label, i) => {
    const segment = t.slice(label.end, labels[i + 1]?.start ?? t.length).replace(/[，,；;。\s]+$/, '');
    // The first mention of a label wins ("承诺5个工作日（承诺……）" keeps 5).
    if (out[label.key] === undefined) out[label.key] = parseTimeLimit(segment);
  });
  return out;
}
