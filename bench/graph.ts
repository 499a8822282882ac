// npm run bench:graph — the prerequisite-loop analysis as the product runs it (edges read from SQLite,
// strongly connected components, PREREQUISITE_CYCLE findings stored) over an acyclic catalogue of
// 100,000 items with 300,000 prerequisite edges, then with a few loops added. Target: under 2 s.
// The database is a copy of bench/out/base.db under bench/out/, removed afterwards.
import { join } from 'node:path';
import { openDatabase } from '../db/client.js';
import { SYSTEM_ACTOR } from '../db/audit.js';
import { analysePrerequisites, syncCycleFlags } from '../server/analysis/cycles.js';
import { cutPrerequisite } from '../server/analysis/prerequisites.js';
import { itemPrerequisiteGraph } from '../server/analysis/item-graph.js';
import { OUT, baseDatabase, copyDatabase, removeDatabase } from './base.js';
import { rng } from './content.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const EDGES = Number(process.env.BENCH_EDGES ?? 300_000);
const TARGET_MS = 2000;

const mb = () => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
const ms = (t: number) => `${t.toFixed(0)} ms`;

const path = join(OUT, `graph-${ITEMS}.db`);
copyDatabase(await baseDatabase(), path);
const db = openDatabase(path);
const sqlite = db.$client;

// An acyclic catalogue: every edge goes from an item to one created before it.
const t0 = performance.now();
const random = rng(3);
const departments = sqlite.prepare('SELECT id, name FROM departments ORDER BY id').all() as { id: number; name: string }[];
const insertItem = sqlite.prepare("INSERT INTO items (code, name, category, department_id) VALUES (?, ?, 'permit', ?)");
const insertEdge = sqlite.prepare('INSERT INTO item_prerequisites (item_id, prerequisite_item_id, written_as) VALUES (?, ?, ?)');
const ids: number[] = [];
const codes: string[] = [];
sqlite.transaction(() => {
  for (let i = 0; i < ITEMS; i++) {
    const code = `GRAPH-${String(i + 1).padStart(6, '0')}`;
    ids.push(Number(insertItem.run(code, `基准事项${i + 1}审批`, departments[i % departments.length]!.id).lastInsertRowid));
    codes.push(code);
  }
  for (let e = 0; e < EDGES; e++) {
    const from = 1 + Math.floor(random() * (ITEMS - 1));
    const to = Math.floor(random() * from);
    insertEdge.run(ids[from]!, ids[to]!, codes[to]!);
  }
})();
sqlite.pragma('wal_checkpoint(TRUNCATE)');
console.log(`built ${ITEMS} items and ${EDGES} prerequisite edges (acyclic) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

function run(label: string) {
  const t = performance.now();
  const analysis = analysePrerequisites(db);
  const analysed = performance.now();
  const sync = syncCycleFlags(db, analysis);
  const total = performance.now() - t;
  const { load, components, loops, labels } = analysis.timings;
  console.log(
    `${label}: ${analysis.items} items, ${analysis.edges} edges → ${analysis.groups.length} loops, ${sync.flagged} items flagged (${sync.changed.length} changed); ` +
      `read edges ${ms(load)}, components ${ms(components)}, loops ${ms(loops)}, labels ${ms(labels)}, store flags ${ms(performance.now() - analysed)}; ` +
      `total ${ms(total)}${total < TARGET_MS ? '' : '  !! over the 2 s target'}; peak RSS ${mb()}`,
  );
  return { analysis, total };
}

const acyclic = [run('acyclic, first run'), run('acyclic, again'), run('acyclic, again')];
if (acyclic.some((r) => r.analysis.groups.length !== 0)) console.log('  !! loops found in an acyclic catalogue');

// A few loops: three departments round a triangle, two items requiring each other, and a long loop
// closed by one edge against the order the catalogue was built in.
const item = (i: number) => ({ id: ids[i]!, code: codes[i]! });
const add = (from: number, to: number) => Number(insertEdge.run(item(from).id, item(to).id, item(to).code).lastInsertRowid);
const longPath: number[] = [];
sqlite.transaction(() => {
  add(10, 11);
  add(11, 12);
  add(12, 10); // 10, 11, 12: three departments
  add(500, 501);
  add(501, 500);
  // 2,000 items chained the way the catalogue's edges run (each requires an earlier one), then the
  // earliest requires the latest: one edge closes the loop, and takes in every item on a way between.
  for (let i = 0; i < 2000; i++) longPath.push(ITEMS - 1000 - i * 7);
  for (let i = 0; i < longPath.length - 1; i++) add(longPath[i]!, longPath[i + 1]!);
})();
const closing = add(longPath[longPath.length - 1]!, longPath[0]!);
const withLoops = run('with loops added');
const messages = sqlite.prepare("SELECT i.code, f.message FROM item_flags f JOIN items i ON i.id = f.item_id WHERE f.rule = 'PREREQUISITE_CYCLE' AND i.code IN (?, ?) ORDER BY i.code").all(item(10).code, item(500).code) as { code: string; message: string }[];
for (const m of messages) console.log(`  ${m.code}: ${m.message}`);
const sizes = withLoops.analysis.groups.map((g) => g.length).sort((a, b) => a - b);
console.log(`  loop sizes: ${sizes.join(', ')} (2, 3, and at least 2,000: the long loop takes in the items on ways between its ends)`);

const t = performance.now();
cutPrerequisite(db, SYSTEM_ACTOR, closing, { reason: '基准：断开长循环' });
console.log(`cut the long loop's closing edge (analysis + flags in the same transaction): ${ms(performance.now() - t)}`);
run('after the cut');

const page = performance.now();
itemPrerequisiteGraph(db, item(longPath[1000]!).code, (c) => `/items/${c}`);
console.log(`item page graph around an item of 100,000: ${ms(performance.now() - page)}`);

db.$client.close();
removeDatabase(path);
console.log(`Target: the analysis of ${ITEMS} items and ${EDGES} edges in under 2 s.`);
