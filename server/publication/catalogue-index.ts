// An in-memory index of every published item revision, built once from item_revisions and extended
// after each publish. The version pages list, filter, count and search a version of a million items
// from it in milliseconds instead of scanning the revisions table per request. One index serves every
// version: a revision belongs to version n when fromVersion <= n < toVersion.
//
// Names are indexed by every character and every pair of adjacent characters (Chinese has no spaces:
// a one- or two-character query such as 证 or 许可 is one posting list; a longer one intersects its
// pairs and is then checked against the name). Departments and legal-basis titles are few, so they
// are matched by scanning their names and expanded to the items they hold.
import Database from 'better-sqlite3';
import type { Db } from '../../db/client.js';
import { errors } from '../errors.js';
import { closuresAfter, facetsAfter, lastFacetRevisionId, latestVersionNumberOf, type FacetRow } from '../../db/queries/publication/index-feed.js';
import { CATEGORY_CODES, LEVEL_CODES, type Category, type Level } from '../domain/vocabulary.js';
import { normaliseText } from '../domain/search-tables.js';
import { NO_OVERRIDES, THEMES, effectiveThemes, sameOverride, themeIndexMatcher, type ThemeOverrideSource, type ThemeOverrides } from '../domain/themes.js';
import { audienceMask } from '../domain/facets.js';

/** A growable list of unsigned 32-bit integers, kept in one typed array. */
export class U32List {
  buf: Uint32Array;
  len = 0;
  constructor(capacity = 4) {
    this.buf = new Uint32Array(capacity);
  }
  push(v: number): void {
    if (this.len === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = v;
  }
  /** The live part (a view: do not keep it across pushes). */
  view(): Uint32Array {
    return this.buf.subarray(0, this.len);
  }
  last(): number {
    return this.len ? this.buf[this.len - 1]! : -1;
  }
  trim(): void {
    if (this.buf.length > this.len) this.buf = this.buf.slice(0, Math.max(this.len, 1));
  }
  /** Where v stands, or would stand, in a list kept in ascending order. */
  private lowerBound(v: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Puts v in its place in a list kept in ascending order (nothing when it is there already). */
  insertSorted(v: number): void {
    const at = this.lowerBound(v);
    if (at < this.len && this.buf[at] === v) return;
    this.push(v);
    this.buf.copyWithin(at + 1, at, this.len - 1);
    this.buf[at] = v;
  }
  /** Takes v out of a list kept in ascending order. */
  removeSorted(v: number): void {
    const at = this.lowerBound(v);
    if (at >= this.len || this.buf[at] !== v) return;
    this.buf.copyWithin(at, at + 1, this.len);
    this.len--;
  }
}

/**
 * An append-only list of unsigned 32-bit integers in fixed-size chunks: it grows without ever copying
 * what it holds. A build's tokens (tens of millions for a million names) kept in one doubling array
 * would be copied whole at each doubling, one step of hundreds of milliseconds on the request thread.
 */
export class ChunkedU32List {
  private readonly chunks: Uint32Array[] = [];
  private last: Uint32Array;
  private used = 0;
  len = 0;
  constructor(private readonly chunkSize = 1 << 20) {
    this.last = new Uint32Array(0);
  }
  push(v: number): void {
    if (this.used === this.last.length) {
      this.last = new Uint32Array(this.chunkSize);
      this.chunks.push(this.last);
      this.used = 0;
    }
    this.last[this.used++] = v;
    this.len++;
  }
  /** The values, chunk by chunk (the last one only as far as it is filled). */
  *parts(): Generator<Uint32Array> {
    for (let c = 0; c < this.chunks.length; c++) yield c === this.chunks.length - 1 ? this.chunks[c]!.subarray(0, this.used) : this.chunks[c]!;
  }
}

/** Column storage that grows with the index. */
export function grow<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const next = make(Math.max(need, a.length * 2, 1024));
  next.set(a);
  return next;
}

/**
 * Strings one after another in one array of UTF-16 units, string i at chars[starts[i] … starts[i + 1]):
 * a million item codes as two typed arrays instead of a million strings on the heap, which every major
 * collection walked (the longest pauses of a server holding two million-item indexes, npm run bench:jobs).
 */
export class PackedStrings {
  private chars = new Uint16Array(1 << 12);
  private starts = new Uint32Array(1 << 10);
  length = 0;

  push(text: string): void {
    const i = this.length++;
    const start = this.starts[i]!;
    this.starts = grow(this.starts, i + 2, (k) => new Uint32Array(k));
    this.chars = grow(this.chars, start + text.length, (k) => new Uint16Array(k));
    for (let c = 0; c < text.length; c++) this.chars[start + c] = text.charCodeAt(c);
    this.starts[i + 1] = start + text.length;
  }

  get(i: number): string {
    return String.fromCharCode(...this.chars.subarray(this.starts[i]!, this.starts[i + 1]!));
  }

  /** String i against string j, as < and > compare strings (by UTF-16 units). */
  compare(i: number, j: number): number {
    const { chars, starts } = this;
    let a = starts[i]!;
    let b = starts[j]!;
    const aEnd = starts[i + 1]!;
    const bEnd = starts[j + 1]!;
    for (; a < aEnd && b < bEnd; a++, b++) if (chars[a] !== chars[b]) return chars[a]! - chars[b]!;
    return aEnd - a - (bEnd - b);
  }

  /** String i against a text: negative when it sorts before, 0 when equal, positive after. */
  compareTo(i: number, text: string): number {
    const { chars, starts } = this;
    const start = starts[i]!;
    const end = starts[i + 1]!;
    for (let k = 0; k < text.length; k++) {
      if (start + k >= end) return -1;
      const d = chars[start + k]! - text.charCodeAt(k);
      if (d !== 0) return d;
    }
    return end - start - text.length;
  }

