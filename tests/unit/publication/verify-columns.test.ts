// `catalogue verify` covers every stored column of the published tables: each is altered with the sqlite3
// shell on a real database file (its protecting trigger dropped, then put back) and verify must fail
// naming that column. A column added to a published table fails the coverage test until it is listed here.
import { describe, it, expect, beforeAll } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { inject } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../db/client.js';
import { main, type Io } from '../../../server/cli.js';
import { publishVersion } from '../../../server/publication/publish.js';
import { NOT_VERIFIED, PUBLISHED_TABLES } from '../../../server/publication/verify.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { testServices } from '../../support/services.js';

const ZEROS = '0'.repeat(64);
/** An open revision published in version 1 and unchanged since. */
const OPEN_V1 = '(SELECT min(id) FROM revision_spans WHERE from_version = 1 AND to_version IS NULL)';
/** A revision published in version 2 (an item changed then). */
const FROM_V2 = '(SELECT min(id) FROM item_revisions WHERE from_version = 2)';
/** A bucket version 2 did not touch. */
const UNTOUCHED_BUCKET = '(SELECT min(bucket) FROM version_buckets WHERE version = 1 AND bucket NOT IN (SELECT bucket FROM version_buckets WHERE version = 2))';

/** Every column of the published tables with one alteration of it (an UPDATE run by the sqlite3 shell). */
const ALTERATIONS: Record<string, string> = {
  'catalogue_versions.number': 'UPDATE catalogue_versions SET number = 3 WHERE number = 2',
  'catalogue_versions.title': "UPDATE catalogue_versions SET title = title || '（改）' WHERE number = 1",
  'catalogue_versions.effective_on': "UPDATE catalogue_versions SET effective_on = '2001-01-01' WHERE number = 1",
  'catalogue_versions.note': "UPDATE catalogue_versions SET note = '改过的说明' WHERE number = 1",
  'catalogue_versions.published_at': "UPDATE catalogue_versions SET published_at = '2020-01-01T00:00:00.000Z' WHERE number = 1",
  'catalogue_versions.published_by': "UPDATE catalogue_versions SET published_by = 'someone' WHERE number = 1",
  'catalogue_versions.item_count': 'UPDATE catalogue_versions SET item_count = item_count + 1 WHERE number = 2',
  'catalogue_versions.added': 'UPDATE catalogue_versions SET added = added + 1 WHERE number = 2',
  'catalogue_versions.changed': 'UPDATE catalogue_versions SET changed = changed + 1 WHERE number = 2',
  'catalogue_versions.removed': 'UPDATE catalogue_versions SET removed = removed + 1 WHERE number = 2',
  'catalogue_versions.content_hash': `UPDATE catalogue_versions SET content_hash = '${ZEROS}' WHERE number = 2`,
  'item_revisions.id': `UPDATE item_revisions SET id = id + 1000000 WHERE id = ${OPEN_V1}`,
  'item_revisions.code': `UPDATE item_revisions SET code = code || 'X' WHERE id = ${OPEN_V1}`,
  'item_revisions.from_version': `UPDATE item_revisions SET from_version = 2 WHERE id = ${OPEN_V1}`,
  'item_revisions.name': `UPDATE item_revisions SET name = '偷改的名称' WHERE id = ${FROM_V2}`,
  'item_revisions.category': `UPDATE item_revisions SET category = CASE category WHEN 'permit' THEN 'penalty' ELSE 'permit' END WHERE id = ${OPEN_V1}`,
  'item_revisions.department_code': `UPDATE item_revisions SET department_code = 'FAKE' WHERE id = ${OPEN_V1}`,
  'item_revisions.bucket': `UPDATE item_revisions SET bucket = (bucket + 1) % 65536 WHERE id = ${OPEN_V1}`,
  'item_revisions.content': `UPDATE item_revisions SET content = replace(content, '"remarks":null', '"remarks":"偷改"') WHERE id = (SELECT min(id) FROM item_revisions WHERE content LIKE '%"remarks":null%')`,
  'item_revisions.content_hash': `UPDATE item_revisions SET content_hash = '${ZEROS}' WHERE id = ${OPEN_V1}`,
  'revision_closures.revision_id': `UPDATE revision_closures SET revision_id = ${OPEN_V1} WHERE revision_id = (SELECT min(revision_id) FROM revision_closures)`,
  'revision_closures.to_version': 'UPDATE revision_closures SET to_version = 1 WHERE revision_id = (SELECT min(revision_id) FROM revision_closures)',
  'revision_facets.revision_id': `UPDATE revision_facets SET revision_id = revision_id + 1000000 WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.from_version': `UPDATE revision_facets SET from_version = 2 WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.code': `UPDATE revision_facets SET code = code || 'X' WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.name': `UPDATE revision_facets SET name = '偷改的名称' WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.category': `UPDATE revision_facets SET category = CASE category WHEN 'permit' THEN 'penalty' ELSE 'permit' END WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.department_code': `UPDATE revision_facets SET department_code = 'FAKE' WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.department_name': `UPDATE revision_facets SET department_name = '虚构的部门' WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.level': `UPDATE revision_facets SET level = CASE level WHEN 'city' THEN 'district' ELSE 'city' END WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.parent_code': `UPDATE revision_facets SET parent_code = 'FAKE-PARENT' WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.has_basis': `UPDATE revision_facets SET has_basis = 1 - has_basis WHERE revision_id = ${OPEN_V1}`,
  'revision_facets.basis_titles': `UPDATE revision_facets SET basis_titles = basis_titles || char(10) || '虚构的依据' WHERE revision_id = ${OPEN_V1}`,
  'version_buckets.version': `UPDATE version_buckets SET version = 2 WHERE version = 1 AND bucket = ${UNTOUCHED_BUCKET}`,
  'version_buckets.bucket': `UPDATE version_buckets SET bucket = ${UNTOUCHED_BUCKET} WHERE version = 2 AND bucket = (SELECT min(bucket) FROM version_buckets WHERE version = 2)`,
  'version_buckets.hash': `UPDATE version_buckets SET hash = '${ZEROS}' WHERE version = 2 AND bucket = (SELECT min(bucket) FROM version_buckets WHERE version = 2)`,
};

