// Facet counts for browsing a catalogue like a provincial portal: how many items of version n fall under
// each 服务对象 (个人 / 法人), department, category and theme, given the visitor's current filter and query.
// Each dimension is counted under every other filter but its own (choosing 个人 still shows how many 法人
// items there are), and the total is the items passing them all. Counted in one pass over the index's
// typed columns (the theme of each item was found once, when the index took it in); counts of a version
// without a query are kept per index generation, so browsing a million items mostly reads a cached
// answer.
import type { Synonyms } from '../domain/search-synonyms.js';
import { AUDIENCE_BIT, type Audience } from '../domain/facets.js';
import { THEMES } from '../domain/themes.js';
import { CATEGORY_CODES, type Category } from '../domain/vocabulary.js';
import { THEME_WORDS, categoryIndex, runInSlices, type CatalogueIndex } from './catalogue-index.js';
import { NO_SYNONYMS, documentsMatching, facetCandidates, filterOf, themeIndexOf, type VersionQuery } from './search.js';

/** What a list is filtered by: a version query without its page. */
export type FacetQuery = Omit<VersionQuery, 'page' | 'pageSize'>;

export interface FacetCounts {
  /** Items passing every filter and the query. */
  total: number;
  audiences: Record<Audience, number>;
  /** Departments with at least one item, most items first (then by code). */
  departments: { code: string; name: string; count: number }[];
  /** By category code, those with items. */
  categories: Partial<Record<Category, number>>;
  /** By theme code, those with items (in the theme list's order). */
  themes: Record<string, number>;
}

/** At most this many counts are kept per index (then the cache starts again). */
const CACHE_LIMIT = 512;
const NEVER = 0xffffffff;

