// The thread that checkpoints the write-ahead log while an import or a publish writes (checkpointer.ts).
// It has a connection of its own to the same database file and checkpoints every `intervalMs` until it
// is told to stop, then once more.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { giveWayToRequests } from '../jobs/priority.js';

export interface CheckpointJob {
  path: string;
  intervalMs: number;
  /** Frames in the log above which a checkpoint also makes the next write start the log over (RESTART). */
  restartAboveFrames: number;
}

// Copying a publish's log into the file is work nobody waits for: requests go first (bench:jobs).
giveWayToRequests();

const { path, intervalMs, restartAboveFrames } = workerData as CheckpointJob;
const port = parentPort!;
// A RESTART waits for the writer's transaction and the readers of the log at most RESTART_WAIT_MS, holding
// every other writer back meanwhile (the web's requests too); one that cannot is only tried again later.
const RESTART_WAIT_MS = 50;
const db = new Database(path, { fileMustExist: true, timeout: RESTART_WAIT_MS });
let stopping = false;
port.on('message', () => {
  stopping = true;
});

// PASSIVE never waits for the writer: it copies what is committed and syncs. A busy or failed
// checkpoint is only tried again; the import does not depend on it.
//
// The writer starts the log over only when, as it begins a transaction, every frame is already copied:
// with a batch committed every few milliseconds that almost never happened, and the log of a 100,000-row
// import grew to 200 MB (the wal-index searched on every page read, and removing the file when the last
// connection closed took a fifth of a second, npm run bench:import). Past `restartAboveFrames`, RESTART
// waits for the writer's transaction to end and holds the next one back until the log is copied, so
// that it starts at the beginning: the log stays near that size.
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    if (result && result.log > restartAboveFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch {
    // Tried again at the next turn.
  }
};

(function loop() {
  checkpoint();
  if (stopping) {
    db.close();
    port.close();
    return;
  }
  setTimeout(loop, intervalMs);
})();
