// How the connections that acknowledge writes commit: with synchronous=FULL, so a commit is on the disk
// before anyone is told "已保存". openDatabase (client.ts) sets NORMAL for every connection; in WAL mode
// NORMAL syncs the log only at checkpoints, and a power cut loses every commit since the last one: about
// a second of work in quiet times, but minutes of clerks' edits and decisions while a publish or an import
// holds checkpoints back — each of them acknowledged. FULL syncs the log at every commit. Measured on this
// project's disk (npm run bench:durability, README "Storage and integrity"): a small commit (a row and its
// audit entry) takes about 4 ms instead of 0.02 ms, 250–290 commits a second, far above what a district
// writes; a 100,000-row commit (an import, a publish) is one commit and costs the same either way.
import { openDatabase, type Db } from './client.js';

export const DURABLE_SYNCHRONOUS = 'FULL';

/** Open a database (as openDatabase does) for a process whose commits are acknowledged to people. */
export function openDurable(path: string, options: Parameters<typeof openDatabase>[1] = {}): Db {
  const db = openDatabase(path, options);
  db.$client.pragma(`synchronous = ${DURABLE_SYNCHRONOUS}`);
  return db;
}
