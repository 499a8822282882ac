// Opens the catalogue database with the pragmas every connection needs and applies migrations.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';
import { syncShippedRegistry } from './seed/registry.js';
import { insertShippedSynonyms } from './queries/search.js';
import { shippedSynonyms } from '../server/domain/search-tables.js';
import { fillNameKeys } from './queries/items.js';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema> & { $client: Database.Database };

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** How long a connection waits for another's write lock before it gives up, unless told otherwise. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Open (creating if needed) a database file, or ':memory:'. Foreign keys on, WAL, busy timeout. The
 * web server's own connection waits briefly only (`busyTimeoutMs`): better-sqlite3 waits in the
 * calling thread, and a server waiting seconds for a job's write lock would answer nobody meanwhile.
 */
export function openDatabase(path: string, options: { migrate?: boolean; registry?: boolean; busyTimeoutMs?: number } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  applyPragmas(sqlite);
  if (options.busyTimeoutMs !== undefined) sqlite.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs))}`);
  const db = drizzle(sqlite, { schema }) as Db;
  if (options.migrate !== false) migrateDatabase(db, { registry: options.registry });
  return db;
}

/**
 * Caps the connection's page cache (SQLite's cache_size, in KiB). A process that only streams rows in
 * and out (the command-line import) needs a few MB, not the 16 MB a server's reads profit from.
 */
export function setPageCacheKb(db: Db, kib: number): void {
  db.$client.pragma(`cache_size = -${Math.max(64, Math.round(kib))}`);
}

/** Wrap an already open connection (for example a deserialized test template). */
export function wrapConnection(sqlite: Database.Database): Db {
  applyPragmas(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * The page size of a database created here (SQLite's default is 4 KB). An item, a staged row or a
 * proposal is one to several KB of text (conditions, materials, legal bases as JSON): with 4 KB pages a
 * page holds one or two of them and a long one spills into overflow pages. With 16 KB pages a
 * 100,000-row import, file to submission, took about 12% less time (npm run bench:import, paired runs).
 * A database keeps the page size it was created with.
 */
export const NEW_DATABASE_PAGE_BYTES = 16384;

function applyPragmas(sqlite: Database.Database): void {
  // Only before the first page is written; WAL mode fixes the size from then on.
  if ((sqlite.pragma('page_count', { simple: true }) as number) === 0) sqlite.pragma(`page_size = ${NEW_DATABASE_PAGE_BYTES}`);
  if (sqlite.name !== ':memory:' && !sqlite.memory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${DEFAULT_BUSY_TIMEOUT_MS}`);
  sqlite.pragma('synchronous = NORMAL');
}

/**
 * Applies the migrations, then brings the shipped legal-instrument registry (data/registry/*.csv) up
 * to date: every migrated database knows the shipped instruments. Cheap when the shipped files are
 * unchanged (their hashes are stored). `registry: false` only for a test that needs an empty registry.
 */
export function migrateDatabase(db: Db, options: { registry?: boolean | undefined } = {}): void {
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  // Migration 0027 adds items.name_key; normalising names is JS, so existing rows are filled here.
  fillNameKeys(db);
  if (options.registry !== false) syncShippedRegistry(db);
  insertShippedSynonyms(db, shippedSynonyms());
}

/** Whether an error is SQLite saying another connection holds the lock it needed. */
export const isBusy = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && 'code' in err && ((err as { code: unknown }).code === 'SQLITE_BUSY' || (err as { code: unknown }).code === 'SQLITE_LOCKED');
