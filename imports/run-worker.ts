// Runs imports/worker.ts in a child process with a memory and a time limit, and hands its batches to
// the caller. A child that dies, runs out of memory or time becomes a RefusedUpload with a Chinese message.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker } from './worker.js';
import type { SheetInfo } from './table.js';
import type { ReadOptions, SheetLayout } from './mapping.js';
import type { RowMessage } from './row-message.js';
import type { RegistryInstrument } from './legal-basis.js';
import { RefusedUpload, type ReadLimits } from './types.js';
import { DEFAULT_READ_LIMITS } from '../server/domain/limits.js';
import { workerCommand } from './worker-bundle.js';
import { inflateWorkerCommand } from './xlsx/zip.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

/**
 * Rows per batch. Small batches keep the child's garbage collector from copying a large batch that is
 * still being filled, and the parent starts storing sooner; the two batches in flight keep both busy.
 */
const BATCH_ROWS = 500;

/** The reading child's young-generation semi-space, in MB (see the fork below). */
const SEMI_SPACE_MB = 4;

/**
 * How far the reading child's old generation grows past what was live at its last full collection, in
 * percent. Almost all that lives there is the shared-string table, packed in a few large blocks that a
 * full collection marks at little cost; with V8's default growth the reader of a million-row workbook
 * (5 million shared strings, a live heap of about 165 MB) reached 356 MB, with 20% it stays near 318 MB
 * (npm run bench:import), no slower at 100,000 rows.
 */
const HEAP_GROWING_PERCENT = 20;

/** How the reading child is started: the file's limits, and the child's memory and time. */
export interface ReaderLimits {
  limits?: ReadLimits;
  memoryMb: number;
  timeoutMs: number;
  /** Where the child keeps the shared strings it does not hold in memory (the uploads folder). */
  scratchDir?: string;
}

/** How the rows are read, and where they go. */
export interface ReadRows {
  batchSize?: number;
  /** The legal-instrument registry, which the child matches the citations against. */
  registry: RegistryInstrument[];
  /** Header and value mappings: given now, and the department's remembered ones. */
  mapping?: ReadOptions;
  onSheet?: (info: SheetInfo) => void;
  /** Called for each batch; the next batch is read only after it returns (or its promise settles). */
  onRows: (rows: RowMessage[], rowsRead: number) => void | Promise<void>;
}

/**
 * A reading child started on a file: it reads ahead what needs nothing more (the workbook, the shared
 * strings, the sheets' pre-scan) while the caller gets the registry and the mappings ready, then reads
 * the rows. Its time limit runs from the start; a reader never read from must be closed.
 */
export interface Reader {
  /** The child's process id. */
  readonly pid: number | undefined;
  read(rows: ReadRows): Promise<WorkerResult>;
  /** Stops the child if it is still running (a reader given up before or after reading). */
  close(): void;
}

export interface WorkerResult {
  rowsRead: number;
  sheets: SheetInfo[];
  /** Each sheet's header row as read (or its likeliest one) with its first rows. */
  layouts: SheetLayout[];
  /** Column → distinct value the parsers do not understand → rows. */
  unrecognised: Record<string, Record<string, number>>;
  /** Peak resident memory of the reading process, in KB. */
  maxRssKb: number;
}

