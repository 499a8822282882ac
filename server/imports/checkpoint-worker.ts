// The thread that checkpoints the write-ahead log while an import or a publish writes (checkpointer.ts).
// It has a connection of its own to the same database file and checkpoints every `intervalMs` until it
// is told to stop, then once more.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { giveWayToRequests } from '../jobs/priority.js';

export interface CheckpointJob {
  path: string;
  intervalMs: number;
}

// Copying a publish's log into the file is work nobody waits for: requests go first (bench:jobs).
giveWayToRequests();

const { path, intervalMs } = workerData as CheckpointJob;
const port = parentPort!;
const db = new Database(path, { fileMustExist: true });
let stopping = false;
port.on('message', () => {
  stopping = true;
});

// PASSIVE never waits for the writer: it copies what is committed and syncs. A busy or failed
// checkpoint is only tried again; the import does not depend on it.
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
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
