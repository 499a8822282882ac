// Publishing the working catalogue as an immutable, numbered version. A version stores only the items
// that changed since the previous one (item_revisions valid from one version to another), so storage
// and publish time follow the size of the change, not of the catalogue. Each item's published state is
// a canonical JSON (sorted keys) with its SHA-256. Items fall into 65,536 buckets by the first two bytes
// of SHA-256(code); a bucket's hash covers its items' codes and hashes in code order, and the version's
// hash is the SHA-256 of all bucket hashes in bucket order, so a publish re-hashes only the buckets it
// touched. `verifyVersion` recomputes everything from the stored text.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { errors } from '../errors.js';
import { fieldErrors, fieldsOfRow } from '../catalogue/item-fields.js';
import { checkpointInBackground } from '../imports/checkpointer.js';

/** JSON with object keys sorted at every level: one text for one content, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const json = JSON.stringify;
const citationJson = (c: PublishedItem['citations'][number]) =>
  `{"article":${json(c.article ?? null)},"documentNumber":${json(c.documentNumber ?? null)},"role":${json(c.role ?? null)},"title":${json(c.title ?? null)}}`;
const refJson = (r: { code: string; name: string } | null) => (r ? `{"code":${json(r.code ?? null)},"name":${json(r.name ?? null)}}` : 'null');

// Every field of PublishedItem must be written by publishedJson: this fails to compile when one is added.
const WRITTEN = ['category', 'citations', 'code', 'conditions', 'contactPhone', 'department', 'feeBasis', 'feeCharged', 'feeStandard', 'instant', 'level', 'mainItemName',
  'materials', 'name', 'parent', 'processText', 'promisedLimitDays', 'remarks', 'serviceObjects', 'statutoryLimitDays', 'supervisionPhone'] as const;
type Unwritten = Exclude<keyof PublishedItem, (typeof WRITTEN)[number]>;
export const ALL_FIELDS_WRITTEN: [Unwritten] extends [never] ? true : never = true;

/**
 * canonicalJson of a published item, written out field by field in sorted key order: the same text
 * (a test compares them over the demo catalogue), several times faster, which a publish of many
 * changed items feels.
 */
export function publishedJson(p: PublishedItem): string {
  return (
    `{"category":${json(p.category)},"citations":[${p.citations.map(citationJson).join(',')}],"code":${json(p.code)},"conditions":${json(p.conditions)},` +
    `"contactPhone":${json(p.contactPhone)},"department":${refJson(p.department)},"feeBasis":${json(p.feeBasis)},` +
    `"feeCharged":${json(p.feeCharged)},"feeStandard":${json(p.feeStandard)},"instant":${json(p.instant)},"level":${json(p.level)},` +
    `"mainItemName":${json(p.mainItemName)},"materials":${json(p.materials)},"name":${json(p.name)},"parent":${refJson(p.parent)},` +
    `"processText":${json(p.processText)},"promisedLimitDays":${json(p.promisedLimitDays)},"remarks":${json(p.remarks)},` +
    `"serviceObjects":[${p.serviceObjects.map((o) => json(o)).join(',')}],"statutoryLimitDays":${json(p.statutoryLimitDays)},` +
    `"supervisionPhone":${json(p.supervisionPhone)}}`
  );
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** An item as a version publishes it. */
export interface PublishedItem {
  code: string;
  name: string;
  category: string;
  level: string | null;
  department: { code: string; name: string };
  parent: { code: string; name: string } | null;
  mainItemName: string | null;
  serviceObjects: string[];
  statutoryLimitDays: number | null;
  promisedLimitDays: number | null;
  instant: boolean;
  feeCharged: boolean;
  feeStandard: string | null;
  feeBasis: string | null;
  conditions: string | null;
  materials: string | null;
  processText: string | null;
  contactPhone: string | null;
  supervisionPhone: string | null;
  remarks: string | null;
  citations: { title: string; article: string | null; documentNumber: string | null; role: string }[];
}

interface ItemRowForPublish {
  id: number;
  code: string;
  name: string;
  category: string;
  level: string | null;
  department_code: string;
  department_name: string;
  parent_code: string | null;
  parent_name: string | null;
  main_item_name: string | null;
  service_objects: string;
  statutory_limit_days: number | null;
  promised_limit_days: number | null;
  instant: number;
  fee_charged: number;
  fee_standard: string | null;
  fee_basis: string | null;
  conditions: string | null;
  materials: string | null;
  process_text: string | null;
  contact_phone: string | null;
  supervision_phone: string | null;
  remarks: string | null;
  removed_at: string | null;
}

const ITEM_SQL = `SELECT i.id, i.code, i.name, i.category, i.level, d.code AS department_code, d.name AS department_name,
        p.code AS parent_code, p.name AS parent_name, i.main_item_name, i.service_objects, i.statutory_limit_days,
        i.promised_limit_days, i.instant, i.fee_charged, i.fee_standard, i.fee_basis, i.conditions, i.materials,
        i.process_text, i.contact_phone, i.supervision_phone, i.remarks, i.removed_at
   FROM items i JOIN departments d ON d.id = i.department_id LEFT JOIN items p ON p.id = i.parent_id`;

function toPublished(r: ItemRowForPublish, citations: PublishedItem['citations']): PublishedItem {
  return {
    ...fieldsOfRow(r as unknown as Record<string, unknown>),
    code: r.code,
    department: { code: r.department_code, name: r.department_name },
    parent: r.parent_code ? { code: r.parent_code, name: r.parent_name! } : null,
    mainItemName: r.main_item_name,
    citations,
  };
}

export const publishSchema = z.object({
  title: z.string({ message: '请填写版本标题' }).trim().min(1, '请填写版本标题').max(200, '标题过长'),
  effectiveOn: z.preprocess(
    (v) => (v === '' || v === undefined ? new Date().toISOString().slice(0, 10) : v),
    z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 2026-01-31'),
  ),
  note: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v ?? null), z.string().trim().max(2000, '说明过长').nullable()),
});

