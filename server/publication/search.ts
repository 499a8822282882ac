// Listing and searching a published version through the in-memory catalogue index.
//
// A query is split into terms at spaces; traditional characters are turned into simplified ones
// (OpenCC), full-width into half-width, and punctuation is ignored. An item matches when every term
// is found in its name, its code, its department's name or the title of an instrument it cites.
// Ranking, best first: the code itself; the name itself; names starting with the term; names holding
// it (shorter names first); a code starting with the term; the department; the legal basis. Ties go
// by code. One- and two-character terms are a single posting list, longer ones intersect the lists
// of their character pairs, so every query length costs about the same.
import type { Category, Level } from '../domain/vocabulary.js';
import { termsOf } from '../domain/search-normalise.js';
import { Synonyms } from '../domain/search-synonyms.js';
import { CatalogueIndex, THEME_WORDS, U32List, categoryIndex, levelIndex, normaliseText } from './catalogue-index.js';
import { AUDIENCE_BIT, type Audience } from '../domain/facets.js';
import { THEMES } from '../domain/themes.js';

/** The query's terms: split at whitespace, then traditional → simplified and normalised; empty terms dropped. */
export function queryTerms(q: string): string[] {
  return termsOf(normaliseText, q);
}

export const NO_SYNONYMS = new Synonyms([], normaliseText);

/** Every term of the query with the terms its synonyms add (what a page highlights). */
export function queryAlternatives(q: string | undefined, synonyms: Synonyms = NO_SYNONYMS): string[] {
  return q ? [...new Set(queryTerms(q).flatMap((t) => synonyms.alternatives(t)))] : [];
}

export interface VersionQuery {
  q?: string | undefined;
  department?: string | undefined;
  category?: Category | undefined;
  level?: Level | undefined;
  basis?: 'yes' | 'no' | undefined;
  /** 个人 or 法人 (server/domain/facets.ts). */
  audience?: Audience | undefined;
  /** A theme code of data/themes. */
  theme?: string | undefined;
  page: number;
  pageSize: number;
}

export interface VersionHits {
  total: number;
  /** Revision ids of the page, in order. */
  revisionIds: number[];
}

/** Scores of the match kinds (a term's best kind counts; terms add up). */
export const SCORE = { code: 10_000, exactName: 9_000, namePrefix: 8_000, name: 7_000, codePrefix: 6_000, department: 5_000, basis: 4_000 } as const;
/** At most this many characters of name length lower a name match's score. */
const LENGTH_PENALTY_CAP = 999;

// Scratch arrays shared by all queries (JavaScript runs one query at a time).
let termStamp = new Uint32Array(0);
let termScore = new Float64Array(0);
let totalStamp = new Uint32Array(0);
let totalScore = new Float64Array(0);
let termCount = new Uint8Array(0);
let generation = 0;
const termDocs = new U32List(1024);

function scratch(size: number): void {
  if (termStamp.length >= size) return;
  const n = Math.max(size, termStamp.length * 2, 1024);
  termStamp = new Uint32Array(n);
  termScore = new Float64Array(n);
  totalStamp = new Uint32Array(n);
  totalScore = new Float64Array(n);
  termCount = new Uint8Array(n);
  generation = 0;
}

function nextGeneration(): number {
  if (generation === 0xffffffff) {
    termStamp.fill(0);
    totalStamp.fill(0);
    generation = 0;
  }
  return ++generation;
}

/** A theme's place in the list, or -1 for an unknown code. */
export const themeIndexOf = (code: string): number => THEMES.findIndex((t) => t.code === code);

