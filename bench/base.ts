// What the database benchmarks share: the output folder, a demo base database made once, and the
// category code of a generated row's Chinese category.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/client.js';
import { prepareDatabase } from '../server/bootstrap.js';
import { CATEGORIES, CATEGORY_CODES, type Category } from '../server/domain/vocabulary.js';

export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');

/** bench/out/base.db: the demo district and registry, migrated; made on first use, then reused. */
export async function baseDatabase(): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const base = join(OUT, 'base.db');
  if (!existsSync(base)) {
    const db = openDatabase(base);
    await prepareDatabase(db, { demo: true });
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    db.$client.close();
  }
  return base;
}

const BY_NAME = new Map(CATEGORY_CODES.map((c) => [CATEGORIES[c] as string, c]));
/** A generated row's category (written in Chinese, as in a sheet) as its code. */
export const categoryCode = (name: string | undefined): Category => (name && BY_NAME.get(name)) || 'other';
