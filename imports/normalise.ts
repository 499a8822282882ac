// Cells as readers hand them over, turned into clean text: one total cellToText for every exceljs
// shape, cleanText for the widths, spaces, quotes and line breaks departments leave in, list helpers.
import type { CellValue } from './types.js';
import { cleanText } from '../server/domain/clean-text.js';
import { restoreInertCell } from '../server/domain/spreadsheet-cells.js';

export { cleanText, needsCleaning, charClasses, LINE_BREAKS, INVISIBLES, SPACES, FULL_WIDTH, type CleanTextOptions } from '../server/domain/clean-text.js';

/* ------------------------------------------------------------------------------------------------
 * cellToText
 * ---------------------------------------------------------------------------------------------- */

/** Deepest nesting followed (formula → hyperlink → rich text): deeper shapes are not exceljs's. */
const MAX_DEPTH = 4;

/**
 * Every cell shape as text. Never throws, whatever it is given (getters that throw, proxies,
 * cycles): null/undefined → '', numbers without binary noise or exponent, booleans TRUE/FALSE,
 * dates YYYY-MM-DD (UTC; ' HH:MM' only when not midnight), rich text concatenated, hyperlinks
 * by their text, formulas by their cached result ('' without one), errors and unknown objects ''.
 * Text an export made inert (an apostrophe before = + - @) reads as it was before (restoreInertCell);
 * HTML character references a portal exported (&lt; &#xff08;) read as their characters (decodeHtmlReferences).
 */
export function cellToText(value: CellValue): string {
  try {
    return toText(value, 0);
  } catch {
    return '';
  }
}

function toText(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return restoreInertCell(decodeHtmlReferences(value));
    case 'number':
      return numberToText(value);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return '';
  }
  if (value === null || depth > MAX_DEPTH) return '';
  if (value instanceof Date) return dateToText(value);
  if (Array.isArray(value)) return '';
  const obj = value as Record<string, unknown>;
  // A formula first: its object may also carry text-like fields, the cached result is what shows.
  if ('formula' in obj || 'sharedFormula' in obj) return 'result' in obj ? toText(obj.result, depth + 1) : '';
  if ('richText' in obj) return decodeHtmlReferences(richTextToText(obj.richText));
  if ('text' in obj) return toText(obj.text, depth + 1);
  // { error: '#N/A' } and any other object: nothing a clerk wrote.
  return '';
}

/** Named HTML references portals write into exported text, with the characters they stand for. */
const HTML_NAMED: Record<string, string> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", LT: '<', GT: '>', AMP: '&', QUOT: '"',
  nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009',
  ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›',
  mdash: '—', ndash: '–', hellip: '…', middot: '·', bull: '•', times: '×', divide: '÷', plusmn: '±',
  deg: '°', permil: '‰', sect: '§', yen: '¥', copy: '©', reg: '®', trade: '™',
};
const HTML_REFERENCE_RE = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g;

/**
 * HTML character references that some portals leave in the text they export (&lt; &amp; &nbsp; &ldquo;
 * &#xff08; &#65288;) are read as the characters they stand for, in one pass: "&amp;lt;" reads "&lt;".
 * A name not listed above, or a number that is no character, stays as written.
 */
export function decodeHtmlReferences(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(HTML_REFERENCE_RE, (whole, body: string) => {
    if (body.charCodeAt(0) !== 35 /* # */) return HTML_NAMED[body] ?? whole;
    const code = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88 ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    const isCharacter = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return isCharacter ? String.fromCodePoint(code) : whole;
  });
}

function richTextToText(runs: unknown): string {
  if (!Array.isArray(runs)) return '';
  let out = '';
  for (const run of runs) {
    if (run !== null && typeof run === 'object') {
      const text = (run as { text?: unknown }).text;
      if (typeof text === 'string') out += text;
    }
  }
  return out;
}

/** Integers in full, other numbers at 15 significant digits (what Excel shows), never an exponent. */
function numberToText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? n.toFixed(0) : expandExponent(String(n));
  const s = String(Number(n.toPrecision(15)));
  return s.includes('e') ? expandExponent(s) : s;
}

