// npm run bench:publish — builds a 1,000,000-item catalogue, publishes it, changes 1% of the items and
// publishes again, then diffs the two versions. Prints times and how much the second publish stored.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/client.js';
import { SYSTEM_ACTOR } from '../db/audit.js';
import { publishVersion } from '../server/publication/publish.js';
import { diffVersions } from '../server/publication/diff.js';
import { defaultConfig } from '../server/config.js';
import { createServices } from '../server/services.js';
import { OUT, baseDatabase, buildCatalogue, copyDatabase, removeDatabase } from './base.js';

const base = await baseDatabase();
const n = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const path = join(OUT, `publish-${n}.db`);
copyDatabase(base, path);
const db = openDatabase(path);
const sqlite = db.$client;
const services = createServices(db, defaultConfig({ dbPath: path }));
let t = performance.now();
buildCatalogue(db, n);
const items = sqlite.prepare('SELECT count(*) FROM items WHERE removed_at IS NULL').pluck().get() as number;
console.log(`built ${items} items in ${((performance.now() - t) / 1000).toFixed(1)} s`);
/** The database file's size once everything is checkpointed into it (the publish leaves its checkpoint to a thread: wait for it). */
const size = () => {
  for (let tries = 0; tries < 600; tries++) {
    const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
    if (result!.busy === 0 && result!.log <= 0) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  return statSync(path).size;
};

// As the server does at start: the thread that prepares a publish's items beside its writes.
console.log(`publish reading thread: ${(await services.publishReader.start()) ? 'running' : 'not available'}`);
t = performance.now();
const v1 = publishVersion(services, SYSTEM_ACTOR, { title: '第1版' });
console.log(`first publish: ${v1.items} items in ${((performance.now() - t) / 1000).toFixed(2)} s`);
const afterFirst = size();

/** 1% of the items change, as finalised review decisions would change them. */
async function changeOnePercent(round: number) {
  await new Promise((r) => setTimeout(r, 5));
  const changedIds = sqlite.prepare('SELECT id FROM items ORDER BY random() LIMIT ?').pluck().all(Math.round(n / 100)) as number[];
  sqlite.transaction(() => {
    const update = sqlite.prepare("UPDATE items SET promised_limit_days = ?, remarks = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?");
    for (const id of changedIds) update.run(round, `第${round}版调整`, id);
  })();
}

await changeOnePercent(2);
const beforeSecond = size();
t = performance.now();
const v2 = publishVersion(services, SYSTEM_ACTOR, { title: '第2版' });
const secondMs = performance.now() - t;
const grew = size() - beforeSecond;
const revisions = sqlite.prepare('SELECT count(*) FROM item_revisions WHERE from_version = 2').pluck().get() as number;
console.log(
  `second publish: ${v2.changed} changed of ${v2.items} in ${(secondMs / 1000).toFixed(3)} s; stored ${revisions} new revisions, file grew ${(grew / 1048576).toFixed(1)} MB ` +
    `(database after the first publish: ${(afterFirst / 1048576).toFixed(0)} MB)`,
);

// The same again as a command-line publish would run it: no reading thread, no state in memory.
await changeOnePercent(3);
size();
await services.publishReader.stop();
services.publishedState.forget();
t = performance.now();
const v3 = publishVersion(services, SYSTEM_ACTOR, { title: '第3版' });
console.log(`third publish, as from the command line (no reading thread, state read from the database): ${v3.changed} changed in ${((performance.now() - t) / 1000).toFixed(3)} s`);

t = performance.now();
const diff = diffVersions(db, 1, 2);
console.log(`diff 1→2: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed in ${((performance.now() - t) / 1000).toFixed(2)} s`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log('Targets: second publish (1% changed of 1M) under 1 s with storage growth proportional to the change; diff under 3 s.');
db.$client.close();
removeDatabase(path);
