import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { emptyDb } from '../../support/db.js';
import * as schema from '../../../db/schema.js';
import { MIGRATIONS_DIR } from '../../../db/client.js';

describe('migrations', () => {
  it('drizzle-kit finds nothing to generate: the committed migrations match db/schema.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-check-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const before = readdirSync(dir).sort();
      const out = execFileSync(
        'npx',
        ['drizzle-kit', 'generate', '--dialect', 'sqlite', '--schema', 'db/schema.ts', '--out', dir, '--name', 'drift'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(readdirSync(dir).sort(), `schema changed without a migration:\n${out}`).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('every table and column of the schema exists after migrating an empty database', () => {
    const db = emptyDb();
    for (const table of (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => v instanceof SQLiteTable)) {
      const config = getTableConfig(table);
      const columns = (db.$client.prepare(`PRAGMA table_info(${config.name})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns.sort(), config.name).toEqual(config.columns.map((c) => c.name).sort());
    }
  });

  it('the database enforces foreign keys', () => {
    const db = emptyDb();
    expect(() => db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES ('x', 'y', 'permit', 999)").run()).toThrow(
      /FOREIGN KEY/,
    );
  });
});
