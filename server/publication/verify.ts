// `catalogue verify`: every stored column of the published tables is recomputed from what the publish
// hashed, or from the publish's own audit entry, and compared. The hashed texts (item_revisions.content)
// are checked against their hashes and the version hash; the columns the pages, the search index and
// the downloads read beside the texts (names, categories, departments, facets) against the texts; the
// chain of revisions and closures against itself and the version's counts; the version's row against
// the audit entry its publish wrote (itself protected by the audit log's hash chain).
import type { Db } from '../../db/client.js';
import { auditRowHash } from '../../db/audit.js';
import { getVersion, type VersionInfo } from '../../db/queries/publication/versions.js';
import { bucketHashesUpTo } from '../../db/queries/publication/index-feed.js';
import {
  existingTriggers,
  orphanClosures,
  orphanFacets,
  publishAuditEntries,
  revisionChains,
  revisionOrder,
  revisionsWithFacetsAt,
  storedBucketRows,
  versionNumbers,
} from '../../db/queries/publication/verify.js';
import { VERIFY_MESSAGES as M } from '../domain/labels.js';
import { errors } from '../errors.js';
import { bucketOf, sha256, type PublishedItem } from './publish-items.js';
import { BUCKETS } from './published-state.js';
import { EMPTY_BUCKET, bucketHash, combine } from './version-hash.js';

/** The tables a publish writes and nothing else may change: every column of them is verified. */
export const PUBLISHED_TABLES = ['catalogue_versions', 'item_revisions', 'revision_closures', 'revision_facets', 'version_buckets'] as const;

/**
 * Columns of the published tables that verify does not compare, with the reason. Empty: every column
 * is shown by a page, an export or the search, or decides what they show. A column added to a
 * published table must be verified or listed here (a test holds the list to the schema).
 */
export const NOT_VERIFIED: Record<string, string> = {};

/** The triggers that keep the published tables append-only (migrations 0009, 0014, 0016, 0017). */
const PROTECTION = [
  'catalogue_versions_no_update', 'catalogue_versions_no_delete', 'item_revisions_no_update', 'item_revisions_no_delete',
  'item_revisions_written_only_by_publish', 'revision_closures_no_update', 'revision_closures_no_delete', 'revision_closures_written_only_by_publish',
  'revision_facets_no_update', 'revision_facets_no_delete', 'revision_facets_written_only_by_publish', 'version_buckets_no_update',
  'version_buckets_no_delete', 'version_buckets_written_only_by_publish',
] as const;

/** One thing found wrong: what, and the stored columns (table.column) one of which was changed. */
export interface VerifyProblem {
  columns: string[];
  message: string;
}

export interface VerifyResult {
  version: number;
  ok: boolean;
  storedHash: string;
  computedHash: string;
  items: number;
  /** Items whose stored text no longer matches their own hash. */
  alteredItems: string[];
  /** Everything found wrong (at most a few hundred), in this version and in the published tables as a whole. */
  problems: VerifyProblem[];
}

const LIMIT = 200;

class Problems {
  readonly list: VerifyProblem[] = [];
  add(columns: string[], message: string) {
    if (this.list.length < LIMIT) this.list.push({ columns, message });
  }
}

/** What the published tables hold as a whole, checked once for any number of versions. */
interface Structure {
  problems: VerifyProblem[];
  /** Per version, the items added, changed and removed as the chain of revisions says. */
  counts: Map<number, { added: number; changed: number; removed: number }>;
  latest: number;
}

