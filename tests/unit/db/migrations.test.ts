import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { emptyDb } from '../../support/db.js';
import * as schema from '../../../db/schema.js';
import { MIGRATIONS_DIR } from '../../../db/client.js';
import { REMOVALS_FOR_CHECKS } from '../../../db/queries/review/items.js';

/** An in-memory database with the migrations before `tag` applied; applyNext applies `tag` itself. */
function migratedUpTo(tag: string): { sqlite: Database.Database; applyNext: () => void } {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const apply = (sqlite: Database.Database, name: string) => {
    for (const statement of readFileSync(join(MIGRATIONS_DIR, `${name}.sql`), 'utf8').split('--> statement-breakpoint')) if (statement.trim()) sqlite.exec(statement);
  };
  const sqlite = new Database(':memory:');
  const tags = journal.entries.map((e) => e.tag);
  const at = tags.indexOf(tag);
  for (const earlier of tags.slice(0, at)) apply(sqlite, earlier);
  return { sqlite, applyNext: () => apply(sqlite, tag) };
}

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

  it('making revisions append-only (0017) keeps every revision with the version that closed it', () => {
    const { sqlite, applyNext } = migratedUpTo('0017_revision_closures');
    // Revisions as the publishes before 0017 left them: the end version in the row.
    const guard = sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'item_revisions_written_only_by_publish'").pluck().get() as string;
    sqlite.exec('DROP TRIGGER item_revisions_written_only_by_publish');
    const insert = sqlite.prepare(
      "INSERT INTO item_revisions (code, from_version, to_version, name, category, department_code, bucket, content, content_hash) VALUES (?, ?, ?, 'n', 'permit', 'D', ?, '{}', ?)",
    );
    const spans: [string, number, number | null][] = [['A', 1, 2], ['A', 2, null], ['B', 1, 3], ['C', 2, null], ['D', 1, null], ['B', 4, null]];
    spans.forEach(([code, from, to], k) => insert.run(code, from, to, k, `h${k}`));
    sqlite.exec(guard);
    const before = sqlite.prepare('SELECT id, code, from_version, to_version, content_hash FROM item_revisions ORDER BY id').raw().all();
    applyNext();
    expect(sqlite.prepare('SELECT id, code, from_version, to_version, content_hash FROM revision_spans ORDER BY id').raw().all()).toEqual(before);
    expect(sqlite.prepare('SELECT count(*) FROM revision_closures').pluck().get()).toBe(2);
    expect(() => sqlite.prepare("UPDATE item_revisions SET name = 'x'").run()).toThrow(/immutable/);
    expect(() => sqlite.prepare('INSERT INTO revision_closures (revision_id, to_version) VALUES (2, 5)').run()).toThrow(/only by a publish/);
  });

  it('rows staged before 0034 of an import that can still be confirmed get the columns confirming copies, from their proposals', () => {
    const { sqlite, applyNext } = migratedUpTo('0034_import_rows_proposed');
    const importOf = (status: string) =>
      Number(sqlite.prepare("INSERT INTO imports (original_name, mode, status, created_by) VALUES ('a.xlsx', 'submission', ?, 'legal')").run(status).lastInsertRowid);
    const proposal = JSON.stringify({ fields: { name: '甲许可', category: 'permit' }, citations: [], disposition: 'cancel', dispositionReason: '已废止' });
    const stage = (importId: number) =>
      sqlite.prepare("INSERT INTO import_rows (import_id, sheet, row_number, kind, proposal) VALUES (?, 'S', 2, 'changed', ?)").run(importId, proposal);
    stage(importOf('ready'));
    stage(importOf('confirmed'));
    applyNext();
    expect(sqlite.prepare('SELECT i.status, r.proposed_name, r.proposed_category, r.proposed_disposition, r.proposed_reason FROM import_rows r JOIN imports i ON i.id = r.import_id ORDER BY r.id').raw().all()).toEqual([
      ['ready', '甲许可', 'permit', 'cancel', '已废止'],
      ['confirmed', null, null, null, null],
    ]);
  });

  it("a submission's removals are found through their own index (0034), not by reading every proposal", () => {
    const db = emptyDb();
    const plan = db.$client.prepare(`EXPLAIN QUERY PLAN ${REMOVALS_FOR_CHECKS}`).all({ submissionId: 3, after: 0 }) as { detail: string }[];
    expect(plan.map((p) => p.detail)[0]).toBe('SEARCH si USING INDEX submission_items_removals_idx (submission_id=? AND id>?)');
  });

  it('the report of an import reads its errors and warnings from their own index (0032), in file order', () => {
    const db = emptyDb();
    const plan = db.$client
      .prepare('EXPLAIN QUERY PLAN SELECT sheet, row_number, warnings FROM import_rows WHERE import_id = 7 AND (errors IS NOT NULL OR warnings IS NOT NULL) AND warnings IS NOT NULL ORDER BY id')
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH import_rows USING COVERING INDEX import_rows_issues_idx (import_id=?)']);
  });
});
