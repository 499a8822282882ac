// A publish finds the published state in one of three places (kept in memory by the last publish,
// loaded in the background, or read from the database) and prepares its items in one of two (a
// reading thread, or its own thread). Every way must store the same rows, byte for byte.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../../db/client.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { bucketOf, publishVersion, sha256, verifyVersion } from '../../../server/publication/publish.js';
import { OpenBucket, compareCodes } from '../../../server/publication/published-state.js';
import { startTestServer } from '../../support/http.js';
import { createServices, stopServices, type Services } from '../../../server/services.js';
import { defaultConfig } from '../../../server/config.js';
import { testServices } from '../../support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'publish-paths-'));
const copyOfDemo = (name: string): Db => {
  const path = join(dir, `${name}.db`);
  copyFileSync(inject('demoDbPath'), path);
  return openDatabase(path);
};

/**
 * Two codes in one bucket whose order differs between SQLite (UTF-8 bytes: U+E000 first) and
 * JavaScript's < (UTF-16 units: U+20000 first), so a bucket's text depends on getting the order right.
 */
function collidingCodes(): [string, string] {
  const astral = new Map<number, string>();
  for (let k = 0; k < 2000; k++) astral.set(bucketOf(`𠀀${k}`), `𠀀${k}`);
  for (let k = 0; ; k++) {
    const other = astral.get(bucketOf(`\uE000${k}`));
    if (other) return [other, `\uE000${k}`];
  }
}
const COLLIDING = collidingCodes();

/**
 * Round r's changes, the same on every copy: edits, removals, new items (codes beyond U+FFFF and in
 * U+E000–U+FFFF among them, two of them in one bucket) and a renamed main item.
 */
function change(db: Db, r: number) {
  const sqlite = db.$client;
  const now = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
  sqlite.transaction(() => {
    sqlite.prepare(`UPDATE items SET remarks = ?, updated_at = ${now} WHERE id % 7 = ? AND removed_at IS NULL`).run(`第${r}轮调整`, r % 7);
    sqlite.prepare(`UPDATE items SET removed_at = ${now}, updated_at = ${now} WHERE id % 29 = ? AND removed_at IS NULL AND parent_id IS NULL`).run(r % 29);
    const department = sqlite.prepare('SELECT id FROM departments ORDER BY id LIMIT 1').pluck().get() as number;
    for (const code of [`NEW-${r}`, `𠀀-${r}`, `\uE000-${r}`, `A${r}\uFFFD`, ...(r === 2 ? COLLIDING : [])]) {
      sqlite.prepare(`INSERT INTO items (code, name, category, department_id, updated_at) VALUES (?, ?, 'permit', ?, ${now})`).run(code, `新增事项${r}`, department);
    }
    const parent = sqlite.prepare('SELECT parent_id FROM items WHERE parent_id IS NOT NULL AND removed_at IS NULL ORDER BY parent_id LIMIT 1 OFFSET ?').pluck().get(r) as number | undefined;
    if (parent) sqlite.prepare(`UPDATE items SET name = name || ?, updated_at = ${now} WHERE id = ?`).run(`（第${r}轮更名）`, parent);
  })();
}

/**
 * Everything a publish stores that depends neither on the clock nor on the order it wrote in (revision
 * ids follow the order of the items a publish looked at, which includes, depending on timing, items
 * touched but unchanged).
 */
function stored(db: Db) {
  const all = (sql: string) => db.$client.prepare(sql).raw().all();
  return {
    versions: all('SELECT number, item_count, added, changed, removed, content_hash FROM catalogue_versions ORDER BY number'),
    revisions: all('SELECT code, from_version, to_version, name, category, department_code, bucket, content, content_hash FROM revision_spans ORDER BY code, from_version'),
    facets: all(
      `SELECT r.code, f.from_version, f.name, f.category, f.department_code, f.department_name, f.level, f.parent_code, f.has_basis, f.basis_titles
         FROM revision_facets f JOIN item_revisions r ON r.id = f.revision_id ORDER BY r.code, f.from_version`,
    ),
    buckets: all('SELECT version, bucket, hash FROM version_buckets ORDER BY version, bucket'),
  };
}

const ROUNDS = 4;
let kept: Services;
let fromDatabase: Services;
let loaded: Services;

