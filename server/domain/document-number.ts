// Document numbers (文号) made comparable: the import's citation parser and the legal-basis rules both
// compare a cited number with the registry's.
import { chineseToNumber } from './time-limits.js';

const OPEN_YEAR = '[〔\\[［【（(]';
const CLOSE_YEAR = '[〕\\]］】）)]';
const SPACES_RE = /\s+/g;
const YEAR_BRACKETS_RE = new RegExp(`${OPEN_YEAR}\\s*(\\d{4})\\s*${CLOSE_YEAR}`, 'g');
/** Words that run into a document number without being part of it: 依据国发〔2015〕11号. */
const DOC_NUMBER_LEAD_RE = /^(?:依据|根据|依照|按照|参照|见|详见|[年月日号])+/;
/** The state's name before an order (中华人民共和国主席令, 中华人民共和国国务院令) says nothing the order does not. */
const STATE_PREFIX_RE = /^中华人民共和国(?=[\u4e00-\u9fa5]{1,20}?令)/;
/** An order's number in Chinese numerals: 主席令第十一号. */
const ORDER_NUMBER_RE = /(令(?:〔\d{4}〕|\d{4}年)?第)([零〇一二两三四五六七八九十百千]+)(号)/;

/**
 * One written form per document number, so that a citation finds the registry's: brackets around the year
 * made 〔〕, spaces removed (国发[2015]11号 → 国发〔2015〕11号), the 中华人民共和国 before an order dropped and
 * its number in digits (中华人民共和国主席令第十一号 → 主席令第11号, as 国务院令第412号 is written).
 */
export function normaliseDocumentNumber(s: string): string {
  return s
    .replace(SPACES_RE, '')
    .replace(YEAR_BRACKETS_RE, '〔$1〕')
    .replace(DOC_NUMBER_LEAD_RE, '')
    .replace(STATE_PREFIX_RE, '')
    .replace(ORDER_NUMBER_RE, (whole, before: string, numeral: string, after: string) => {
      const n = chineseToNumber(numeral);
      return n !== null && Number.isInteger(n) && n > 0 ? `${before}${n}${after}` : whole;
    });
}

/** Who issues it: 主席令 for 主席令第49号, 国务院令 for 国务院第412号令, 交通运输部令 for 交通运输部令2016年第82号, 国发 for 国发〔2015〕11号. */
export function documentSeriesOf(number: string): string {
  const normalised = documentNumberKey(number);
  const order = /^([\u4e00-\u9fa5]{1,20}?令)/.exec(normalised);
  if (order) return order[1]!;
  const lead = /^([\u4e00-\u9fa5]{1,12}?)(?:〔\d{4}〕|第)/.exec(normalised);
  return lead ? lead[1]! : normalised;
}

/**
 * The same number however the year and 第 are written: 中国人民银行令〔2002〕2号, 中国人民银行令〔2002〕第2号
 * and 中国人民银行令2002年第2号 are one order.
 */
export function documentNumberKey(s: string): string {
  let key = keys.get(s);
  if (key === undefined) {
    // A catalogue cites a few thousand numbers a million times (npm run bench:check).
    if (keys.size >= 10_000) keys.clear();
    keys.set(s, (key = computeKey(s)));
  }
  return key;
}

const keys = new Map<string, string>();

function computeKey(s: string): string {
  return normaliseDocumentNumber(s)
    .replace(/^([\u4e00-\u9fa5]{1,20}?)第(\d+)号令$/, '$1令第$2号')
    .replace(/(\d{4})年(?=第|\d)/g, '〔$1〕')
    .replace(/第(?=\d)/g, '');
}
