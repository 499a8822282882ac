// Publishing the working catalogue as an immutable, numbered version. A version stores only the items
// that changed since the previous one (item_revisions valid from one version to another), so storage
// and publish time follow the size of the change, not of the catalogue. Each item's published state is
// a canonical JSON (sorted keys) with its SHA-256. Items fall into 65,536 buckets by the first two bytes
// of SHA-256(code); a bucket's hash covers its items' codes and hashes in code order, and the version's
// hash is the SHA-256 of all bucket hashes in bucket order, so a publish re-hashes only the buckets it
// touched. `verifyVersion` recomputes everything from the stored text.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isoDate } from '../domain/schemas.js';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { AppError, errors } from '../errors.js';
import { fieldErrors } from '../domain/item-fields.js';
import { checkpointInBackground, type CheckpointPauses } from '../imports/checkpointer.js';
import { BUCKETS, OpenBucket, PublishedState, compareCodes, type PublishedStateKeeper } from './published-state.js';
import { sha256, type PreparedItem } from './publish-items.js';
import { EMPTY_BUCKET, combine } from './version-hash.js';
import type { PublishReader } from './publish-reader.js';
import { getVersion, insertVersion, latestVersion, latestVersionNumber } from '../../db/queries/publication/versions.js';
import { bucketHashesUpTo } from '../../db/queries/publication/index-feed.js';
import { itemIdsTouchedSince, itemsTouchedSincePage, liveItemIds, publishStatements, subItemIds, triggersNamed, itemsTouchedSinceCount } from '../../db/queries/publication/publish.js';

export { BUCKETS };
export { ALL_FIELDS_WRITTEN, bucketOf, canonicalJson, publishedJson, sha256, type PublishedItem } from './publish-items.js';

export const publishSchema = z.object({
  title: z.string({ message: '请填写版本标题' }).trim().min(1, '请填写版本标题').max(200, '标题过长'),
  effectiveOn: z.preprocess(
    (v) => (v === '' || v === undefined ? new Date().toISOString().slice(0, 10) : v),
    isoDate(),
  ),
  note: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v ?? null), z.string().trim().max(2000, '说明过长').nullable()),
});

/** A publish's title, date and note, checked before any work starts (the form shows what is wrong). */
export function parsePublishInput(input: unknown): z.infer<typeof publishSchema> {
  const parsed = publishSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  return parsed.data;
}

export interface PublishResult {
  version: number;
  hash: string;
  items: number;
  changed: number;
  added: number;
  removed: number;
}

/** The bucket hashes as they stood at version n: each bucket's latest stored hash up to n. */
function bucketsAt(db: Db, n: number): string[] {
  const out = new Array<string>(BUCKETS);
  for (const [bucket, hash] of bucketHashesUpTo(db.$client, n)) out[bucket] = hash;
  return out;
}

/**
 * The triggers that refuse every write to the published tables (migration 0016). A publish lifts them
 * in its transaction and restores their stored text before it commits: other connections, which see
 * only committed schema, never find them missing.
 */
const PUBLISH_GUARDS = [
  'item_revisions_written_only_by_publish',
  'revision_closures_written_only_by_publish',
  'revision_facets_written_only_by_publish',
  'version_buckets_written_only_by_publish',
] as const;

function liftGuards(db: Db): string[] {
  const guards = triggersNamed(db, PUBLISH_GUARDS);
  // A database without them would publish unprotected versions: refuse rather than publish.
  if (guards.length !== PUBLISH_GUARDS.length) {
    throw new AppError('publish.unguarded', 500, '数据库中保护已发布版本的触发器不全，本次未发布。请管理员检查数据库是否被改动过，并重新运行数据库迁移。');
  }
  for (const { name } of guards) db.$client.exec(`DROP TRIGGER ${name}`);
  return guards.map((g) => g.sql);
}

function restoreGuards(db: Db, guards: string[]) {
  for (const sql of guards) db.$client.exec(sql);
}

/** How far a publish is: items written of those to compare, and its stage. */
export type PublishProgress = (done: number, total: number, stage: 'writing' | 'finishing') => void;

/** What a publish works with: the database, and the state the app keeps for it (server/services.ts). */
export interface PublishDeps {
  db: Db;
  publishedState: PublishedStateKeeper;
  publishReader: PublishReader;
  checkpoints: CheckpointPauses;
}

