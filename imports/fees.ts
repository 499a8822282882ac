// Fee cells (收费标准, 是否收费) as departments fill them: "不收费", "免费", "无", "0元", or a standard.
import { cleanText } from './normalise.js';

export interface Fee {
  charged: boolean;
  /** The standard as written ("按…收取", "每证10元"); null when nothing but yes/no was said. */
  standard: string | null;
}

const NOT_CHARGED: Fee = { charged: false, standard: null };
const CHARGED_NO_STANDARD: Fee = { charged: true, standard: null };

/**
 * Ways of saying "no fee", alone or with a bracketed note ("不收费（依据…）") and a full stop.
 * Searched on the text without spaces.
 */
const NOT_CHARGED_RE =
  /^(?:不收费|免费|免收(?:费用)?|免费办理|无|否|不|零|暂无|无收费(?:项目|标准)?|无费用|不收取(?:任何)?费用|不收取|不收|不涉及(?:收费)?|无需(?:缴费|收费|交费)|不需(?:要)?(?:缴费|收费|交费)|0+(?:\.0+)?元?|[/\\／—\-－–―]+)(?:[（(][^）)]*[）)])?[。.；;]?$/;
/** A bare yes: charged, no standard given. */
const CHARGED_ONLY_RE = /^(?:是|收费|收取费用|有|需收费)[。.]?$/;
/** "是，按…收取" / "收费：每件10元": the yes is dropped, the rest is the standard. */
const YES_PREFIX_RE = /^(?:是|收费)[，,：:；;\s]+/;
const SPACES_RE = /\s+/g;

/** Whether a fee is charged and its standard. Empty or any "no" form → not charged. */
export function parseFee(text: string): Fee {
  const t = cleanText(text);
  const compact = t.replace(SPACES_RE, '');
  if (compact === '' || NOT_CHARGED_RE.test(compact)) return NOT_CHARGED;
  if (CHARGED_ONLY_RE.test(compact)) return CHARGED_NO_STANDARD;
  const standard = t.replace(YES_PREFIX_RE, '').trim();
  return { charged: true, standard: standard === '' ? null : standard };
}
