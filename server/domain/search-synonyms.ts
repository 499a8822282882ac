// Search synonyms: a pair says two words mean the same to a person searching (出租车 / 出租汽车, 户口 /
// 户籍). A query term holding either word also looks for the term with it replaced by the other. Pure,
// shared by the server's searches and the static site's script.
import type { Normaliser } from './search-normalise.js';

/** [word, synonym] as written in data/search/synonyms.csv or added by the legal office. */
export type SynonymPair = readonly [string, string];

/** Alternatives of a term at most (the term itself first). */
const MAX_ALTERNATIVES = 6;

export class Synonyms {
  private readonly pairs: [string, string][];

  constructor(pairs: readonly SynonymPair[], normalise: Normaliser) {
    this.pairs = pairs.map(([a, b]) => [normalise(a), normalise(b)] as [string, string]).filter(([a, b]) => a && b && a !== b);
  }

  /** The normalised term and the terms it also stands for. */
  alternatives(term: string): string[] {
    const out = [term];
    for (const [a, b] of this.pairs) {
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        // A word inside a longer one it is part of (身份证 in 居民身份证) is not replaced there.
        if (!term.includes(from) || term.includes(to)) continue;
        const alt = term.split(from).join(to);
        if (!out.includes(alt)) out.push(alt);
      }
      if (out.length >= MAX_ALTERNATIVES) break;
    }
    return out.slice(0, MAX_ALTERNATIVES);
  }
}

/** The pairs of a synonyms CSV (header 词语,同义词; # comment lines and blank lines skipped). */
export function pairsOfCsv(text: string): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines.slice(1)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [a, b] = line.split(',').map((s) => s.trim());
    if (a && b) out.push([a, b]);
  }
  return out;
}
