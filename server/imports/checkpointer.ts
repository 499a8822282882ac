// Checkpoints the write-ahead log in a thread of its own while an import stages its rows. A checkpoint
// mostly waits for the disk (it syncs the log and the database file); done on the import's thread, a
// million staged rows spend seconds waiting there. SQLite's advice for bulk writers is this one: turn
// the connection's automatic checkpoints off and run them from another thread.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../db/client.js';
import { workerCommandSync } from '../../imports/worker-bundle.js';
import type { CheckpointJob } from './checkpoint-worker.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** How often the thread checkpoints. */
const INTERVAL_MS = 25;

/** The log's size, in frames (pages), past which a checkpoint makes the writer start it over (checkpoint-worker.ts): 32 MB of 16 KB pages. */
const RESTART_ABOVE_FRAMES = 2048;

/**
 * Whether a connection's automatic checkpoints are off: how many writers (imports, publishes) asked, and
 * the value to restore. One per connection, held by the app's services (server/services.ts), so that
 * writers overlapping on one connection give the checkpoints back only when the last one stops.
 */
export class CheckpointPauses {
  paused: { imports: number; autocheckpoint: number } | undefined;
}

export interface Checkpointer {
  /** Checkpoints once more, ends the thread and gives the connection its automatic checkpoints back. */
  stop(): Promise<void>;
}

const NONE: Checkpointer = { stop: async () => {} };

/** Starts checkpointing beside the caller's writes; a database without a log file (in memory) needs none. */
export function checkpointInBackground(db: Db, pauses: CheckpointPauses, options: { intervalMs?: number; restartAboveFrames?: number } = {}): Checkpointer {
  const sqlite = db.$client;
  if (sqlite.memory || String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return NONE;
  let worker: Worker;
  try {
    // The thread's code (checkpoint-worker.ts), bundled once per process; found without waiting, because
    // a publish starts it inside its synchronous transaction.
    const { file, execArgv } = workerCommandSync(join(HERE, 'checkpoint-worker.ts'), join(HERE, '..', '..'), 'checkpoint-worker');
    worker = new Worker(file, { execArgv, workerData: { path: sqlite.name, intervalMs: options.intervalMs ?? INTERVAL_MS, restartAboveFrames: options.restartAboveFrames ?? RESTART_ABOVE_FRAMES } satisfies CheckpointJob });
  } catch {
    return NONE;
  }
  const state = pauses.paused ?? { imports: 0, autocheckpoint: Number(sqlite.pragma('wal_autocheckpoint', { simple: true })) };
  if (state.imports++ === 0) sqlite.pragma('wal_autocheckpoint = 0');
  pauses.paused = state;
  let released = false;
  // Given back once, when the import stops it or when the thread ends on its own (it failed to open).
  const release = () => {
    if (released) return;
    released = true;
    if (--state.imports === 0) {
      pauses.paused = undefined;
      restoreAutocheckpoint();
    }
  };
  // The thread ends on its own time: the connection may then be reading (a statement being iterated, as
  // an export does after a publish), and a pragma would throw. Tried again shortly, until it takes.
  const restoreAutocheckpoint = () => {
    if (!sqlite.open || pauses.paused) return;
    try {
      sqlite.pragma(`wal_autocheckpoint = ${state.autocheckpoint}`);
    } catch (err) {
      if (!(err instanceof TypeError) || !/busy executing a query/.test(err.message)) throw err;
      setTimeout(restoreAutocheckpoint, 10).unref();
    }
  };
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => {});
  void exited.then(release);
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
      release();
    },
  };
}
