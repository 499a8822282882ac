// What a publish reads and writes besides the versions' rows: the items it must look at, the guards
// it lifts, and the statements of its inner loop. The publish is a measured hot path (npm run
// bench:publish: a first publish of a million items, and a second of 1% of them in under a second), so
// these stay raw prepared statements, prepared once per publish and run by the loop as they are.
import type Database from 'better-sqlite3';
import { count, isNull } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { items } from '../../schema.js';

/** Every item of the working catalogue (the first publish looks at all). Raw: a million ids. */
export const liveItemIds = (db: Db): number[] => db.$client.prepare('SELECT id FROM items WHERE removed_at IS NULL').pluck().all() as number[];

export const liveItemCount = (db: Db): number => db.select({ n: count() }).from(items).where(isNull(items.removedAt)).get()!.n;

/** Items changed since the instant (their removal included: every change moves updated_at, through items_updated_idx). */
export const itemIdsTouchedSince = (db: Db, since: string): number[] => db.$client.prepare('SELECT id FROM items WHERE updated_at >= ?').pluck().all(since) as number[];

/**
 * The items changed since the instant, a page at a time in (updated_at, id) order after the last one read
 * (null: from the start): the publish page compares a million touched items without reading them all at once.
 */
export const itemsTouchedSincePage = (db: Db, since: string, after: readonly [string, number] | null, limit: number): [string, number][] =>
  (after === null
    ? db.$client.prepare('SELECT updated_at, id FROM items WHERE updated_at >= ? ORDER BY updated_at, id LIMIT ?').raw().all(since, limit)
    : db.$client
        .prepare('SELECT updated_at, id FROM items WHERE updated_at >= ? AND (updated_at, id) > (?, ?) ORDER BY updated_at, id LIMIT ?')
        .raw()
        .all(since, after[0], after[1], limit)) as [string, number][];

/**
 * How many items changed since the instant, counted up to `cap`: the publish page shows it on the
 * request thread, where counting a million would hold every other request up.
 */
export const itemsTouchedSinceCount = (db: Db, since: string | null, cap: number): number =>
  db.$client
    .prepare(since === null ? 'SELECT count(*) FROM (SELECT 1 FROM items WHERE removed_at IS NULL LIMIT ?)' : 'SELECT count(*) FROM (SELECT 1 FROM items WHERE updated_at >= ? LIMIT ?)')
    .pluck()
    .get(...(since === null ? [cap] : [since, cap])) as number;

/** The sub-items of these items (a few hundred ids at a time). */
export const subItemIds = (db: Db, parentIds: number[]): number[] =>
  db.$client.prepare(`SELECT id FROM items WHERE parent_id IN (${parentIds.map(() => '?').join(',')})`).pluck().all(...parentIds) as number[];

/** The named triggers' stored text, by name (the guards a publish lifts and restores). */
export const triggersNamed = (db: Db, names: readonly string[]): { name: string; sql: string }[] =>
  db.$client.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${names.map(() => '?').join(',')}) ORDER BY name`).all(...names) as {
    name: string;
    sql: string;
  }[];

/** The statements a publish runs for each item and bucket it touches, prepared once per publish. */
export function publishStatements(sqlite: Database.Database) {
  return {
    /** A bucket's open revisions in code order as (code, hash, id), through the revisions' bucket index, less those closed. */
    readBucket: sqlite
      .prepare(
        `SELECT r.code, r.content_hash, r.id FROM item_revisions r
          WHERE r.bucket = ? AND NOT EXISTS (SELECT 1 FROM revision_closures c WHERE c.revision_id = r.id) ORDER BY r.code`,
      )
      .raw(),
    /** (to_version, revision_id) */
    close: sqlite.prepare('INSERT INTO revision_closures (to_version, revision_id) VALUES (?, ?)'),
    /** (code, from_version, name, category, department_code, bucket, content, content_hash) */
    insert: sqlite.prepare(
      'INSERT INTO item_revisions (code, from_version, name, category, department_code, bucket, content, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    /** (revision_id, from_version, code, name, category, department_code, department_name, level, parent_code, has_basis, basis_titles) */
    insertFacets: sqlite.prepare(
      `INSERT INTO revision_facets (revision_id, from_version, code, name, category, department_code, department_name, level, parent_code, has_basis, basis_titles)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    /** (version, bucket, hash) */
    storeBucket: sqlite.prepare('INSERT INTO version_buckets (version, bucket, hash) VALUES (?, ?, ?)'),
  };
}
