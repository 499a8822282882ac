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

/**
 * The reading thread of one database's publishes, held by the app's services (server/services.ts).
 * The server starts it once; a publish takes its prepared items from it while it answers.
 */
export class PublishReader {
  private reader: Reader | undefined;
  private starting: Promise<boolean> | undefined;

  constructor(private readonly db: Db) {}

  /** Starts the thread (once, however often it is asked); false where none can run. */
  start(): Promise<boolean> {
    if (this.db.$client.memory) return Promise.resolve(false);
    if (this.reader?.alive) return Promise.resolve(true);
    this.starting ??= this.launch().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async launch(): Promise<boolean> {
    const { file, execArgv } = await workerCommand(join(HERE, 'publish-worker.ts'), ROOT, 'publish-worker');
    const worker = new Worker(file, { execArgv, workerData: { path: this.db.$client.name } });
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
    this.reader = reader;
    return true;
  }

  async stop(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    if (reader) await reader.worker.terminate();
  }

  /** The thread while it runs (for diagnostics and tests). */
  thread(): Worker | undefined {
    return this.reader?.alive ? this.reader.worker : undefined;
  }

  /**
   * The items with these ids, prepared, a chunk at a time in the order of `ids`: from the reading
   * thread while it answers, else read here.
   */
  *preparedChunks(ids: number[]): Generator<PreparedItem[]> {
    const total = Math.ceil(ids.length / CHUNK);
    let taken = 0;
    const reader = this.reader;
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
        if (this.reader === reader) this.reader = undefined;
        void reader.worker.terminate();
      }
    }
    for (let k = taken; k < total; k++) yield prepareItems(this.db.$client, ids.slice(k * CHUNK, (k + 1) * CHUNK));
  }
}
