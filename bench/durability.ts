// npm run bench:durability — what synchronous=FULL costs against NORMAL on this disk, in WAL mode, for the
// writes the product makes: a clerk's small commit (one row changed and its audit entry, its own
// transaction) and an import-sized transaction (100,000 rows in one commit). Each setting runs on a fresh
// database file in bench/out/ (on the disk the catalogue lives on; a tmpfs would hide the fsync).
// BENCH_COMMITS sets the number of small commits (default 300).
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OUT } from './base.js';

const commits = Number(process.env.BENCH_COMMITS ?? 300);
const BIG_ROWS = 100_000;

function run(setting: 'NORMAL' | 'FULL') {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `durability-${setting}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${setting}`);
  db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, remarks TEXT, row_version INTEGER);
           CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT, action TEXT, after TEXT, hash TEXT);
           CREATE TABLE staged (id INTEGER PRIMARY KEY, sheet TEXT, row INTEGER, cells TEXT)`);
  const seed = db.prepare('INSERT INTO items (name, remarks, row_version) VALUES (?, ?, 1)');
  db.transaction(() => {
    for (let i = 0; i < 2_000; i++) seed.run(`事项${i}`, '');
  })();
  const update = db.prepare('UPDATE items SET remarks = ?, row_version = row_version + 1 WHERE id = ?');
  const audit = db.prepare("INSERT INTO audit (at, action, after, hash) VALUES (datetime('now'), 'item.update', ?, ?)");
  const small = db.transaction((i: number) => {
    update.run(`备注 ${i}`, (i % 2_000) + 1);
    audit.run(JSON.stringify({ remarks: `备注 ${i}` }), 'x'.repeat(64));
  });
  const times: number[] = [];
  for (let i = 0; i < commits; i++) {
    const t = performance.now();
    small(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const stage = db.prepare('INSERT INTO staged (sheet, row, cells) VALUES (?, ?, ?)');
  const t0 = performance.now();
  db.transaction(() => {
    for (let r = 0; r < BIG_ROWS; r++) stage.run('事项清单', r, JSON.stringify(['某某许可', '行政许可', '区行政审批局', '《某某法》第十二条', r]));
  })();
  const bigMs = performance.now() - t0;
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
  return { setting, median: at(0.5), p95: at(0.95), max: times.at(-1)!.toFixed(2), perSecond: Math.round(commits / (times.reduce((a, b) => a + b, 0) / 1000)), bigMs: bigMs.toFixed(0) };
}

console.log(`synchronous, WAL mode: ${commits} small commits (a row and its audit entry), then one commit of ${BIG_ROWS.toLocaleString()} rows`);
console.log('setting   small commit ms: median   p95    max   commits/s   big commit ms');
for (const setting of ['NORMAL', 'FULL', 'NORMAL', 'FULL'] as const) {
  const r = run(setting);
  console.log(`${r.setting.padEnd(8)}  ${r.median.padStart(24)} ${r.p95.padStart(6)} ${r.max.padStart(6)} ${String(r.perSecond).padStart(11)} ${r.bigMs.padStart(15)}`);
}
