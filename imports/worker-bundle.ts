// The code of a worker thread or child process as one JavaScript file. Run from the TypeScript sources
// through tsx's loader, a worker spends a third of a second compiling and resolving its modules one by
// one before it does anything, and runs slower after; bundled (bin/bundle.js, built once per version of
// the sources and kept under node_modules/.cache), it starts at once. Without esbuild, or where the
// bundle cannot be written, the worker runs through tsx's loader.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleOf, bundleOfSync } from '../bin/bundle.js';

/** How to start a worker: the file to run and the options Node needs for it. */
export interface WorkerCommand {
  file: string;
  execArgv: string[];
}

/**
 * How to start the worker whose code is `entry` (a .ts file): a build, where the .ts is not there, runs
 * the .js beside it; the sources run bundled, else through tsx's loader.
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
    bundle = bundleOfSync(root, entry, prefix);
    bundledSync.set(entry, bundle);
  }
  return bundle ? { file: bundle, execArgv: [] } : throughTsx(entry, root);
}

const bundled = new Map<string, Promise<string | null>>();
const bundledSync = new Map<string, string | null>();

const throughTsx = (entry: string, root: string): WorkerCommand => ({
  file: entry,
  execArgv: ['--import', pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href],
});

/**
 * The bundle of `entry` (a .ts file), under node_modules/.cache so that its packages (zod) resolve from
 * the project's node_modules, named `prefix-<fingerprint of the sources>.mjs`. Looked up once per
 * process and entry; null when it cannot be built.
 */
export function bundledWorker(entry: string, root: string, prefix = 'import-worker'): Promise<string | null> {
  let file = bundled.get(entry);
  if (!file) {
    file = bundleOf(root, entry, prefix);
    bundled.set(entry, file);
  }
  return file;
}