/** The documents of version n that pass the filters, as one predicate over the index's columns. */
export function filterOf(index: CatalogueIndex, n: number, query: Omit<VersionQuery, 'page' | 'pageSize' | 'q'>): ((doc: number) => boolean) | null {
  const { fromVersion, toVersion, department, category, level, hasBasis, audience, themeBits } = index;
  const dept = query.department ? index.departments.findIndex((d) => d.code === query.department) : -1;
  if (query.department && dept < 0) return null;
  const cat = query.category ? categoryIndex(query.category) : 0;
  const lvl = query.level ? levelIndex(query.level) : 0;
  const basis = query.basis === 'yes' ? 1 : query.basis === 'no' ? 0 : -1;
  const who = query.audience ? AUDIENCE_BIT[query.audience] : 0;
  const theme = query.theme ? themeIndexOf(query.theme) : -1;
  if (query.theme && theme < 0) return null;
  const themeWord = theme < 0 ? 0 : theme >>> 5;
  const themeBit = theme < 0 ? 0 : 1 << (theme & 31);
  return (doc) =>
    fromVersion[doc]! <= n &&
    toVersion[doc]! > n &&
    (dept < 0 || department[doc] === dept) &&
    (cat === 0 || category[doc] === cat) &&
    (lvl === 0 || level[doc] === lvl) &&
    (basis < 0 || hasBasis[doc] === basis) &&
    (who === 0 || (audience[doc]! & who) !== 0) &&
    (theme < 0 || (themeBits[doc * THEME_WORDS + themeWord]! & themeBit) !== 0);
}

/**
 * The smallest list of documents that holds every document passing the facet filters (theme, 服务对象,
 * category, department), or null without such a filter: where a filtered list or count starts instead
 * of the whole index. Unknown values give an empty list.
 */
export function facetCandidates(index: CatalogueIndex, query: Pick<VersionQuery, 'theme' | 'audience' | 'category' | 'department'>): Uint32Array | null {
  const lists: Uint32Array[] = [];
  if (query.theme) {
    const t = themeIndexOf(query.theme);
    lists.push(t < 0 ? EMPTY : index.themeDocs[t]!.view());
  }
  if (query.audience) lists.push(index.audienceDocs[AUDIENCE_BIT[query.audience] - 1]!.view());
  if (query.category) lists.push(index.categoryDocs[categoryIndex(query.category)]!.view());
  if (query.department) {
    const d = index.departments.findIndex((x) => x.code === query.department);
    lists.push(d < 0 ? EMPTY : index.listOrder.subarray(index.deptStart[d]!, index.deptEnd[d]!));
  }
  if (lists.length === 0) return null;
  return lists.reduce((a, b) => (b.length < a.length ? b : a));
}
const EMPTY = new Uint32Array(0);

/** The tie-break below one score point: a document's place in code order. */
const RANK_SCALE = 4_194_304; // > any codeRank used as a tie-break below one score point
const sortKey = (score: number, codeRank: number) => score * RANK_SCALE - (codeRank % RANK_SCALE);

/** A bounded min-heap keeping the k best (key, doc) pairs. */
class TopK {
  keys: Float64Array;
  docs: Uint32Array;
  size = 0;
  constructor(readonly k: number) {
    this.keys = new Float64Array(k);
    this.docs = new Uint32Array(k);
  }
  offer(key: number, doc: number): void {
    const { keys, docs } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (keys[p]! <= key) break;
        keys[i] = keys[p]!;
        docs[i] = docs[p]!;
        i = p;
      }
      keys[i] = key;
      docs[i] = doc;
      return;
    }
    if (key <= keys[0]!) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && keys[r]! < keys[l]! ? r : l;
      if (keys[c]! >= key) break;
      keys[i] = keys[c]!;
      docs[i] = docs[c]!;
      i = c;
    }
    keys[i] = key;
    docs[i] = doc;
  }
  /**
   * Offers a document by its score, with its place in code order as the tie-break (sortKey): a score that
   * cannot beat the heap's worst even with the best tie-break is turned away before its place is read.
   */
  offerScored(score: number, codeRank: Uint32Array, doc: number): void {
    if (this.size === this.k && score * RANK_SCALE <= this.keys[0]!) return;
    const key = sortKey(score, codeRank[doc]!);
    if (this.size < this.k || key > this.keys[0]!) this.offer(key, doc);
  }
  /** Documents best first. */
  sorted(): number[] {
    const order = Array.from({ length: this.size }, (_, i) => i).sort((a, b) => this.keys[b]! - this.keys[a]!);
    return order.map((i) => this.docs[i]!);
  }
}

