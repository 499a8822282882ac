// The reading child's code as one JavaScript file. Run from the TypeScript sources through tsx's loader,
// the child spends a third of a second compiling and resolving its modules one by one before it reads a
// byte, and runs slower after; bundled once per process with esbuild (which tsx brings along), it starts
// at once. Without esbuild, or where the bundle cannot be written, the caller falls back to tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of esbuild's API used here. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { contents: Uint8Array }[] }>;
  stop?(): void | Promise<void>;
}

const bundled = new Map<string, Promise<string | null>>();

/**
 * The bundle of `entry` (a .ts file), written under node_modules/.cache so that its packages (zod)
 * resolve from the project's node_modules, named `prefix-<hash>.mjs`. Built once per process and
 * entry; null when it cannot be built.
 */
export function bundledWorker(entry: string, root: string, prefix = 'import-worker'): Promise<string | null> {
  let file = bundled.get(entry);
  if (!file) {
    file = bundle(entry, root, prefix).catch(() => null);
    bundled.set(entry, file);
  }
  return file;
}

async function bundle(entry: string, root: string, prefix: string): Promise<string | null> {
  const require = createRequire(import.meta.url);
  // tsx's own esbuild: present wherever tsx is, whatever else is installed.
  const esbuildPath = createRequire(require.resolve('tsx/package.json')).resolve('esbuild');
  const loaded = (await import(pathToFileURL(esbuildPath).href)) as Esbuild & { default?: Esbuild };
  const esbuild = loaded.default ?? loaded;
  let code: Uint8Array;
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      logLevel: 'silent',
    });
    code = result.outputFiles[0]!.contents;
  } finally {
    await esbuild.stop?.();
  }
  const dir = join(root, 'node_modules', '.cache', 'catalogue');
  const name = `${prefix}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
  const file = join(dir, name);
  if (existsSync(file)) {
    const now = new Date();
    utimesSync(file, now, now); // in use: not one of the stale bundles removed below
  } else {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a process starting the child never sees half a file.
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
