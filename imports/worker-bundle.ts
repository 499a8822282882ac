// The code of a worker thread or child process as one JavaScript file. Run from the TypeScript sources
// through tsx's loader, a worker spends a third of a second compiling and resolving its modules one by
// one before it does anything, and runs slower after; bundled once per process with esbuild (which tsx
// brings along, esbuild.ts), it starts at once. Without esbuild, or where the bundle cannot be written,
// the worker runs through tsx's loader.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleToMemory, bundleToMemorySync } from './esbuild.js';

/** How to start a worker: the file to run and the options Node needs for it. */
export interface WorkerCommand {
  file: string;
  execArgv: string[];
}

/** The esbuild options of a worker's bundle: its own code in one file, its packages imported from node_modules. */
const NODE_BUNDLE = { platform: 'node', format: 'esm', target: 'node20', packages: 'external' } as const;

const bundled = new Map<string, Promise<string | null>>();
const bundledSync = new Map<string, string | null>();

/**
 * How to start the worker whose code is `entry` (a .ts file): a build, where the .ts is not there, runs
 * the .js beside it; the sources run bundled (bundledWorker), else through tsx's loader.
 */
export async function workerCommand(entry: string, root: string, prefix: string): Promise<WorkerCommand> {
  if (!existsSync(entry)) return { file: entry.replace(/\.ts$/, '.js'), execArgv: [] };
  const bundle = await bundledWorker(entry, root, prefix);
  return bundle ? { file: bundle, execArgv: [] } : throughTsx(entry, root);
}

/** workerCommand for a caller that cannot wait (it starts its thread inside a synchronous transaction). */
export function workerCommandSync(entry: string, root: string, prefix: string): WorkerCommand {
  if (!existsSync(entry)) return { file: entry.replace(/\.ts$/, '.js'), execArgv: [] };
  let bundle = bundledSync.get(entry);
  if (bundle === undefined) {
    try {
      bundle = write(bundleToMemorySync(entry, NODE_BUNDLE).contents, root, prefix);
    } catch {
      bundle = null;
    }
    bundledSync.set(entry, bundle);
  }
  return bundle ? { file: bundle, execArgv: [] } : throughTsx(entry, root);
}

const throughTsx = (entry: string, root: string): WorkerCommand => ({
  file: entry,
  execArgv: ['--import', pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href],
});

/**
 * The bundle of `entry` (a .ts file), written under node_modules/.cache so that its packages (zod)
 * resolve from the project's node_modules, named `prefix-<hash>.mjs`. Built once per process and
 * entry; null when it cannot be built.
 */
export function bundledWorker(entry: string, root: string, prefix = 'import-worker'): Promise<string | null> {
  let file = bundled.get(entry);
  if (!file) {
    file = bundleToMemory(entry, NODE_BUNDLE)
      .then((output) => write(output.contents, root, prefix))
      .catch(() => null);
    bundled.set(entry, file);
  }
  return file;
}

function write(code: Uint8Array, root: string, prefix: string): string {
  const dir = join(root, 'node_modules', '.cache', 'catalogue');
  const name = `${prefix}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
  const file = join(dir, name);
  if (existsSync(file)) {
    const now = new Date();
    utimesSync(file, now, now); // in use: not one of the stale bundles removed below
  } else {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a process starting the worker never sees half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  removeStale(dir, name, `${prefix}-`);
  return file;
}

const STALE_MS = 24 * 3600 * 1000;

/** Bundles of earlier versions of the sources, untouched for a day: every change makes a new one. */
function removeStale(dir: string, keep: string, prefix: string): void {
  for (const entry of readdirSync(dir)) {
    if (entry === keep || !entry.startsWith(prefix)) continue;
    try {
      const path = join(dir, entry);
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    } catch {
      // Removed meanwhile by another process.
    }
  }
}
