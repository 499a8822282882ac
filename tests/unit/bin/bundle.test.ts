// The sources bundled for the command line and the workers (bin/bundle.js): rebuilt when a source file
// changes, and each file keeps its own import.meta.url, so code that finds files beside itself works.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleOf, bundleOfSync } from '../../../bin/bundle.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BUNDLE_JS = join(ROOT, 'bin', 'bundle.js');
mkdirSync(join(ROOT, 'tmp'), { recursive: true });
// Inside the project, so that tsx's esbuild resolves from its node_modules.
const root = mkdtempSync(join(ROOT, 'tmp', 'bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

mkdirSync(join(root, 'server', 'deep'), { recursive: true });
writeFileSync(join(root, 'server', 'deep', 'where.ts'), 'export const where: string = import.meta.url;\n');
writeFileSync(join(root, 'server', 'main.ts'), "import { where } from './deep/where.js';\nexport const places: string[] = [import.meta.url, where];\n");

/** The fingerprint a fresh process computes (each process computes it once). */
const fingerprint = () =>
  execFileSync(process.execPath, ['--input-type=module', '-e', `import { sourceFingerprint } from ${JSON.stringify(pathToFileURL(BUNDLE_JS).href)}; console.log(sourceFingerprint(${JSON.stringify(root)}));`], {
    encoding: 'utf8',
  }).trim();

describe('bundles of the sources', () => {
  it('each bundled file keeps its own import.meta.url, as when it runs unbundled', async () => {
    const file = await bundleOf(root, join(root, 'server', 'main.ts'), 'probe');
    expect(file).toMatch(/node_modules\/\.cache\/catalogue\/probe-[0-9a-f]{16}\/main\.mjs$/);
    const { places } = (await import(pathToFileURL(file!).href)) as { places: string[] };
    expect(places).toEqual([pathToFileURL(join(root, 'server', 'main.ts')).href, pathToFileURL(join(root, 'server', 'deep', 'where.ts')).href]);
    // The same bundle, found without waiting.
    expect(bundleOfSync(root, join(root, 'server', 'main.ts'), 'probe')).toBe(file);
  });

  it('a changed, added or removed source file makes a new bundle', () => {
    const before = fingerprint();
    expect(fingerprint()).toBe(before);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'server', 'deep', 'where.ts'), later, later);
    const touched = fingerprint();
    expect(touched).not.toBe(before);
    writeFileSync(join(root, 'server', 'deep', 'more.ts'), 'export {};\n');
    const added = fingerprint();
    expect(added).not.toBe(touched);
    rmSync(join(root, 'server', 'deep', 'more.ts'));
    expect(fingerprint()).toBe(touched);
  });

  it('the sources are walked once per process, whichever copy of bin/bundle.js asks (the command line runs one, its bundles carry their own)', () => {
    // Two copies of the file in one process (a second module instance), the sources changed in between.
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { writeFileSync, rmSync } from 'node:fs';
         const first = await import(${JSON.stringify(pathToFileURL(BUNDLE_JS).href)});
         const a = first.sourceFingerprint(${JSON.stringify(root)});
         writeFileSync(${JSON.stringify(join(root, 'server', 'between.ts'))}, 'export {};\\n');
         const second = await import(${JSON.stringify(`${pathToFileURL(BUNDLE_JS).href}?copy`)});
         const b = second.sourceFingerprint(${JSON.stringify(root)});
         rmSync(${JSON.stringify(join(root, 'server', 'between.ts'))});
         console.log(JSON.stringify({ a, b, copies: first !== second }));`,
      ],
      { encoding: 'utf8' },
    );
    const { a, b, copies } = JSON.parse(out.trim()) as { a: string; b: string; copies: boolean };
    expect(copies).toBe(true);
    expect(b).toBe(a);
  });

  it('a bundle built without waiting is built by a process of its own, with the same files', () => {
    writeFileSync(join(root, 'server', 'other.ts'), 'export const other: string = import.meta.url;\n');
    const file = bundleOfSync(root, join(root, 'server', 'other.ts'), 'sync-probe');
    expect(file).toMatch(/sync-probe-[0-9a-f]{16}\/main\.mjs$/);
    expect(readdirSync(join(root, 'node_modules', '.cache', 'catalogue')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the command line, bundled', () => {
  it('a command that serves no page loads neither the web server, the spreadsheet writer nor the views', () => {
    // What the process loaded, from Node's own list of package files it read.
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
         process.argv.push('--help');
         const { bundleOf } = await import(${JSON.stringify(pathToFileURL(BUNDLE_JS).href)});
         const file = await bundleOf(${JSON.stringify(ROOT)}, ${JSON.stringify(join(ROOT, 'server', 'cli.ts'))}, 'cli');
         const { main } = await import(file);
         await main(['--help']);
         const req = createRequire(import.meta.url);
         console.log(JSON.stringify({ file, packages: Object.keys(req.cache).concat(process.moduleLoadList ?? []) }));`,
      ],
      { encoding: 'utf8', cwd: ROOT },
    );
    const last = JSON.parse(loaded.trim().split('\n').at(-1)!) as { file: string; packages: string[] };
    expect(last.file).toMatch(/cli-[0-9a-f]{16}\/main\.mjs$/);
    const names = last.packages.join('\n');
    expect(names).not.toMatch(/node_modules\/(express|exceljs|handlebars|busboy)\//);
  });
});
