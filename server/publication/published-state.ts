// The open revisions of the latest version, bucket by bucket, as a publish needs them: each item's
// revision id and hash, found without reading the database, and each bucket's items to re-hash.
// A publish keeps the state it wrote for the next one (a first publish builds it whole); a server
// loads it in the background at start. Without it a publish reads the buckets it touches from the
// revisions' bucket index: the same result, slower (a test holds both to the same stored rows).
import Database from 'better-sqlite3';
import type { Db } from '../../db/client.js';
import { bucketHashesUpTo, latestVersionNumberOf, openRevisions } from '../../db/queries/publication/index-feed.js';

export const BUCKETS = 65_536;

/**
 * SQLite's BINARY order of two texts (their UTF-8 bytes, i.e. code points). JavaScript's < compares
 * UTF-16 units, which differs for characters beyond U+FFFF against U+E000–U+FFFF.
 */
export function compareCodes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * A bucket as kept between publishes: the text its hash covers ("code TAB itemHash LF" in code order) and
 * its revision ids. Two objects a bucket: kept as three strings an item, a million items' codes and
 * hashes were three million objects for the job thread's collector to mark (a 96 ms marking pause at a
 * million, npm run bench:search), and 174 MB.
 */
export interface PackedBucket {
  readonly text: string;
  readonly ids: Float64Array;
}

/** One bucket's open revisions in code order, as a publish reads and changes them. */
export class OpenBucket {
  /** Whether the publish changed it. */
  changed = false;
  /** text(), until the bucket changes. */
  private textOf: string | undefined;

  constructor(
    readonly codes: string[] = [],
    readonly hashes: string[] = [],
    readonly ids: number[] = [],
  ) {}

  /** From rows of (code, hash, revision id) in code order. */
  static fromRows(rows: [string, string, number][]): OpenBucket {
    const bucket = new OpenBucket();
    for (const [code, hash, id] of rows) bucket.push(code, hash, id);
    return bucket;
  }

  /** The bucket a packed one holds, to change. */
  static unpack(packed: PackedBucket): OpenBucket {
    const { text, ids } = packed;
    const bucket = new OpenBucket();
    for (let start = 0, k = 0; start < text.length; k++) {
      const end = text.indexOf('\n', start);
      const tab = text.lastIndexOf('\t', end);
      bucket.push(text.slice(start, tab), text.slice(tab + 1, end), ids[k]!);
      start = end + 1;
    }
    bucket.textOf = text;
    return bucket;
  }

  pack(): PackedBucket {
    return { text: this.text(), ids: Float64Array.from(this.ids) };
  }

  /** Appends a revision whose code sorts after every code already here. */
  push(code: string, hash: string, id: number) {
    this.codes.push(code);
    this.hashes.push(hash);
    this.ids.push(id);
    this.textOf = undefined;
  }

  /** The code's place, or -(where it would go) - 1. */
  indexOf(code: string): number {
    let lo = 0;
    let hi = this.codes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareCodes(this.codes[mid]!, code);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  /** Puts a new revision of the code in its place (at = indexOf(code)). */
  set(at: number, code: string, hash: string, id: number) {
    if (at >= 0) {
      this.hashes[at] = hash;
      this.ids[at] = id;
    } else {
      const i = -at - 1;
      this.codes.splice(i, 0, code);
      this.hashes.splice(i, 0, hash);
      this.ids.splice(i, 0, id);
    }
    this.changed = true;
    this.textOf = undefined;
  }

  remove(at: number) {
    this.codes.splice(at, 1);
    this.hashes.splice(at, 1);
    this.ids.splice(at, 1);
    this.changed = true;
    this.textOf = undefined;
  }

  /** The text its hash covers: "code TAB itemHash LF" for each item in code order. */
  text(): string {
    if (this.textOf !== undefined) return this.textOf;
    // Joined, not added up: one flat string, where += leaves a tree of two objects an item.
    const lines = new Array<string>(this.codes.length);
    for (let i = 0; i < this.codes.length; i++) lines[i] = `${this.codes[i]}\t${this.hashes[i]}\n`;
    return (this.textOf = lines.join(''));
  }
}

/** The open revisions at a version: every bucket's revisions, and every bucket's stored hash. */
export class PublishedState {
  constructor(
    public version: number,
    readonly buckets: (PackedBucket | undefined)[] = new Array(BUCKETS),
    public hashes: string[] = new Array(BUCKETS),
  ) {}

