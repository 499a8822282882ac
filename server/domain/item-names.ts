// Item names as compared: the same power is written with qualifiers, punctuation and glue words that do
// not change what it is. Duplicates, prerequisites and list matching all compare names this way.

/** Qualifiers in brackets that do not change what the item is: （含…）（市级/县级）（仅限…）. */
const QUALIFIER_RE = /\((?:含|包括|包含|不含|限|仅|指|即|注)[^()]*\)|\((?:[省市县区]级|乡镇|街道|[/、,，\s])+\)/g;
/** Brackets of every kind. */
const BRACKET_ONE_RE = /^[()[\]{}【】〔〕「」『』《》〈〉]$/;
/** Punctuation, symbols and spaces of every width. */
const NOISE_ONE_RE = /^[\s\p{P}\p{S}]$/u;

/**
 * 1 for a BMP code unit a name drops wherever it stands (brackets, spaces, punctuation, symbols): one
 * table look-up per character instead of three regular expressions over the name (a full check of a
 * million items normalises every name: npm run bench:check).
 */
const DROPPED = (() => {
  const table = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (BRACKET_ONE_RE.test(ch) || NOISE_ONE_RE.test(ch)) table[c] = 1;
  }
  return table;
})();
/**
 * 1 for a BMP code unit NFKC changes, or may compose with the character before it (marks, conjoining
 * jamo), and for surrogates: a name with none of these is its own NFKC form, and most names (CJK, ASCII,
 * ASCII brackets) skip normalize(), a fifth of the cost of normalising a million names.
 */
const NFKC_MAY_CHANGE = (() => {
  const table = new Uint8Array(65536);
  const MARK_RE = /^\p{M}$/u;
  for (let c = 0; c < 65536; c++) {
    const ch = String.fromCharCode(c);
    if ((c >= 0xd800 && c <= 0xdfff) || (c >= 0x1100 && c <= 0x11ff) || MARK_RE.test(ch) || ch.normalize('NFKC') !== ch) table[c] = 1;
  }
  return table;
})();

/**
 * The NFKC form of a name. Full-width ASCII (！ to ～) and the ideographic space are mapped here to the
 * one character NFKC makes of them whatever surrounds them: Chinese names are full of （）, and ICU's
 * normalize() on every name was most of the duplicate check's cost per row of an upload (npm run
 * bench:import). Any other character NFKC may change sends the whole name to normalize().
 */
function toNfkc(name: string): string {
  let out: string | null = null;
  let kept = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (NFKC_MAY_CHANGE[c] !== 1) continue;
    const ascii = c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c === 0x3000 ? 0x20 : -1;
    if (ascii === -1) return name.normalize('NFKC');
    out = (out ?? '') + name.slice(kept, i) + String.fromCharCode(ascii);
    kept = i + 1;
  }
  return out === null ? name : out + name.slice(kept);
}

const DUI = 0x5bf9; // 对
const DE = 0x7684; // 的
const ZHI = 0x4e4b; // 之

/**
 * The name as compared: half-width (NFKC), qualifiers in brackets gone, then brackets, punctuation,
 * symbols and spaces gone, then 对 at the start and every 的 and 之 dropped (对…的处罚 → …处罚).
 * tests/unit/checks/context.test.ts holds it against every code point.
 */
export function normalizeItemName(name: string): string {
  let s = toNfkc(name);
  if (s.indexOf('(') >= 0) s = s.replace(QUALIFIER_RE, '');
  let out = '';
  /** s.slice(kept, i) is kept and not yet copied to out. */
  let kept = 0;
  let first = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let width = 1;
    let drop: boolean;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      width = 2;
      drop = NOISE_ONE_RE.test(s.slice(i, i + 2));
    } else drop = DROPPED[c] === 1;
    if (!drop) {
      // 对 only as the first character left once brackets and punctuation are gone.
      if ((first && c === DUI) || c === DE || c === ZHI) drop = true;
      first = false;
    }
    if (drop) {
      if (i > kept) out += s.slice(kept, i);
      kept = i + width;
    }
    if (width === 2) i++;
  }
  return kept === 0 ? s : out + s.slice(kept);
}
