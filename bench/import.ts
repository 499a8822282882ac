// npm run bench:import — generates 100,000- and 1,000,000-row sheets of realistic Chinese content,
// imports each, and prints rows/s and peak memory next to exceljs's streaming reader reading the same
// file, measured in the same run. Each measurement runs in its own process.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseDatabase } from './base.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
mkdirSync(OUT, { recursive: true });
const tsx = (script: string, ...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=4096', join(ROOT, 'bench', script), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });

const sizes = (process.env.BENCH_ROWS ?? '100000:shared,1000000:inline,1000000:shared').split(',').map((s) => {
  const [rows, kind] = s.split(':');
  return { rows: Number(rows), kind: kind === 'inline' ? 'inline' : 'shared' };
});

const base = await baseDatabase();

console.log('rows       strings  file MB  exceljs read s  import s  ratio  rows/s    exceljs RSS MB  import RSS MB (parent / reader)  altered/compared');
for (const { rows, kind } of sizes) {
  const file = join(OUT, `bench-${rows}-${kind}.xlsx`);
  if (!existsSync(file)) tsx('make-sheet.ts', file, String(rows), kind);
  const exceljs = JSON.parse(tsx('exceljs-read.ts', file)) as { ms: number; rows: number; maxRssMb: number };
  const dbPath = join(OUT, `import-${rows}-${kind}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  rmSync(`${dbPath}.uploads`, { recursive: true, force: true });
  copyFileSync(base, dbPath);
  const ours = JSON.parse(tsx('run-import.ts', file, dbPath, String(rows))) as {
    ms: number;
    rows: number;
    altered: number;
    compared: number;
    parentRssMb: number;
    childRssMb: number;
  };
  const ratio = ours.ms / exceljs.ms;
  console.log(
    [
      String(rows).padEnd(10),
      kind.padEnd(8),
      (statSync(file).size / 1048576).toFixed(1).padStart(7),
      (exceljs.ms / 1000).toFixed(2).padStart(15),
      (ours.ms / 1000).toFixed(2).padStart(9),
      ratio.toFixed(2).padStart(6),
      Math.round(ours.rows / (ours.ms / 1000)).toString().padStart(8),
      exceljs.maxRssMb.toFixed(0).padStart(15),
      `${ours.parentRssMb.toFixed(0)} / ${ours.childRssMb.toFixed(0)}`.padStart(32),
      `${ours.altered}/${ours.compared}`.padStart(18),
    ].join('  '),
  );
  if (ours.rows !== rows) console.log(`  !! read ${ours.rows} rows, expected ${rows}`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  rmSync(`${dbPath}.uploads`, { recursive: true, force: true });
}
console.log('\nTargets: 100k import ≤ 1.5 × exceljs read; 1M peak RSS < 300 MB (inline strings), < 800 MB (shared strings); 0 altered.');