/**
 * The first place at or after lo in the sorted list (before end) whose value is at least v: a bound
 * found by doubling steps, then a binary search below it (galloping, for lists of very different sizes).
 */
function gallop(list: Uint32Array, lo: number, end: number, v: number): number {
  if (list[lo]! >= v) return lo;
  let step = 1;
  let hi = lo + 1;
  while (hi < end && list[hi]! < v) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > end) hi = end;
  lo++;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Documents of the sorted lists present in all of them: the smallest list first, each further list
 * searched by galloping (doubling steps, then halving) from where the last document was found, so a
 * short list against a long one costs its own length times the log of the gaps, not of the long list.
 * The result is valid until the next call (it lives in buffers kept between queries).
 */
export function intersect(lists: Uint32Array[]): Uint32Array {
  if (lists.length === 0) return new Uint32Array(0);
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let current = sorted[0]!;
  if (sorted.length > 1 && intersectBuffers[0].length < current.length) intersectBuffers = [new Uint32Array(current.length), new Uint32Array(current.length)];
  for (let l = 1; l < sorted.length && current.length > 0; l++) {
    const other = sorted[l]!;
    // Written into one of two buffers kept between queries (the other may hold `current`).
    const out = intersectBuffers[l & 1]!;
    let k = 0;
    let lo = 0;
    const end = other.length;
    for (let i = 0; i < current.length && lo < end; i++) {
      const v = current[i]!;
      lo = gallop(other, lo, end, v);
      if (lo < end && other[lo] === v) out[k++] = v;
    }
    current = out.subarray(0, k);
  }
  return current;
}
/** The one-term search's bits of the documents matching by department and by legal basis (all 0 between queries). */
let deptBits = new Uint32Array(0);
let basisBits = new Uint32Array(0);

/** The intersection's scratch: a query's candidates are read before the next query starts. */
let intersectBuffers: [Uint32Array, Uint32Array] = [new Uint32Array(0), new Uint32Array(0)];

/**
 * Marks the documents that match every term (through the terms' synonyms) among those passing `ok`:
 * they are the documents of the returned list whose totalStamp is the returned generation and whose
 * termCount is the number of terms; totalScore holds their scores.
 */
function matchTerms(index: CatalogueIndex, terms: string[], ok: (doc: number) => boolean, synonyms: Synonyms): { docs: Uint32Array; queryGen: number } {
  scratch(index.size);
  const queryGen = nextGeneration();
  for (let i = 0; i < terms.length; i++) {
    const gen = nextGeneration();
    termDocs.len = 0;
    const mark = (doc: number, s: number) => {
      if (termStamp[doc] !== gen) {
        termStamp[doc] = gen;
        termScore[doc] = s;
        termDocs.push(doc);
      } else if (s > termScore[doc]!) termScore[doc] = s;
    };
    // A term matches through any of its synonyms, each scored as the term itself would be.
    for (const t of synonyms.alternatives(terms[i]!)) matchTerm(index, t, ok, mark);
    // Fold the term into the query: a document stays only while it matched every term so far.
    const docs = termDocs.view();
    for (let p = 0; p < docs.length; p++) {
      const doc = docs[p]!;
      if (i === 0) {
        totalStamp[doc] = queryGen;
        totalScore[doc] = termScore[doc]!;
        termCount[doc] = 1;
      } else if (totalStamp[doc] === queryGen && termCount[doc] === i) {
        totalScore[doc] = totalScore[doc]! + termScore[doc]!;
        termCount[doc] = i + 1;
      }
    }
  }
  // Every document matching all terms is in the last term's list.
  return { docs: termDocs.view(), queryGen };
}

/**
 * The last search's matches under the filters that facet counts keep (the version, level, basis; not the
 * facets themselves): the counts of the list just searched reuse them instead of searching again.
 */