  equals(i: number, text: string): boolean {
    return this.compareTo(i, text) === 0;
  }

  startsWith(i: number, text: string): boolean {
    const { chars, starts } = this;
    const start = starts[i]!;
    if (starts[i + 1]! - start < text.length) return false;
    for (let k = 0; k < text.length; k++) if (chars[start + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  bytes(): number {
    return this.chars.byteLength + this.starts.byteLength;
  }
}

/**
 * How names and queries are compared (server/domain/search-normalise.ts, shared with the working
 * catalogue's search and the static site's script): traditional → simplified, full-width to half-width,
 * lower case, without spaces, punctuation and symbols, so 食品安全法規定 finds 《食品安全法》规定.
 */
export { normaliseText };

/**
 * Posting lists of name tokens (single characters and adjacent pairs), by token id. A full build
 * writes them into one array, list after list (compressed sparse rows: two passes, no per-list
 * objects); documents added by later publishes go to small per-token lists on top. Each list is in
 * document order.
 */
class Postings {
  /** Dense ids of UTF-16 units (1…); 0 = never seen. */
  private unitIds = new Uint16Array(65536);
  private nextUnit = 1;
  /** Open-addressing table from pair key (unit id 1 * 65536 + unit id 2) to token id. */
  private pairKeys = new Uint32Array(1 << 16);
  private pairTokens = new Uint32Array(1 << 16);
  /** Multiplicative hashing takes the product's top bits: 32 - log2(table size). */
  private pairShift = 16;
  private pairCount = 0;
  /** Token ids: a unit's id for single units, 65536 + k for the k-th pair. */
  private nextPairToken = 65536;
  /** The last document counted for each token (dedupes a token repeated in one name). */
  private lastDoc = new Int32Array(65536 + 4096).fill(-1);
  // The built part.
  private offsets = new Uint32Array(1);
  private docs = new Uint32Array(0);
  /**
   * Beside each built posting: where in the name the token first stands (0…254), or 255 (at 255 or
   * later). A term of several pairs then stands at p when its k-th pair first stands at p + k for every k,
   * which is known without reading the name.
   */
  private firstAt = new Uint8Array(0);
  private builtTokens = 0;
  // Documents added since.
  private overlay = new Map<number, U32List>();
  /** Beside each overlay posting, where the token first stands in the name (as firstAt). */
  private overlayAt = new Map<number, U32List>();
  /** Built list and overlay joined, by token, for the tokens asked since their last change. */
  private merged = new Map<number, Uint32Array>();
  /** Their places joined likewise (kept and dropped with merged). */
  private mergedAt = new Map<number, Uint8Array>();
  private mergedUnits = 0;
  // During a build: the documents' tokens one after another, where each document's end, and per-token counts.
  private pending: ChunkedU32List | null = null;
  private pendingEnds: U32List | null = null;
  private pendingCounts: Uint32Array | null = null;

  unitId(c: number, create: boolean): number {
    let id = this.unitIds[c]!;
    if (id === 0 && create) {
      id = this.nextUnit++;
      this.unitIds[c] = id;
    }
    return id;
  }

  pairToken(a: number, b: number, create: boolean): number {
    const key = a * 65536 + b;
    const mask = this.pairKeys.length - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.pairShift;
    for (;;) {
      const k = this.pairKeys[slot]!;
      if (k === key) return this.pairTokens[slot]!;
      if (k === 0) break;
      slot = (slot + 1) & mask;
    }
    if (!create) return 0;
    this.pairKeys[slot] = key;
    this.pairTokens[slot] = this.nextPairToken++;
    if (++this.pairCount * 2 > this.pairKeys.length) this.growPairs();
    return this.nextPairToken - 1;
  }

  private growPairs(): void {
    const keys = this.pairKeys;
    const tokens = this.pairTokens;
    this.pairKeys = new Uint32Array(keys.length * 2);
    this.pairTokens = new Uint32Array(keys.length * 2);
    this.pairShift--;
    const mask = this.pairKeys.length - 1;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key === 0) continue;
      let slot = Math.imul(key, 0x9e3779b1) >>> this.pairShift;
      while (this.pairKeys[slot] !== 0) slot = (slot + 1) & mask;
      this.pairKeys[slot] = key;
      this.pairTokens[slot] = tokens[i]!;
    }
  }

  beginBuild(): void {
    this.pending = new ChunkedU32List();
    this.pendingEnds = new U32List(1 << 16);
    this.pendingCounts = new Uint32Array(65536 + 4096);
  }

  /** Records document `doc`'s name (documents come in increasing order). */
  add(doc: number, name: string): void {
    let prev = 0;
    for (let i = 0; i < name.length; i++) {
      const unit = this.unitId(name.charCodeAt(i), true);
      this.post(unit, doc, i);
      if (prev) this.post(this.pairToken(prev, unit, true), doc, i - 1);
      prev = unit;
    }
    this.pendingEnds?.push(this.pending!.len);
  }

  private post(token: number, doc: number, at: number): void {
    if (token >= this.lastDoc.length) {
      const next = new Int32Array(Math.max(token + 1, this.lastDoc.length * 2)).fill(-1);
      next.set(this.lastDoc);
      this.lastDoc = next;
    }
    if (this.lastDoc[token] === doc) return;
    this.lastDoc[token] = doc;
    if (this.pending) {
      let counts = this.pendingCounts!;
      if (token >= counts.length) {
        const next = new Uint32Array(Math.max(token + 1, counts.length * 2));
        next.set(counts);
        this.pendingCounts = counts = next;
      }
      counts[token]!++;
      // The token and where it first stands, in one number (token ids stay far below 2^24).
      this.pending.push(token * 256 + (at < 255 ? at : 255));
    } else {
      let list = this.overlay.get(token);
      if (!list) this.overlay.set(token, (list = new U32List()));
      list.push(doc);
      let places = this.overlayAt.get(token);
      if (!places) this.overlayAt.set(token, (places = new U32List()));
      places.push(at < 255 ? at : 255);
      this.merged.delete(token);
      this.mergedAt.delete(token);
    }
  }

  /** Ends a build: counts to offsets, then every (doc, token) pair into its list, in document order. */
  endBuild(): void {
    for (const _ of this.endingBuild());
  }

  /**
   * endBuild a step at a time (for runInSlices): a million names hold tens of millions of tokens, one
   * step of most of a second if placed at once. Lists read meanwhile are the old ones (the new arrays are
   * put in place at the end).
   */
  *endingBuild(): Generator<void> {
    const ends = this.pendingEnds!.view();
    const counts = this.pendingCounts!;
    const tokens = counts.length;
    const offsets = new Uint32Array(tokens + 1);
    for (let t = 0; t < tokens; t++) offsets[t + 1] = offsets[t]! + counts[t]!;
    yield;
    const docs = new Uint32Array(offsets[tokens]!);
    const firstAt = new Uint8Array(offsets[tokens]!);
    const fill = offsets.slice(0, tokens);
    let doc = 0;
    let at = 0;
    let placed = 0;
    for (const part of this.pending!.parts()) {
      for (let i = 0; i < part.length; i++, at++) {
        while (at >= ends[doc]!) doc++;
        const packed = part[i]!;
        const slot = fill[packed >>> 8]!++;
        docs[slot] = doc;
        firstAt[slot] = packed & 255;
        if (++placed % TOKENS_PER_STEP === 0) yield;
      }
    }
    this.offsets = offsets;
    this.docs = docs;
    this.firstAt = firstAt;
    this.builtTokens = tokens;
    this.pending = null;
    this.pendingEnds = null;
    this.pendingCounts = null;
  }

  /** A token's documents, in order. */
  list(token: number): Uint32Array {
    if (token === 0) return EMPTY;
    const built = token < this.builtTokens ? this.docs.subarray(this.offsets[token]!, this.offsets[token + 1]!) : EMPTY;
    const extra = this.overlay.get(token);
    if (!extra) return built;
    if (built.length === 0) return extra.view();
    // Kept until the token gets another document: a common character's list is not copied on every query.
    let both = this.merged.get(token);
    if (!both) {
      both = new Uint32Array(built.length + extra.len);
      both.set(built);
      both.set(extra.view(), built.length);
      if ((this.mergedUnits += both.length) > MERGED_UNITS_KEPT) {
        this.merged.clear();
        this.mergedAt.clear();
        this.mergedUnits = both.length;
      }
      this.merged.set(token, both);
    }
    return both;
  }

  /**
   * A token's documents (as list) with where the token first stands in each name (see firstAt); never
   * null today (null would tell the caller to read the names).
   */
  listAt(token: number): { docs: Uint32Array; at: Uint8Array } | null {
    if (token === 0) return { docs: EMPTY, at: EMPTY_AT };
    const built = token < this.builtTokens ? this.firstAt.subarray(this.offsets[token]!, this.offsets[token + 1]!) : EMPTY_AT;
    const docs = this.list(token);
    const extra = this.overlayAt.get(token);
    if (!extra) return { docs, at: built };
    let at = this.mergedAt.get(token);
    if (!at || at.length !== docs.length) {
      at = new Uint8Array(docs.length);
      at.set(built);
      at.set(extra.view(), built.length);
      if (this.merged.get(token) === docs) this.mergedAt.set(token, at);
    }
    return { docs, at };
  }

  bytes(): number {
    let n = this.docs.byteLength + this.firstAt.byteLength + this.offsets.byteLength + this.pairKeys.byteLength * 2 + this.lastDoc.byteLength;
    for (const l of this.overlay.values()) n += l.buf.byteLength;
    for (const l of this.overlayAt.values()) n += l.buf.byteLength;
    return n;
  }
}

/** At most this many documents in the joined lists kept (64 MB); beyond, they are dropped and joined again as asked. */
const MERGED_UNITS_KEPT = 16 * 1024 * 1024;

const NO_VERSION = 0xffffffff;
/** Words of 32 bits per document in the theme bitsets: one bit per theme of data/themes. */
export const THEME_WORDS = Math.max(1, Math.ceil(THEMES.length / 32));
const themesOf = themeIndexMatcher();
const THEME_INDEX = new Map<string, number>(THEMES.map((t, i) => [t.code, i]));
/** How many revisions a background build reads before letting other work run. */
const ROWS_PER_STEP = 250;
/** How many of a build's tokens are placed in their lists before letting other work run. */
export const TOKENS_PER_STEP = 65_536;
/** How many documents a pass over the whole index (ranks, department ranges) handles per step. */
const DOCS_PER_STEP = 65_536;
const CATEGORY_INDEX = new Map<string, number>(CATEGORY_CODES.map((c, i) => [c, i + 1]));
const LEVEL_INDEX = new Map<string, number>(LEVEL_CODES.map((c, i) => [c, i + 1]));
export const categoryIndex = (c: Category) => CATEGORY_INDEX.get(c) ?? 0;
export const levelIndex = (l: Level) => LEVEL_INDEX.get(l) ?? 0;

export interface IndexedDepartment {
  code: string;
  name: string;
  /** normaliseText(name) */
  norm: string;
}

export class CatalogueIndex {
  /** Number of revisions (documents) indexed; documents are numbered 0… in revision-id order. */
  size = 0;
  /** The highest revision id and version number taken in. */
  lastRevisionId = 0;
  lastVersion = 0;