/**
 * Publishes the working catalogue as the next version. Only items touched since the last publish
 * (updated or removed since then) are compared with their published revision; unchanged ones cost
 * nothing. Refuses an empty change after the first version.
 */
export function publishVersion(deps: PublishDeps, actor: Actor, input: unknown, options: { onProgress?: PublishProgress } = {}): PublishResult {
  const { db } = deps;
  const meta = parsePublishInput(input);
  // The revision indexes take keys in hash-bucket order, i.e. at random places: with the default page
  // cache a first publish of a million items thrashes. A larger cache for the publish, then back.
  const cacheSize = db.$client.pragma('cache_size', { simple: true }) as number;
  db.$client.pragma('cache_size = -262144');
  // The publish writes its pages to the log; copying them into the database file (and syncing it) is
  // left to a thread of its own, so the publish does not wait for the disk after its commit.
  const checkpointer = checkpointInBackground(db, deps.checkpoints);
  try {
    const { result, commit } = publishInTransaction(deps, actor, meta, options.onProgress ?? (() => {}));
    commit();
    return result;
  } finally {
    void checkpointer.stop();
    db.$client.pragma(`cache_size = ${cacheSize}`);
  }
}

/**
 * The publish, in one transaction. What it returns to keep in memory (the state of the version it
 * wrote) is kept by `commit`, called once the transaction has committed.
 */
function publishInTransaction(deps: PublishDeps, actor: Actor, meta: z.infer<typeof publishSchema>, onProgress: PublishProgress): { result: PublishResult; commit: () => void } {
  const { db, publishedState, publishReader } = deps;
  return withTransaction(db, () => {
    const last = latestVersion(db);
    const n = (last?.number ?? 0) + 1;
    const publishedAt = new Date().toISOString();
    const guards = liftGuards(db);

    const ids = last ? touchedSince(db, last.publishedAt) : liveItemIds(db);
    // Each touched bucket's open revisions: from the state the last publish kept, else from the
    // revisions' bucket index, (bucket, code, from_version, content_hash), less those closed.
    const state = last ? publishedState.kept(last.number) : undefined;
    // hot path: npm run bench:publish (raw statements from db/queries, run by the loop below as they are)
    const { readBucket, close, insert, insertFacets, storeBucket } = publishStatements(db.$client);
    const buckets = new Map<number, OpenBucket>();
    const bucketAt = (b: number): OpenBucket => {
      let bucket = buckets.get(b);
      if (!bucket) {
        bucket = state ? state.bucket(b) : last ? OpenBucket.fromRows(readBucket.all(b) as [string, string, number][]) : new OpenBucket();
        buckets.set(b, bucket);
      }
      return bucket;
    };
    let added = 0;
    let changed = 0;
    let removed = 0;
    const publishOne = (p: PreparedItem) => {
      const bucket = bucketAt(p.bucket);
      const at = bucket.indexOf(p.code);
      if (p.removed) {
        if (at >= 0) {
          close.run(n, bucket.ids[at]);
          bucket.remove(at);
          removed++;
        }
        return;
      }
      if (at >= 0 && bucket.hashes[at] === p.hash) return;
      if (at >= 0) {
        close.run(n, bucket.ids[at]);
        changed++;
      } else added++;
      const revisionId = Number(insert.run(p.code, n, p.name, p.category, p.departmentCode, p.bucket, p.content, p.hash).lastInsertRowid);
      bucket.set(at, p.code, p.hash, revisionId);
      insertFacets.run(revisionId, n, p.code, p.name, p.category, p.departmentCode, p.departmentName, p.level, p.parentCode, p.hasBasis, p.basisTitles);
    };
    // Items are read in id order, a chunk at a time (prepared by the reading thread where one runs, see
    // publish-reader.ts), and each chunk is written in bucket order as it comes, while the reading thread
    // prepares the next. (Larger batches gain nothing with the thread, and cost memory: a first publish of
    // a million items in batches of 20,000 peaked at 1.6 GB and took 47 s; chunk by chunk 0.7 GB, 35 s.)
    ids.sort((a, b) => a - b);
    let done = 0;
    onProgress(0, ids.length, 'writing');
    for (const chunk of publishReader.preparedChunks(ids)) {
      chunk.sort((a, b) => a.bucket - b.bucket || compareCodes(a.code, b.code));
      for (const p of chunk) publishOne(p);
      onProgress((done += chunk.length), ids.length, 'writing');
    }
    onProgress(ids.length, ids.length, 'finishing');
    if (last && added + changed + removed === 0) throw errors.conflict('自上一版本以来目录没有变化，无需发布新版本。');
    // Re-hash only the buckets holding a changed item; the others keep the hash an earlier version stored.
    const bucketHashes = state ? state.hashes.slice() : last ? bucketsAt(db, last.number) : new Array<string>(BUCKETS);
    const rehashed: [number, OpenBucket][] = [];
    // The first version stores every bucket, the empty ones too.
    const order = last ? [...buckets.keys()].sort((x, y) => x - y) : Array.from({ length: BUCKETS }, (_, b) => b);
    for (const b of order) {
      const bucket = buckets.get(b);
      if (last && !bucket?.changed) continue;
      if (bucket?.changed) rehashed.push([b, bucket]);
      const text = bucket?.text() ?? '';
      const h = text ? sha256(text) : EMPTY_BUCKET;
      if (last && h === (bucketHashes[b] ?? EMPTY_BUCKET)) continue;
      bucketHashes[b] = h;
      storeBucket.run(n, b, h);
    }
    const hash = combine(bucketHashes);
    const items = (last?.itemCount ?? 0) + added - removed;
    insertVersion(db, {
      number: n,
      title: meta.title,
      effectiveOn: meta.effectiveOn,
      note: meta.note,
      publishedAt,
      publishedBy: actor.name,
      itemCount: items,
      added,
      changed,
      removed,
      contentHash: hash,
    });
    restoreGuards(db, guards);
    appendAudit(db, actor, { action: 'catalogue.publish', entityType: 'catalogue_version', entityId: n, after: { ...meta, publishedAt, hash, items, added, changed, removed } });
    const result = { version: n, hash, items, changed: added + changed + removed, added, removed };
    // Kept only once the transaction commits (a failed publish must not leave its state behind). A
    // publish without the last state knows only the buckets it touched; the first one knows them all.
    const commit = () => {
      if (state) state.apply(n, rehashed, bucketHashes);
      else if (!last) publishedState.keep(new PublishedState(n).apply(n, rehashed, bucketHashes));
      else publishedState.forget();
    };
    return { result, commit };
  });
}