/** Starts the reading child on `path` (see Reader). */
export async function openReader(path: string, options: ReaderLimits): Promise<Reader> {
  // The child and the inflate thread it starts, each bundled once per process (worker-bundle.ts).
  const [{ file, execArgv }, inflateWorker] = await Promise.all([workerCommand(join(HERE, 'worker.ts'), ROOT, 'import-worker'), inflateWorkerCommand()]);
  const child = fork(file, [], {
    // A young generation of SEMI_SPACE_MB semi-spaces: rows are short-lived, and V8's default (16 MB each,
    // grown under a steady stream of allocations) costs the reader tens of MB of resident memory for nothing.
    execArgv: [...execArgv, `--max-old-space-size=${options.memoryMb}`, `--max-semi-space-size=${SEMI_SPACE_MB}`, `--heap-growing-percent=${HEAP_GROWING_PERCENT}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // Two malloc arenas: the reader has a thread (the inflater) beside its own, and glibc's default of
    // eight arenas per core keeps what each thread freed. Blocks of 64 KB and more (inflated chunks, batches
    // on their way to the parent) mapped on their own and given back when freed, and free memory at the top
    // of an arena given back above 1 MB: with glibc's defaults the reader of a 100,000-row file kept about
    // 30 MB it had freed (npm run bench:import, 172 → 141 MB at its peak).
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: process.env.NODE_ENV ?? '',
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: String(64 * 1024),
      MALLOC_TRIM_THRESHOLD_: String(1024 * 1024),
    },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString('utf8');
  });
  let rows: ReadRows | null = null;
  let decodeRows: (bytes: Uint8Array) => RowMessage[];
  let settled = false;
  let pending = Promise.resolve();
  let outcome: { error: Error | null; result?: WorkerResult } | null = null;
  let told: ((o: { error: Error | null; result?: WorkerResult }) => void) | null = null;
  const finish = (error: Error | null, result?: WorkerResult) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
    outcome = { error, result };
    told?.(outcome);
  };
  const timer = setTimeout(
    () =>
      finish(
        new RefusedUpload(
          'limits.timeout',
          `文件读取超过 ${Math.round(options.timeoutMs / 1000)} 秒仍未完成，已停止。请拆分成较小的文件（例如每个部门一个文件）后分别上传。`,
        ),
      ),
    options.timeoutMs,
  );
  // Messages come only after 'start' (read below): the child reads ahead without a word.
  child.on('message', (message: FromWorker) => {
    pending = pending.then(async () => {
      if (settled || !rows) return;
      switch (message.type) {
        case 'sheet':
          rows.onSheet?.(message.info);
          break;
        case 'rows':
          try {
            await rows.onRows(decodeRows(message.rows), message.rowsRead);
            // The child may already have stopped (it refused the file after this batch): no ack then.
            if (!settled && child.connected) child.send({ type: 'ack' } satisfies ToWorker, (err) => void err);
          } catch (e) {
            finish(e as Error);
          }
          break;
        case 'done':
          finish(null, { rowsRead: message.rowsRead, sheets: message.sheets, layouts: message.layouts, unrecognised: message.unrecognised, maxRssKb: message.maxRssKb });
          break;
        case 'refused':
          finish(new RefusedUpload(message.code as RefusedUpload['code'], message.message));
          break;
        case 'failed':
          finish(Object.assign(new Error(`读取文件时出错：${message.message}`), message.code ? { code: message.code } : {}));
          break;
      }
    });
  });
  child.on('exit', (code, signal) => {
    void pending.then(() => {
      if (settled) return;
      const oom = /heap out of memory|Allocation failed/i.test(stderr) || signal === 'SIGABRT' || code === 134;
      finish(
        oom
          ? new RefusedUpload('limits.memory', '文件内容过大，读取时超出内存限制，已停止。请拆分成较小的文件后分别上传。')
          : new Error(`读取进程意外退出（${signal ?? code}）`),
      );
    });
  });
  child.on('error', (e) => finish(e));
  child.send({ type: 'open', path, limits: options.limits ?? DEFAULT_READ_LIMITS, inflateWorker, scratchDir: options.scratchDir } satisfies ToWorker, (err) => void err);
  // The rows' decoder (and the legal-basis matching it brings) loads once the child is on its way: the
  // command line starts the child before its own code has loaded (server/cli.ts). Rows come only after
  // 'start' (read, below).
  try {
    decodeRows = (await import('./row-message.js')).decodeRows;
  } catch (e) {
    finish(e as Error);
    throw e;
  }
  return {
    pid: child.pid,
    read(given: ReadRows): Promise<WorkerResult> {
      if (rows) throw new Error('a reader reads once');
      rows = given;
      const result = new Promise<WorkerResult>((resolve, reject) => {
        told = (o) => (o.error ? reject(o.error) : resolve(o.result!));
        if (outcome) told(outcome);
      });
      if (!settled) child.send({ type: 'start', batchSize: given.batchSize ?? BATCH_ROWS, registry: given.registry, mapping: given.mapping ?? {} } satisfies ToWorker, (err) => void err);
      return result;
    },
    close() {
      if (!settled) finish(new Error('reader closed'));
    },
  };
}