  revisionId = new Uint32Array(0);
  fromVersion = new Uint32Array(0);
  /** NO_VERSION while the revision is still the published one. */
  toVersion = new Uint32Array(0);
  department = new Uint16Array(0);
  category = new Uint8Array(0);
  level = new Uint8Array(0);
  /** 1 when the item cites at least one setting instrument. */
  hasBasis = new Uint8Array(0);
  /** Who the item serves: bit 1 个人, bit 2 法人 (server/domain/facets.ts). */
  audience = new Uint8Array(0);
  /**
   * The themes of each document, THEME_WORDS words per document (bit t of the list's theme t): those of
   * its name, plus those the legal office added to its item code, less those it removed (themeOverrides).
   */
  themeBits = new Uint32Array(0);
  /** The legal office's theme tags by item code, as last applied (applyThemeOverrides). */
  private themeOverrides: ThemeOverrides = NO_OVERRIDES;
  /** Documents by theme, by audience bit (0 个人, 1 法人) and by category index, each in document order: where a facet filter starts. */
  themeDocs: U32List[] = THEMES.map(() => new U32List());
  audienceDocs: U32List[] = [new U32List(), new U32List()];
  categoryDocs: U32List[] = Array.from({ length: CATEGORY_CODES.length + 1 }, () => new U32List());
  /** Each document's place in listOrder (the order of a filtered page). */
  listRank = new Uint32Array(0);
  /** Counts every change to the documents or their versions: cached counts older than it are stale. */
  generation = 0;
  /** Facet counts already computed (server/publication/facets.ts), keyed by version, then filter. */
  facetCache = new Map<string, unknown>();
  nameLength = new Uint16Array(0);
  /** The first two UTF-16 units of the normalised name, (c0 << 16 | c1) >>> 0: prefix checks without strings. */
  head = new Uint32Array(0);
  codes = new PackedStrings();
  /** normaliseText(code) */
  codeNorms = new PackedStrings();
  /**
   * The normalised names (normaliseText), one after another in one array of UTF-16 units: document
   * doc's is nameChars[nameStart[doc] … nameStart[doc + 1]). A million names as one typed array instead
   * of a million strings: nothing for the garbage collector to walk, and checks read them in order.
   */
  nameChars = new Uint16Array(1 << 16);
  nameStart = new Uint32Array(1);

