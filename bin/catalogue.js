#!/usr/bin/env node
// Entry point of `npx catalogue` and `npm start`. Runs the TypeScript sources as one bundle built from
// them (bin/bundle.js, rebuilt when a source changes); where no bundle can be built, or with
// CATALOGUE_UNBUNDLED=1, through tsx's loader, file by file.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleOf } from './bundle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'server', 'cli.ts');
const bundle = process.env.CATALOGUE_UNBUNDLED === '1' ? null : await bundleOf(root, entry, 'cli');
let cli;
if (bundle) cli = await import(pathToFileURL(bundle).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../server/cli.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));
