// The reading thread of a publish (see publish-reader.ts): reads the touched items from a read-only
// connection of its own and prepares them, a chunk at a time, while the publish writes the previous
// chunks. It reads inside one transaction: the snapshot of the moment the publish began, which holds
// the write lock, so nothing changes in between.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { prepareItems } from './publish-items.js';
import { CANCELLED, CHUNK, CHUNKS_AHEAD, CONSUMED, POSTED, type ReaderJob } from './publish-protocol.js';

const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });


parentPort!.on('message', ({ ids, port, signal }: ReaderJob & { port: MessagePort }) => {
  const counters = new Int32Array(signal);
  const post = (message: unknown) => {
    port.postMessage(message);
    Atomics.add(counters, POSTED, 1);
    Atomics.notify(counters, POSTED);
  };
  try {
    db.exec('BEGIN');
    for (let i = 0, k = 0; i < ids.length && !Atomics.load(counters, CANCELLED); i += CHUNK, k++) {
      // At most CHUNKS_AHEAD chunks wait for the publish: a first publish of a million items must not
      // queue them all in memory.
      for (let consumed = Atomics.load(counters, CONSUMED); k - consumed >= CHUNKS_AHEAD && !Atomics.load(counters, CANCELLED); consumed = Atomics.load(counters, CONSUMED)) {
        if (Atomics.wait(counters, CONSUMED, consumed, 60_000) === 'timed-out') throw new Error('the publish stopped taking chunks');
      }
      post({ items: prepareItems(db, ids.slice(i, i + CHUNK)) });
    }
  } catch (err) {
    post({ error: String(err) });
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    port.close();
  }
});
parentPort!.postMessage('ready');