  departments: IndexedDepartment[] = [];
  private departmentIndex = new Map<string, number>();

  /** Documents by department code then item code: the order of the version pages. */
  listOrder: Uint32Array = new Uint32Array(0);
  /** For department d, its documents are listOrder[deptStart[d] … deptEnd[d]). */
  deptStart = new Uint32Array(0);
  deptEnd = new Uint32Array(0);
  /** Documents by normalised code, and each document's place in that order (the tie-break of search). */
  codeOrder: Uint32Array = new Uint32Array(0);
  codeRank = new Uint32Array(0);

  /** Counts up whenever documents are added or closed: what a cached figure of the index was computed at. */
  changes = 0;
  private liveCounts = new Map<number, { changes: number; count: number }>();

  /** How many documents version n holds (counted once per version and change of the index). */
  countOfVersion(n: number): number {
    const cached = this.liveCounts.get(n);
    if (cached && cached.changes === this.changes) return cached.count;
    let count = 0;
    for (let doc = 0; doc < this.size; doc++) if (this.inVersion(doc, n)) count++;
    this.liveCounts.set(n, { changes: this.changes, count });
    return count;
  }

  private liveBits = new Map<number, { changes: number; size: number; bits: Uint32Array }>();

  /** Whether document doc's bit is set in bits made by versionBits. */
  static hasBit(bits: Uint32Array, doc: number): boolean {
    return (bits[doc >>> 5]! & (1 << (doc & 31))) !== 0;
  }

  /**
   * Version n's documents as bits (bit doc & 31 of word doc >>> 5), made once per version and change of
   * the index: a search reads one bit of 125 kB a document instead of two columns of 4 MB each.
   */
  versionBits(n: number): Uint32Array {
    const cached = this.liveBits.get(n);
    if (cached && cached.changes === this.changes && cached.size === this.size) return cached.bits;
    const bits = new Uint32Array((this.size + 31) >>> 5);
    for (let doc = 0; doc < this.size; doc++) if (this.inVersion(doc, n)) bits[doc >>> 5]! |= 1 << (doc & 31);
    // The latest versions asked for are kept (nearly every search asks for the latest).
    if (this.liveBits.size >= 4) this.liveBits.delete(this.liveBits.keys().next().value!);
    this.liveBits.set(n, { changes: this.changes, size: this.size, bits });
    return bits;
  }

  /** Postings of the names' characters and character pairs. */
  private postings = new Postings();
  /** Citation titles (normalised) and the documents citing each. */
  titles: string[] = [];
  titleDocs: U32List[] = [];
  private titleIndex = new Map<string, number>();
  /** Documents of sub-items by their parent's code. */
  children = new Map<string, U32List>();

  /**
   * For an index fed by its owner instead of the revisions (the working catalogue's: server/catalogue/
   * working-index.ts): appends rows (in increasing revisionId order, all at fromVersion 0), ends the
   * documents in `closed` (toVersion 0: no longer in "version" 0), and puts the new ones in the orders.
   */
  apply(rows: Iterable<FacetRow>, closed: Iterable<number>, firstBuild = false): void {
    for (const _ of this.applying(rows, closed, firstBuild));
  }