export interface PublishResult {
  version: number;
  hash: string;
  items: number;
  changed: number;
  added: number;
  removed: number;
}

export const BUCKETS = 65_536;
const EMPTY_BUCKET = sha256('');

/** An item's bucket: the first two bytes of SHA-256(code). */
export const bucketOf = (code: string): number => createHash('sha256').update(code, 'utf8').digest().readUInt16BE(0);

/** A bucket's hash: SHA-256 over "code TAB itemHash LF" of its items in code order. */
function bucketHash(rows: Iterable<[string, string]>): string {
  let text = '';
  for (const [code, itemHash] of rows) text += `${code}\t${itemHash}\n`;
  return text ? sha256(text) : EMPTY_BUCKET;
}

/** The version hash from its 65,536 bucket hashes (empty buckets hash the empty string). */
function combine(buckets: string[]): string {
  const hash = createHash('sha256');
  for (let b = 0; b < BUCKETS; b++) hash.update(buckets[b] ?? EMPTY_BUCKET, 'utf8');
  return hash.digest('hex');
}

/** The bucket hashes of the latest version a publish of this process wrote, kept for the next publish. */
const lastBuckets = new WeakMap<Db, { version: number; buckets: string[] }>();

/** The bucket hashes as they stood at version n: each bucket's latest stored hash up to n. */
function bucketsAt(db: Db, n: number): string[] {
  const kept = lastBuckets.get(db);
  if (kept?.version === n) return kept.buckets.slice();
  const out = new Array<string>(BUCKETS);
  for (const [bucket, hash] of db.$client.prepare('SELECT bucket, hash FROM version_buckets WHERE version <= ? ORDER BY bucket, version').raw().iterate(n) as IterableIterator<
    [number, string]
  >) {
    out[bucket] = hash;
  }
  return out;
}

/**
 * Publishes the working catalogue as the next version. Only items touched since the last publish
 * (updated or removed since then) are compared with their published revision; unchanged ones cost
 * nothing. Refuses an empty change after the first version.
 */
export function publishVersion(db: Db, actor: Actor, input: unknown): PublishResult {
  const parsed = publishSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  const meta = parsed.data;
  // The revision indexes take keys in hash-bucket order, i.e. at random places: with the default page
  // cache a first publish of a million items thrashes. A larger cache for the publish, then back.
  const cacheSize = db.$client.pragma('cache_size', { simple: true }) as number;
  db.$client.pragma('cache_size = -262144');
  // The publish writes its pages to the log; copying them into the database file (and syncing it) is
  // left to a thread of its own, so the publish does not wait for the disk after its commit.
  const checkpointer = checkpointInBackground(db);
  try {
    pendingBuckets = null;
    const result = publishInTransaction(db, actor, meta);
    if (pendingBuckets) lastBuckets.set(db, pendingBuckets);
    return result;
  } finally {
    pendingBuckets = null;
    void checkpointer.stop();
    db.$client.pragma(`cache_size = ${cacheSize}`);
  }
}

let pendingBuckets: { version: number; buckets: string[] } | null = null;

