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