  /** apply() a step at a time (for runInSlices): a few hundred rows a step, then the orders' merge steps. */
  *applying(rows: Iterable<FacetRow>, closed: Iterable<number>, firstBuild = false): Generator<void> {
    const before = this.size;
    if (firstBuild) this.postings.beginBuild();
    let n = 0;
    for (const row of rows) {
      if (this.size >= this.revisionId.length) this.reserve(this.size + 1);
      this.add(row);
      if ((++n & 255) === 0) yield;
    }
    if (firstBuild) yield* this.postings.endingBuild();
    for (const doc of closed) this.toVersion[doc] = 0;
    this.changes++;
    if (this.size > before) yield* this.reorder(before);
    this.changed();
  }

  /** Forgets the counts computed before a change. */
  private changed(): void {
    this.generation++;
    this.facetCache.clear();
  }

  /**
   * Forgets, after a take-in of the versions after `kept`, only what it can have changed. A published
   * version's documents never change: a take-in adds documents and closes revisions at the new version, so
   * the counts of versions up to `kept` still hold (the cache's keys start with their version). Dropped
   * with the rest, a page of an older version counted its million documents again for its next visitor
   * after every publish (125 ms, npm run bench:jobs). Counts under way are not kept (the generation).
   */
  private appended(kept: number): void {
    this.generation++;
    for (const key of this.facetCache.keys()) if (!(parseInt(key, 10) <= kept)) this.facetCache.delete(key);
  }

  /** Builds the index from scratch. */
  static build(db: Db): CatalogueIndex {
    const index = new CatalogueIndex();
    index.postings.beginBuild();
    index.refresh(db);
    index.postings.endBuild();
    return index;
  }

  /**
   * Builds the index from a read-only connection of its own, a step at a time between other work, so a
   * server with a million published items keeps answering while it builds.
   */
  static async buildInBackground(path: string): Promise<CatalogueIndex> {
    const reader = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const index = new CatalogueIndex();
      index.postings.beginBuild();
      await runInSlices(index.loading(reader));
      await runInSlices(index.postings.endingBuild());
      return index;
    } finally {
      reader.close();
    }
  }

  /** Whether a publish happened since the index last looked. */
  isStale(db: Db): boolean {
    return (latestVersionNumberOf(db.$client) ?? 0) !== this.lastVersion;
  }

  /**
   * Takes in what was published since the last look: new revisions are appended, revisions a later
   * version superseded get their end version, and the orders are merged.
   */
  refresh(db: Db): void {
    for (const _ of this.loading(db.$client));
  }

  /** refresh, as steps, from a connection of the caller's (see SearchIndex). */
  loadingSteps(sqlite: Db['$client']): Generator<void> {
    return this.loading(sqlite);
  }

  /** refresh, as steps: it pauses after every ROWS_PER_STEP revisions (see buildInBackground). */
  private *loading(sqlite: Db['$client']): Generator<void> {
    const latest = latestVersionNumberOf(sqlite) ?? 0;
    if (latest === this.lastVersion && this.size > 0) return;
    const before = this.size;
    // No count first: counting a million new rows would be one long step of its own. The columns are
    // made room for once, up to the highest revision id (revision ids only grow): doubled as the rows came,
    // each doubling copied every column in one step (up to 76 ms at a million, npm run bench:jobs).
    const coming = lastFacetRevisionId(sqlite) - this.lastRevisionId;
    if (coming > 0) yield* this.reserving(this.size + coming);
    const rows = facetsAfter(sqlite, this.lastRevisionId);
    let k = 0;
    for (const row of rows) {
      if (this.size >= this.revisionId.length) this.reserve(this.size + 1);
      this.add(row);
      if (++k % ROWS_PER_STEP === 0) yield;
    }
    // Revisions closed by the versions published since: their end version, found by revision id
    // (revision_closures, by its end-version index).
    for (const [id, to] of closuresAfter(sqlite, this.lastVersion)) {
      const doc = this.docOfRevision(id);
      if (doc >= 0) this.toVersion[doc] = to;
    }
    this.changes++;
    if (this.size > before) yield* this.reorder(before);
    // Only now are the new version's documents in the orders: until here a version page of the new
    // version waits (current(n) answers 503), while the older versions read as before.
    const kept = this.lastVersion;
    this.lastVersion = latest;
    this.appended(kept);
  }

  private reserve(n: number): void {
    for (const growColumn of this.columnGrowers(n)) growColumn();
  }

  /**
   * reserve, a column a step: at a million documents, growing every column at once copied 32 MB into
   * 64 MB of new arrays in one step of 50 ms, the longest of a take-in after a publish (npm run bench:jobs).
   */
  private *reserving(n: number): Generator<void> {
    for (const growColumn of this.columnGrowers(n)) {
      growColumn();
      yield;
    }
  }

  /** Each column grown to hold n documents, in an order where the sizes taken from revisionId are already grown. */
  private columnGrowers(n: number): (() => void)[] {
    return [
      () => (this.revisionId = grow(this.revisionId, n, (k) => new Uint32Array(k))),
      () => (this.fromVersion = grow(this.fromVersion, n, (k) => new Uint32Array(k))),
      () => (this.toVersion = grow(this.toVersion, n, (k) => new Uint32Array(k))),
      () => (this.department = grow(this.department, n, (k) => new Uint16Array(k))),
      () => (this.category = grow(this.category, n, (k) => new Uint8Array(k))),
      () => (this.level = grow(this.level, n, (k) => new Uint8Array(k))),
      () => (this.hasBasis = grow(this.hasBasis, n, (k) => new Uint8Array(k))),
      () => (this.audience = grow(this.audience, n, (k) => new Uint8Array(k))),
      // As many documents' words as the other columns hold documents.
      () => (this.themeBits = grow(this.themeBits, this.revisionId.length * THEME_WORDS, (k) => new Uint32Array(k))),
      () => (this.nameLength = grow(this.nameLength, n, (k) => new Uint16Array(k))),
      () => (this.head = grow(this.head, n, (k) => new Uint32Array(k))),
      // One more than the documents: the last one's end.
      () => (this.nameStart = grow(this.nameStart, this.revisionId.length + 1, (k) => new Uint32Array(k))),
    ];
  }