function publishInTransaction(db: Db, actor: Actor, meta: z.infer<typeof publishSchema>): PublishResult {
  return withTransaction(db, () => {
    const sqlite = db.$client;
    const last = sqlite.prepare('SELECT number, published_at AS publishedAt, item_count AS itemCount FROM catalogue_versions ORDER BY number DESC LIMIT 1').get() as
      | { number: number; publishedAt: string; itemCount: number }
      | undefined;
    const n = (last?.number ?? 0) + 1;
    const publishedAt = new Date().toISOString();
    sqlite.prepare("INSERT INTO app_meta (key, value) VALUES ('publishing', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(n));

    const ids = last ? touchedSince(db, last.publishedAt) : (sqlite.prepare('SELECT id FROM items WHERE removed_at IS NULL').pluck().all() as number[]);
    // By (to_version, bucket, code): the covering open-revisions index finds it directly.
    const open = sqlite.prepare('SELECT id, content_hash FROM item_revisions WHERE to_version IS NULL AND bucket = ? AND code = ?');
    const close = sqlite.prepare('UPDATE item_revisions SET to_version = ? WHERE id = ?');
    const insert = sqlite.prepare(
      'INSERT INTO item_revisions (code, from_version, name, category, department_code, bucket, content, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertFacets = sqlite.prepare(
      `INSERT INTO revision_facets (revision_id, from_version, code, name, category, department_code, department_name, level, parent_code, has_basis, basis_titles)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let added = 0;
    let changed = 0;
    let removed = 0;
    const touched = new Set<number>();
    const publishOne = (r: ItemRowForPublish, bucket: number, citations: PublishedItem['citations']) => {
      // The first version has no published revision to compare with.
      const current = last ? (open.get(bucket, r.code) as { id: number; content_hash: string } | undefined) : undefined;
      if (r.removed_at) {
        if (current) {
          close.run(n, current.id);
          touched.add(bucket);
          removed++;
        }
        return;
      }
      const published = toPublished(r, citations);
      const content = publishedJson(published);
      const hash = sha256(content);
      if (current?.content_hash === hash) return;
      if (current) {
        close.run(n, current.id);
        changed++;
      } else added++;
      touched.add(bucket);
      const revisionId = insert.run(r.code, n, r.name, r.category, r.department_code, bucket, content, hash).lastInsertRowid;
      insertFacets.run(
        revisionId,
        n,
        r.code,
        r.name,
        r.category,
        r.department_code,
        r.department_name,
        r.level,
        r.parent_code,
        published.citations.some((c) => c.role === 'setting') ? 1 : 0,
        published.citations.map((c) => c.title).join('\n'),
      );
    };
    // Items are read in id order and written in bucket order, in batches: the revision indexes are
    // then visited from one end to the other instead of at random places.
    ids.sort((a, b) => a - b);
    let batch: { r: ItemRowForPublish; bucket: number; citations: PublishedItem['citations'] }[] = [];
    const flush = () => {
      batch.sort((a, b) => a.bucket - b.bucket || (a.r.code < b.r.code ? -1 : 1));
      for (const { r, bucket, citations } of batch) publishOne(r, bucket, citations);
      batch = [];
    };
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const marks = chunk.map(() => '?').join(',');
      const rows = sqlite.prepare(`${ITEM_SQL} WHERE i.id IN (${marks})`).all(...chunk) as ItemRowForPublish[];
      const citations = new Map<number, PublishedItem['citations']>();
      for (const c of sqlite
        .prepare(`SELECT item_id, title, article, document_number, role FROM citations WHERE item_id IN (${marks}) ORDER BY item_id, role DESC, seq`)
        .all(...chunk) as { item_id: number; title: string; article: string | null; document_number: string | null; role: string }[]) {
        const list = citations.get(c.item_id) ?? [];
        list.push({ title: c.title.replace(/^《|》$/g, ''), article: c.article, documentNumber: c.document_number, role: c.role });
        citations.set(c.item_id, list);
      }
      for (const r of rows) batch.push({ r, bucket: bucketOf(r.code), citations: citations.get(r.id) ?? [] });
      if (batch.length >= 20_000) flush();
    }
    flush();
    if (last && added + changed + removed === 0) throw errors.conflict('自上一版本以来目录没有变化，无需发布新版本。');
    // Re-hash only the buckets holding a changed item; the others keep the hash an earlier version stored.
    const openInBucket = sqlite.prepare('SELECT code, content_hash FROM item_revisions WHERE to_version IS NULL AND bucket = ? ORDER BY code').raw();
    const storeBucket = sqlite.prepare('INSERT INTO version_buckets (version, bucket, hash) VALUES (?, ?, ?)');
    const buckets = last ? bucketsAt(db, last.number) : new Array<string>(BUCKETS);
    for (const b of last ? [...touched].sort((x, y) => x - y) : Array.from({ length: BUCKETS }, (_, i) => i)) {
      const h = bucketHash(openInBucket.all(b) as [string, string][]);
      if (h === (buckets[b] ?? EMPTY_BUCKET) && last) continue;
      buckets[b] = h;
      storeBucket.run(n, b, h);
    }
    const hash = combine(buckets);
    // Kept only once the transaction commits (a failed publish must not leave its buckets behind).
    pendingBuckets = { version: n, buckets };
    const items = (last?.itemCount ?? 0) + added - removed;
    sqlite
      .prepare(
        `INSERT INTO catalogue_versions (number, title, effective_on, note, published_at, published_by, item_count, added, changed, removed, content_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(n, meta.title, meta.effectiveOn, meta.note, publishedAt, actor.name, items, added, changed, removed, hash);
    sqlite.prepare("DELETE FROM app_meta WHERE key = 'publishing'").run();
    appendAudit(db, actor, { action: 'catalogue.publish', entityType: 'catalogue_version', entityId: n, after: { ...meta, hash, items, added, changed, removed } });
    return { version: n, hash, items, changed: added + changed + removed, added, removed };
  });
}

export interface VerifyResult {
  version: number;
  ok: boolean;
  storedHash: string;
  computedHash: string;
  items: number;
  /** Items whose stored text no longer matches their own hash. */
  alteredItems: string[];
}

/**
 * Recomputes a version's hash from the stored item texts alone (each item's SHA-256, its bucket from its
 * code, every bucket, then the whole); `ok` is false when anything was changed behind the program's back.
 */
export function verifyVersion(db: Db, n: number): VerifyResult {
  const version = db.$client.prepare('SELECT number, content_hash FROM catalogue_versions WHERE number = ?').get(n) as { number: number; content_hash: string } | undefined;
  if (!version) throw errors.missing(`没有第 ${n} 版目录。`);
  const altered: string[] = [];
  const byBucket = new Map<number, [string, string][]>();
  let items = 0;
  const rows = db.$client
    .prepare('SELECT code, content, content_hash FROM item_revisions WHERE from_version <= ? AND (to_version IS NULL OR to_version > ?) ORDER BY code')
    .raw()
    .iterate(n, n) as IterableIterator<[string, string, string]>;
  for (const [code, content, stored] of rows) {
    const actual = sha256(content);
    if (actual !== stored && altered.length < 100) altered.push(code);
    const b = bucketOf(code);
    const list = byBucket.get(b);
    if (list) list.push([code, actual]);
    else byBucket.set(b, [[code, actual]]);
    items++;
  }
  const buckets = new Array<string>(BUCKETS);
  for (const [b, list] of byBucket) buckets[b] = bucketHash(list);
  const computed = combine(buckets);
  return { version: n, ok: computed === version.content_hash && altered.length === 0, storedHash: version.content_hash, computedHash: computed, items, alteredItems: altered };
}

export const latestVersionNumber = (db: Db): number | null =>
  (db.$client.prepare('SELECT max(number) FROM catalogue_versions').pluck().get() as number | null) ?? null;

/**
 * The items a publish must compare with their published revision: every item changed since (its
 * removal included: every change moves updated_at, found through items_updated_idx), and the sub-items
 * of changed items, whose published text carries their main item's name.
 */
function touchedSince(db: Db, since: string): number[] {
  const sqlite = db.$client;
  const ids = sqlite.prepare('SELECT id FROM items WHERE updated_at >= ?').pluck().all(since) as number[];
  const seen = new Set(ids);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const child of sqlite.prepare(`SELECT id FROM items WHERE parent_id IN (${chunk.map(() => '?').join(',')})`).pluck().all(...chunk) as number[]) {
      if (!seen.has(child)) {
        seen.add(child);
        ids.push(child);
      }
    }
  }
  return ids;
}

/** How many items a publish now would compare: touched since the last version, or all for the first. */
export function pendingChanges(db: Db): number {
  const last = db.$client.prepare('SELECT published_at FROM catalogue_versions ORDER BY number DESC LIMIT 1').pluck().get() as string | undefined;
  return last ? touchedSince(db, last).length : (db.$client.prepare('SELECT count(*) FROM items WHERE removed_at IS NULL').pluck().get() as number);
}