export { verifyVersion, verifyVersions, type VerifyResult } from './verify.js';

export { latestVersionNumber };

/**
 * The items a publish must compare with their published revision: every item changed since (its
 * removal included: every change moves updated_at, found through items_updated_idx), and the sub-items
 * of changed items, whose published text carries their main item's name.
 */
export function touchedSince(db: Db, since: string): number[] {
  const ids = itemIdsTouchedSince(db, since);
  const seen = new Set(ids);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const child of subItemIds(db, chunk)) {
      if (!seen.has(child)) {
        seen.add(child);
        ids.push(child);
      }
    }
  }
  return ids;
}

/**
 * touchedSince a page at a time, for the publish page's comparison in slices: yields each page of ids
 * (the sub-items of its changed items after them, each id once over all pages).
 */
export function* touchedSincePages(db: Db, since: string, pageSize: number): Generator<number[]> {
  const seen = new Set<number>();
  let after: readonly [string, number] | null = null;
  for (;;) {
    const rows = itemsTouchedSincePage(db, since, after, pageSize);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!;
    const ids: number[] = [];
    for (const [, id] of rows) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
    const changed = ids.length;
    for (let i = 0; i < changed; i += 500) {
      for (const child of subItemIds(db, ids.slice(i, i + 500))) {
        if (!seen.has(child)) {
          seen.add(child);
          ids.push(child);
        }
      }
    }
    yield ids;
  }
}

/** How many items a publish now would compare: touched since the last version, or all for the first. */
export function pendingChanges(db: Db): { count: number; more: boolean } {
  const last = latestVersion(db);
  const count = itemsTouchedSinceCount(db, last ? last.publishedAt : null, PENDING_COUNT_CAP + 1);
  return { count: Math.min(count, PENDING_COUNT_CAP), more: count > PENDING_COUNT_CAP };
}

/** The publish page counts the changed items up to this many ("more than" beyond). */
export const PENDING_COUNT_CAP = 100_000;