  /** Document doc's normalised name. */
  nameOf(doc: number): string {
    return String.fromCharCode(...this.nameChars.subarray(this.nameStart[doc]!, this.nameStart[doc + 1]!));
  }

  /** Where the (normalised) text first occurs in document doc's normalised name, or -1; from a place on when given. */
  nameIndexOf(doc: number, text: string, from = 0): number {
    const chars = this.nameChars;
    const start = this.nameStart[doc]!;
    const last = this.nameStart[doc + 1]! - text.length;
    const first = text.charCodeAt(0);
    for (let at = start + from; at <= last; at++) {
      if (chars[at] !== first) continue;
      let i = 1;
      while (i < text.length && chars[at + i] === text.charCodeAt(i)) i++;
      if (i === text.length) return at - start;
    }
    return -1;
  }

  private departmentOf(code: string, name: string | null): number {
    let d = this.departmentIndex.get(code);
    if (d === undefined) {
      d = this.departments.length;
      this.departments.push({ code, name: name ?? code, norm: normaliseText(name ?? code) });
      this.departmentIndex.set(code, d);
    } else if (name && this.departments[d]!.name !== name) {
      // A later revision carries the department's current name.
      this.departments[d] = { code, name, norm: normaliseText(name) };
    }
    return d;
  }

  private add([revisionId, fromVersion, code, rawName, category, departmentCode, departmentName, level, parentCode, hasBasis, basisTitles, serviceObjects]: FacetRow): void {
    const doc = this.size++;
    this.revisionId[doc] = revisionId;
    this.fromVersion[doc] = fromVersion;
    this.toVersion[doc] = NO_VERSION;
    this.department[doc] = this.departmentOf(departmentCode, departmentName);
    this.category[doc] = CATEGORY_INDEX.get(category) ?? 0;
    this.level[doc] = level ? (LEVEL_INDEX.get(level) ?? 0) : 0;
    this.codes.push(code);
    this.codeNorms.push(normaliseText(code));
    const name = normaliseText(rawName);
    const start = this.nameStart[doc]!;
    this.nameChars = grow(this.nameChars, start + name.length, (k) => new Uint16Array(k));
    for (let i = 0; i < name.length; i++) this.nameChars[start + i] = name.charCodeAt(i);
    this.nameStart[doc + 1] = start + name.length;
    this.nameLength[doc] = Math.min(name.length, 65535);
    this.head[doc] = (((name.charCodeAt(0) || 0) << 16) | (name.charCodeAt(1) || 0)) >>> 0;
    this.postings.add(doc, name);
    // The facets a citizen browses by: computed once here, never per request.
    const who = (this.audience[doc] = audienceMask(serviceObjects));
    if (who & 1) this.audienceDocs[0]!.push(doc);
    if (who & 2) this.audienceDocs[1]!.push(doc);
    this.categoryDocs[this.category[doc]!]!.push(doc);
    const bits = doc * THEME_WORDS;
    for (const t of this.themesOfDoc(code, name)) {
      this.themeBits[bits + (t >>> 5)]! |= 1 << (t & 31);
      this.themeDocs[t]!.push(doc);
    }

    if (basisTitles) {
      for (const raw of basisTitles.split('\n')) {
        const title = normaliseText(raw);
        let t = this.titleIndex.get(title);
        if (t === undefined) {
          t = this.titles.length;
          this.titles.push(title);
          this.titleDocs.push(new U32List());
          this.titleIndex.set(title, t);
        }
        const docs = this.titleDocs[t]!;
        if (docs.last() !== doc) docs.push(doc);
      }
    }
    this.hasBasis[doc] = hasBasis;
    if (parentCode) {
      let children = this.children.get(parentCode);
      if (!children) this.children.set(parentCode, (children = new U32List(1)));
      children.push(doc);
    }
    this.lastRevisionId = revisionId;
  }

  /** The document of a revision id (documents are in revision-id order), or -1. */
  docOfRevision(id: number): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.revisionId[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The themes (places in the list) of an item code's document with this normalised name: by name and by hand. */
  private themesOfDoc(code: string, name: string): number[] {
    const ruled = themesOf(name);
    const override = this.themeOverrides.get(code);
    if (!override) return ruled;
    // The one rule of an item's themes (server/domain/themes.ts), on codes; back to places in the list.
    return effectiveThemes(ruled.map((t) => THEMES[t]!.code), override).map((c) => THEME_INDEX.get(c)!);
  }

  /**
   * Applies the legal office's theme tags: only the documents of the item codes whose tags changed since
   * the last call are re-themed (their bits and their places in the theme lists), and the cached counts
   * are dropped. Returns whether any document's themes changed.
   */
  applyThemeOverrides(next: ThemeOverrides): boolean {
    const before = this.themeOverrides;
    if (next === before) return false;
    this.themeOverrides = next;
    let changed = false;
    for (const code of new Set([...before.keys(), ...next.keys()])) {
      if (sameOverride(before.get(code), next.get(code))) continue;
      for (const doc of this.docsOfCode(code)) if (this.retheme(doc)) changed = true;
    }
    if (changed) this.changed();
    return changed;
  }

  /** Every document (any version) of an item code: a binary search of the code order, then the documents not ordered yet. */
  docsOfCode(code: string): number[] {
    const norm = normaliseText(code);
    const order = this.codeOrder;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.codeNorms.compareTo(order[mid]!, norm) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < order.length && this.codeNorms.compareTo(order[i]!, norm) === 0; i++) if (this.codes.get(order[i]!) === code) out.push(order[i]!);
    // Appended since the orders were last merged (a build or refresh under way).
    for (let doc = order.length; doc < this.size; doc++) if (this.codes.get(doc) === code) out.push(doc);
    return out;
  }

