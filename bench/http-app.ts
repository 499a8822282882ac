// The product as a real server for the HTTP benchmarks: a copy of a benchmark database served by
// bench/serve-worker.ts in a child process, a client that keeps cookies, and percentiles.
// BENCH_SERVER_NODE_ARGS adds Node options to the server process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p --trace-gc").
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { TestClient } from '../tests/support/http.js';
import { OUT, copyDatabase } from './base.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Starts the product on a copy of `source` and resolves to a client factory and a stop. */
export async function startApp(source: string, name: string): Promise<{ url: string; pid: number; client: () => TestClient; stop: () => void }> {
  const dbPath = join(OUT, `${name}.db`);
  copyDatabase(source, dbPath);
  const child: ChildProcess = fork(join(HERE, 'serve-worker.ts'), ['app', dbPath], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])], stdio: ['ignore', process.env.BENCH_SERVER_NODE_ARGS ? 'inherit' : 'ignore', 'inherit', 'ipc'] });
  const stop = () => {
    if (child.connected) child.disconnect();
  };
  process.on('exit', stop);
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve(`http://127.0.0.1:${(m as { port: number }).port}`));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, pid: child.pid!, client: () => new TestClient(url), stop };
}

/** Asks until the server answers 200 (its search index builds in the background after start). */
export async function waitReady(c: TestClient, path: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const r = await c.get(path);
    if (r.status === 200) return performance.now() - started;
    if (r.status !== 503) throw new Error(`${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Waits until the server process has finished what it does after start in the background (the working
 * catalogue's index builds a slice at a time between requests): until it used under a tenth of a core for
 * two half-seconds in a row, read from /proc (Linux; elsewhere it does not wait). Resolves to the ms waited.
 */
/** The CPU time a process used so far, in ms (utime + stime from /proc at 100 ticks a second), or null off Linux. */
export function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return null;
  }
}

/** The machine's CPU time taken by its host so far (steal, from /proc/stat, in ticks of 10 ms), or 0 off Linux. */
export function stolenTicks(): number {
  try {
    return Number(readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)[8] ?? 0);
  } catch {
    return 0;
  }
}

export async function waitQuiet(pid: number, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  const cpu = () => cpuMs(pid);
  let last = cpu();
  if (last === null) return 0;
  let quiet = 0;
  while (quiet < 2 && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = cpu();
    if (now === null) break;
    quiet = now - last < 50 ? quiet + 1 : 0;
    last = now;
  }
  return performance.now() - started;
}

/** Milliseconds of one GET, the body read. */
export async function timed(c: TestClient, path: string): Promise<{ ms: number; status: number; text: string }> {
  const t = performance.now();
  const r = await c.get(path);
  return { ms: performance.now() - t, status: r.status, text: r.text };
}

export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

export const load = () => `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;
