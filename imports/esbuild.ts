// esbuild, as tsx brings it along: present wherever tsx is, whatever else is installed. It bundles the
// TypeScript that runs outside this process — worker threads, child processes (worker-bundle.ts) and
// the static site's browser script — into plain JavaScript.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The part of esbuild's API used here. */
export interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { contents: Uint8Array; text: string }[] }>;
  stop?(): void | Promise<void>;
}

/** Loads tsx's esbuild (rejects where there is none). */
export async function loadEsbuild(): Promise<Esbuild> {
  const require = createRequire(import.meta.url);
  const esbuildPath = createRequire(require.resolve('tsx/package.json')).resolve('esbuild');
  const loaded = (await import(pathToFileURL(esbuildPath).href)) as Esbuild & { default?: Esbuild };
  return loaded.default ?? loaded;
}

/** Builds under way: esbuild's service is stopped when the last one ends (stopping it fails the others). */
let building = 0;

/** Bundles `entry` with these esbuild options into one file's contents, in memory. */
export async function bundleToMemory(entry: string, options: Record<string, unknown>): Promise<{ contents: Uint8Array; text: string }> {
  building++;
  let esbuild: Esbuild | undefined;
  try {
    esbuild = await loadEsbuild();
    const result = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, logLevel: 'silent', ...options });
    return result.outputFiles[0]!;
  } finally {
    // The service would keep the process alive; a later build starts it again.
    if (--building === 0) await esbuild?.stop?.();
  }
}

/**
 * A browser script (a .ts entry and what it imports) as one classic script: an IIFE in ES2017, which
 * any current browser runs, from file:// too (where modules are not loaded).
 */
export async function browserScript(entry: string): Promise<string> {
  return (await bundleToMemory(entry, { platform: 'browser', format: 'iife', target: 'es2017', charset: 'utf8' })).text;
}