/** Checks the chain of revisions, closures, facets and bucket rows that every version is read through. */
function checkStructure(db: Db): Structure {
  const p = new Problems();
  const numbers = versionNumbers(db);
  const latest = numbers.at(-1) ?? 0;
  const present = new Set(existingTriggers(db, PROTECTION));
  for (const t of PROTECTION) if (!present.has(t)) p.add([], M.triggerMissing(t));
  numbers.forEach((n, i) => {
    if (n !== i + 1) p.add(['catalogue_versions.number'], M.versionNumbersGap(i + 1, n));
  });

  const counts = new Map<number, { added: number; changed: number; removed: number }>();
  const count = (n: number) => {
    let c = counts.get(n);
    if (!c) counts.set(n, (c = { added: 0, changed: 0, removed: 0 }));
    return c;
  };
  // Each item's revisions in version order: each closed exactly where the next begins; the last open or
  // closed later (the item removed then).
  let code: string | null = null;
  let prev: { id: number; from: number; to: number | null } | null = null;
  const endChain = () => {
    if (prev && prev.to !== null) count(prev.to).removed++;
  };
  for (const [id, c, from, to] of revisionChains(db)) {
    if (from < 1 || from > latest) p.add(['item_revisions.from_version'], M.fromOutOfRange(c, id, from, latest));
    if (to !== null && (to <= from || to > latest)) p.add(['revision_closures.to_version', 'item_revisions.from_version'], M.toOutOfRange(c, id, from, to, latest));
    if (c !== code) {
      endChain();
      code = c;
      prev = null;
    }
    if (prev) {
      if (prev.to === null) p.add(['revision_closures.revision_id', 'item_revisions.from_version', 'item_revisions.code', 'item_revisions.id'], M.revisionNotClosed(c, prev.id, id, from));
      else if (prev.to !== from) p.add(['revision_closures.to_version', 'item_revisions.from_version'], M.closedElsewhere(c, prev.id, prev.to, id, from));
      count(from).changed++;
    } else count(from).added++;
    prev = { id, from, to };
  }
  endChain();
  // Revisions are appended: a later publish's revisions have larger ids.
  let last = 0;
  for (const [id, from] of revisionOrder(db)) {
    if (from < last) p.add(['item_revisions.from_version', 'item_revisions.id'], M.revisionOutOfOrder(id, from, last));
    last = Math.max(last, from);
  }
  for (const [id, to] of orphanClosures(db)) p.add(['revision_closures.revision_id', 'item_revisions.id'], M.orphanClosure(id, to));
  for (const [id, c] of orphanFacets(db)) p.add(['revision_facets.revision_id', 'item_revisions.id'], M.orphanFacet(id, c));
  // Bucket rows: the first version stores every bucket; a later one only the buckets whose hash it changed.
  const current = new Array<string | undefined>(BUCKETS);
  let firstVersionBuckets = 0;
  for (const [v, b, h] of storedBucketRows(db)) {
    const columns = ['version_buckets.version', 'version_buckets.bucket', 'version_buckets.hash'];
    if (b < 0 || b >= BUCKETS || !numbers.includes(v)) p.add(columns, M.bucketRowStray(v, b));
    else {
      if (v === 1) firstVersionBuckets++;
      else if (current[b] === h) p.add(columns, M.bucketRowUnchanged(v, b));
      current[b] = h;
    }
  }
  if (latest >= 1 && firstVersionBuckets !== BUCKETS) p.add(['version_buckets.version', 'version_buckets.bucket'], M.firstVersionBuckets(firstVersionBuckets, BUCKETS));
  return { problems: p.list, counts, latest };
}

type Facet = Record<string, unknown>;

/** Checks version n: its texts and hashes, every column stored beside the texts, its counts, and its row against the audit log. */
function checkVersion(db: Db, version: VersionInfo, structure: Structure): VerifyResult {
  const n = version.number;
  const p = new Problems();
  const altered: string[] = [];
  const byBucket = new Map<number, [string, string][]>();
  let items = 0;
  let previousCode: string | null = null;
  for (const row of revisionsWithFacetsAt(db, n)) {
    const [id, code, fromVersion, name, category, departmentCode, bucket, content, storedHash, facetId] = row;
    const actual = sha256(content);
    const what = M.revision(code, id);
    if (actual !== storedHash) {
      if (altered.length < 100) altered.push(code);
      p.add(['item_revisions.content', 'item_revisions.content_hash'], M.textAltered(what));
    }
    if (code === previousCode) p.add(['item_revisions.code', 'item_revisions.from_version', 'revision_closures.to_version', 'revision_closures.revision_id'], M.codeTwice(n, code));
    previousCode = code;
    const b = bucketOf(code);
    const list = byBucket.get(b);
    if (list) list.push([code, actual]);
    else byBucket.set(b, [[code, actual]]);
    items++;

    let item: PublishedItem;
    try {
      item = JSON.parse(content) as PublishedItem;
    } catch {
      p.add(['item_revisions.content'], M.textNotJson(what));
      continue;
    }
    const compare = (column: string, stored: unknown, expected: unknown) => {
      if (stored !== expected) p.add([column], M.columnDiffers(what, column, stored, expected));
    };
    compare('item_revisions.code', code, item.code);
    compare('item_revisions.name', name, item.name);
    compare('item_revisions.category', category, item.category);
    compare('item_revisions.department_code', departmentCode, item.department?.code);
    compare('item_revisions.bucket', bucket, bucketOf(item.code));
    if (facetId === null) {
      p.add(['revision_facets.revision_id', 'item_revisions.id'], M.facetMissing(what));
      continue;
    }
    const [, , , , , , , , , , facetFrom, facetCode, facetName, facetCategory, facetDeptCode, facetDeptName, facetLevel, facetParent, facetHasBasis, facetTitles] = row;
    const expected: Facet = {
      from_version: fromVersion,
      code: item.code,
      name: item.name,
      category: item.category,
      department_code: item.department?.code,
      department_name: item.department?.name,
      level: item.level ?? null,
      parent_code: item.parent?.code ?? null,
      has_basis: (item.citations ?? []).some((c) => c.role === 'setting') ? 1 : 0,
      basis_titles: (item.citations ?? []).map((c) => c.title).join('\n'),
    };
    const stored: Facet = {
      from_version: facetFrom, code: facetCode, name: facetName, category: facetCategory, department_code: facetDeptCode,
      department_name: facetDeptName, level: facetLevel, parent_code: facetParent, has_basis: facetHasBasis, basis_titles: facetTitles,
    };
    for (const column of Object.keys(expected)) {
      const columns = column === 'from_version' ? ['revision_facets.from_version', 'item_revisions.from_version'] : [`revision_facets.${column}`];
      if (stored[column] !== expected[column]) p.add(columns, M.columnDiffers(what, `revision_facets.${column}`, stored[column], expected[column]));
    }
  }

  // The bucket hashes the version stored, against those of its texts; and the version hash.
  const computedBuckets = new Array<string>(BUCKETS);
  for (const [b, list] of byBucket) computedBuckets[b] = bucketHash(list);
  const storedBuckets = new Array<string>(BUCKETS);
  for (const [b, h] of bucketHashesUpTo(db.$client, n)) storedBuckets[b] = h;
  let bucketProblems = 0;
  for (let b = 0; b < BUCKETS; b++) {
    if ((storedBuckets[b] ?? EMPTY_BUCKET) !== (computedBuckets[b] ?? EMPTY_BUCKET) && bucketProblems++ < 20) {
      p.add(['version_buckets.hash', 'version_buckets.version', 'version_buckets.bucket'], M.bucketDiffers(n, b));
    }
  }
  const computed = combine(computedBuckets);
  if (computed !== version.contentHash) {
    p.add(['catalogue_versions.content_hash', 'item_revisions.content', 'item_revisions.code', 'item_revisions.from_version', 'revision_closures.to_version'], M.versionHashDiffers(n, version.contentHash, computed));
  }
  if (items !== version.itemCount) p.add(['catalogue_versions.item_count', 'item_revisions.from_version', 'revision_closures.to_version'], M.countDiffers(n, 'catalogue_versions.item_count', version.itemCount, items));
  const counted = structure.counts.get(n) ?? { added: 0, changed: 0, removed: 0 };
  for (const key of ['added', 'changed', 'removed'] as const) {
    if (counted[key] !== version[key]) {
      p.add([`catalogue_versions.${key}`, 'item_revisions.from_version', 'revision_closures.to_version', 'revision_closures.revision_id'], M.countDiffers(n, `catalogue_versions.${key}`, version[key], counted[key]));
    }
  }
  checkAgainstAudit(db, version, p);

  const problems = [...p.list, ...structure.problems].slice(0, LIMIT);
  return { version: n, ok: problems.length === 0, storedHash: version.contentHash, computedHash: computed, items, alteredItems: altered, problems };
}