  /** Sets a document's theme bits and theme lists to its themes now; returns whether they changed. */
  private retheme(doc: number): boolean {
    const at = doc * THEME_WORDS;
    const next = new Uint32Array(THEME_WORDS);
    for (const t of this.themesOfDoc(this.codes.get(doc), this.nameOf(doc))) next[t >>> 5]! |= 1 << (t & 31);
    let changed = false;
    for (let t = 0; t < THEMES.length; t++) {
      const had = (this.themeBits[at + (t >>> 5)]! >>> (t & 31)) & 1;
      const has = (next[t >>> 5]! >>> (t & 31)) & 1;
      if (had === has) continue;
      changed = true;
      if (has) this.themeDocs[t]!.insertSorted(doc);
      else this.themeDocs[t]!.removeSorted(doc);
    }
    this.themeBits.set(next, at);
    return changed;
  }

  /** Re-establishes the list and code orders after documents from `from` on were appended. */
  /**
   * Merges the documents from `from` on into the orders, as steps: the new orders are built aside and
   * put in place at once, so the orders read between steps are the old ones, whole.
   */
  private *reorder(from: number): Generator<void> {
    const byList = (a: number, b: number) => {
      const da = this.departments[this.department[a]!]!.code;
      const db = this.departments[this.department[b]!]!.code;
      if (da !== db) return da < db ? -1 : 1;
      return this.codes.compare(a, b) || a - b;
    };
    const byCode = (a: number, b: number) => {
      return this.codeNorms.compare(a, b) || a - b;
    };
    const size = this.size;
    const added = new Uint32Array(size - from);
    for (let i = 0; i < added.length; i++) added[i] = from + i;
    const listOrder = yield* mergeInSteps(this.listOrder, yield* sortInSteps(added.slice(), byList), byList);
    const codeOrder = yield* mergeInSteps(this.codeOrder, yield* sortInSteps(added, byCode), byCode);
    const codeRank = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      codeRank[codeOrder[i]!] = i;
      if ((i + 1) % DOCS_PER_STEP === 0) yield;
    }
    const listRank = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      listRank[listOrder[i]!] = i;
      if ((i + 1) % DOCS_PER_STEP === 0) yield;
    }
    const ds = this.departments.length;
    const deptStart = new Uint32Array(ds);
    const deptEnd = new Uint32Array(ds);
    for (let i = size - 1; i >= 0; i--) {
      deptStart[this.department[listOrder[i]!]!] = i;
      if (i % DOCS_PER_STEP === 0) yield;
    }
    for (let i = 0; i < size; i++) {
      deptEnd[this.department[listOrder[i]!]!] = i + 1;
      if ((i + 1) % DOCS_PER_STEP === 0) yield;
    }
    this.listOrder = listOrder;
    this.codeOrder = codeOrder;
    this.codeRank = codeRank;
    this.listRank = listRank;
    this.deptStart = deptStart;
    this.deptEnd = deptEnd;
  }

  /** Whether document `doc` belongs to version n. */
  inVersion(doc: number, n: number): boolean {
    return this.fromVersion[doc]! <= n && this.toVersion[doc]! > n;
  }

  /** Postings of one character (documents whose name holds it), in document order. */
  unigram(c: number): Uint32Array {
    return this.postings.list(this.postings.unitId(c, false));
  }

  /** Postings of two adjacent characters with where the pair first stands in each name (Postings.listAt), or null. */
  bigramAt(c1: number, c2: number): { docs: Uint32Array; at: Uint8Array } | null {
    const a = this.postings.unitId(c1, false);
    const b = this.postings.unitId(c2, false);
    return a && b ? this.postings.listAt(this.postings.pairToken(a, b, false)) : { docs: EMPTY, at: EMPTY_AT };
  }

  /** Postings of two adjacent characters. */
  bigram(c1: number, c2: number): Uint32Array {
    const a = this.postings.unitId(c1, false);
    const b = this.postings.unitId(c2, false);
    return a && b ? this.postings.list(this.postings.pairToken(a, b, false)) : EMPTY;
  }

  /** Departments whose normalised name contains the text. */
  departmentsMatching(text: string): number[] {
    const out: number[] = [];
    this.departments.forEach((d, i) => {
      if (d.norm.includes(text) || normaliseText(d.code) === text) out.push(i);
    });
    return out;
  }

  /** Citation titles (ids) that contain the text. */
  titlesMatching(text: string): number[] {
    const out: number[] = [];
    for (let t = 0; t < this.titles.length; t++) if (this.titles[t]!.includes(text)) out.push(t);
    return out;
  }

  /** The range of codeOrder whose codes start with the text. */
  codePrefixRange(text: string): [number, number] {
    const lower = (strict: boolean) => {
      let lo = 0;
      let hi = this.size;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const doc = this.codeOrder[mid]!;
        const before = this.codeNorms.compareTo(doc, text) < 0;
        const cmp = strict ? this.codeNorms.startsWith(doc, text) || before : before;
        if (cmp) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return [lower(false), lower(true)];
  }

  /** Rough memory held by the typed arrays and postings, in bytes (strings not counted). */
  typedBytes(): number {
    let bytes = 0;
    for (const a of [this.revisionId, this.fromVersion, this.toVersion, this.head, this.listOrder, this.codeOrder, this.codeRank, this.listRank]) bytes += a.byteLength;
    for (const l of [...this.themeDocs, ...this.audienceDocs, ...this.categoryDocs]) bytes += l.buf.byteLength;
    for (const a of [this.department, this.nameLength, this.nameChars]) bytes += a.byteLength;
    bytes += this.nameStart.byteLength + this.codes.bytes() + this.codeNorms.bytes();
    for (const a of [this.category, this.level, this.hasBasis, this.audience, this.themeBits]) bytes += a.byteLength;
    bytes += this.postings.bytes();
    return bytes;
  }
}