/** The facet counts of version n under the query (see the top of this file). */
export function facetCounts(index: CatalogueIndex, n: number, query: FacetQuery, synonyms: Synonyms = NO_SYNONYMS): FacetCounts {
  const steps = facetCountSteps(index, n, query, synonyms);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Documents counted between two steps of a count run in slices (countAhead). */
const DOCS_PER_STEP = 32_768;

/**
 * facetCounts as steps: it pauses every DOCS_PER_STEP documents. A count of a million documents in one go
 * took 40–100 ms of the request thread right after a publish (npm run bench:jobs).
 */
export function* facetCountSteps(index: CatalogueIndex, n: number, query: FacetQuery, synonyms: Synonyms): Generator<void, FacetCounts> {
  const cacheable = !query.q;
  // The version first: a take-in keeps the counts of the versions before it (CatalogueIndex.appended).
  const key = cacheable ? [n, query.department, query.category, query.level, query.basis, query.audience, query.theme].join('\u0001') : '';
  if (cacheable) {
    const hit = index.facetCache.get(key) as FacetCounts | undefined;
    if (hit) return hit;
  }
  const generation = index.generation;
  const counts = yield* count(index, n, query, synonyms);
  // Counted over steps while the index took in a publish: not kept, the next ask counts again.
  if (cacheable && index.generation === generation) {
    if (index.facetCache.size >= CACHE_LIMIT) index.facetCache.clear();
    index.facetCache.set(key, counts);
  }
  return counts;
}

const DIMENSIONS = ['audience', 'theme', 'category', 'department'] as const;

function* count(index: CatalogueIndex, n: number, query: FacetQuery, synonyms: Synonyms): Generator<void, FacetCounts> {
  const chosen = DIMENSIONS.filter((d) => query[d] !== undefined);
  if (query.q || chosen.length === 0) return yield* onePass(index, n, query, synonyms);
  // Without a query, a filtered count starts from the chosen values' smallest list of documents: the
  // total and the dimensions not chosen are counted over the documents passing every filter; a chosen
  // dimension's counts are those of the same filter without it (fewer filters: mostly cached already,
  // down to the unfiltered counts of the version).
  const ok = filterOf(index, n, query);
  const candidates = ok ? facetCandidates(index, query)! : new Uint32Array(0);
  const counts = yield* tally(index, candidates, ok ?? (() => false));
  for (const d of chosen) {
    const without = yield* facetCountSteps(index, n, { ...query, [d]: undefined }, synonyms);
    if (d === 'audience') counts.audiences = without.audiences;
    else if (d === 'theme') counts.themes = without.themes;
    else if (d === 'category') counts.categories = without.categories;
    else counts.departments = without.departments;
  }
  return counts;
}

/** Counts every dimension over the documents of the list that pass `ok`. */
function* tally(index: CatalogueIndex, docs: Uint32Array, ok: (doc: number) => boolean): Generator<void, FacetCounts> {
  const counts = new Tally(index);
  for (let p = 0; p < docs.length; p++) {
    if (p % DOCS_PER_STEP === DOCS_PER_STEP - 1) yield;
    const doc = docs[p]!;
    if (!ok(doc)) continue;
    counts.total++;
    counts.department(doc);
    counts.category(doc);
    counts.audience(doc);
    counts.themes(doc);
  }
  return counts.result();
}

/**
 * One pass over the version's documents (or those matching the query), each counted in the dimensions
 * whose filter is the only one it fails, or in all of them when it fails none.
 */
function* onePass(index: CatalogueIndex, n: number, query: FacetQuery, synonyms: Synonyms): Generator<void, FacetCounts> {
  const base = filterOf(index, n, { level: query.level, basis: query.basis })!;
  const { department, category, audience, themeBits } = index;
  // The chosen value of each dimension (NEVER: a value no item has, so every item fails that dimension).
  const dept = query.department === undefined ? -1 : ((i) => (i < 0 ? NEVER : i))(index.departments.findIndex((d) => d.code === query.department));
  const cat = query.category === undefined ? -1 : categoryIndex(query.category) || NEVER;
  const who = query.audience === undefined ? 0 : AUDIENCE_BIT[query.audience];
  const theme = query.theme === undefined ? -1 : themeIndexOf(query.theme);
  const unknownTheme = query.theme !== undefined && theme < 0;
  const themeWord = theme < 0 ? 0 : theme >>> 5;
  const themeBit = theme < 0 ? 0 : 1 << (theme & 31);

  const counts = new Tally(index);

  const take = (doc: number) => {
    const failDept = dept >= 0 && department[doc] !== dept;
    const failCat = cat >= 0 && category[doc] !== cat;
    const failWho = who !== 0 && (audience[doc]! & who) === 0;
    const failTheme = unknownTheme || (theme >= 0 && (themeBits[doc * THEME_WORDS + themeWord]! & themeBit) === 0);
    const fails = +failDept + +failCat + +failWho + +failTheme;
    if (fails > 1) return;
    if (fails === 0) counts.total++;
    // A dimension counts the item when the item passes every other dimension: it then fails none, or
    // only this one.
    if (fails === 0 || failDept) counts.department(doc);
    if (fails === 0 || failCat) counts.category(doc);
    if (fails === 0 || failWho) counts.audience(doc);
    if (fails === 0 || failTheme) counts.themes(doc);
  };

  const matching = documentsMatching(index, n, query, synonyms);
  if (matching) {
    for (let p = 0; p < matching.length; p++) {
      take(matching[p]!);
      if (p % DOCS_PER_STEP === DOCS_PER_STEP - 1) yield;
    }
  } else {
    for (let doc = 0; doc < index.size; doc++) {
      if (base(doc)) take(doc);
      if (doc % DOCS_PER_STEP === DOCS_PER_STEP - 1) yield;
    }
  }

  return counts.result();
}

/** The counts of one pass, dimension by dimension. */
class Tally {
  total = 0;
  private individual = 0;
  private legal = 0;
  private readonly byDept: Uint32Array;
  private readonly byCat = new Uint32Array(CATEGORY_CODES.length + 1);
  private readonly byTheme = new Uint32Array(THEME_WORDS * 32);

  constructor(private readonly index: CatalogueIndex) {
    this.byDept = new Uint32Array(index.departments.length);
  }

  department(doc: number): void {
    this.byDept[this.index.department[doc]!]!++;
  }

  category(doc: number): void {
    this.byCat[this.index.category[doc]!]!++;
  }

  audience(doc: number): void {
    const a = this.index.audience[doc]!;
    if (a & AUDIENCE_BIT.individual) this.individual++;
    if (a & AUDIENCE_BIT.legal) this.legal++;
  }

  themes(doc: number): void {
    countThemes(this.byTheme, this.index.themeBits, doc);
  }

  result(): FacetCounts {
    const { index, byDept, byCat, byTheme } = this;
    const departments = index.departments
      .map((d, i) => ({ code: d.code, name: d.name, count: byDept[i]! }))
      .filter((d) => d.count > 0)
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const categories: Partial<Record<Category, number>> = {};
    for (const c of CATEGORY_CODES) if (byCat[categoryIndex(c)]) categories[c] = byCat[categoryIndex(c)]!;
    const themes: Record<string, number> = {};
    THEMES.forEach((t, i) => {
      if (byTheme[i]) themes[t.code] = byTheme[i]!;
    });
    return { total: this.total, audiences: { individual: this.individual, legal: this.legal }, departments, categories, themes };
  }
}

/**
 * Counts ahead what the home page and the first list pages ask of the latest version (unfiltered, 个人,
 * 法人), in slices between requests, so the first visitor after a start or a publish reads them
 * from the cache.
 */
export async function countAhead(index: CatalogueIndex): Promise<void> {
  for (const query of [{}, { audience: 'individual' }, { audience: 'legal' }] as FacetQuery[]) {
    await runInSlices(facetCountSteps(index, index.lastVersion, query, NO_SYNONYMS));
  }
}

/** Adds one to the count of each theme the document's bits hold. */
function countThemes(byTheme: Uint32Array, themeBits: Uint32Array, doc: number): void {
  const at = doc * THEME_WORDS;
  for (let w = 0; w < THEME_WORDS; w++) {
    let x = themeBits[at + w]!;
    while (x !== 0) {
      const low = x & -x;
      byTheme[w * 32 + 31 - Math.clz32(low)]!++;
      x ^= low;
    }
  }
}