let lastMatches: { index: CatalogueIndex; generation: number; key: string; synonyms: Synonyms; docs: Uint32Array } | null = null;
const matchKey = (n: number, query: Pick<VersionQuery, 'q' | 'level' | 'basis'>) => [n, query.q, query.level ?? '', query.basis ?? ''].join('\u0001');

/**
 * The documents of version n matching every term of the query and the level and basis filters (in no
 * particular order); null when the query has no terms (every document of the version then counts).
 */
export function documentsMatching(index: CatalogueIndex, n: number, query: Pick<VersionQuery, 'q' | 'level' | 'basis'>, synonyms: Synonyms = NO_SYNONYMS): Uint32Array | null {
  const terms = query.q ? queryTerms(query.q) : [];
  if (terms.length === 0) return null;
  const key = matchKey(n, query);
  const last = lastMatches;
  if (last && last.index === index && last.generation === index.generation && last.key === key && last.synonyms === synonyms) return last.docs;
  const base = filterOf(index, n, { level: query.level, basis: query.basis })!;
  const { docs, queryGen } = matchTerms(index, terms, base, synonyms);
  const want = terms.length;
  const out = new Uint32Array(docs.length);
  let k = 0;
  for (let p = 0; p < docs.length; p++) {
    const doc = docs[p]!;
    if (totalStamp[doc] === queryGen && termCount[doc] === want) out[k++] = doc;
  }
  lastMatches = { index, generation: index.generation, key, synonyms, docs: out.subarray(0, k) };
  return lastMatches.docs;
}

/** Lists or searches version n: the page's revision ids and the number of matching items. */
export function searchVersion(index: CatalogueIndex, n: number, query: VersionQuery, synonyms: Synonyms = NO_SYNONYMS): VersionHits {
  const ok = filterOf(index, n, query);
  if (!ok) return { total: 0, revisionIds: [] };
  const terms = query.q ? queryTerms(query.q) : [];
  const skip = (query.page - 1) * query.pageSize;
  if (terms.length === 0) return list(index, n, ok, query, skip);
  // Terms are matched under the filters other than the facets, which are applied after: the matches
  // are then those the facet counts of this list need (kept in lastMatches).
  const faceted = !!(query.theme || query.audience || query.category || query.department);
  if (terms.length === 1 && !faceted) {
    // What nearly every search box query is: one pass over its postings (the facet counts, when a page
    // asks for them, match the term again through documentsMatching).
    scratch(index.size);
    return searchOneTerm(index, n, synonyms.alternatives(terms[0]!), ok, !!(query.level || query.basis), skip, query.pageSize);
  }
  const base = faceted ? filterOf(index, n, { level: query.level, basis: query.basis })! : ok;
  const { docs, queryGen } = matchTerms(index, terms, base, synonyms);

  const want = terms.length;
  const top = new TopK(Math.min(skip + query.pageSize, 1_000_000));
  const matched = new Uint32Array(docs.length);
  let k = 0;
  let total = 0;
  for (let p = 0; p < docs.length; p++) {
    const doc = docs[p]!;
    if (totalStamp[doc] !== queryGen || termCount[doc] !== want) continue;
    matched[k++] = doc;
    if (faceted && !ok(doc)) continue;
    total++;
    top.offer(sortKey(totalScore[doc]!, index.codeRank[doc]!), doc);
  }
  lastMatches = { index, generation: index.generation, key: matchKey(n, query), synonyms, docs: matched.subarray(0, k) };
  const page = top.sorted().slice(skip, skip + query.pageSize);
  return { total, revisionIds: page.map((doc) => index.revisionId[doc]!) };
}

/**
 * A query of one term (what nearly every search box query is), in one pass over the term's name postings:
 * each matching document is counted and offered to the page's heap as it is met, without the per-term
 * marking the general path needs to add up several terms. A term with synonyms marks the name matches of
 * each of its words instead, each document with its best score over them. The few documents matching by code are
 * marked first (a name match among them keeps the better score); those matching by department or legal
 * basis are taken after the names, skipping the ones already counted. Same scores, same order, same total
 * as the general path.
 */