/** '1.5e-7' → '0.00000015', '1e+21' → '1000000000000000000000'. */
function expandExponent(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const point = m[2]!.length + Number(m[4]);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function dateToText(d: Date): string {
  let ms = d.getTime();
  if (Number.isNaN(ms)) return '';
  // Excel serials converted to dates carry sub-second noise (…23:59:59.999): round to the second.
  ms = Math.round(ms / 1000) * 1000;
  const r = new Date(ms);
  const year = r.getUTCFullYear();
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  const date = `${y}-${pad2(r.getUTCMonth() + 1)}-${pad2(r.getUTCDate())}`;
  if (r.getUTCHours() === 0 && r.getUTCMinutes() === 0 && r.getUTCSeconds() === 0) return date;
  return `${date} ${pad2(r.getUTCHours())}:${pad2(r.getUTCMinutes())}`;
}

/* ------------------------------------------------------------------------------------------------
 * List markers and items
 * ---------------------------------------------------------------------------------------------- */

const CN_DIGITS = '一二三四五六七八九十';
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';
const PAREN_NUMBERED = '⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇';
const DOT_NUMBERED = '⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛';

/**
 * A list marker at the very start: 1、 1. 1． 1) （1） (1) ① ⑴ ⒈ 一、 第一、 （一）. "1.5万元" is a
 * number, not a marker: a dot marker must not be followed by a digit.
 */
const LIST_MARKER_RE = new RegExp(
  '^\\s*(?:' +
    [
      `第?[${CN_DIGITS}]{1,3}\\s*[、.．]`,
      '[0-9０-９]{1,3}\\s*(?:、|[.．](?![0-9０-９])|[)）])',
      `[(（]\\s*(?:[0-9０-９]{1,3}|[${CN_DIGITS}]{1,3})\\s*[)）]`,
      `[${CIRCLED}${PAREN_NUMBERED}${DOT_NUMBERED}]`,
    ].join('|') +
    ')\\s*',
);

const CIRCLED_RE = new RegExp(`[${CIRCLED}${PAREN_NUMBERED}${DOT_NUMBERED}]`);
const CN_RUN_RE = new RegExp(`[${CN_DIGITS}]+`);

/** Removes one leading list marker ("1、", "（1）", "①", "一、", "第一、" …), only at the very start. */
export function stripListMarker(s: string): string {
  const m = LIST_MARKER_RE.exec(s);
  return m ? s.slice(m[0].length) : s;
}

/** The number a list marker carries, or null when the text does not start with one. */
function markerNumber(s: string): number | null {
  const m = LIST_MARKER_RE.exec(s);
  if (!m) return null;
  const marker = m[0];
  const circled = marker.search(CIRCLED_RE);
  if (circled >= 0) {
    const ch = marker.charAt(circled);
    for (const set of [CIRCLED, PAREN_NUMBERED, DOT_NUMBERED]) if (set.includes(ch)) return set.indexOf(ch) + 1;
  }
  const digits = /[0-9０-９]+/.exec(marker);
  if (digits) return Number(digits[0].replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10)));
  const cn = CN_RUN_RE.exec(marker);
  return cn ? smallChineseNumber(cn[0]) : null;
}

function smallChineseNumber(s: string): number | null {
  const i = s.indexOf('十');
  const d = (ch: string | undefined): number => (ch ? CN_DIGITS.indexOf(ch) + 1 : 0);
  if (i < 0) return s.length === 1 ? d(s) : null;
  return (i === 0 ? 1 : d(s[i - 1])) * 10 + d(s[i + 1]);
}

/** Markers that can start an item inside a line: Arabic "2、", "(2)", "（二）", "二、", or a circled number. */
const INLINE_MARKER_RE = new RegExp(
  `(?:[0-9]{1,3}\\s*、|[0-9]{1,3}[.．](?![0-9])|[(（]\\s*(?:[0-9]{1,3}|[${CN_DIGITS}]{1,3})\\s*[)）]|[${CN_DIGITS}]{1,3}、|[${CIRCLED}${PAREN_NUMBERED}${DOT_NUMBERED}])`,
  'g',
);
const TRAILING_ITEM_PUNCT_RE = /[\s；;，,、。]+$/;
const OPENING_BRACKETS = '（(〔[【《〈「『';
const CLOSING_BRACKETS = '）)〕]】》〉」』';

/**
 * Multi-item text (申请材料, 申请条件) as items without their markers. Items are separated by line
 * breaks, by numbered markers in sequence ("1、…2、…", "（1）…（2）…", "①…②…": a marker counts
 * only when it carries the next number, so "近3、6个月" does not split) and by "；" outside brackets.
 * When the text is numbered, a line without a marker continues the item before it.
 */
export function splitListItems(s: string): string[] {
  const lines = cleanText(s, { multiline: true }).split('\n');
  const numbered = lines.some((l) => markerNumber(l) !== null);
  const blocks: string[] = [];
  for (const line of lines) {
    if (line === '') continue;
    if (numbered && blocks.length > 0 && markerNumber(line) === null) blocks[blocks.length - 1] += line;
    else blocks.push(line);
  }
  const items: string[] = [];
  for (const block of blocks) {
    for (const numberedPart of splitAtSequentialMarkers(block)) {
      for (const part of splitAtSemicolons(stripListMarker(numberedPart))) {
        const item = stripListMarker(part.trim()).replace(TRAILING_ITEM_PUNCT_RE, '').trim();
        if (item !== '') items.push(item);
      }
    }
  }
  return items;
}

/** Splits "1、a2、b3、c" where the markers count up from the one the block starts with. */
function splitAtSequentialMarkers(block: string): string[] {
  let expected = markerNumber(block);
  if (expected === null) return [block];
  const parts: string[] = [];
  let start = 0;
  INLINE_MARKER_RE.lastIndex = 1;
  for (let m = INLINE_MARKER_RE.exec(block); m; m = INLINE_MARKER_RE.exec(block)) {
    if (markerNumber(m[0]) === expected + 1) {
      parts.push(block.slice(start, m.index));
      start = m.index;
      expected += 1;
    }
  }
  parts.push(block.slice(start));
  return parts;
}

/** Splits at ；/; that are not inside brackets ("身份证（原件；复印件）" stays one item). */
function splitAtSemicolons(text: string): string[] {
  if (!text.includes('；') && !text.includes(';')) return [text];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (OPENING_BRACKETS.includes(ch)) depth++;
    else if (CLOSING_BRACKETS.includes(ch)) depth = Math.max(0, depth - 1);
    else if ((ch === '；' || ch === ';') && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