let base: string;
const verifyAll = async (path: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' };
  const code = await main(['verify', '--all', '--db', path], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
};

/** A copy of the two-version database with one column altered by the sqlite3 shell, its trigger put back. */
function alteredCopy(column: string): string {
  const table = column.split('.')[0]!;
  const path = join(mkdtempSync(join(tmpdir(), 'verify-column-')), 'catalogue.db');
  copyFileSync(base, path);
  const read = new Database(path, { readonly: true });
  const triggers = read.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name LIKE '%no_update'").all(table) as { name: string; sql: string }[];
  read.close();
  expect(triggers).toHaveLength(1);
  const script = `DROP TRIGGER ${triggers[0]!.name}; ${ALTERATIONS[column]}; SELECT changes(); ${triggers[0]!.sql};`;
  const changed = execFileSync('sqlite3', [path, script], { encoding: 'utf8' }).trim();
  expect(changed, `the alteration of ${column} changed no row`).toBe('1');
  return path;
}

beforeAll(() => {
  base = join(mkdtempSync(join(tmpdir(), 'verify-base-')), 'catalogue.db');
  copyFileSync(inject('demoDbPath'), base);
  const db = openDatabase(base);
  const services = testServices(db);
  publishVersion(services, SYSTEM_ACTOR, { title: '第1版', effectiveOn: '2026-12-01', note: '首次发布' });
  const codes = db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 3').pluck().all() as string[];
  const later = "strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second')";
  db.$client.prepare(`UPDATE items SET remarks = '第二版修改', updated_at = ${later} WHERE code IN (?, ?)`).run(codes[0], codes[1]);
  db.$client.prepare(`UPDATE items SET removed_at = ${later}, updated_at = ${later} WHERE code = ?`).run(codes[2]);
  publishVersion(services, SYSTEM_ACTOR, { title: '第2版', effectiveOn: '2026-12-05', note: '第二次发布' });
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
});

describe('catalogue verify compares every stored column of the published tables', () => {
  it('an untouched database with two versions passes', async () => {
    const r = await verifyAll(base);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toHaveLength(2);
  });

  it('the list of alterations covers every column of the published tables but those stated as not verified', () => {
    const db = new Database(base, { readonly: true });
    const protectedTables = db.prepare("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_update' AND tbl_name <> 'audit_log' ORDER BY tbl_name").pluck().all();
    expect(protectedTables).toEqual([...PUBLISHED_TABLES].sort());
    const columns = PUBLISHED_TABLES.flatMap((t) => (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).map((c) => `${t}.${c}`));
    db.close();
    expect(columns.filter((c) => !(c in NOT_VERIFIED)).sort()).toEqual(Object.keys(ALTERATIONS).sort());
  });

  for (const column of Object.keys(ALTERATIONS)) {
    it(`altering ${column} with the sqlite3 shell fails verify, naming ${column}`, async () => {
      const r = await verifyAll(alteredCopy(column));
      expect(r.code).toBe(1);
      expect(r.err).toContain('已被改动');
      expect(r.err).toContain(column);
    });
  }
});