function searchOneTerm(index: CatalogueIndex, n: number, alternatives: string[], ok: (doc: number) => boolean, filtered: boolean, skip: number, pageSize: number): VersionHits {
  const other = nextGeneration();
  const seen = nextGeneration();
  termDocs.len = 0;
  const mark = (doc: number, s: number) => {
    if (termStamp[doc] !== other) {
      termStamp[doc] = other;
      termScore[doc] = s;
      termDocs.push(doc);
    } else if (s > termScore[doc]!) termScore[doc] = s;
  };
  // Codes first (a code itself outranks a name); departments and legal bases after the names, so that
  // their long lists skip the documents already counted by name (whose name score is higher).
  for (const t of alternatives) matchCode(index, t, ok, mark);

  const top = new TopK(Math.min(skip + pageSize, 1_000_000));
  const { nameLength, head, codeRank } = index;
  const live = index.versionBits(n);
  const stamp = termStamp;
  let total = 0;
  // Departments and legal bases: long lists of one score each, below any name score, read in the order of
  // their titles and departments. They are set as bits here (a million documents are 125 kB of bits, which
  // stay in cache), and walked in document order after the names, so the columns are read in order too.
  const words = (index.size + 31) >>> 5;
  if (deptBits.length < words) {
    deptBits = new Uint32Array(words);
    basisBits = new Uint32Array(words);
  }
  let anyBits = false;
  for (const t of alternatives) {
    if (t.length < 2) continue;
    const { listOrder, deptStart, deptEnd } = index;
    for (const d of index.departmentsMatching(t)) {
      for (let p = deptStart[d]!; p < deptEnd[d]!; p++) {
        const doc = listOrder[p]!;
        deptBits[doc >>> 5]! |= 1 << (doc & 31);
        anyBits = true;
      }
    }
    for (const title of index.titlesMatching(t)) {
      const docs = index.titleDocs[title]!.view();
      for (let p = 0; p < docs.length; p++) {
        const doc = docs[p]!;
        basisBits[doc >>> 5]! |= 1 << (doc & 31);
        anyBits = true;
      }
    }
  }
  if (alternatives.length > 1) {
    // A term with synonyms: each word's name matches are marked with their best score, as codes are, and
    // counted with them below (one pass over each word's postings; counting them as they are met would
    // read each matched name again for every other word, to skip it or to give it its best score).
    const inVersion = filtered ? ok : (doc: number) => CatalogueIndex.hasBit(live, doc);
    for (const t of alternatives) matchName(index, t, inVersion, mark);
  } else {
    const t = alternatives[0]!;
    const len = t.length;
    const long = len > 2;
    // A longer term's candidates come with where the term stands in each name when the pairs' places
    // tell it (nearly always), so most candidates are never read from the names.
    const placed = long ? placedCandidates(index, t) : null;
    const docs = placed ? placed.docs : long ? nameCandidates(index, t) : len === 1 ? index.unigram(t.charCodeAt(0)) : index.bigram(t.charCodeAt(0), t.charCodeAt(1));
    const prefix = ((t.charCodeAt(0) << 16) | (len >= 2 ? t.charCodeAt(1) : 0)) >>> 0;
    const prefixMask = len === 1 ? 0xffff0000 : 0xffffffff;
    // Only documents matched by code, department or legal basis too need to be known as counted (nearly
    // every one-character query has none: a long list marked for nothing).
    const marked = termDocs.len > 0;
    for (let p = 0; p < docs.length; p++) {
      const doc = docs[p]!;
      if (filtered ? !ok(doc) : !CatalogueIndex.hasBit(live, doc)) continue;
      let atStart: boolean;
      if (long) {
        const known = placed ? placed.start[p]! : -1;
        const at = known >= 0 ? known : index.nameIndexOf(doc, t, -1 - known);
        if (at < 0) continue;
        atStart = at === 0;
      } else atStart = ((head[doc]! & prefixMask) >>> 0) === prefix;
      let s = nameScore(atStart, nameLength[doc]!, len);
      if (marked && stamp[doc] === other && termScore[doc]! > s) s = termScore[doc]!;
      if (marked || anyBits) stamp[doc] = seen;
      total++;
      top.offerScored(s, codeRank, doc);
    }
  }
  if (anyBits) {
    for (let w = 0; w < words; w++) {
      let bits = (deptBits[w]! | basisBits[w]!) >>> 0;
      if (bits === 0) continue;
      const dept = deptBits[w]!;
      deptBits[w] = 0;
      basisBits[w] = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        const doc = (w << 5) | (31 - Math.clz32(low));
        bits = (bits ^ low) >>> 0;
        if (filtered ? !ok(doc) : !CatalogueIndex.hasBit(live, doc)) continue;
        const st = stamp[doc];
        if (st === seen) continue;
        let score: number = dept & low ? SCORE.department : SCORE.basis;
        if (st === other && termScore[doc]! > score) score = termScore[doc]!;
        stamp[doc] = seen;
        total++;
        top.offerScored(score, codeRank, doc);
      }
    }
  }
  const others = termDocs.view();
  for (let p = 0; p < others.length; p++) {
    const doc = others[p]!;
    if (stamp[doc] !== other) continue;
    total++;
    top.offerScored(termScore[doc]!, codeRank, doc);
  }
  const page = top.sorted().slice(skip, skip + pageSize);
  return { total, revisionIds: page.map((doc) => index.revisionId[doc]!) };
}