beforeAll(async () => {
  kept = testServices(copyOfDemo('kept'));
  fromDatabase = testServices(copyOfDemo('from-database'));
  loaded = testServices(copyOfDemo('loaded'));
  expect(await kept.publishReader.start()).toBe(true);
  for (let r = 1; r <= ROUNDS; r++) {
    if (r > 1) for (const s of [kept, fromDatabase, loaded]) change(s.db, r);
    publishVersion(kept, SYSTEM_ACTOR, { title: `第${r}版` });
    fromDatabase.publishedState.forget();
    publishVersion(fromDatabase, SYSTEM_ACTOR, { title: `第${r}版` });
    loaded.publishedState.forget();
    if (r > 1) expect((await loaded.publishedState.warm())?.version).toBe(r - 1);
    publishVersion(loaded, SYSTEM_ACTOR, { title: `第${r}版` });
  }
});
afterAll(async () => {
  await kept.publishReader.stop();
  for (const s of [kept, fromDatabase, loaded]) s.db.$client.close();
});

describe('the ways of publishing', () => {
  it('a publish from the state kept in memory, on a reading thread, stores what a publish reading everything from the database stores', () => {
    const expected = stored(fromDatabase.db);
    expect(expected.versions).toHaveLength(ROUNDS);
    expect((expected.versions[ROUNDS - 1] as number[])[4]).toBeGreaterThan(0); // removals happened
    expect(stored(kept.db)).toEqual(expected);
  });

  it('a publish from the state loaded in the background stores the same', () => {
    expect(stored(loaded.db)).toEqual(stored(fromDatabase.db));
  });

  it('every version so published verifies', () => {
    for (let n = 1; n <= ROUNDS; n++) expect(verifyVersion(kept.db, n).ok).toBe(true);
  });

  it('a failed publish leaves nothing behind: no rows, the guards back in place, the kept state unchanged', async () => {
    for (const s of [kept, fromDatabase]) change(s.db, ROUNDS + 1);
    const before = stored(kept.db);
    kept.db.$client.exec("CREATE TEMP TRIGGER fail_publish BEFORE INSERT ON catalogue_versions BEGIN SELECT RAISE(ABORT, 'disk gone'); END");
    expect(() => publishVersion(kept, SYSTEM_ACTOR, { title: '失败的一版' })).toThrow(/disk gone/);
    kept.db.$client.exec('DROP TRIGGER fail_publish');
    expect(stored(kept.db)).toEqual(before);
    const guards = kept.db.$client.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%only_by_publish'").pluck().get();
    expect(guards).toBe(4);
    expect(() => kept.db.$client.prepare("INSERT INTO version_buckets (version, bucket, hash) VALUES (9, 1, 'x')").run()).toThrow(/only by a publish/);
    // The retry starts from the state of the last committed version, as a publish from the database does.
    publishVersion(kept, SYSTEM_ACTOR, { title: '重发' });
    fromDatabase.publishedState.forget();
    publishVersion(fromDatabase, SYSTEM_ACTOR, { title: '重发' });
    expect(stored(kept.db)).toEqual(stored(fromDatabase.db));
  });

  it('a reading thread that has stopped is not waited for: the publish prepares its items itself', async () => {
    const thread = kept.publishReader.thread()!;
    expect(thread).toBeDefined();
    await thread.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    expect(kept.publishReader.thread()).toBeUndefined();
    for (const s of [kept, fromDatabase]) change(s.db, ROUNDS + 2);
    publishVersion(kept, SYSTEM_ACTOR, { title: '线程停止后' });
    fromDatabase.publishedState.forget();
    publishVersion(fromDatabase, SYSTEM_ACTOR, { title: '线程停止后' });
    expect(stored(kept.db)).toEqual(stored(fromDatabase.db));
  });
});

describe('the guards of published versions', () => {
  it('a database missing one of them refuses to publish, with a Chinese message, and nothing is written', () => {
    const db = copyOfDemo('unguarded');
    const services = testServices(db);
    publishVersion(services, SYSTEM_ACTOR, { title: '第1版' });
    db.$client.exec('DROP TRIGGER revision_closures_written_only_by_publish');
    change(db, 2);
    const before = stored(db);
    expect(() => publishVersion(services, SYSTEM_ACTOR, { title: '第2版' })).toThrow(/保护已发布版本的触发器不全，本次未发布/);
    expect(stored(db)).toEqual(before);
    db.$client.close();
  });
});

