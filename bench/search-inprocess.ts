// In-process timings of the public search's parts at BENCH_ITEMS (1,000,000) published items, on the
// queries bench/search.ts asks: the index lookup (searchVersion), the page's rows read from SQLite and
// parsed, and the JSON answer — min and median over repetitions, so the figures hold on a busy machine.
// Run: node --import tsx bench/search-inprocess.ts  (needs bench/out/published-<n>.db; see bench/base.ts)
import { join } from 'node:path';
import { openDatabase } from '../db/client.js';
import { searchQueries } from './content.js';
import { publishedDatabase } from './base.js';
import { load } from './http-app.js';
import { createServices } from '../server/services.js';
import { defaultConfig } from '../server/config.js';
import { searchVersion } from '../server/publication/search.js';
import { publishedCatalogue } from '../server/publication/reader.js';
import { latestVersion } from '../db/queries/publication/versions.js';

const n = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const reps = Number(process.env.REPS ?? 5);
const path = await publishedDatabase(n);
const db = openDatabase(path);
const services = createServices(db, defaultConfig({ dbPath: path, demo: false }));
let t = performance.now();
const index = services.searchIndex.current();
console.log(`index built in ${((performance.now() - t) / 1000).toFixed(1)} s, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB, typed ${(index.typedBytes() / 1e6).toFixed(0)} MB`);
const version = latestVersion(db)!;
const reader = publishedCatalogue(services, version);
const synonyms = services.synonyms.current();

const queries = searchQueries();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
for (const q of queries.slice(0, 100)) searchVersion(index, version.number, { q, page: 1, pageSize: 20 }, synonyms);

const only = process.env.ONLY; // "search" to time the lookup alone (for a CPU profile)
const byLen = new Map<number, { search: number[]; first: number[]; page: number[]; total: number[] }>();
const slow: [number, string, number][] = [];
for (const q of queries) {
  const s: number[] = [];
  const p: number[] = [];
  let total = 0;
  for (let r = 0; r < reps; r++) {
    t = performance.now();
    const hits = searchVersion(index, version.number, { q, page: 1, pageSize: 20 }, synonyms);
    s.push(performance.now() - t);
    total = hits.total;
    if (only === 'search') continue;
    t = performance.now();
    const result = reader.listItems({ q, page: 1, pageSize: 20 });
    JSON.stringify({ total: result.total, items: result.items });
    p.push(performance.now() - t - s[s.length - 1]!);
  }
  const e = byLen.get(q.length) ?? byLen.set(q.length, { search: [], first: [], page: [], total: [] }).get(q.length)!;
  e.search.push(Math.min(...s));
  e.first.push(s[0]!);
  if (p.length) e.page.push(Math.min(...p));
  e.total.push(total);
  slow.push([Math.min(...s), q, total]);
}
console.log(`${n} items, in process, min of ${reps} per query and the first (cold) run (${load()})`);
console.log('length  search p50  search p95  search max  first p50  first p95  rest(page) p50  rest p95  median hits');
for (const [len, e] of [...byLen].sort((a, b) => a[0] - b[0])) {
  console.log(
    `${String(len).padStart(6)}  ${median(e.search).toFixed(2).padStart(10)}  ${pct(e.search, 95).toFixed(2).padStart(10)}  ${Math.max(...e.search).toFixed(2).padStart(10)}  ${median(e.first).toFixed(2).padStart(9)}  ${pct(e.first, 95).toFixed(2).padStart(9)}  ${(e.page.length ? median(e.page) : 0).toFixed(2).padStart(14)}  ${(e.page.length ? pct(e.page, 95) : 0).toFixed(2).padStart(8)}  ${String(median(e.total)).padStart(11)}`,
  );
}
console.log('slowest lookups:', slow.sort((a, b) => b[0] - a[0]).slice(0, 12).map(([ms, q, tot]) => `${q}(${tot}) ${ms.toFixed(1)}`).join(', '));
