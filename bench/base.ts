// What the database benchmarks share: the output folder, a demo base database made once, and the
// category code of a generated row's Chinese category.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Db } from '../db/client.js';
import { SYSTEM_ACTOR } from '../db/audit.js';
import { publishVersion } from '../server/publication/publish.js';
import { defaultConfig } from '../server/config.js';
import { createServices } from '../server/services.js';
import { benchRow, rng } from './content.js';
import { normalizeItemName } from '../server/domain/item-names.js';
import { prepareDatabase } from '../server/bootstrap.js';
import { CATEGORIES, CATEGORY_CODES, type Category } from '../server/domain/vocabulary.js';

export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');

/** Removes a database file with its -wal and -shm files. */
export function removeDatabase(path: string): void {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
}

/** A fresh copy of a database at `path` (what was there before, log files included, removed first). */
export function copyDatabase(source: string, path: string): void {
  removeDatabase(path);
  copyFileSync(source, path);
}

/**
 * bench/out/base.db: the demo district and registry, migrated; made on first use, then reused. A base
 * made by older sources is brought up to date first (opening migrates it and syncs the shipped
 * registry), as a real database is once: otherwise every measured command would migrate its copy.
 */
export async function baseDatabase(): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const base = join(OUT, 'base.db');
  const made = existsSync(base);
  const db = openDatabase(base);
  if (!made) await prepareDatabase(db, { demo: true });
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  return base;
}

const BY_NAME = new Map(CATEGORY_CODES.map((c) => [CATEGORIES[c] as string, c]));
/** A generated row's category (written in Chinese, as in a sheet) as its code. */
export const categoryCode = (name: string | undefined): Category => (name && BY_NAME.get(name)) || 'other';

/**
 * Adds n generated items (codes PUB-0000001…, names from the real district list, one citation each of a
 * registered law) to a copy of the base database, in one transaction.
 */
export function buildCatalogue(db: Db, n: number): void {
  const sqlite = db.$client;
  const random = rng(11);
  const departments = (sqlite.prepare('SELECT id FROM departments').all() as { id: number }[]).map((d) => d.id);
  const instruments = sqlite.prepare('SELECT id, title FROM legal_instruments').all() as { id: number; title: string }[];
  const insertItem = sqlite.prepare(
    'INSERT INTO items (code, name, name_key, category, department_id, statutory_limit_days, promised_limit_days, materials, conditions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertCitation = sqlite.prepare('INSERT INTO citations (item_id, seq, instrument_id, title, article, role) VALUES (?, ?, ?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const row = benchRow(i, random);
      const id = Number(
        insertItem.run(`PUB-${String(i).padStart(7, '0')}`, row[2], normalizeItemName(row[2]!), categoryCode(row[3]!), departments[i % departments.length], 20, 10, row[10] ?? null, row[9] ?? null).lastInsertRowid,
      );
      const inst = instruments[Math.floor(random() * instruments.length)]!;
      insertCitation.run(id, 0, inst.id, inst.title, '第十二条', 'setting');
    }
  })();
}

/**
 * bench/out/published-<n>.db: the base database with n generated items published as version 1; made
 * on first use (a minute or two at a million items), then reused by the search, serve and export
 * benchmarks. Delete it to rebuild after a schema change.
 */
export async function publishedDatabase(n: number): Promise<string> {
  const path = join(OUT, `published-${n}.db`);
  if (existsSync(path)) return path;
  const building = `${path}.building`;
  copyDatabase(await baseDatabase(), building);
  const db = openDatabase(building);
  const t = performance.now();
  buildCatalogue(db, n);
  publishVersion(createServices(db, defaultConfig({ dbPath: building })), SYSTEM_ACTOR, { title: `基准目录（${n} 项）`, effectiveOn: '2026-01-01' });
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  renameSync(building, path);
  console.log(`built and published ${n} items in ${((performance.now() - t) / 1000).toFixed(1)} s (${path}, reused next time)`);
  return path;
}
