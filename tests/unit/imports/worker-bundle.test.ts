// The reading child's code bundled (bin/bundle.js) into a folder under node_modules/.cache, beside the project's packages.
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledWorker, workerCommand, workerCommandSync } from '../../../imports/worker-bundle.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WORKER = join(ROOT, 'imports', 'worker.ts');
const CACHE = join(ROOT, 'node_modules', '.cache', 'catalogue');

describe('the bundled reading child', () => {
  it('is a folder under node_modules/.cache, looked up once per process; bundles of other versions untouched for a day are removed', async () => {
    mkdirSync(CACHE, { recursive: true });
    const stale = join(CACHE, 'import-worker-0000000000000000');
    const recent = join(CACHE, 'import-worker-1111111111111111');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'main.mjs'), '');
    mkdirSync(recent, { recursive: true });
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(stale, twoDaysAgo, twoDaysAgo);

    const file = await bundledWorker(WORKER, ROOT);
    expect(file).toMatch(/node_modules\/\.cache\/catalogue\/import-worker-[0-9a-f]{16}\/main\.mjs$/);
    expect(await bundledWorker(WORKER, ROOT)).toBe(file);
    // Its own code is inside; packages such as zod are imported from node_modules, not copied in.
    const code = readFileSync(file!, 'utf8');
    expect(code).toContain('encodeRow');
    expect(code).toMatch(/from "zod"/);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    rmSync(recent, { recursive: true });
  });

  it('a worker written in TypeScript starts from its bundle, found with or without waiting; a build without the .ts runs the .js beside it', async () => {
    const checkpointWorker = join(ROOT, 'server', 'imports', 'checkpoint-worker.ts');
    const waited = await workerCommand(checkpointWorker, ROOT, 'checkpoint-worker');
    expect(waited.file).toMatch(/node_modules\/\.cache\/catalogue\/checkpoint-worker-[0-9a-f]{16}\/main\.mjs$/);
    expect(waited.execArgv).toEqual([]);
    // A publish starts its checkpoint thread inside a synchronous transaction: the same bundle, at once.
    expect(workerCommandSync(checkpointWorker, ROOT, 'checkpoint-worker')).toEqual(waited);
    expect(readFileSync(waited.file, 'utf8')).toContain('wal_checkpoint(PASSIVE)');
    const built = join(ROOT, 'dist', 'server', 'imports', 'checkpoint-worker.ts');
    expect(await workerCommand(built, ROOT, 'checkpoint-worker')).toEqual({ file: built.replace(/\.ts$/, '.js'), execArgv: [] });
    expect(workerCommandSync(built, ROOT, 'checkpoint-worker')).toEqual({ file: built.replace(/\.ts$/, '.js'), execArgv: [] });
  });
});