/** The version's row against the audit entry its publish wrote in the same transaction. */
function checkAgainstAudit(db: Db, version: VersionInfo, p: Problems) {
  const n = version.number;
  const entries = publishAuditEntries(db, n);
  if (entries.length !== 1) {
    p.add(['catalogue_versions.number'], M.publishAuditCount(n, entries.length));
    if (entries.length === 0) return;
  }
  const entry = entries[0]!;
  const { next_prev_hash: nextLink, hash, ...rest } = entry;
  if (auditRowHash(rest) !== hash || (nextLink !== null && nextLink !== hash)) p.add([], M.publishAuditAltered(n, entry.seq));
  let after: Record<string, unknown>;
  try {
    after = JSON.parse(entry.after ?? '{}') as Record<string, unknown>;
  } catch {
    after = {};
  }
  const compare = (column: string, stored: unknown, recorded: unknown) => {
    if (stored !== recorded) p.add([column], M.versionRowDiffers(n, column, stored, recorded, entry.seq));
  };
  compare('catalogue_versions.title', version.title, after.title);
  compare('catalogue_versions.effective_on', version.effectiveOn, after.effectiveOn);
  compare('catalogue_versions.note', version.note, after.note ?? null);
  compare('catalogue_versions.published_by', version.publishedBy, entry.actor);
  compare('catalogue_versions.content_hash', version.contentHash, after.hash);
  compare('catalogue_versions.item_count', version.itemCount, after.items);
  compare('catalogue_versions.added', version.added, after.added);
  compare('catalogue_versions.changed', version.changed, after.changed);
  compare('catalogue_versions.removed', version.removed, after.removed);
  // Versions published before the audit entry named its time: the time is taken before the entry is written.
  if (typeof after.publishedAt === 'string') compare('catalogue_versions.published_at', version.publishedAt, after.publishedAt);
  else if (!(version.publishedAt <= entry.at)) p.add(['catalogue_versions.published_at'], M.publishedAfterAudit(n, version.publishedAt, entry.at));
}

/** Verifies these versions; what the published tables hold as a whole is checked once for all of them. */
export function verifyVersions(db: Db, numbers: number[]): VerifyResult[] {
  const versions = numbers.map((n) => {
    const v = getVersion(db, n);
    if (!v) throw errors.missing(M.noSuchVersion(n));
    return v;
  });
  const structure = checkStructure(db);
  return versions.map((v) => checkVersion(db, v, structure));
}

/**
 * Recomputes version n from the stored texts and compares every stored column with it; `ok` is false
 * when anything was changed behind the program's back (e.g. with the sqlite3 shell).
 */
export const verifyVersion = (db: Db, n: number): VerifyResult => verifyVersions(db, [n])[0]!;

/** Every version's number, oldest first. */
export const allVersionNumbers = versionNumbers;