/** A name match's score: the name itself, a name starting with the term, a name holding it (shorter names first). */
function nameScore(atStart: boolean, nameLength: number, termLength: number): number {
  const penalty = nameLength < LENGTH_PENALTY_CAP ? nameLength : LENGTH_PENALTY_CAP;
  return atStart ? (nameLength === termLength ? SCORE.exactName : SCORE.namePrefix - penalty) : SCORE.name - penalty;
}

/** Documents whose name may hold a term of three characters or more: those holding each of its character pairs. */
function nameCandidates(index: CatalogueIndex, t: string): Uint32Array {
  const lists: Uint32Array[] = [];
  for (let i = 0; i + 1 < t.length; i++) lists.push(index.bigram(t.charCodeAt(i), t.charCodeAt(i + 1)));
  return intersect(lists);
}

/** placedCandidates' answer, kept between queries (read before the next query starts). */
let placedDocs = new Uint32Array(0);
let placedStart = new Int32Array(0);

/**
 * The documents holding each character pair of a term of three characters or more (as nameCandidates),
 * each with where the term first stands in its name when the pairs' first places say so: the term stands
 * at p when its k-th pair first stands at p + k for every k, and then nowhere before p (its first pair
 * stands nowhere before p). Otherwise -1 - f: the name must be read from f on (a pair standing again
 * later, a place past 254, or a false candidate), f being where the term would stand at the earliest as
 * the first place of its rarest pair says (or 0). Null when a pair's list has documents added since the
 * build (no places).
 */
export function placedCandidates(index: CatalogueIndex, t: string): { docs: Uint32Array; start: Int32Array } | null {
  const m = t.length - 1;
  const docsOf: Uint32Array[] = [];
  const atOf: Uint8Array[] = [];
  let smallest = 0;
  for (let i = 0; i < m; i++) {
    const l = index.bigramAt(t.charCodeAt(i), t.charCodeAt(i + 1));
    if (!l) return null;
    docsOf.push(l.docs);
    atOf.push(l.at);
    if (l.docs.length < docsOf[smallest]!.length) smallest = i;
  }
  const drive = docsOf[smallest]!;
  const driveAt = atOf[smallest]!;
  if (placedDocs.length < drive.length) {
    placedDocs = new Uint32Array(drive.length);
    placedStart = new Int32Array(drive.length);
  }
  const cursor = new Int32Array(m);
  // The other lists shortest first: a candidate missing from one is dropped at the first that lacks it.
  const order = Array.from({ length: m }, (_, i) => i)
    .filter((i) => i !== smallest)
    .sort((a, b) => docsOf[a]!.length - docsOf[b]!.length);
  let k = 0;
  candidates: for (let p = 0; p < drive.length; p++) {
    const v = drive[p]!;
    const a = driveAt[p]!;
    // The term stands nowhere before `from`: wherever it stands, its pair `smallest` stands `smallest` after.
    const from = a === 255 || a < smallest ? 0 : a - smallest;
    let start = a === 255 || a < smallest ? -1 : from;
    for (let o = 0; o < order.length; o++) {
      const i = order[o]!;
      const other = docsOf[i]!;
      const end = other.length;
      const lo0 = cursor[i]!;
      const lo = lo0 < end ? gallop(other, lo0, end, v) : lo0;
      cursor[i] = lo;
      if (lo >= end) break candidates;
      if (other[lo] !== v) continue candidates;
      const b = atOf[i]![lo]!;
      if (start >= 0 && (b === 255 || b !== start + i)) start = -1;
    }
    placedDocs[k] = v;
    placedStart[k++] = start >= 0 ? start : -1 - from;
  }
  return { docs: placedDocs.subarray(0, k), start: placedStart.subarray(0, k) };
}

