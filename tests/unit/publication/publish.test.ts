// Publishing versions: immutable in the database, stored incrementally (only what changed), and a
// content hash that `verify` recomputes, catching a change made behind the program's back.
import { describe, it, expect, beforeAll } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../../db/client.js';
import { demoDb, emptyDb } from '../../support/db.js';
import { main, type Io } from '../../../server/cli.js';
import { canonicalJson, publishVersion, publishedJson, verifyVersion, type PublishedItem } from '../../../server/publication/publish.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { diffVersions } from '../../../server/publication/diff.js';
import type { Services } from '../../../server/services.js';
import { testServices } from '../../support/services.js';

let path: string;
let db: Db;
let services: Services;
const run = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' };
  const code = await main([...args, '--db', path], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const count = (sql: string) => db.$client.prepare(sql).pluck().get() as number;

beforeAll(() => {
  path = join(mkdtempSync(join(tmpdir(), 'publish-')), 'demo.db');
  copyFileSync(inject('demoDbPath'), path);
});

describe('canonical form', () => {
  it('the published text of an item is fixed: a known item gives the known text and hash (every version hash rests on it)', () => {
    const db = emptyDb();
    const dept = Number(db.$client.prepare("INSERT INTO departments (code, name) VALUES ('SCJGJ', '区市场监管局')").run().lastInsertRowid);
    const id = Number(
      db.$client
        .prepare(
          `INSERT INTO items (code, name, category, department_id, level, service_objects, statutory_limit_days, promised_limit_days, instant, fee_charged, materials, process_text)
           VALUES ('XK-001', '食品经营许可', 'permit', ?, 'district', '["enterprise"]', 20, 5, 0, 0, '申请书', '受理→审查→决定')`,
        )
        .run(dept).lastInsertRowid,
    );
    db.$client.prepare("INSERT INTO citations (item_id, seq, title, article, role) VALUES (?, 0, '《中华人民共和国食品安全法》', '第三十五条', 'setting')").run(id);
    publishVersion(testServices(db), SYSTEM_ACTOR, { title: '第1版' });
    const { content, content_hash } = db.$client.prepare('SELECT content, content_hash FROM item_revisions').get() as { content: string; content_hash: string };
    expect(content).toBe(
      '{"category":"permit","citations":[{"article":"第三十五条","documentNumber":null,"role":"setting","title":"中华人民共和国食品安全法"}],"code":"XK-001",' +
        '"conditions":null,"contactPhone":null,"department":{"code":"SCJGJ","name":"区市场监管局"},"feeBasis":null,"feeCharged":false,"feeStandard":null,' +
        '"instant":false,"level":"district","mainItemName":null,"materials":"申请书","name":"食品经营许可","parent":null,"processText":"受理→审查→决定",' +
        '"promisedLimitDays":5,"remarks":null,"serviceObjects":["enterprise"],"statutoryLimitDays":20,"supervisionPhone":null}',
    );
    expect(content_hash).toBe(createHash('sha256').update(content, 'utf8').digest('hex'));
  });

  it('the publish writes each item exactly as canonicalJson would: every demo item, and awkward values', () => {
    const demo = demoDb();
    const checked = publishVersion(testServices(demo), SYSTEM_ACTOR, { title: 'x' });
    expect(checked.items).toBeGreaterThan(100);
    for (const content of demo.$client.prepare('SELECT content FROM item_revisions').pluck().all() as string[]) {
      const item = JSON.parse(content) as PublishedItem;
      expect(publishedJson(item)).toBe(canonicalJson(item));
    }
    const odd: PublishedItem = {
      ...(JSON.parse(demo.$client.prepare('SELECT content FROM item_revisions LIMIT 1').pluck().get() as string) as PublishedItem),
      name: '引号"反斜杠\\换行\n制表\t𠀀',
      parent: { code: 'P-1', name: '主项' },
      citations: [{ title: '《法》', article: null, documentNumber: '国发〔2014〕5号', role: 'implementing' }],
      serviceObjects: [],
      instant: true,
      promisedLimitDays: 0,
    };
    expect(publishedJson(odd)).toBe(canonicalJson(odd));
    demo.$client.close();
  });

  it('the same content gives the same text whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });
});

describe('publishing', () => {
  it('`catalogue publish --json` publishes version 1 of the whole working catalogue in the documented shape', async () => {
    const r = await run('publish', '--title', '某区行政权力清单（2026年第1版）', '--effective', '2026-12-01', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { version: number; hash: string; items: number; changed: number };
    db = openDatabase(path);
    services = testServices(db);
    expect(out).toEqual({ version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), items: count('SELECT count(*) FROM items WHERE removed_at IS NULL'), changed: out.items });
    expect((await run('verify', '--version', '1')).code).toBe(0);
  });

  it('`catalogue export --version 1 --format csv|xlsx` writes the version to a file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'export-')), 'v1.csv');
    const r = await run('export', '--version', '1', '--format', 'csv', '--out', out, '--json');
    expect(r.code, r.err).toBe(0);
    const items = count('SELECT count(*) FROM items WHERE removed_at IS NULL');
    expect(JSON.parse(r.out)).toEqual({ version: 1, format: 'csv', items, out });
    expect(readFileSync(out, 'utf8').trimEnd().split('\r\n')).toHaveLength(items + 1);
    expect((await run('export', '--version', '9', '--format', 'csv', '--out', out)).code).toBe(2);
    expect((await run('export', '--version', 'latest', '--format', 'pdf', '--out', out)).code).toBe(2);
  });

  it('a second publish stores only the items that changed, and the first version still shows what it showed', () => {
    const v1 = verifyVersion(db, 1);
    const before = count('SELECT count(*) FROM item_revisions');
    const codes = db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 3').pluck().all() as string[];
    db.$client.prepare("UPDATE items SET remarks = '第二版修改', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second') WHERE code IN (?, ?)").run(codes[0], codes[1]);
    db.$client.prepare("UPDATE items SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second') WHERE code = ?").run(codes[2]);
    const result = publishVersion(services, SYSTEM_ACTOR, { title: '第2版' });
    expect(result).toMatchObject({ version: 2, changed: 3, removed: 1, items: v1.items - 1 });
    expect(count('SELECT count(*) FROM item_revisions') - before).toBe(2);
    // Only the buckets of the three touched items were re-hashed and stored.
    expect(count('SELECT count(*) FROM version_buckets WHERE version = 2')).toBeLessThanOrEqual(3);
    expect(verifyVersion(db, 1)).toMatchObject({ ok: true, computedHash: v1.storedHash, items: v1.items });
    expect(verifyVersion(db, 2).ok).toBe(true);
  });

  it('the diff of versions 1 and 2 lists the removed item and the changed ones with the changed field side by side', () => {
    const diff = diffVersions(db, 1, 2);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toHaveLength(1);
    expect(diff.changed).toHaveLength(2);
    for (const c of diff.changed) {
      expect(c.fields!.map((f) => f.field)).toEqual(['remarks']);
      expect(c.fields![0]!.after).toBe('第二版修改');
    }
    expect(diffVersions(db, 2, 1)).toEqual(diff);
  });

  it("renaming a main item re-publishes its sub-items, whose published text carries the main item's name", () => {
    const parent = db.$client
      .prepare('SELECT p.id, p.code FROM items p WHERE p.removed_at IS NULL AND EXISTS (SELECT 1 FROM items c WHERE c.parent_id = p.id AND c.removed_at IS NULL) LIMIT 1')
      .get() as { id: number; code: string };
    const children = db.$client.prepare('SELECT code FROM items WHERE parent_id = ? AND removed_at IS NULL').pluck().all(parent.id) as string[];
    expect(children.length).toBeGreaterThan(0);
    db.$client.prepare("UPDATE items SET name = name || '（更名）', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+2 second') WHERE id = ?").run(parent.id);
    const result = publishVersion(services, SYSTEM_ACTOR, { title: '主项更名' });
    expect(result.changed).toBe(1 + children.length);
    for (const code of children) {
      const content = db.$client.prepare('SELECT content FROM revision_spans WHERE code = ? AND to_version IS NULL').pluck().get(code) as string;
      expect((JSON.parse(content) as { parent: { name: string } }).parent.name).toMatch(/（更名）$/);
    }
    expect(verifyVersion(db, result.version).ok).toBe(true);
  });

  it('publishing with nothing changed is refused, and nothing is stored', () => {
    const versions = count('SELECT count(*) FROM catalogue_versions');
    expect(() => publishVersion(services, SYSTEM_ACTOR, { title: '第3版' })).toThrow(/没有变化/);
    expect(count('SELECT count(*) FROM catalogue_versions')).toBe(versions);
  });

  it('a published version cannot be changed through the database: versions and revisions refuse updates and deletes', () => {
    expect(() => db.$client.prepare("UPDATE catalogue_versions SET title = 'x' WHERE number = 1").run()).toThrow(/immutable/);
    expect(() => db.$client.prepare('DELETE FROM catalogue_versions WHERE number = 1').run()).toThrow(/immutable/);
    expect(() => db.$client.prepare("UPDATE item_revisions SET content = '{}' WHERE id = 1").run()).toThrow(/immutable/);
    expect(() => db.$client.prepare('UPDATE revision_closures SET to_version = 3').run()).toThrow(/immutable/);
    expect(() => db.$client.prepare('DELETE FROM revision_closures').run()).toThrow(/immutable/);
    expect(() => db.$client.prepare('INSERT INTO revision_closures (revision_id, to_version) SELECT max(id), 3 FROM item_revisions').run()).toThrow(/only by a publish/);
    expect(() => db.$client.prepare('DELETE FROM item_revisions WHERE id = 1').run()).toThrow(/immutable/);
    expect(() => db.$client.prepare('UPDATE item_revisions SET bucket = bucket + 1 WHERE id = 1').run()).toThrow(/immutable/);
    expect(() => db.$client.prepare("UPDATE version_buckets SET hash = 'x' WHERE version = 1").run()).toThrow(/immutable/);
    expect(() => db.$client.prepare('DELETE FROM version_buckets WHERE version = 2').run()).toThrow(/immutable/);
    expect(() => db.$client.prepare("INSERT INTO version_buckets (version, bucket, hash) VALUES (2, 70000, 'x')").run()).toThrow(/only by a publish/);
    expect(() =>
      db.$client.prepare("INSERT INTO item_revisions (code, from_version, name, category, department_code, content, content_hash) VALUES ('X', 1, 'x', 'permit', 'X', '{}', 'h')").run(),
    ).toThrow(/only by a publish/);
    expect(() => db.$client.prepare("UPDATE revision_facets SET name = 'x' WHERE revision_id = 1").run()).toThrow(/immutable/);
    expect(() => db.$client.prepare('DELETE FROM revision_facets WHERE revision_id = 1').run()).toThrow(/immutable/);
  });

  it('every revision has facets that say what its published text says (the search index reads them)', () => {
    const rows = db.$client
      .prepare('SELECT r.content, f.* FROM item_revisions r JOIN revision_facets f ON f.revision_id = r.id')
      .all() as { content: string; code: string; name: string; category: string; department_code: string; department_name: string; level: string | null; parent_code: string | null; has_basis: number; basis_titles: string; from_version: number }[];
    expect(rows).toHaveLength(count('SELECT count(*) FROM item_revisions'));
    for (const f of rows) {
      const p = JSON.parse(f.content) as { code: string; name: string; category: string; level: string | null; department: { code: string; name: string }; parent: { code: string } | null; citations: { title: string; role: string }[] };
      expect([f.code, f.name, f.category, f.department_code, f.department_name, f.level, f.parent_code]).toEqual([p.code, p.name, p.category, p.department.code, p.department.name, p.level, p.parent?.code ?? null]);
      expect(f.has_basis).toBe(p.citations.some((c) => c.role === 'setting') ? 1 : 0);
      expect(f.basis_titles).toBe(p.citations.map((c) => c.title).join('\n'));
    }
  });

  it('the migration that added facets reads from the published texts the same facets a publish writes', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'facets-')), 'copy.db');
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(path, copy);
    const other = openDatabase(copy);
    const all = () => other.$client.prepare('SELECT * FROM revision_facets ORDER BY revision_id').all();
    const written = all();
    other.$client.exec('DROP TRIGGER revision_facets_no_delete; DELETE FROM revision_facets; DROP TRIGGER revision_facets_written_only_by_publish;');
    const backfill = readFileSync(join(__dirname, '../../../db/migrations/0014_revision_facets_backfill.sql'), 'utf8').split('--> statement-breakpoint')[0]!;
    other.$client.exec(backfill);
    expect(all()).toEqual(written);
    other.$client.close();
  });

  it('`catalogue verify` exits 1 after a revision is edited with the sqlite3 shell behind the program\'s back', async () => {
    const guard = db.$client.prepare("SELECT sql FROM sqlite_master WHERE name = 'item_revisions_no_update'").pluck().get() as string;
    db.$client.close();
    execFileSync('sqlite3', [path, "DROP TRIGGER item_revisions_no_update; UPDATE item_revisions SET content = replace(content, '第二版修改', '偷偷改过') WHERE content LIKE '%第二版修改%';"]);
    const r = await run('verify', '--version', '2');
    expect(r.code).toBe(1);
    expect(r.err).toContain('已被改动');
    // A missing guard is itself a finding, whatever the version.
    expect((await run('verify', '--version', '1')).err).toContain('item_revisions_no_update');
    execFileSync('sqlite3', [path, `${guard};`]);
    const again = await run('verify', '--version', '1');
    expect(again.code, again.err).toBe(0); // version 1 did not hold those revisions
  });
});
