// Fuzzy matching of Chinese item names: the same power is written differently on a State Council
// list, a city's catalogue and a department's sheet (建筑工程施工许可证核发 / 建筑工程施工许可,
// 外商投资企业设立审批 / 外资企业设立审批). Weighted character bigrams and unigrams (Dice), so word
// order matters little, and the words every approval has (审批, 许可, 核发, 登记 …) count for little.
import { normalizeItemName } from '../domain/item-names.js';

export { normalizeItemName };

/** Words common to all kinds of items; a match on them says little. Longest first. */
const GENERIC_WORDS = [
  '许可证',
  '审批',
  '许可',
  '核准',
  '核发',
  '批准',
  '审核',
  '审查',
  '备案',
  '登记',
  '办理',
  '申请',
  '行政',
  '管理',
  '证书',
  '证件',
  '发放',
  '颁发',
  '换发',
  '补发',
  '认定',
  '确认',
  '事项',
  '手续',
  '处罚',
  '检查',
];
const GENERIC_RE = new RegExp(GENERIC_WORDS.join('|'), 'g');
const GENERIC_WEIGHT = 0.25;
const HALF_WEIGHT = 0.5;
/** The share of the bigram score; the rest is the unigram score. */
const BIGRAM_SHARE = 0.6;


/** A name prepared for comparison: weighted bigram and unigram bags. Build once per name. */
export interface NameProfile {
  readonly name: string;
  readonly normalized: string;
  readonly bigrams: ReadonlyMap<string, number>;
  readonly bigramTotal: number;
  readonly unigrams: ReadonlyMap<string, number>;
  readonly unigramTotal: number;
}

function add(bag: Map<string, number>, key: string, weight: number): void {
  bag.set(key, (bag.get(key) ?? 0) + weight);
}

export function nameProfile(name: string): NameProfile {
  const normalized = normalizeItemName(name);
  const chars = Array.from(normalized);
  // Which characters belong to a generic word.
  const generic = new Array<boolean>(chars.length).fill(false);
  GENERIC_RE.lastIndex = 0;
  // Code-unit offsets → character indices (names are BMP Chinese in practice; map to be safe).
  const indexAt = new Map<number, number>();
  let unit = 0;
  chars.forEach((ch, i) => {
    indexAt.set(unit, i);
    unit += ch.length;
  });
  for (let m = GENERIC_RE.exec(normalized); m; m = GENERIC_RE.exec(normalized)) {
    const start = indexAt.get(m.index);
    if (start === undefined) continue;
    for (let k = 0; k < m[0].length; k++) generic[start + k] = true;
  }
  const unigrams = new Map<string, number>();
  const bigrams = new Map<string, number>();
  let unigramTotal = 0;
  let bigramTotal = 0;
  for (let i = 0; i < chars.length; i++) {
    const w = generic[i] ? GENERIC_WEIGHT : 1;
    add(unigrams, chars[i]!, w);
    unigramTotal += w;
    if (i + 1 < chars.length) {
      const both = generic[i] && generic[i + 1];
      const either = generic[i] || generic[i + 1];
      const bw = both ? GENERIC_WEIGHT : either ? HALF_WEIGHT : 1;
      add(bigrams, chars[i]! + chars[i + 1]!, bw);
      bigramTotal += bw;
    }
  }
  return { name, normalized, bigrams, bigramTotal, unigrams, unigramTotal };
}

function dice(a: ReadonlyMap<string, number>, aTotal: number, b: ReadonlyMap<string, number>, bTotal: number): number {
  if (aTotal + bTotal === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [key, w] of small) {
    const other = large.get(key);
    if (other !== undefined) shared += Math.min(w, other);
  }
  return (2 * shared) / (aTotal + bTotal);
}

