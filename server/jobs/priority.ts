// The job thread gives way to the server's requests. On Linux each thread has its own scheduling
// priority ("nice"); the job thread raises its own, so on a machine with fewer cores than busy threads a
// visitor's request is run first and a job takes only the time nobody else needs (bench:jobs measures
// the visitor's longest wait). Threads and processes the job thread starts afterwards (the publish
// reader, an import's child process) inherit it. Elsewhere it does nothing.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** 0 is the default; 10 gives an ordinary request about nine times the job's share of a busy core. */
export const JOB_NICENESS = 10;

/** Lowers the calling thread's priority; false where the system offers no per-thread priority. */
export function giveWayToRequests(niceness = JOB_NICENESS): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}
