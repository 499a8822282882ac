// The TypeScript sources as plain JavaScript, one file per entry point, kept under node_modules/.cache and
// rebuilt only when a source file changes. Run through tsx's loader, the command line spent about a second
// compiling and resolving three hundred modules one by one before it did anything, and held their
// compiled text in memory; a bundle starts at once. Plain JavaScript: it runs before any loader exists.
//
// Every source file keeps its own import.meta.url (the bundle names each module's original place), so
// code that finds views, migrations or data beside itself works the same bundled or not.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folders whose TypeScript goes into the bundles (packages are imported from node_modules). */
const SOURCE_FOLDERS = ['server', 'db', 'imports', 'exports'];

/**
 * esbuild options of every bundle: its own code, its packages imported from node_modules. Split at
 * dynamic imports: a command loads the web server, the spreadsheet writer and the views only when it
 * needs them.
 */
const NODE_BUNDLE = {
  bundle: true,
  write: false,
  logLevel: 'silent',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  splitting: true,
  entryNames: 'main',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
};

/**
 * Fingerprints computed in this process, shared by every copy of this file it runs (bin/catalogue.js runs
 * this one; the bundles carry their own, which find the command's worker bundles): one walk of the
 * sources per process, not one per copy.
 */
const fingerprints = (globalThis[Symbol.for('catalogue.sourceFingerprints')] ??= new Map());

/**
 * A short hash of every source file's path, size and modification time: it changes whenever a source
 * file is added, removed or edited. Reading a few hundred directory entries takes a few milliseconds.
 */
export function sourceFingerprint(root) {
  let known = fingerprints.get(root);
  if (known === undefined) {
    const hash = createHash('sha256');
    const walk = (dir) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(path);
        } else if (entry.name.endsWith('.ts')) {
          const stat = statSync(path);
          hash.update(`${relative(root, path)}\0${stat.size}\0${stat.mtimeMs}\n`);
        }
      }
    };
    for (const folder of SOURCE_FOLDERS) walk(join(root, folder));
    // This file decides how bundles are made: a change to it makes new ones too.
    hash.update(String(statSync(fileURLToPath(import.meta.url)).mtimeMs));
    known = hash.digest('hex').slice(0, 16);
    fingerprints.set(root, known);
  }
  return known;
}

let esbuild;

/** tsx's esbuild: present wherever tsx is (throws where there is none). */
function loadEsbuild(root) {
  if (!esbuild) {
    const require = createRequire(join(root, 'package.json'));
    esbuild = createRequire(require.resolve('tsx/package.json'))('esbuild');
  }
  return esbuild;
}

/** An esbuild plugin that gives each source file its own import.meta.url, as when it runs unbundled. */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      return { contents: text.split('import.meta.url').join(JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

const cacheDir = (root) => join(root, 'node_modules', '.cache', 'catalogue');
/** A bundle is a folder: its entry `main.mjs`, and the chunks it imports when needed (the code of a
 * command it does not run is not even read). */
const bundlePath = (root, prefix) => join(cacheDir(root), `${prefix}-${sourceFingerprint(root)}`, 'main.mjs');

/**
 * The bundle of `entry` (a .ts file) for the current sources, built now if there is none: its path, or
 * null when it cannot be built (no esbuild, a read-only folder). Async: esbuild's service runs beside.
 */
export async function bundleOf(root, entry, prefix) {
  const file = bundlePath(root, prefix);
  return reuse(file, prefix) ? file : build(root, entry, prefix, file);
}

async function build(root, entry, prefix, file) {
  let es;
  try {
    es = loadEsbuild(root);
  } catch {
    return null;
  }
  building++;
  try {
    const folder = dirname(file);
    const result = await es.build({ ...NODE_BUNDLE, entryPoints: [entry], outdir: folder, plugins: [ownImportMetaUrl] });
    return write(root, folder, prefix, result.outputFiles) ? file : null;
  } catch {
    return null;
  } finally {
    // The service would keep the process alive; it is stopped when the last build ends (stopping it
    // fails the builds still running). A later build starts it again.
    if (--building === 0) await es.stop?.();
  }
}

/** Builds under way in this process. */
let building = 0;

/**
 * bundleOf for a caller that cannot wait: a short process of its own builds the bundle (esbuild's plugins,
 * which keep each file's import.meta.url, need its service, which a synchronous build has not).
 */
export function bundleOfSync(root, entry, prefix) {
  const file = bundlePath(root, prefix);
  if (reuse(file, prefix)) return file;
  try {
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), root, entry, prefix, file], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    return null;
  }
  return existsSync(file) ? file : null;
}

/** Whether the bundle is there; marked as used, and older bundles of the same entry cleaned up. */
function reuse(file, prefix) {
  if (!existsSync(file)) return false;
  try {
    const now = new Date();
    utimesSync(dirname(file), now, now);
    removeStale(dirname(dirname(file)), dirname(file), `${prefix}-`);
  } catch {
    // A read-only cache is still a cache.
  }
  return true;
}

/** Writes the bundle's files into its folder, all at once: false when that cannot be done. */
function write(root, folder, prefix, outputFiles) {
  mkdirSync(cacheDir(root), { recursive: true });
  // Written aside and renamed: a process starting at the same moment never sees half a bundle.
  const partial = `${folder}.${process.pid}.tmp`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  for (const output of outputFiles) writeFileSync(join(partial, relative(folder, output.path)), output.contents);
  try {
    renameSync(partial, folder);
  } catch (err) {
    // Another process wrote the same bundle meanwhile: theirs is used.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(folder, 'main.mjs'))) throw err;
  }
  removeStale(cacheDir(root), folder, `${prefix}-`);
  return true;
}

const STALE_MS = 24 * 3600 * 1000;

/** Bundles of earlier sources, unused for a day: every change of the sources makes a new one. */
function removeStale(dir, keep, prefix) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === keep || !name.startsWith(prefix)) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another process.
    }
  }
}

// `node bin/bundle.js ROOT ENTRY PREFIX FILE`: builds one bundle into FILE (bundleOfSync's helper process;
// the file is named by the caller, whose sources' fingerprint it was).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.length === 6) {
  const [root, entry, prefix, file] = process.argv.slice(2);
  process.exitCode = (await build(root, entry, prefix, file)) ? 0 : 1;
}
