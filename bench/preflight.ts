// npm run bench:preflight — the publish page's comparison of the working catalogue with the last version
// (issue 13): builds a catalogue (BENCH_ITEMS, default 200,000) and, before the first publish and after
// one with BENCH_CHANGES_PCT (default 1) per cent of the items changed, times in this process the
// comparison run in background slices (wall time to done, and the longest the request thread was held,
// seen by a 1 ms timer) against the same comparison in one go (how long every request waited before).
// Prints the machine's load with the figures (other work slows them).
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/client.js';
import { SYSTEM_ACTOR } from '../db/audit.js';
import { publishVersion, touchedSince } from '../server/publication/publish.js';
import { openErrorsByRule, workingCatalogueStamp } from '../db/queries/publication/preflight.js';
import { latestVersion } from '../db/queries/publication/versions.js';
import { publishPreflight } from '../server/publication/preflight.js';
import { defaultConfig } from '../server/config.js';
import { createServices } from '../server/services.js';
import { OUT, baseDatabase, buildCatalogue, copyDatabase, removeDatabase } from './base.js';

const n = Number(process.env.BENCH_ITEMS ?? 200_000);
const pct = Number(process.env.BENCH_CHANGES_PCT ?? 1);
const base = await baseDatabase();
const path = join(OUT, `preflight-${n}.db`);
copyDatabase(base, path);
const db = openDatabase(path);
const sqlite = db.$client;
const config = defaultConfig({ dbPath: path });
const services = createServices(db, config, { jobs: 'inline' });
let t = performance.now();
buildCatalogue(db, n);
console.log(`built ${n} items in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const q = { page: 1, pageSize: config.pageSize };

/** The comparison in background slices: wall time, the first request's time, and the longest gap a 1 ms timer saw. */
async function sliced(what: string) {
  let longest = 0;
  let expected = performance.now() + 1;
  let ticking = true;
  const probe = () => {
    const now = performance.now();
    longest = Math.max(longest, now - expected);
    expected = now + 1;
    if (ticking) setTimeout(probe, 1);
  };
  setTimeout(probe, 1);
  const preflight = publishPreflight(db);
  const start = performance.now();
  const first = await preflight.pageSoon(q);
  const firstMs = performance.now() - start;
  await preflight.ready();
  const total = performance.now() - start;
  ticking = false;
  await new Promise((r) => setTimeout(r, 3));
  t = performance.now();
  const done = preflight.page(q);
  const pageMs = performance.now() - t;
  console.log(
    `${what}, in slices: the first look answered in ${firstMs.toFixed(0)} ms (${first.progress ? `progress ${first.progress.done} / ${first.progress.total}` : 'the list'}); done in ${(total / 1000).toFixed(1)} s; the request thread held at most ${longest.toFixed(0)} ms at a time; ${done.diff?.counts.total} changes; ${preflight.slices().count} slices, the longest ${preflight.slices().longestMs.toFixed(0)} ms; then a page of them in ${pageMs.toFixed(0)} ms`,
  );
  const parts: [string, () => unknown][] = [
    ['open errors by rule', () => openErrorsByRule(db)],
    ['working catalogue stamp', () => workingCatalogueStamp(db)],
    ['latest version', () => latestVersion(db)],
    ['touched since the last version', () => { const v = latestVersion(db); return v ? touchedSince(db, v.publishedAt) : null; }],
  ];
  console.log('  ' + parts.map(([name, f]) => { const t = performance.now(); f(); return `${name} ${(performance.now() - t).toFixed(0)} ms`; }).join('; '));
}
function inOneGo(what: string) {
  const t = performance.now();
  const p = publishPreflight(db, { syncLimit: Infinity }).page(q);
  console.log(`${what}, in one go (as before): every request waited ${(performance.now() - t).toFixed(0)} ms; ${p.diff?.counts.total} changes`);
}

await sliced(`before the first publish (${n} items)`);
if (process.env.BENCH_ONE_GO !== '0') inOneGo(`before the first publish (${n} items)`);
if (process.env.BENCH_ONLY_FIRST === '1') process.exit(0);
t = performance.now();
publishVersion(services, SYSTEM_ACTOR, { title: '第1版' });
console.log(`published version 1 in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await new Promise((r) => setTimeout(r, 5));
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
sqlite.prepare(`UPDATE items SET promised_limit_days = 5, remarks = '第2版调整', updated_at = ${NOW} WHERE id IN (SELECT id FROM items ORDER BY random() LIMIT ?)`).run(Math.round((n * pct) / 100));
await sliced(`${pct}% of ${n} items changed`);
inOneGo(`${pct}% of ${n} items changed`);
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on this machine while measuring`);
await services.jobs.close();
sqlite.close();
removeDatabase(path);
