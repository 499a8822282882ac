// npm run bench:search — 1,000 queries of 1 to 10 characters cut from real item names (the district
// list in data/demo) against a published version of 1,000,000 items (BENCH_ITEMS), through the same
// reader the version pages and /api/v1/versions/:n/items use: search, rank, count, read the page's
// 20 items. Prints the index build time and memory, and p50/p95/max per query length.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/client.js';
import { parseCsv } from '../db/seed/csv.js';
import { defaultConfig } from '../server/config.js';
import { createServices } from '../server/services.js';
import { getVersion, publishedCatalogue } from '../server/publication/reader.js';
import { rng } from './content.js';
import { publishedDatabase } from './base.js';

const n = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const path = await publishedDatabase(n);
const db = openDatabase(path);
const services = createServices(db, defaultConfig({ dbPath: path }));
const version = getVersion(db, 1)!;

const heapBefore = process.memoryUsage().heapUsed;
let t = performance.now();
const index = services.searchIndex.current();
const buildMs = performance.now() - t;
const mem = process.memoryUsage();
console.log(
  `index of ${index.size} revisions built in ${(buildMs / 1000).toFixed(2)} s; typed arrays ${(index.typedBytes() / 1048576).toFixed(0)} MB, ` +
    `heap +${((mem.heapUsed - heapBefore) / 1048576).toFixed(0)} MB, RSS ${(mem.rss / 1048576).toFixed(0)} MB`,
);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [header, ...rows] = parseCsv(readFileSync(join(root, 'data/demo/district-service-items.csv'), 'utf8'));
const names = rows.map((r) => r[header!.indexOf('item_name')]!).filter((s) => s && s.length >= 10);
const random = rng(7);
const queries: string[] = [];
for (let len = 1; len <= 10; len++) {
  for (let i = 0; i < 100; i++) {
    const name = names[Math.floor(random() * names.length)]!;
    const at = Math.floor(random() * (name.length - len + 1));
    queries.push(name.slice(at, at + len));
  }
}

const reader = publishedCatalogue(services, version);
// Warm-up: the OpenCC tables and the statement cache.
for (const q of queries.slice(0, 20)) reader.listItems({ q, page: 1, pageSize: 20 });

const times = new Map<number, number[]>();
const totals = new Map<number, number[]>();
for (const q of queries) {
  t = performance.now();
  const page = reader.listItems({ q, page: 1, pageSize: 20 });
  const ms = performance.now() - t;
  (times.get(q.length) ?? times.set(q.length, []).get(q.length)!).push(ms);
  (totals.get(q.length) ?? totals.set(q.length, []).get(q.length)!).push(page.total);
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
console.log('length  queries  p50 ms  p95 ms  max ms  median hits');
let worst = 0;
for (const [len, xs] of [...times].sort((a, b) => a[0] - b[0])) {
  worst = Math.max(worst, pct(xs, 95));
  console.log(
    `${String(len).padStart(6)}  ${String(xs.length).padStart(7)}  ${pct(xs, 50).toFixed(2).padStart(6)}  ${pct(xs, 95).toFixed(2).padStart(6)}  ${Math.max(...xs).toFixed(2).padStart(6)}  ${String(pct(totals.get(len)!, 50)).padStart(11)}`,
  );
}
const all = [...times.values()].flat();
console.log(`all ${all.length} queries: p50 ${pct(all, 50).toFixed(2)} ms, p95 ${pct(all, 95).toFixed(2)} ms; worst p95 of a length ${worst.toFixed(2)} ms`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(`Target: p95 under 20 ms at 1M items for every query length — ${worst < 20 ? 'met' : 'MISSED'}.`);
db.$client.close();