describe('the state kept between publishes', () => {
  it('holds each bucket as the text its stored hash covers and its revision ids, two objects a bucket', () => {
    const state = kept.publishedState.kept(stored(kept.db).versions.length)!;
    expect(state).toBeDefined();
    const hashes = new Map(kept.db.$client.prepare('SELECT bucket, hash FROM version_buckets ORDER BY version').raw().all() as [number, string][]);
    const open = new Map(
      (kept.db.$client.prepare('SELECT r.bucket, r.id FROM item_revisions r WHERE NOT EXISTS (SELECT 1 FROM revision_closures c WHERE c.revision_id = r.id) ORDER BY r.bucket, r.code').raw().all() as [number, number][])
        .reduce((m, [b, id]) => m.set(b, [...(m.get(b) ?? []), id]), new Map<number, number[]>()),
    );
    let checked = 0;
    state.buckets.forEach((packed, b) => {
      if (!packed) return;
      expect(Object.keys(packed).sort()).toEqual(['ids', 'text']);
      expect(typeof packed.text).toBe('string');
      expect(packed.ids).toBeInstanceOf(Float64Array);
      expect(sha256(packed.text)).toBe(hashes.get(b));
      expect([...packed.ids]).toEqual(open.get(b));
      checked++;
    });
    expect(checked).toBe(open.size);
  });

  it('a packed bucket unpacks to the codes, hashes and ids it was packed from, a code with a tab or beyond U+FFFF included', () => {
    const bucket = new OpenBucket();
    const rows: [string, string, number][] = [['A\tB', 'a'.repeat(64), 1], ['Z-1', 'b'.repeat(64), 2 ** 33], ['𠀀-2', 'c'.repeat(64), 7]];
    for (const [code, hash, id] of rows) bucket.push(code, hash, id);
    const back = OpenBucket.unpack(bucket.pack());
    expect([back.codes, back.hashes, back.ids]).toEqual([rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])]);
    expect(back.text()).toBe(bucket.text());
    expect(OpenBucket.unpack(new OpenBucket().pack()).codes).toEqual([]);
  });
});

describe('code order', () => {
  it('orders codes as SQLite orders text (by UTF-8 bytes), beyond U+FFFF and in U+E000–U+FFFF too', () => {
    const letters = ['A', 'z', '0', '-', '中', '\uE000', '\uFFFD', '𠀀', '😀', 'é'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const codes = Array.from({ length: 500 }, () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => letters[Math.floor(random() * letters.length)]).join(''));
    const db = openDatabase(':memory:');
    const bySqlite = db.$client.prepare('SELECT value FROM json_each(?) ORDER BY value').pluck().all(JSON.stringify(codes));
    expect([...codes].sort(compareCodes)).toEqual(bySqlite);
    expect([...codes].sort()).not.toEqual(bySqlite); // JavaScript's own order differs: the reason for compareCodes
  });
});

describe('in the job that publishes', () => {
  // The server publishes in its job thread, whose services keep the state; the same job runs here
  // in this thread (inline), with the same code.
  it('after a command-line publish came in between, a publish job loads the published state again for the next one', async () => {
    const db = copyOfDemo('server');
    const services = createServices(db, defaultConfig(), { jobs: 'inline' });
    try {
      await services.jobs.result(services.jobs.submit('publish', { title: '第1版' }, SYSTEM_ACTOR).id);
      expect(services.publishedState.kept(1)).toBeDefined();
      // Another process publishes version 2: the kept state (version 1) is now stale.
      const cli = openDatabase(db.$client.name);
      change(cli, 2);
      publishVersion(testServices(cli), SYSTEM_ACTOR, { title: '第2版（命令行）' });
      cli.$client.close();
      change(db, 3);
      const result = await services.jobs.result(services.jobs.submit('publish', { title: '第3版' }, SYSTEM_ACTOR).id);
      expect(result.version).toBe(3);
      // The publish itself read the state from the database and kept none; the job loads it again.
      for (let waited = 0; !services.publishedState.kept(3) && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      expect(services.publishedState.kept(3)).toBeDefined();
    } finally {
      await stopServices(services);
      db.$client.close();
    }
  });

  it('the server publishes through its job runner and answers as before', async () => {
    const db = copyOfDemo('server-http');
    const server = await startTestServer(db);
    try {
      const legal = server.client();
      await legal.login('legal');
      const reply = await legal.sendJson('POST', '/api/v1/versions', { title: '第1版', confirm: '确认发布' }, await legal.csrfToken());
      expect(reply.status).toBe(201);
      expect(reply.json().version).toBe(1);
      expect(server.services.jobs.list().map((j) => [j.kind, j.state])).toEqual([['publish', 'done']]);
    } finally {
      await server.close();
      db.$client.close();
    }
  });
});

describe('the reading thread', () => {
  it('asked to start twice at once, starts one thread', async () => {
    const db = copyOfDemo('twice');
    const services = testServices(db);
    let threads = 0;
    const count = () => threads++;
    process.on('worker', count);
    try {
      expect(await Promise.all([services.publishReader.start(), services.publishReader.start()])).toEqual([true, true]);
      expect(await services.publishReader.start()).toBe(true);
      expect(threads).toBe(1);
    } finally {
      process.off('worker', count);
      await services.publishReader.stop();
      db.$client.close();
    }
  });
});
