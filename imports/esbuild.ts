// esbuild, as tsx brings it along: present wherever tsx is, whatever else is installed. It bundles the
// static site's browser script into plain JavaScript (the Node bundles are bin/bundle.js's).
import { createRequire } from 'node:module';

interface OutputFile {
  contents: Uint8Array;
  text: string;
}

/** The part of esbuild's API used here. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: OutputFile[] }>;
  stop?(): void | Promise<void>;
}

let esbuild: Esbuild | undefined;

/** tsx's esbuild (throws where there is none). */
function load(): Esbuild {
  if (!esbuild) {
    const require = createRequire(import.meta.url);
    const tsxRequire = createRequire(require.resolve('tsx/package.json'));
    esbuild = tsxRequire('esbuild') as Esbuild;
  }
  return esbuild;
}

const options = (entry: string, more: Record<string, unknown>) => ({ entryPoints: [entry], bundle: true, write: false, logLevel: 'silent', ...more });

/** Builds under way: esbuild's service is stopped when the last one ends (stopping it fails the others). */
let building = 0;

/** Bundles `entry` with these esbuild options into one file's contents, in memory. */
export async function bundleToMemory(entry: string, more: Record<string, unknown>): Promise<OutputFile> {
  building++;
  try {
    const result = await load().build(options(entry, more));
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
