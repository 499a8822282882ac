// npm run bench:serve — requests per second of a published version's item and list pages, next to
// express.static serving the same HTML, in the same run. Each server runs in its own child process (one
// Node process each, on 127.0.0.1); autocannon loads them from this process, anonymous visitors with no
// cookies (so the product also issues a CSRF cookie on every response). The product's cached published
// pages are answered by its fast path ahead of Express (server/http/fast-path.ts), as `catalogue serve`
// does. BENCH_ITEMS sets the catalogue size (default 100,000), BENCH_SECONDS the length of each
// measurement (default 10). Each product figure is taken next to nginx's for the same page; `uptime` is
// printed at the start and the end, since the ratio moves with the machine's load.
// Where /usr/sbin/nginx is installed, nginx runs deploy/nginx.conf (as tests/support/nginx.ts templates it)
// serving the same bytes as files, and the version's static export (written once per size into bench/out/,
// BENCH_EXPORT=1 writes it again): the product ÷ nginx is printed against the aim of 0.5×.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUT, publishedDatabase, copyDatabase, removeDatabase } from './base.js';
import { nginxInstalled, startNginx, NGINX } from '../tests/support/nginx.js';
import { fileName } from '../exports/static-site.js';

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface Result {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; requests?: { setupRequest: (r: { path: string }) => { path: string } }[] }) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const HERE = dirname(fileURLToPath(import.meta.url));
const n = Number(process.env.BENCH_ITEMS ?? 100_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 10;

const published = await publishedDatabase(n);
const dbPath = join(OUT, `serve-${n}.db`);
copyDatabase(published, dbPath);
const staticDir = join(OUT, 'static');
mkdirSync(staticDir, { recursive: true });

const children: ChildProcess[] = [];
const stopAll = () => {
  for (const c of children) if (c.connected) c.disconnect();
};
process.on('exit', stopAll);

/** Forks a server process and resolves to its base URL once it listens. */
function startWorker(kind: 'app' | 'static', target: string): Promise<string> {
  const child = fork(join(HERE, 'serve-worker.ts'), [kind, target], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(`http://127.0.0.1:${(m as { port: number }).port}`));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

const app = await startWorker('app', dbPath);
const itemCode = `PUB-${String(Math.ceil(n / 2)).padStart(7, '0')}`;
const itemPath = `/versions/1/items/${itemCode}`;
const listPath = '/versions/1';

// The static copies: exactly what the product sends an anonymous visitor (with that visitor's token).
const pages: Record<'item' | 'list', { app: string; static: string; bytes: number }> = {} as never;
// The server builds its search index in the background at start and answers 503 until it is ready.
// (An item page may answer 404 while the index is still loading the slice that holds it: wait for both.)
const ready = async () => (await fetch(app + listPath)).status === 200 && (await fetch(app + itemPath)).status === 200;
for (let waited = 0; !(await ready()) && waited < 600_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
for (const [name, path] of [['item', itemPath], ['list', listPath]] as const) {
  const res = await fetch(app + path);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  const html = Buffer.from(await res.arrayBuffer());
  writeFileSync(join(staticDir, `${name}.html`), html);
  pages[name] = { app: path, static: `/${name}.html`, bytes: html.length };
}
const stat = await startWorker('static', staticDir);

const run = async (url: string, duration: number) => autocannon({ url, connections, duration });
const rows: { label: string; r: Result }[] = [];
const measure = async (label: string, url: string) => {
  await run(url, 2); // warm-up: JIT, caches, connections
  const r = await run(url, seconds);
  rows.push({ label, r });
  return r;
};
const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim() ?? `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

// nginx in front (deploy/nginx.conf) serving the same bytes as files, started before any measurement so
// that each product figure is taken right next to nginx's for the same page (the machine's load drifts).
let nginx: Awaited<ReturnType<typeof startNginx>> | null = null;
if (nginxInstalled()) {
  const site = join(OUT, `site-${n}`);
  if (!existsSync(join(site, 'index.html')) || process.env.BENCH_EXPORT === '1') {
    console.log(`exporting the static site of version 1 to ${site} …`);
    const r = spawnSync(process.execPath, [join(HERE, '..', 'bin', 'catalogue.js'), '--db', dbPath, 'export-site', '--version', '1', '--out', site], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`export-site exited with ${r.status}`);
  }
  const root = join(OUT, 'nginx-root');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const name of ['item', 'list'] as const) copyFileSync(join(staticDir, `${name}.html`), join(root, `${name}.html`));
  symlinkSync(site, join(root, 'site'));
  nginx = await startNginx(root, new URL(app).host);
} else console.log(`(nginx: skipped, ${NGINX} is not installed)`);

console.log(`${n} published items; ${connections} connections, ${seconds} s per measurement after a 2 s warm-up; item page ${pages.item.bytes} B, list page ${pages.list.bytes} B`);
console.log(`at start: ${uptime()}`);
let nginxFigures: { item: Result; list: Result; exported: Result } | null = null;
let itemApp: Result, listApp: Result, itemStatic: Result, listStatic: Result;
try {
  itemApp = await measure(`item page   product  ${pages.item.app}`, app + pages.item.app);
  const itemNginx = nginx ? await measure('item page   nginx (same bytes, deploy/nginx.conf)', `${nginx.url}/item.html`) : null;
  listApp = await measure(`list page   product  ${pages.list.app}`, app + pages.list.app);
  const listNginx = nginx ? await measure('list page   nginx (same bytes, deploy/nginx.conf)', `${nginx.url}/list.html`) : null;
  itemStatic = await measure('item page   express.static', stat + pages.item.static);
  listStatic = await measure('list page   express.static', stat + pages.list.static);
  if (nginx && itemNginx && listNginx) {
    nginxFigures = { item: itemNginx, list: listNginx, exported: await measure('item page   nginx static export', `${nginx.url}/site/items/${fileName(itemCode)}.html`) };
  }
} finally {
  await nginx?.stop();
}

// For information (no target): item pages at random codes, which a bounded cache mostly has not seen.
let seed = 7;
const randomCode = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return `PUB-${String((seed % n) + 1).padStart(7, '0')}`;
};
await run(app + itemPath, 1);
rows.push({
  label: 'item pages  product  random codes (uncached renders, info)',
  r: await autocannon({ url: app + itemPath, connections, duration: seconds, requests: [{ setupRequest: (req) => ({ ...req, path: `/versions/1/items/${randomCode()}` }) }] }),
});

console.log('\nwhat                                                          req/s   p50 ms  p99 ms  non-2xx  errors');
for (const { label, r } of rows) {
  console.log(
    [label.padEnd(60), r.requests.average.toFixed(0).padStart(7), String(r.latency.p50).padStart(7), String(r.latency.p99).padStart(7), String(r.non2xx).padStart(8), String(r.errors + r.timeouts).padStart(7)].join(' '),
  );
}
const itemRatio = itemApp.requests.average / itemStatic.requests.average;
const listRatio = listApp.requests.average / listStatic.requests.average;
const ok = (x: number) => (x >= 0.9 ? 'met' : 'NOT met');
console.log(`\nproduct / express.static: item page ${itemRatio.toFixed(2)}× (${ok(itemRatio)}), list page ${listRatio.toFixed(2)}× (${ok(listRatio)}); target ≥ 0.90×`);
if (nginxFigures) {
  const itemNginx = itemApp.requests.average / nginxFigures.item.requests.average;
  const listNginx = listApp.requests.average / nginxFigures.list.requests.average;
  const aim = (x: number) => (x >= 0.5 ? 'met' : 'NOT met');
  console.log(`product (Node) ÷ nginx (same bytes): item page ${itemNginx.toFixed(2)}× (${aim(itemNginx)}), list page ${listNginx.toFixed(2)}× (${aim(listNginx)}); aim ≥ 0.50×`);
  console.log(`nginx serving the static export's item page: ${nginxFigures.exported.requests.average.toFixed(0)} req/s (what anonymous visitors get behind deploy/nginx.conf)`);
}
console.log(`at end: ${uptime()}`);
console.log('(2 shared cores: other processes running at the same time move these figures; a ratio near 0.9 is within noise.)');

stopAll();
removeDatabase(dbPath);