/** Similarity of two prepared names in [0, 1]; 1 for names equal once normalised. */
export function profileSimilarity(a: NameProfile, b: NameProfile): number {
  if (a.normalized === '' || b.normalized === '') return 0;
  if (a.normalized === b.normalized) return 1;
  const bi = a.bigramTotal + b.bigramTotal > 0 ? dice(a.bigrams, a.bigramTotal, b.bigrams, b.bigramTotal) : 0;
  const uni = dice(a.unigrams, a.unigramTotal, b.unigrams, b.unigramTotal);
  // One-character names have no bigrams: the unigram score alone.
  const score = a.bigramTotal === 0 || b.bigramTotal === 0 ? uni : BIGRAM_SHARE * bi + (1 - BIGRAM_SHARE) * uni;
  return Math.min(1, Math.max(0, score));
}

/** How alike two item names are, in [0, 1]. Order-independent in the sense that matters: word order moves little. */
export function nameSimilarity(a: string | NameProfile, b: string | NameProfile): number {
  return profileSimilarity(typeof a === 'string' ? nameProfile(a) : a, typeof b === 'string' ? nameProfile(b) : b);
}

export interface MatchOptions {
  /** Lowest score kept (default 0.5). */
  min?: number;
  /** At most this many, best first (default 5). */
  limit?: number;
}

export interface NameMatch<T> {
  candidate: T;
  name: string;
  score: number;
}

const defaultNameOf = (c: unknown): string =>
  typeof c === 'string' ? c : String((c as { name?: unknown } | null)?.name ?? '');

/**
 * Candidates prepared once and searched many times (a cancellation list against a whole catalogue).
 * Only candidates sharing a content character with the query are scored. When the lowest score kept
 * is high enough, a candidate must also share enough bigram weight with the query to reach it (a
 * score of at least `min` needs a bigram score of at least (min − unigram share) / bigram share), so
 * the query's most common bigrams, whose weight together falls short of that, are not looked up: only
 * candidates sharing one of its rarer bigrams are scored. The answer is the same as scoring every
 * candidate; ten thousand names against a million items take seconds instead of minutes.
 */
export class NameIndex<T> {
  /** Candidates written the same once normalised share one profile, scored once: a province repeats its county items. */
  private readonly groups: { profile: NameProfile; members: { candidate: T; name: string }[]; byName?: { candidate: T; name: string }[] }[] = [];
  private readonly groupOf = new Map<string, number>();
  private readonly byChar = new Map<string, number[]>();
  private readonly byBigram = new Map<string, number[]>();
  /** Groups with no bigram (one-character names): scored on unigrams alone, never reached by a bigram. */
  private readonly withoutBigrams: number[] = [];
  /** Scratch space of bigramCandidates, one slot per group, zero between searches. */
  private shared: Float64Array | null = null;
  private count = 0;

  constructor(candidates: Iterable<T>, nameOf: (c: T) => string = defaultNameOf) {
    for (const candidate of candidates) {
      const name = nameOf(candidate);
      const normalized = normalizeItemName(name);
      this.count++;
      const known = this.groupOf.get(normalized);
      if (known !== undefined) {
        this.groups[known]!.members.push({ candidate, name });
        continue;
      }
      const profile = nameProfile(name);
      const idx = this.groups.length;
      this.groups.push({ profile, members: [{ candidate, name }] });
      this.groupOf.set(normalized, idx);
      for (const ch of profile.unigrams.keys()) push(this.byChar, ch, idx);
      for (const bigram of profile.bigrams.keys()) push(this.byBigram, bigram, idx);
      if (profile.bigramTotal === 0) this.withoutBigrams.push(idx);
    }
  }

  get size(): number {
    return this.count;
  }

