// cleanText: the widths, spaces, quotes and line breaks departments leave in their text, made uniform.
// Pure and shared: the spreadsheet readers, the time-limit and process-step parsers and the checks use it.

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