const EMPTY = new Uint32Array(0);
const EMPTY_AT = new Uint8Array(0);

/** Merges two sorted arrays of documents. */
/** How many elements a sorting or merging step handles before it lets other work run. */
const ELEMENTS_PER_STEP = 2_048;

/** Sorts `ids` by `cmp` a step at a time: blocks sorted one by one, then merged pairwise. */
function* sortInSteps(ids: Uint32Array, cmp: (x: number, y: number) => number): Generator<void, Uint32Array<ArrayBuffer>> {
  const n = ids.length;
  let a = new Uint32Array(n);
  a.set(ids);
  for (let start = 0; start < n; start += ELEMENTS_PER_STEP) {
    a.subarray(start, Math.min(n, start + ELEMENTS_PER_STEP)).sort(cmp);
    yield;
  }
  let b = new Uint32Array(n);
  let done = 0;
  for (let width = ELEMENTS_PER_STEP; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        b[k++] = cmp(a[i]!, a[j]!) <= 0 ? a[i++]! : a[j++]!;
        if (++done % ELEMENTS_PER_STEP === 0) yield;
      }
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
    }
    [a, b] = [b, a];
  }
  return a;
}

/** merge, a step at a time. */
function* mergeInSteps(a: Uint32Array, b: Uint32Array, cmp: (x: number, y: number) => number): Generator<void, Uint32Array<ArrayBuffer>> {
  if (a.length === 0) return b.slice();
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    out[k++] = cmp(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
    if (k % ELEMENTS_PER_STEP === 0) yield;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

function merge(a: Uint32Array, b: Uint32Array, cmp: (x: number, y: number) => number): Uint32Array<ArrayBuffer> {
  if (a.length === 0) return b.slice();
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = cmp(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** How long the request thread works on the index before it lets waiting requests in. */
export const SLICE_MS = 4;

/**
 * Runs a stepped build on the request thread in slices of about SLICE_MS: as many steps as fit, then
 * whatever waits (requests, timers) before the next slice. Returns the longest slice, in ms.
 */
export async function runInSlices(steps: Iterator<void>): Promise<number> {
  let longest = 0;
  for (;;) {
    const started = performance.now();
    let done = false;
    while (!(done = !!steps.next().done) && performance.now() - started < SLICE_MS);
    longest = Math.max(longest, performance.now() - started);
    if (done) return longest;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The database's index, held by the app's services (server/services.ts): built on first use, or in the
 * background when the server starts, and brought up to date when a version was published since.
 */
export class SearchIndex {
  private index: CatalogueIndex | undefined;
  private building = false;
  /** Called when a background build or refresh has taken in a version (e.g. to count its facets ahead). */
  readonly onTakenIn: ((index: CatalogueIndex) => void)[] = [];

  /** themeTags: the legal office's theme tags, applied to the index whenever they changed (server/catalogue/theme-tags.ts). */
  constructor(
    private readonly db: Db,
    private readonly themeTags: ThemeOverrideSource = { current: () => NO_OVERRIDES },
  ) {}

  /**
   * Builds the index in the background (the server does this when it starts). Until it is ready,
   * current() answers 503 rather than stopping the server for a synchronous build.
   */
  async warm(): Promise<CatalogueIndex> {
    const sqlite = this.db.$client;
    if (sqlite.memory || this.building) return this.current();
    this.building = true;
    try {
      this.index = await CatalogueIndex.buildInBackground(sqlite.name);
    } finally {
      this.building = false;
    }
    // Takes in what was published meanwhile.
    if (this.index.isStale(this.db)) await this.refreshInBackground(this.index);
    else for (const f of this.onTakenIn) f(this.index);
    return this.current();
  }

  /**
   * The index, built on first use and brought up to date when a version was published since: in the
   * background where the database is a file (what it holds of the earlier versions stays readable
   * meanwhile); a page of a version it does not hold yet (`version`) answers 503 until then.
   */
  current(version?: number): CatalogueIndex {
    let index = this.index;
    if (!index && this.building) throw errors.unavailable('已发布目录的检索索引正在建立，请稍等几秒再试。');
    if (!index) this.index = index = CatalogueIndex.build(this.db);
    else if (index.isStale(this.db)) {
      if (this.db.$client.memory) index.refresh(this.db);
      else void this.refreshInBackground(index);
    }
    if (version !== undefined && version > index.lastVersion) throw errors.unavailable(`第 ${version} 版刚刚发布，检索索引正在更新，请稍等几秒再刷新。`);
    index.applyThemeOverrides(this.themeTags.current());
    return index;
  }

  private refreshing: Promise<void> | null = null;

  /** Takes in what was published since, from a read-only connection of its own, a step at a time. */
  private refreshInBackground(index: CatalogueIndex): Promise<void> {
    this.refreshing ??= (async () => {
      const reader = new Database(this.db.$client.name, { readonly: true, fileMustExist: true });
      try {
        const started = performance.now();
        const before = index.size;
        const longest = await runInSlices(index.loadingSteps(reader));
        for (const f of this.onTakenIn) f(index);
        if (index.size > before) {
          console.log(`检索索引已更新到第 ${index.lastVersion} 版：新增 ${index.size - before} 条事项版本，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒，最长一段 ${longest.toFixed(0)} 毫秒`);
        }
      } finally {
        reader.close();
        this.refreshing = null;
      }
    })().catch((err: unknown) => console.error('更新检索索引失败：', err));
    return this.refreshing;
  }
}
