// npm run bench:diff — a comparison of 10,000 changes, paged: builds a catalogue (BENCH_ITEMS, default
// 100,000), publishes it, changes BENCH_CHANGES items (default 10,000: most changed, some removed, some
// added) and publishes again; then times, in this process, the first page of the comparison as data
// (versionDiffPage) and as the rendered page over HTTP (GET /versions/1/diff/2 on the app listening on a
// loopback port; the first request lists the pair's changes, later ones reuse them), and the publish
// preflight's first page before the second publish. Target: the first page under 200 ms. Prints the machine's load with the figures (other work slows them).
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../db/client.js';
import { SYSTEM_ACTOR } from '../db/audit.js';
import { publishVersion } from '../server/publication/publish.js';
import { versionDiffPage } from '../server/publication/diff.js';
import { publishPreflight } from '../server/publication/preflight.js';
import { defaultConfig } from '../server/config.js';
import { createServices } from '../server/services.js';
import { createApp } from '../server/app.js';
import { OUT, baseDatabase, buildCatalogue, copyDatabase, removeDatabase } from './base.js';

const n = Number(process.env.BENCH_ITEMS ?? 100_000);
const changes = Number(process.env.BENCH_CHANGES ?? 10_000);
const TARGET_MS = 200;
const base = await baseDatabase();
const path = join(OUT, `diff-${n}.db`);
copyDatabase(base, path);
const db = openDatabase(path);
const sqlite = db.$client;
const config = defaultConfig({ dbPath: path });
const services = createServices(db, config, { jobs: 'inline' });
buildCatalogue(db, n);
// A tenth of the changes are items that come back in version 2 (absent from version 1: added).
const all = sqlite.prepare('SELECT id FROM items WHERE removed_at IS NULL ORDER BY random() LIMIT ?').pluck().all(changes) as number[];
const comeBack = all.slice(0, Math.round(changes / 10));
const leave = all.slice(comeBack.length, comeBack.length * 2);
const change = all.slice(comeBack.length * 2);
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
const run = (statement: string, ids: number[]) => sqlite.transaction(() => ids.forEach((id) => sqlite.prepare(statement).run(id)))();
run(`UPDATE items SET removed_at = ${NOW}, updated_at = ${NOW} WHERE id = ?`, comeBack);
publishVersion(services, SYSTEM_ACTOR, { title: '第1版' });
await new Promise((r) => setTimeout(r, 5));
run(`UPDATE items SET removed_at = NULL, updated_at = ${NOW} WHERE id = ?`, comeBack);
run(`UPDATE items SET removed_at = ${NOW}, updated_at = ${NOW} WHERE id = ?`, leave);
run(`UPDATE items SET promised_limit_days = 5, remarks = '第2版调整', updated_at = ${NOW} WHERE id = ?`, change);

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (f: () => unknown | Promise<unknown>, runs = 7) => {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return { first: out[0]!, median: median(out.slice()) };
};
const show = (what: string, r: { first: number; median: number }) =>
  console.log(`${what}: first ${r.first.toFixed(1)} ms, median of 7 ${r.median.toFixed(1)} ms ${r.median < TARGET_MS ? '(meets' : '(MISSES'} the ${TARGET_MS} ms target)`);

const app = createApp({ db, config, services });
const server = await new Promise<import('node:http').Server>((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
});
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const preflight = publishPreflight(db);
show(`publish preflight, first page of ${changes} pending changes (data; first = compared in background slices, then kept until the catalogue changes)`, await time(async () => {
  await preflight.ready();
  return preflight.page({ page: 1, pageSize: config.pageSize });
}));
publishVersion(services, SYSTEM_ACTOR, { title: '第2版' });
const page = versionDiffPage(db, 1, 2, { page: 1, pageSize: config.pageSize });
console.log(`items ${n}; comparison 1→2: ${page.counts.added} added, ${page.counts.changed} changed, ${page.counts.removed} removed, ${page.byDepartment.length} departments`);
show('first page as data (versionDiffPage, listing the changes every time)', await time(() => versionDiffPage(db, 1, 2, { page: 1, pageSize: config.pageSize })));
show('first page rendered, GET /versions/1/diff/2', await time(async () => {
  const r = await fetch(`${url}/versions/1/diff/2`, { headers: { 'cache-control': 'no-cache' } });
  if (r.status !== 200) throw new Error(`status ${r.status}`);
  await r.text();
}));
show('JSON twin, GET /api/v1/versions/1/diff/2', await time(async () => (await fetch(`${url}/api/v1/versions/1/diff/2`)).json()));
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on this machine while measuring`);
server.close();
await services.jobs.close();
sqlite.close();
// BENCH_KEEP=1 keeps the database (bench/out/diff-N.db) to look into.
if (!process.env.BENCH_KEEP) removeDatabase(path);
