// The publish page compares the working catalogue with the last version a slice at a time between
// requests: at a million items the comparison in one go held every request of the server for 64.6 s
// (before a first publish) or 738 ms (1% changed), issue 13.
import { describe, expect, it } from 'vitest';
import { emptyDb } from '../../support/db.js';
import { testServices } from '../../support/services.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { publishVersion, touchedSince, touchedSincePages } from '../../../server/publication/publish.js';
import { latestVersion } from '../../../db/queries/publication/versions.js';
import { publishPreflight } from '../../../server/publication/preflight.js';
import type { Db } from '../../../db/client.js';

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
const q = { page: 1, pageSize: 20 };

/** A catalogue of `count` items in two departments. */
function catalogue(count: number): Db {
  const db = emptyDb();
  const sql = db.$client;
  const depts = ['A', 'B'].map((c) => Number(sql.prepare("INSERT INTO departments (code, name) VALUES (?, ?)").run(`D${c}`, `测试局${c}`).lastInsertRowid));
  const insert = sql.prepare("INSERT INTO items (code, name, category, department_id, materials) VALUES (?, ?, 'permit', ?, '申请书')");
  sql.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`T-${String(i).padStart(5, '0')}`, `测试许可${i}`, depts[i % 2]);
  })();
  return db;
}

/** Changes the name of the first `count` items (after a publish: they are pending changes). */
const rename = (db: Db, count: number, suffix = '（改）') =>
  db.$client.prepare(`UPDATE items SET name = name || ?, updated_at = ${NOW} WHERE id IN (SELECT id FROM items ORDER BY id LIMIT ?)`).run(suffix, count);

/** Watches the comparison from setImmediate callbacks (as requests arriving meanwhile): the progress each saw. */
function watch(preflight: ReturnType<typeof publishPreflight>): number[] {
  const seen: number[] = [];
  const tick = () => {
    const p = preflight.page(q).progress;
    if (p) {
      seen.push(p.done);
      setImmediate(tick);
    }
  };
  setImmediate(tick);
  return seen;
}

/** A published catalogue of 3,000 items, 1,000 of them renamed since, its comparison started by a look at the page. */
function comparing() {
  const db = catalogue(3000);
  publishVersion(testServices(db), SYSTEM_ACTOR, { title: '第1版' });
  rename(db, 1000);
  const preflight = publishPreflight(db, { chunk: 20, syncLimit: 0, sliceMs: 0 });
  preflight.page(q);
  return { db, preflight };
}

/** Lets n turns of the event loop pass (the comparison runs a slice per turn). */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('the publish preflight in slices', () => {
  it("the publish page's comparison yields to other requests between slices", async () => {
    const db = catalogue(3000);
    publishVersion(testServices(db), SYSTEM_ACTOR, { title: '第1版' });
    rename(db, 2000);
    const preflight = publishPreflight(db, { chunk: 20, syncLimit: 0, sliceMs: 0 });
    expect(preflight.page(q).progress).toEqual({ done: 0, total: 2000, firstPublish: false });
    const seen = watch(preflight);
    await preflight.ready();
    // Other work ran between the slices, and saw the comparison move on.
    expect(seen.length).toBeGreaterThan(3);
    expect(new Set(seen).size).toBeGreaterThan(3);
    expect(seen.every((n, i) => i === 0 || n >= seen[i - 1]!)).toBe(true);
    // Once done, the page is what a comparison in one go shows.
    const done = preflight.page(q);
    expect(done.progress).toBeNull();
    expect(done.diff?.counts).toMatchObject({ changed: 2000, total: 2000 });
    expect(done.diff).toEqual(publishPreflight(db, { syncLimit: Infinity }).page(q).diff);
  });

  it('before the first publish the live items are read a page at a time, yielding between pages', async () => {
    const db = catalogue(3000);
    const preflight = publishPreflight(db, { chunk: 10, syncLimit: 0, sliceMs: 0 });
    expect(preflight.page(q).progress).toEqual({ done: 0, total: 3000, firstPublish: true });
    const seen = watch(preflight);
    await preflight.ready();
    expect(new Set(seen).size).toBeGreaterThan(3);
    const done = preflight.page(q);
    expect(done.diff?.counts).toMatchObject({ added: 3000, total: 3000 });
    expect(done.diff).toEqual(publishPreflight(db, { syncLimit: Infinity }).page(q).diff);
  });

  it('a change to the working catalogue while the comparison runs stops it; it starts again on the new state only when the page is looked at', async () => {
    const { db, preflight } = comparing();
    await turns(3);
    expect(preflight.slices().count).toBeGreaterThan(0);
    // A later change, with no one looking at the page meanwhile: the background comparison notices and stops.
    db.$client.prepare(`UPDATE items SET name = name || '（再改）', updated_at = ${NOW} WHERE code = 'T-02999'`).run();
    await turns(3);
    expect(preflight.slices().count).toBe(0);
    await turns(20);
    expect(preflight.slices().count).toBe(0);
    // The next look compares the new state.
    expect(preflight.page(q).progress).not.toBeNull();
    await preflight.ready();
    expect(preflight.page(q).diff?.counts).toMatchObject({ changed: 1001, total: 1001 });
  });

  it('starting a publish stops the comparison the publish page started', async () => {
    const { preflight } = comparing();
    await turns(1);
    preflight.abandon();
    await turns(20);
    expect(preflight.slices().count).toBe(0);
  });

  it('a small comparison is done within the request, as before', () => {
    const db = catalogue(300);
    const p = publishPreflight(db).page(q);
    expect(p.progress).toBeNull();
    expect(p.diff?.counts).toMatchObject({ added: 300 });
  });

  it('the touched items are read a page at a time, each once, the sub-items of changed items with them', () => {
    const db = catalogue(300);
    // Items 11–20 are sub-items of item 1; after a publish, item 1 and 150 others change.
    db.$client.prepare('UPDATE items SET parent_id = 1 WHERE id BETWEEN 11 AND 20').run();
    publishVersion(testServices(db), SYSTEM_ACTOR, { title: '第1版' });
    db.$client.prepare(`UPDATE items SET name = name || '（改）', updated_at = ${NOW} WHERE id = 1 OR id > 150`).run();
    const since = latestVersion(db)!.publishedAt;
    const pages = [...touchedSincePages(db, since, 40)];
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.every((p) => p.length <= 40 + 10)).toBe(true);
    const all = pages.flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => a - b)).toEqual([...touchedSince(db, since)].sort((a, b) => a - b));
    expect(all).toEqual(expect.arrayContaining([1, 11, 20, 151, 300]));
  });
});