  search(name: string | NameProfile, options: MatchOptions = {}): NameMatch<T>[] {
    const min = options.min ?? 0.5;
    const limit = options.limit ?? 5;
    const query = typeof name === 'string' ? nameProfile(name) : name;
    const out: NameMatch<T>[] = [];
    const consider = (idx: number) => {
      const group = this.groups[idx]!;
      const score = profileSimilarity(query, group.profile);
      if (score < min) return;
      // Within a group every member scores the same: only the first `limit` by name can be kept.
      const members = group.members.length <= limit ? group.members : (group.byName ??= [...group.members].sort((x, y) => x.name.localeCompare(y.name, 'zh'))).slice(0, limit);
      for (const m of members) out.push({ candidate: m.candidate, name: m.name, score });
    };
    const bigramsNeeded = (min - (1 - BIGRAM_SHARE)) / BIGRAM_SHARE;
    if (query.bigramTotal > 0 && bigramsNeeded > 0) {
      for (const idx of this.bigramCandidates(query, bigramsNeeded, min)) if (this.sharesContent(query, idx)) consider(idx);
      for (const idx of this.withoutBigrams) if (this.sharesContent(query, idx)) consider(idx);
    } else {
      for (const idx of this.contentCandidates(query)) consider(idx);
    }
    out.sort((x, y) => y.score - x.score || x.name.localeCompare(y.name, 'zh'));
    return out.slice(0, limit);
  }

  /** Candidates sharing a content character with the query (characters of generic words alone make none). */
  private contentCandidates(query: NameProfile): Set<number> {
    const seen = new Set<number>();
    for (const [ch, w] of query.unigrams) {
      if (w < 1 && query.unigrams.size > 1) continue;
      for (const idx of this.byChar.get(ch) ?? []) seen.add(idx);
    }
    return seen;
  }

  private sharesContent(query: NameProfile, idx: number): boolean {
    const profile = this.groups[idx]!.profile;
    for (const [ch, w] of query.unigrams) {
      if (w < 1 && query.unigrams.size > 1) continue;
      if (profile.unigrams.has(ch)) return true;
    }
    return false;
  }

  /**
   * Candidates that may share a bigram weight of `needed` × half the query's bigram total (the least a
   * bigram score of `needed` takes, since the shared weight is counted against both names' totals):
   * the query's bigrams from the rarest on, leaving out the most common ones whose weight together
   * stays below that.
   */
  private bigramCandidates(query: NameProfile, needed: number, min: number): number[] {
    const mustShare = (needed * query.bigramTotal) / 2;
    const bigrams = [...query.bigrams].map(([bigram, w]) => ({ w, postings: this.byBigram.get(bigram) ?? [] }));
    bigrams.sort((a, b) => b.postings.length - a.postings.length);
    let skipped = 0;
    let from = 0;
    // Skip the commonest while what is skipped stays strictly below what must be shared.
    while (from < bigrams.length && skipped + bigrams[from]!.w < mustShare) skipped += bigrams[from++]!.w;
    // The query's weight of the bigrams each candidate shares with it (of those looked up).
    const shared = (this.shared ??= new Float64Array(this.groups.length));
    const touched: number[] = [];
    for (let i = from; i < bigrams.length; i++) {
      const w = bigrams[i]!.w;
      for (const idx of bigrams[i]!.postings) {
        if (shared[idx] === 0) touched.push(idx);
        shared[idx]! += w;
      }
    }
    // The most a candidate can score: its shared bigram weight at most what was counted plus all that was
    // skipped, its shared unigram weight at most the shorter name's. Those that cannot reach `min` are
    // not scored.
    const out: number[] = [];
    for (const idx of touched) {
      const c = this.groups[idx]!.profile;
      const bi = Math.min(1, (2 * (shared[idx]! + skipped)) / (query.bigramTotal + c.bigramTotal));
      const uni = (2 * Math.min(query.unigramTotal, c.unigramTotal)) / (query.unigramTotal + c.unigramTotal);
      if (BIGRAM_SHARE * bi + (1 - BIGRAM_SHARE) * uni + 1e-9 >= min) out.push(idx);
      shared[idx] = 0;
    }
    return out;
  }

}

function push(map: Map<string, number[]>, key: string, idx: number): void {
  const list = map.get(key);
  if (list) list.push(idx);
  else map.set(key, [idx]);
}

/** The candidates most like `name`, best first, scoring at least `min` (default 0.5), at most `limit` (default 5). */
export function bestMatches<T>(
  name: string,
  candidates: Iterable<T>,
  options: MatchOptions & { nameOf?: (c: T) => string } = {},
): NameMatch<T>[] {
  return new NameIndex(candidates, options.nameOf).search(name, options);
}