  /** A copy of bucket b, to change. */
  bucket(b: number): OpenBucket {
    const packed = this.buckets[b];
    return packed ? OpenBucket.unpack(packed) : new OpenBucket();
  }

  /** Takes in a committed publish: its version, the buckets it changed, and every bucket's hash. */
  apply(version: number, changed: Iterable<[number, OpenBucket]>, hashes: string[]): this {
    for (const [b, bucket] of changed) {
      bucket.changed = false;
      this.buckets[b] = bucket.codes.length ? bucket.pack() : undefined;
    }
    this.hashes = hashes;
    this.version = version;
    return this;
  }
}

const ROWS_PER_STEP = 20_000;

/**
 * The published state kept between publishes, held by the app's services (server/services.ts): one per
 * database connection, so a publish of this connection finds what the last one left.
 */
export class PublishedStateKeeper {
  private state: PublishedState | undefined;

  constructor(private readonly db: Db) {}

  /** The kept state if it is the state at this version (another process may have published since). */
  kept(version: number): PublishedState | undefined {
    return this.state?.version === version ? this.state : undefined;
  }

  keep(state: PublishedState) {
    this.state = state;
  }

  /** Drops the kept state: the next publish reads the buckets it touches from the database. */
  forget() {
    this.state = undefined;
  }

  /**
   * Loads the state of the latest version from a read-only connection of its own, a step at a time,
   * so a server keeps answering while it loads (a million items: about a second of work). A publish
   * that happens meanwhile makes what was read stale: it is read again.
   */
  async warm(): Promise<PublishedState | undefined> {
    const sqlite = this.db.$client;
    if (sqlite.memory) return undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const reader = new Database(sqlite.name, { readonly: true, fileMustExist: true });
      let state: PublishedState | undefined;
      try {
        reader.exec('BEGIN');
        const version = latestVersionNumberOf(reader);
        if (version === null) return undefined;
        if (this.state?.version === version) return this.state;
        state = new PublishedState(version);
        let k = 0;
        let at = -1;
        let bucket = new OpenBucket();
        // Rows come in bucket order: each bucket is packed as the next begins.
        for (const [b, code, hash, id] of openRevisions(reader)) {
          if (b !== at) {
            if (at >= 0) state.buckets[at] = bucket.pack();
            at = b;
            bucket = new OpenBucket();
          }
          bucket.push(code, hash, id);
          if (++k % ROWS_PER_STEP === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        if (at >= 0) state.buckets[at] = bucket.pack();
        for (const [bucket, hash] of bucketHashesUpTo(reader, version)) state.hashes[bucket] = hash;
        reader.exec('COMMIT');
      } finally {
        reader.close();
      }
      const latest = latestVersionNumberOf(sqlite);
      if (latest === state.version) {
        // A publish of this connection that finished meanwhile kept a newer state of its own.
        const kept = this.state;
        if (kept && kept.version >= state.version) return kept;
        this.state = state;
        return state;
      }
    }
    return undefined;
  }

  /**
   * What a server does after each publish: a publish that found no state in memory (a command-line
   * publish came in between) read it from the database and kept none, so it is loaded again in the
   * background, and the next publish need not read it. (Not for a command-line publish: its process ends.)
   */
  reloadIfDropped(version: number): void {
    if (!this.kept(version)) void this.warm().catch(() => {});
  }
}
