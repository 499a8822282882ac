// The start-up check on real server processes: a read-only, a damaged, an unopenable database and a
// taken port each stop the server with a Chinese reason, an exit code of its own and no stack trace,
// and leave the database file as it was.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STARTUP_EXIT_CODES } from '../../server/operations/startup.js';
import { main } from '../../server/cli.js';
import { demoDatabase, hasStack, serveExpectingFailure, startRealServer, tempFolder } from './support/server.js';
import { mountTmpfs, remountReadOnly, unmount } from './support/mount.js';

let dir: string;
let mounted: string | null = null;
beforeAll(() => {
  dir = tempFolder('start-');
});
afterAll(() => {
  if (mounted) unmount(mounted);
  rmSync(dir, { recursive: true, force: true });
});

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Overwrites `length` bytes of the file at `offset`. */
function damage(path: string, offset: number, length: number) {
  const bytes = readFileSync(path);
  bytes.fill(0x5a, offset, offset + length);
  writeFileSync(path, bytes);
}

describe('the start-up check', () => {
  it('a database with damaged pages stops the server with exit code 12, a Chinese reason pointing to restore, no stack, the file untouched', async () => {
    const db = join(tempFolder('damaged-'), 'catalogue.db');
    copyFileSync(demoDatabase(dir), db);
    damage(db, 200_000, 40_000);
    const before = sha(db);
    const r = await serveExpectingFailure(db);
    expect(r.started).toBe(false);
    expect(r.code).toBe(STARTUP_EXIT_CODES.damaged);
    expect(r.output).toContain('已损坏');
    expect(r.output).toContain('npx catalogue restore');
    expect(hasStack(r.output)).toBe(false);
    expect(sha(db)).toBe(before);
  }, 60_000);

  it('a file that is not a database (a damaged header) stops the server with exit code 12', async () => {
    const db = join(tempFolder('header-'), 'catalogue.db');
    copyFileSync(demoDatabase(dir), db);
    damage(db, 0, 100);
    const r = await serveExpectingFailure(db);
    expect(r.code).toBe(STARTUP_EXIT_CODES.damaged);
    expect(r.output).toContain('已损坏');
    expect(hasStack(r.output)).toBe(false);
  }, 60_000);

  it('a read-only database stops the server with exit code 11 and says it cannot be written, instead of starting a server whose every login fails', async (ctx) => {
    const folder = join(dir, 'readonly');
    let db: string;
    if (process.getuid?.() === 0) {
      // Root writes through file permissions: a read-only mount it is.
      const why = mountTmpfs(folder, 40);
      if (why) {
        console.warn(`skipped: ${why}`);
        ctx.skip();
        return;
      }
      mounted = folder;
      db = demoDatabase(folder);
      remountReadOnly(folder);
    } else {
      db = demoDatabase(tempFolder('readonly-'));
      chmodSync(db, 0o444);
      chmodSync(join(db, '..'), 0o555);
    }
    const r = await serveExpectingFailure(db);
    expect(r.started).toBe(false);
    expect(r.code).toBe(STARTUP_EXIT_CODES.readOnly);
    expect(r.output).toContain('只能读、不能写');
    expect(hasStack(r.output)).toBe(false);
    if (process.getuid?.() !== 0) chmodSync(join(db, '..'), 0o755);
  }, 60_000);

  it('a database folder that cannot be made stops the server with exit code 10', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const r = await serveExpectingFailure(join(blocker, 'catalogue.db'));
    expect(r.code).toBe(STARTUP_EXIT_CODES.cannotOpen);
    expect(r.output).toContain('无法打开数据库');
    expect(hasStack(r.output)).toBe(false);
  }, 60_000);

  it('a port already taken stops the second server with exit code 17', async () => {
    const db = demoDatabase(tempFolder('port-'));
    const first = await startRealServer(db);
    try {
      const port = new URL(first.url).port;
      const r = await serveExpectingFailure(db, { PORT: port });
      expect(r.code).toBe(STARTUP_EXIT_CODES.portInUse);
      expect(r.output).toContain(`端口 ${port} 已被其他程序占用`);
      expect(hasStack(r.output)).toBe(false);
    } finally {
      await first.stop();
    }
  }, 60_000);

  it('a command on a damaged database says so in Chinese with the same exit code, without a stack', async () => {
    const db = join(tempFolder('command-'), 'catalogue.db');
    writeFileSync(db, 'x'.repeat(200));
    const err: string[] = [];
    const code = await main(['stats', '--db', db], { out: () => undefined, err: (l) => err.push(l), readStdin: async () => '' }, {});
    expect(code).toBe(STARTUP_EXIT_CODES.damaged);
    expect(err.join('\n')).toContain('已损坏');
    expect(hasStack(err.join('\n'))).toBe(false);
  });
});
