// `catalogue import FILE` starts the file's reading child from its arguments alone, before the commands'
// code loads (server/cli.ts, server/imports/early-reader.ts).
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { main, type Io } from '../../../server/cli.js';
import { importReaderOf } from '../../../server/imports/early-reader.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const LIST = join(ROOT, 'tests', 'fixtures', 'real', 'xian-quanze.xlsx');

let dir: string;
let demoPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-early-'));
  demoPath = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), demoPath);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const quiet = (): Io => ({ out: () => undefined, err: () => undefined, readStdin: async () => '' });

/** The pids of this process's children, from /proc. */
function children(): number[] {
  const out: number[] = [];
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    const text = readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').trim();
    if (text) out.push(...text.split(/\s+/).map(Number));
  }
  return out;
}
const alive = (pid: number) => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

describe('an import’s reading child, started from the command line’s arguments', () => {
  it('is started for `import FILE` only: no child for another command, for --help, a missing file or arguments the command refuses', async () => {
    const env = { CATALOGUE_UPLOADS: join(dir, 'uploads') };
    for (const argv of [
      ['stats', '--db', demoPath],
      ['import', LIST, '--help'],
      ['import', join(dir, 'no-such.xlsx'), '--db', demoPath],
      ['import', LIST, '--no-such-option'],
      ['import'],
    ]) {
      expect(importReaderOf(argv, env), argv.join(' ')).toBeNull();
    }
    const reader = await importReaderOf(['import', LIST, '--department', 'XZSPJ', '--db', demoPath], env);
    expect(reader?.pid).toBeGreaterThan(0);
    expect(alive(reader!.pid!)).toBe(true);
    reader!.close();
    await expect.poll(() => alive(reader!.pid!)).toBe(false);
  });

  it('an import refused after its reading child was started (an unknown user) leaves no reading child behind', async () => {
    const before = new Set(children());
    const code = await main(['import', LIST, '--user', 'nobody-here', '--db', demoPath], quiet(), { CATALOGUE_UPLOADS: join(dir, 'uploads') });
    expect(code).toBe(2);
    await expect.poll(() => children().filter((pid) => !before.has(pid) && alive(pid)), { timeout: 5000 }).toEqual([]);
  });

  it('the command line’s entry starts the child before loading the commands: neither the database nor its packages are loaded by then', () => {
    // The entry's bundle, imported in a process of its own without running a command: what it loaded.
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
         const { bundleOf } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'bin', 'bundle.js')).href)});
         const file = await bundleOf(${JSON.stringify(ROOT)}, ${JSON.stringify(join(ROOT, 'server', 'cli.ts'))}, 'cli');
         await import(file);
         const req = createRequire(import.meta.url);
         console.log(JSON.stringify(Object.keys(req.cache)));`,
      ],
      { encoding: 'utf8', cwd: ROOT },
    );
    const names = (JSON.parse(loaded.trim().split('\n').at(-1)!) as string[]).join('\n');
    expect(names).not.toMatch(/node_modules\/(better-sqlite3|drizzle-orm|express|exceljs)\//);
  });
});
