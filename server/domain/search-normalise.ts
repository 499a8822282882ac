// How every search compares text: the working catalogue's, every published version's and the static
// site's (whose browser script bundles this module). Traditional characters become simplified ones (the
// table in data/search/traditional-simplified.txt), full-width becomes half-width (NFKC), letters lower
// case, and spaces, punctuation and symbols (《》（）、 …) are dropped, so 《食品安全法》許可 and
// 食品安全法许可 read the same. Pure: no Node, no DOM.

/** A text normaliser built from the traditional → simplified pairs ("們们個个…"). */
export type Normaliser = (s: string) => string;

/** Each traditional character followed by its simplified one, from the table file's text (comment lines start with #). */
export function pairsOfTable(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('')
    .trim();
}

export function createNormaliser(pairs: string): Normaliser {
  const simplified: Record<string, string> = {};
  for (let k = 0; k + 1 < pairs.length; k += 2) simplified[pairs[k]!] = pairs[k + 1]!;
  // Written as a string so that the browser bundle (ES2017 syntax) carries it as it is.
  const dropped = new RegExp('[\\s\\p{P}\\p{S}]+', 'gu');
  // What normalising does to each UTF-16 unit on its own, worked out the first time the unit is seen:
  // 0 not yet known, 1 kept, 2 dropped, 3 replaced (by mapped[unit]).
  const kind = new Uint8Array(65536);
  const mapped: Record<number, string> = {};
  const learn = (c: number): number => {
    if (c >= 0xd800 && c <= 0xdfff) return (kind[c] = 1); // surrogates: kept as they are
    const ch = String.fromCharCode(c);
    let out = '';
    for (const u of ch.normalize('NFKC').toLowerCase()) out += simplified[u] || u;
    out = out.replace(dropped, '');
    if (out === ch) return (kind[c] = 1);
    if (out === '') return (kind[c] = 2);
    mapped[c] = out;
    return (kind[c] = 3);
  };
  return (s: string): string => {
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if ((kind[c] || learn(c)) !== 1) break;
    }
    if (i === s.length) return s;
    let out = s.slice(0, i);
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const k = kind[c] || learn(c);
      if (k === 1) out += s[i];
      else if (k === 3) out += mapped[c];
    }
    return out;
  };
}

/** A query's terms: split at spaces (before normalising, which drops them), normalised, empty and repeated ones dropped, at most 10. */
export function termsOf(normalise: Normaliser, query: string): string[] {
  const terms = query
    .split(/[\s\u3000]+/)
    .map(normalise)
    .filter((t) => t.length > 0);
  return [...new Set(terms)].slice(0, 10);
}

/** A piece of a text, marked when it is part of a match. */
export interface TextPart {
  text: string;
  mark: boolean;
}

/**
 * The text cut into marked and unmarked pieces where the normalised terms occur in its normalised form
 * (許可 is marked for the term 许可, 《食品》经营 for 食品经营). The pieces are the original text.
 */
export function highlightParts(normalise: Normaliser, text: string, terms: readonly string[]): TextPart[] {
  if (terms.length === 0 || !text) return [{ text, mark: false }];
  let norm = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const out = normalise(text[i]!);
    for (let j = 0; j < out.length; j++) origin.push(i);
    norm += out;
  }
  const marked = new Uint8Array(text.length + 1);
  for (const term of terms) {
    if (!term) continue;
    for (let at = norm.indexOf(term); at >= 0; at = norm.indexOf(term, at + 1)) {
      for (let i = origin[at]!; i <= origin[at + term.length - 1]!; i++) marked[i] = 1;
    }
  }
  const parts: TextPart[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marked[i] !== marked[start]) {
      parts.push({ text: text.slice(start, i), mark: marked[start] === 1 });
      start = i;
    }
  }
  return parts;
}
