// Writes acknowledged to people survive a power cut: the connections that make them commit with
// synchronous=FULL (why, and what it costs: db/durability.ts, npm run bench:durability).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDurable } from '../../../db/durability.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });

describe('durable commits', () => {
  it('a connection opened for acknowledged writes runs WAL with synchronous=FULL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'durable-'));
    try {
      const db = openDurable(join(dir, 'catalogue.db'));
      expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.$client.pragma('synchronous', { simple: true })).toBe(2); // FULL
      db.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the server (through its start-up check), the job thread and the command line open the database only through openDurable', () => {
    const callers = sources('server').filter((f) => /\bopenDatabase\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(callers).toEqual([]);
    for (const f of ['server/operations/startup.ts', 'server/jobs/worker.ts', 'server/cli-commands.ts']) expect(readFileSync(join(ROOT, f), 'utf8'), f).toMatch(/\bopenDurable\(/);
  });
});
