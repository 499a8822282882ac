// Real server processes for the fault tests: `node bin/catalogue.js serve` on a database file of the
// test's own, killed with SIGKILL or stopped, and the database read from the test's side meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { inject } from 'vitest';
import { TestClient } from '../../support/http.js';
import { HEADER } from '../../support/sheets.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'catalogue.js');

export const tempFolder = (prefix = 'faults-') => mkdtempSync(join(tmpdir(), prefix));

/** A copy of the demo database (the demo district, its accounts) at `dir/catalogue.db`. */
export function demoDatabase(dir: string): string {
  const path = join(dir, 'catalogue.db');
  copyFileSync(inject('demoDbPath'), path);
  return path;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RealServer {
  url: string;
  pid: number;
  output: () => string;
  client: () => TestClient;
  /** SIGKILL: no handler runs, nothing is flushed or closed. */
  kill9: () => Promise<void>;
  stop: () => Promise<void>;
}

function serverProcess(dbPath: string, port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, CATALOGUE_DB: dbPath, PORT: String(port), HOST: '127.0.0.1', CATALOGUE_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/** Starts a server on the database and waits until it listens. */
export async function startRealServer(dbPath: string, env: Record<string, string> = {}): Promise<RealServer> {
  const port = await freePort();
  const child = serverProcess(dbPath, port, env);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('行政权力清单已启动')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    output: () => output,
    client: () => new TestClient(url),
    kill9: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** Runs `serve` on a database that should not start: its exit code and what it printed (the server is stopped if it does start). */
export async function serveExpectingFailure(dbPath: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string; started: boolean }> {
  const child = serverProcess(dbPath, await freePort(), env);
  let output = '';
  let started = false;
  child.stdout!.on('data', (c: Buffer) => {
    output += c.toString('utf8');
    if (output.includes('行政权力清单已启动')) {
      started = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await exited(child);
  clearTimeout(timer);
  return { code: child.exitCode, output, started };
}

/** Reads the database from the test's side (a connection of its own, read-only). */
export function query<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export const one = <T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T => query<T>(dbPath, sql, ...params)[0]!;

/** Waits until `probe` returns something truthy (polling every 10 ms), or fails after `ms`. */
export async function until<T>(probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 30_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A department list as a CSV of `rows` new items of 区交通运输局: big enough that reading it takes a while. */
export function bigDepartmentCsv(path: string, rows: number): string {
  const lines = [HEADER.join(',')];
  for (let i = 1; i <= rows; i++) {
    lines.push([i, '', `故障测试事项${i}`, '', '行政许可', '区交通运输局', '《中华人民共和国道路运输条例》第二十四条', '20个工作日', '10个工作日', '不收费', '申请表', ''].join(','));
  }
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

/** The SQL integrity check's answer ('ok' when whole). */
export const integrity = (dbPath: string): string => one<{ integrity_check: string }>(dbPath, 'PRAGMA integrity_check').integrity_check;

/** Whether a stack trace or an English SQLite error reached the operator. */
export const hasStack = (output: string): boolean => /\n\s+at |SqliteError|node:internal/.test(output);