/** Without a query: the version's items in department and code order. */
function list(index: CatalogueIndex, n: number, ok: (doc: number) => boolean, query: VersionQuery, skip: number): VersionHits {
  // A theme, 服务对象 or category filter: its documents (the smallest list), the page's best kept by list order.
  if (query.theme || query.audience || query.category) {
    const candidates = facetCandidates(index, query)!;
    const top = new TopK(Math.min(skip + query.pageSize, 1_000_000));
    const { listRank } = index;
    let total = 0;
    for (let p = 0; p < candidates.length; p++) {
      const doc = candidates[p]!;
      if (!ok(doc)) continue;
      total++;
      top.offer(-listRank[doc]!, doc);
    }
    const page = top.sorted().slice(skip, skip + query.pageSize);
    return { total, revisionIds: page.map((doc) => index.revisionId[doc]!) };
  }
  let from = 0;
  let to = index.size;
  if (query.department) {
    const d = index.departments.findIndex((x) => x.code === query.department);
    from = index.deptStart[d] ?? 0;
    to = index.deptEnd[d] ?? 0;
  }
  const page: number[] = [];
  let total = 0;
  if (!query.department && !query.category && !query.level && !query.basis) {
    // The whole version: its count is kept, and only the documents up to the page's end are walked.
    const { fromVersion, toVersion, listOrder, revisionId } = index;
    for (let p = from; p < to && page.length < query.pageSize; p++) {
      const doc = listOrder[p]!;
      if (fromVersion[doc]! > n || toVersion[doc]! <= n) continue;
      if (total++ >= skip) page.push(revisionId[doc]!);
    }
    return { total: index.countOfVersion(n), revisionIds: page };
  }
  for (let p = from; p < to; p++) {
    const doc = index.listOrder[p]!;
    if (!ok(doc)) continue;
    if (total >= skip && page.length < query.pageSize) page.push(index.revisionId[doc]!);
    total++;
  }
  return { total, revisionIds: page };
}

/** Marks the documents matching one term: name, code, department, legal basis. */
function matchTerm(index: CatalogueIndex, t: string, ok: (doc: number) => boolean, mark: (doc: number, s: number) => void): void {
  matchName(index, t, ok, mark);
  matchOtherThanName(index, t, ok, mark);
}

/** Marks the documents matching one term by code, department or legal basis. */
function matchOtherThanName(index: CatalogueIndex, t: string, ok: (doc: number) => boolean, mark: (doc: number, s: number) => void): void {
  matchCode(index, t, ok, mark);
  if (t.length < 2) return;
  for (const d of index.departmentsMatching(t)) {
    for (let p = index.deptStart[d]!; p < index.deptEnd[d]!; p++) {
      const doc = index.listOrder[p]!;
      if (ok(doc)) mark(doc, SCORE.department);
    }
  }
  for (const title of index.titlesMatching(t)) {
    const docs = index.titleDocs[title]!.view();
    for (let p = 0; p < docs.length; p++) if (ok(docs[p]!)) mark(docs[p]!, SCORE.basis);
  }
}

