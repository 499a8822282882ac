// Cells as readers hand them over, turned into clean text: one total cellToText for every exceljs
// shape, cleanText for the widths, spaces, quotes and line breaks departments leave in, list helpers.
import type { CellValue } from './types.js';

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
      return value;
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
  if ('richText' in obj) return richTextToText(obj.richText);
  if ('text' in obj) return toText(obj.text, depth + 1);
  // { error: '#N/A' } and any other object: nothing a clerk wrote.
  return '';
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
 * cleanText
 * ---------------------------------------------------------------------------------------------- */

/**
 * Whether the text holds anything cleanText would change: any space or line break (/\s/), NBSP, soft
 * hyphen, U+1680, U+180E, U+2000–U+200F, U+2028/U+2029, U+202F, U+205F, U+2060, U+3000, BOM, a
 * full-width letter or digit, or a straight or curly quote. Most cells have none and return at once.
 * A loop over the code units, because it runs on every cell: three times faster than the equivalent
 * character class, which the unit tests compare it with for every code unit.
 */
export function needsCleaning(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 32 || c === 34 || c === 39 || (c >= 9 && c <= 13)) return true;
    } else if (c < 0x3400 || c > 0x9fff) {
      // Ideographs (U+3400–U+9FFF), the bulk of the text, need nothing; the rest is looked up.
      if (
        c === 0xa0 ||
        c === 0xad ||
        c === 0x1680 ||
        c === 0x180e ||
        (c >= 0x2000 && c <= 0x200f) ||
        (c >= 0x2018 && c <= 0x2019) ||
        (c >= 0x201c && c <= 0x201d) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f ||
        c === 0x2060 ||
        c === 0x3000 ||
        c === 0xfeff ||
        (c >= 0xff10 && c <= 0xff19) ||
        (c >= 0xff21 && c <= 0xff3a) ||
        (c >= 0xff41 && c <= 0xff5a)
      ) {
        return true;
      }
    }
  }
  return false;
}
const LINE_BREAK_RE = /\r\n?|[\u2028\u2029\u0085]/g;
/** Zero-width spaces and joiners, BOM, word joiner, soft hyphen, direction marks, Mongolian vowel separator. */
const INVISIBLE_RE = /[\u200b-\u200f\u2060\ufeff\u00ad\u180e]/g;
/** Every other space: tab, NBSP, en/em/thin spaces, narrow NBSP, ideographic space. */
const SPACE_RE = /[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
const SPACE_RUN_RE = / {2,}/g;
const FULL_WIDTH_ALNUM_RE = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g;
/** Ideographs, CJK punctuation and full-width forms: no space belongs between two of these. */
const CJK_RE = /[\u2e80-\u2fff\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffef]/;

const QUOTE_PAIRS: ReadonlyArray<readonly [open: string, close: string, family: RegExp]> = [
  ['"', '"', /["“”]/],
  ['“', '”', /["“”]/],
  ["'", "'", /['‘’]/],
  ['‘', '’', /['‘’]/],
];

export interface CleanTextOptions {
  /** Keep line breaks (each line trimmed, empty lines dropped). Default: join lines into one. */
  multiline?: boolean;
}

/**
 * Text as departments type it, made uniform: trimmed; NBSP, U+3000 and other spaces → ' ' and runs
 * collapsed; zero-width characters and soft hyphens removed; full-width letters and digits →
 * half-width (Chinese punctuation （）《》，；： stays); one pair of quotes wrapping the whole value
 * removed. Line breaks: kept with `multiline`, otherwise dropped between two CJK characters and
 * turned into a space elsewhere.
 */
export function cleanText(s: string, options?: CleanTextOptions): string {
  if (!needsCleaning(s)) return s;
  // Only the passes the text needs: none of them puts in a character another one looks for.
  const found = charClasses(s);
  let t = s;
  if (found & LINE_BREAKS) t = t.replace(LINE_BREAK_RE, '\n');
  if (found & INVISIBLES) t = t.replace(INVISIBLE_RE, '');
  if (found & SPACES) t = t.replace(SPACE_RE, ' ');
  if (found & FULL_WIDTH) t = t.replace(FULL_WIDTH_ALNUM_RE, toHalfWidth);
  if (t.includes('\n')) {
    const lines: string[] = [];
    for (const line of t.split('\n')) {
      const l = (line.includes('  ') ? line.replace(SPACE_RUN_RE, ' ') : line).trim();
      if (l !== '') lines.push(l);
    }
    t = options?.multiline ? lines.join('\n') : joinLines(lines);
  } else {
    t = t.replace(SPACE_RUN_RE, ' ').trim();
  }
  return unwrapQuotes(t);
}

const toHalfWidth = (ch: string) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0);

export const LINE_BREAKS = 1;
export const INVISIBLES = 2;
export const SPACES = 4;
export const FULL_WIDTH = 8;

/**
 * Which of cleanText's replacements a text needs, as bits: LINE_BREAKS (what LINE_BREAK_RE matches),
 * INVISIBLES (INVISIBLE_RE), SPACES (SPACE_RE), FULL_WIDTH (FULL_WIDTH_ALNUM_RE). The unit tests hold
 * each bit equal to its expression for every code unit.
 */
export function charClasses(s: string): number {
  let found = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 13) found |= LINE_BREAKS;
      else if (c === 9 || c === 11 || c === 12) found |= SPACES;
    } else if (c < 0x3400 || c > 0x9fff) {
      if (c === 0x85 || c === 0x2028 || c === 0x2029) found |= LINE_BREAKS;
      else if ((c >= 0x200b && c <= 0x200f) || c === 0x2060 || c === 0xfeff || c === 0xad || c === 0x180e) found |= INVISIBLES;
      else if (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000) found |= SPACES;
      else if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) found |= FULL_WIDTH;
    }
  }
  return found;
}

function joinLines(lines: readonly string[]): string {
  let out = lines[0] ?? '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const joinTight = CJK_RE.test(out.charAt(out.length - 1)) && CJK_RE.test(line.charAt(0));
    out += joinTight ? line : ` ${line}`;
  }
  return out;
}

/** One pair of quotes around the whole value, only when no quote of that kind is inside. */
function unwrapQuotes(t: string): string {
  if (t.length < 2) return t;
  const first = t.charAt(0);
  const last = t.charAt(t.length - 1);
  for (const [open, close, family] of QUOTE_PAIRS) {
    if (first === open && last === close) {
      const inner = t.slice(1, -1);
      return family.test(inner) ? t : inner.trim();
    }
  }
  return t;
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
