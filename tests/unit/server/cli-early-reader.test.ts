// `catalogue import FILE` starts the file's reading child from its arguments alone, before the commands'
// code loads (server/cli.ts, server/imports/early-reader.ts).
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOf } from '../../../bin/bundle.js';
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

  it('the command line’s entry starts the child before loading the commands: neither the database, its packages nor the schema library are loaded by then', async () => {
    // The packages the entry's bundle loads before it runs: the bare imports of its static import graph.
    const file = await bundleOf(ROOT, join(ROOT, 'server', 'cli.ts'), 'cli');
    expect(file).not.toBeNull();
    const packages = new Set<string>();
    const seen = new Set<string>();
    const walk = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      for (const m of readFileSync(path, 'utf8').matchAll(/^import\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gms)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('./')) walk(join(dirname(path), spec));
        else packages.add(spec);
      }
    };
    walk(file!);
    expect(seen.size).toBeGreaterThan(1);
    expect([...packages].filter((p) => !p.startsWith('node:'))).toEqual([]);
  });
});