function matchName(index: CatalogueIndex, t: string, ok: (doc: number) => boolean, mark: (doc: number, s: number) => void): void {
  const { nameLength, head } = index;
  const len = t.length;
  const penalty = (doc: number) => Math.min(nameLength[doc]!, LENGTH_PENALTY_CAP);
  if (len <= 2) {
    const c0 = t.charCodeAt(0);
    const c1 = len === 2 ? t.charCodeAt(1) : 0;
    const docs = len === 1 ? index.unigram(c0) : index.bigram(c0, c1);
    const prefix = ((c0 << 16) | c1) >>> 0;
    const prefixMask = len === 1 ? 0xffff0000 : 0xffffffff;
    for (let p = 0; p < docs.length; p++) {
      const doc = docs[p]!;
      if (!ok(doc)) continue;
      if (((head[doc]! & prefixMask) >>> 0) === prefix) mark(doc, nameLength[doc] === len ? SCORE.exactName : SCORE.namePrefix - penalty(doc));
      else mark(doc, SCORE.name - penalty(doc));
    }
    return;
  }
  // Placed from the pairs' places where they tell it (placedCandidates), else read from the name.
  const placed = placedCandidates(index, t);
  const docs = placed ? placed.docs : nameCandidates(index, t);
  for (let p = 0; p < docs.length; p++) {
    const doc = docs[p]!;
    if (!ok(doc)) continue;
    const known = placed ? placed.start[p]! : -1;
    const at = known >= 0 ? known : index.nameIndexOf(doc, t, -1 - known);
    if (at < 0) continue;
    if (at === 0) mark(doc, nameLength[doc] === len ? SCORE.exactName : SCORE.namePrefix - penalty(doc));
    else mark(doc, SCORE.name - penalty(doc));
  }
}

const CODE_LIKE = /[0-9]/;

function matchCode(index: CatalogueIndex, t: string, ok: (doc: number) => boolean, mark: (doc: number, s: number) => void): void {
  const [a, b] = index.codePrefixRange(t);
  // A prefix of a code counts only for code-like terms (with a digit, or long), so a short name query
  // does not list every code starting with its letters.
  const prefixes = CODE_LIKE.test(t) || t.length >= 4;
  for (let p = a; p < b; p++) {
    const doc = index.codeOrder[p]!;
    const exact = index.codeNorms.equals(doc, t);
    if (!exact && !prefixes) break; // the exact codes come first in code order
    if (ok(doc)) mark(doc, exact ? SCORE.code : SCORE.codePrefix);
  }
}

/**
 * The searches warmSearchSteps asks: for names spread over the index, their first characters and a slice
 * from the middle at lengths 1, 2, 3, 4 and 6, and two terms at once.
 */
export function warmUpQueries(index: CatalogueIndex, samples = 80): string[] {
  const queries = new Set<string>();
  for (let i = 0; i < samples && index.size > 0; i++) {
    const name = index.nameOf(Math.floor(((i + 0.5) * index.size) / samples));
    for (const length of [1, 2, 3, 4, 6]) {
      if (name.length < length) continue;
      const middle = (name.length - length) >>> 1;
      queries.add(name.slice(0, length));
      queries.add(name.slice(middle, middle + length));
    }
    if (name.length >= 6) queries.add(`${name.slice(0, 2)} ${name.slice(-3)}`);
  }
  return [...queries];
}

/**
 * Searches of every shape on the index's own names, a step each, run once the server's index is ready:
 * V8 optimises the search's code only after it has run a while, and until then the first visitors'
 * searches of three characters and more took 10–40 ms where the same searches take 2–7 ms after
 * (a million items, npm run bench:search).
 */
export function* warmSearchSteps(index: CatalogueIndex, synonyms: Synonyms = NO_SYNONYMS): Generator<void> {
  if (index.lastVersion === 0) return;
  for (const q of warmUpQueries(index)) {
    searchVersion(index, index.lastVersion, { q, page: 1, pageSize: 20 }, synonyms);
    yield;
  }
}
