// npm run bench:check — runs every rule over 100,000 and 1,000,000 items of a generated catalogue (real
// registry, realistic names and citations) and prints items/s. Data is generated under bench/out/.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase } from '../db/client.js';
import { checkedItems } from '../server/checks/load.js';
import { buildCheckContext, checkDeps } from '../server/checks/context.js';
import { checkItem } from '../server/checks/engine.js';
import { updateInstrument } from '../server/catalogue/instruments.js';
import { SYSTEM_ACTOR } from '../db/audit.js';
import { benchRow, rng } from './content.js';
import { normalizeItemName } from '../server/domain/item-names.js';
import { OUT, baseDatabase, categoryCode, copyDatabase, removeDatabase } from './base.js';

const base = await baseDatabase();

for (const n of (process.env.BENCH_ITEMS ?? '100000,1000000').split(',').map(Number)) {
  const path = join(OUT, `check-${n}.db`);
  copyDatabase(base, path);
  const db = openDatabase(path);
  const sqlite = db.$client;
  const departments = (sqlite.prepare('SELECT id FROM departments').all() as { id: number }[]).map((d) => d.id);
  const instruments = sqlite.prepare('SELECT id, title FROM legal_instruments').all() as { id: number; title: string }[];
  const random = rng(7);
  const t0 = performance.now();
  const insertItem = sqlite.prepare(
    'INSERT INTO items (code, name, name_key, category, department_id, statutory_limit_days, promised_limit_days, instant, fee_charged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertCitation = sqlite.prepare('INSERT INTO citations (item_id, seq, instrument_id, title, article, role) VALUES (?, ?, ?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const row = benchRow(i, random);
      const id = Number(
        insertItem.run(`CHK-${i}`, row[2], normalizeItemName(row[2]!), categoryCode(row[3]!), departments[i % departments.length], 20, random() < 0.05 ? 25 : 10, 0, random() < 0.02 ? 1 : 0).lastInsertRowid,
      );
      if (random() < 0.05) continue; // no basis
      const inst = instruments[Math.floor(random() * instruments.length)]!;
      if (random() < 0.03) insertCitation.run(id, 0, null, '广安市某某管理办法', '第二条', 'setting');
      else insertCitation.run(id, 0, inst.id, inst.title, '第十二条', 'setting');
    }
  })();
  const built = performance.now() - t0;
  const t1 = performance.now();
  const deps = checkDeps(db);
  const ctx = buildCheckContext(deps, { scope: 'catalogue' });
  let items = 0;
  let flags = 0;
  // BENCH_CHECKSUM=1: a hash of every finding (item, rule, severity, message), to hold a speed-up to the same list.
  const hash = process.env.BENCH_CHECKSUM ? createHash('sha256') : null;
  for (const item of checkedItems(deps.checks)) {
    items++;
    const found = checkItem(item, ctx);
    flags += found.length;
    if (hash) for (const f of found) hash.update(`${item.key}\t${f.rule}\t${f.severity}\t${f.message}\n`);
  }
  if (hash) console.log(`${' '.repeat(16)}findings sha256 ${hash.digest('hex')}`);
  const ms = performance.now() - t1;
  console.log(
    `${String(n).padStart(9)} items: built in ${(built / 1000).toFixed(1)} s; full check ${(ms / 1000).toFixed(1)} s = ${Math.round(items / (ms / 1000))} items/s, ${flags} findings, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  // Repealing one instrument re-checks only the items that cite it (the real registry-upkeep use case).
  const cited = sqlite
    .prepare('SELECT instrument_id AS id, count(DISTINCT item_id) AS n FROM citations WHERE instrument_id IS NOT NULL GROUP BY instrument_id ORDER BY n DESC LIMIT 1')
    .get() as { id: number; n: number };
  const law = sqlite.prepare('SELECT rank FROM legal_instruments WHERE id = ?').get(cited.id) as { rank: string };
  const t2 = performance.now();
  const repeal = updateInstrument(db, SYSTEM_ACTOR, cited.id, { rank: law.rank, status: 'repealed' });
  const repealMs = performance.now() - t2;
  console.log(
    `${' '.repeat(16)}repeal one instrument: ${repeal.rechecked} items re-checked (exactly the ${cited.n} citing it, of ${items}), ${repeal.changed.length} changed state, in ${repealMs.toFixed(0)} ms`,
  );
  if (repeal.rechecked !== cited.n) console.log('  !! the re-check touched other items than those citing the instrument');
  db.$client.close();
  removeDatabase(path);
}
console.log('Target (issue 15): a full check of 1,000,000 items in under 15 s.');
