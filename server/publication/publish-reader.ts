// A publish's touched items are read and prepared (canonical JSON, SHA-256) on a thread of its own
// while the publish writes, which halves the time of a publish on a machine with two cores. The
// server starts the thread once; where none runs (a command-line publish, a database in memory) or
// it fails, the items are prepared in the publish's own thread, by the same code (publish-items.ts).
// The publish is synchronous (one IMMEDIATE transaction): it waits for each chunk with Atomics.wait
// and takes it with receiveMessageOnPort.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { Db } from '../../db/client.js';
import { workerCommand } from '../../imports/worker-bundle.js';
import { prepareItems, type PreparedItem } from './publish-items.js';
import { CANCELLED, CHUNK, CONSUMED, COUNTERS_BYTES, POSTED, type ReaderJob } from './publish-protocol.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
/** A reading thread that posts nothing for this long is given up on; the publish reads the rest itself. */
const STALL_MS = 30_000;

interface Reader {
  worker: Worker;
  alive: boolean;
}

const readers = new WeakMap<Db, Reader>();

const starting = new WeakMap<Db, Promise<boolean>>();

/** Starts the reading thread of this database's publishes (once, however often it is asked); false where none can run. */
export function startPublishReader(db: Db): Promise<boolean> {
  if (db.$client.memory) return Promise.resolve(false);
  if (readers.get(db)?.alive) return Promise.resolve(true);
  let started = starting.get(db);
  if (!started) {
    started = start(db).finally(() => starting.delete(db));
    starting.set(db, started);
  }
  return started;
}

async function start(db: Db): Promise<boolean> {
  const sqlite = db.$client;
  // Its code bundled once per process (imports/worker-bundle.ts).
  const { file, execArgv } = await workerCommand(join(HERE, 'publish-worker.ts'), ROOT, 'publish-worker');
  const worker = new Worker(file, { execArgv, workerData: { path: sqlite.name } });
  worker.unref();
  const reader: Reader = { worker, alive: false };
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
      worker.once('error', reject);
      worker.once('exit', () => reject(new Error('the publish reader exited')));
    });
  } catch {
    void worker.terminate();
    return false;
  }
  reader.alive = true;
  const dead = () => {
    reader.alive = false;
  };
  worker.on('error', dead);
  worker.on('exit', dead);
  readers.set(db, reader);
  return true;
}

export async function stopPublishReader(db: Db): Promise<void> {
  const reader = readers.get(db);
  readers.delete(db);
  if (reader) await reader.worker.terminate();
}

/** The reading thread of this database's publishes, while it runs (for diagnostics and tests). */
export const publishReaderThread = (db: Db): Worker | undefined => (readers.get(db)?.alive ? readers.get(db)!.worker : undefined);

/**
 * The items with these ids, prepared, a chunk at a time in the order of `ids`: from the reading thread
 * while it answers, else read here.
 */
export function* preparedChunks(db: Db, ids: number[]): Generator<PreparedItem[]> {
  const total = Math.ceil(ids.length / CHUNK);
  let taken = 0;
  const reader = readers.get(db);
  if (reader?.alive && total > 0) {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(COUNTERS_BYTES);
    const counters = new Int32Array(signal);
    const job: ReaderJob & { port: typeof port2 } = { ids, signal, port: port2 };
    reader.worker.postMessage(job, [port2]);
    try {
      while (taken < total) {
        const received = receiveMessageOnPort(port1)?.message as { items?: PreparedItem[]; error?: string } | undefined;
        if (!received) {
          if (Atomics.wait(counters, POSTED, taken, STALL_MS) === 'timed-out') break;
          // Posted: the message is on the port (posted before the counter moved).
          continue;
        }
        if (!received.items) break;
        taken++;
        Atomics.add(counters, CONSUMED, 1);
        Atomics.notify(counters, CONSUMED);
        yield received.items;
      }
    } finally {
      // Stopped early (the publish failed, or the thread did): the thread stops preparing.
      if (taken < total) {
        Atomics.store(counters, CANCELLED, 1);
        Atomics.notify(counters, CONSUMED);
      }
      port1.close();
    }
    if (taken < total) {
      // The thread failed or stalled: it is not asked again, and the rest is read here.
      reader.alive = false;
      readers.delete(db);
      void reader.worker.terminate();
    }
  }
  for (let k = taken; k < total; k++) yield prepareItems(db.$client, ids.slice(k * CHUNK, (k + 1) * CHUNK));
}
