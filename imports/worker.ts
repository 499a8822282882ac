// The child process that reads an upload: bytes → rows → validated item proposals, their citations
// matched to the registry the parent sends, sent to the parent in acknowledged batches. It has no
// database and no network; the parent limits its memory and time.
import { readUpload } from './read-upload.js';
import { sniffFile } from './sniff.js';
import { countCsvRecords } from './csv-precount.js';
import { tableFinder, type SheetInfo, type TableEvent } from './table.js';
import { UnrecognisedValues, type ReadOptions, type SheetLayout } from './mapping.js';
import { importRow } from './rows.js';
import { subItemRows } from './sub-items.js';
import { RowBatch, encodeRow } from './row-message.js';
import { buildRegistryIndex, type RegistryIndex, type RegistryInstrument } from './legal-basis.js';
import { RefusedUpload, type ReadLimits, type ReaderEvent } from './types.js';
import type { WorkerCommand } from './worker-bundle.js';
import { useInflateWorker } from './xlsx/zip.js';

export type ToWorker =
  | {
      /** The file: the child starts reading it at once (workbook, shared strings, the sheets' pre-scan), while the parent gets ready. */
      type: 'open';
      path: string;
      limits: ReadLimits;
      /** How to start the thread that inflates large parts: this child's code is bundled, its folder is not the sources'. */
      inflateWorker: WorkerCommand | null;
      /** Where a workbook's shared strings beyond what is held in memory go (a file removed as it is opened). */
      scratchDir?: string;
    }
  | {
      /** How to read the rows: from here on the child finds the tables and sends rows. */
      type: 'start';
      batchSize: number;
      registry: RegistryInstrument[];
      /** The mapping a person gave and the department's remembered ones. */
      mapping: ReadOptions;
    }
  | { type: 'ack' };
export type FromWorker =
  | { type: 'sheet'; info: SheetInfo }
  | { type: 'rows'; rows: Uint8Array; rowsRead: number }
  | { type: 'done'; rowsRead: number; sheets: SheetInfo[]; layouts: SheetLayout[]; unrecognised: Record<string, Record<string, number>>; maxRssKb: number }
  | { type: 'refused'; code: string; message: string }
  | { type: 'failed'; message: string; code?: string };

const send = (message: FromWorker) =>
  new Promise<void>((resolve, reject) => process.send!(message, undefined, {}, (err) => (err ? reject(err) : resolve())));

/** Batches sent and not yet stored by the parent. Two in flight: the child reads the next batch while
 * the parent stores the previous one (the two cores work at once), and memory stays bounded. */
const MAX_IN_FLIGHT = 2;
let inFlight = 0;
let released: (() => void) | null = null;
const waitForRoom = () => (inFlight < MAX_IN_FLIGHT ? Promise.resolve() : new Promise<void>((resolve) => (released = resolve)));
const waitForAll = async () => {
  while (inFlight > 0) await new Promise<void>((resolve) => (released = resolve));
};

/**
 * The file's events, the first of them asked for at once: reading it takes the workbook, the shared
 * strings and every sheet's pre-scan, which need nothing the parent sends with 'start'.
 */
async function readAhead(path: string, limits: ReadLimits, scratchDir: string | undefined): Promise<AsyncIterable<ReaderEvent>> {
  if ((await sniffFile(path)).format === 'csv') {
    const records = await countCsvRecords(path, limits.maxRows);
    if (records > limits.maxRows) {
      throw new RefusedUpload(
        'sheet.too_many_rows',
        `文件超过 ${limits.maxRows.toLocaleString('zh-CN')} 行（Excel 一张工作表的上限），已拒绝。请按部门拆分成多个文件后分别上传。`,
      );
    }
  }
  const events = readUpload(path, limits, { scratchDir });
  const first = await events.next();
  // The first event, already read, then the rest: an iterator of its own rather than a generator around
  // the reader's, which every row would pass through.
  let taken = false;
  const rest: AsyncIterator<ReaderEvent> = {
    next: () => {
      if (taken) return events.next();
      taken = true;
      return Promise.resolve(first);
    },
    return: (value?: unknown) => events.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
  };
  return { [Symbol.asyncIterator]: () => rest };
}

async function run(opened: Promise<AsyncIterable<ReaderEvent>>, batchSize: number, registry: RegistryIndex, mapping: ReadOptions): Promise<void> {
  const sheets: SheetInfo[] = [];
  const layouts: SheetLayout[] = [];
  const unrecognised = new UnrecognisedValues();
  let headers: SheetInfo['headers'] = {};
  const batch = new RowBatch();
  let rowsRead = 0;
  const flush = async () => {
    if (batch.count === 0) return;
    await waitForRoom();
    inFlight++;
    await send({ type: 'rows', rows: batch.take(), rowsRead });
  };
  const subItems = subItemRows();
  // The table finder is called row by row here (findTables' work without its generator in between).
  const finder = tableFinder(mapping);
  const found: TableEvent[] = [];
  const take = async (): Promise<void> => {
    for (const event of found) {
      if (event.type === 'layout') {
        layouts.push(event.layout);
        continue;
      }
      if (event.type === 'sheet') {
        for (const row of subItems.sheet(event.info.headers.name ?? '事项名称')) batch.add(encodeRow(row, registry));
        await flush();
        sheets.push(event.info);
        headers = event.info.headers;
        await send({ type: 'sheet', info: event.info });
        continue;
      }
      rowsRead++;
      unrecognised.add(event.row.values);
      for (const row of subItems.push(importRow(event.row, headers))) batch.add(encodeRow(row, registry));
      if (batch.count >= batchSize) await flush();
    }
    found.length = 0;
  };
  for await (const event of await opened) {
    finder.step(event, found);
    if (found.length) await take();
  }
  finder.end(found);
  await take();
  for (const row of subItems.end()) batch.add(encodeRow(row, registry));
  await flush();
  await waitForAll();
  // No header, and no row that could be one for a person to map: nothing to read.
  if (!sheets.some((s) => s.headerRow !== null) && layouts.length === 0) {
    throw new RefusedUpload(
      'sheet.no_header',
      '在文件中找不到表头行。请确认表格有一行列名，至少包含“事项名称”和“事项类型”（或“权力名称”“权力类型”等）。',
    );
  }
  await send({ type: 'done', rowsRead, sheets, layouts, unrecognised: unrecognised.result(), maxRssKb: process.resourceUsage().maxRSS });
}

/** The file being read ahead ('open'), until 'start' says how to read its rows. */
let opened: Promise<AsyncIterable<ReaderEvent>> | null = null;

process.on('message', (message: ToWorker) => {
  if (message.type === 'ack') {
    inFlight--;
    const r = released;
    released = null;
    r?.();
    return;
  }
  if (message.type === 'open') {
    useInflateWorker(message.inflateWorker);
    opened = readAhead(message.path, message.limits, message.scratchDir);
    // A refusal is reported once the parent says start (run awaits it); until then it is held.
    opened.catch(() => {});
    return;
  }
  run(opened ?? Promise.reject(new Error('start before open')), message.batchSize, buildRegistryIndex(message.registry), message.mapping)
    .catch(async (error: unknown) => {
      if (error instanceof RefusedUpload) await send({ type: 'refused', code: error.code, message: error.message });
      // The system's error code comes along: a full disk while keeping shared strings aside is named as such.
      else {
        const code = (error as { code?: unknown } | null)?.code;
        await send({ type: 'failed', message: error instanceof Error ? `${error.message}` : String(error), ...(typeof code === 'string' ? { code } : {}) });
      }
    })
    .finally(() => process.disconnect());
});
