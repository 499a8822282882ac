// The front door of the readers: judge the upload by its bytes, then stream its rows with the right
// reader. A file that yields no row at all is refused as empty before any event is handed over.
import { readCsv } from './csv-reader.js';
import { DEFAULT_READ_LIMITS } from '../server/domain/limits.js';
import { sniffFile } from './sniff.js';
import { RefusedUpload, type ReadLimits, type ReaderEvent } from './types.js';
import { readXlsx, type XlsxOptions } from './xlsx/index.js';

export const EMPTY_WORKBOOK_MESSAGE = '工作簿是空的：没有任何一行内容。请检查是否上传了正确的文件，或是否把清单保存在了另一个文件中。';
export const EMPTY_CSV_MESSAGE = 'CSV 文件是空的：没有任何一行内容。请检查是否上传了正确的文件。';

/** Sniffs the upload and streams its sheets and rows; throws RefusedUpload for anything it will not read. */
export function readUpload(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS, options: XlsxOptions = {}): AsyncIterableIterator<ReaderEvent> {
  // A hand-made iterator rather than a generator: once the first row is out, next() is the reader's own,
  // and a row passes through nothing here (every generator between the reader and the reading child
  // cost each of 100,000 rows a turn of its own, npm run bench:import).
  let events: AsyncGenerator<ReaderEvent> | null = null;
  let format: 'xlsx' | 'csv' = 'xlsx';
  // Sheet events wait for the first row, so that an upload without any row is refused before anything.
  let held: ReaderEvent[] | null = null;
  let through = false;
  const start = async (): Promise<AsyncGenerator<ReaderEvent>> => {
    ({ format } = await sniffFile(path, limits));
    return format === 'xlsx' ? readXlsx(path, limits, options) : readCsv(path, limits);
  };
  const next = async (): Promise<IteratorResult<ReaderEvent>> => {
    if (through) return events!.next();
    if (held === null) {
      events ??= await start();
      const waiting: ReaderEvent[] = [];
      for (;;) {
        const r = await events.next();
        if (r.done) throw new RefusedUpload('format.empty', format === 'xlsx' ? EMPTY_WORKBOOK_MESSAGE : EMPTY_CSV_MESSAGE);
        waiting.push(r.value);
        if (r.value.type === 'row') break;
      }
      held = waiting;
    }
    const value = held.shift()!;
    if (held.length === 0) through = true;
    return { done: false, value };
  };
  const iterator: AsyncIterableIterator<ReaderEvent> = {
    next: () => (through ? events!.next() : next()),
    return: async (value?: unknown) => {
      through = true;
      held = [];
      if (events) return events.return(value as never);
      events = (async function* () {})();
      return { done: true, value: value as never };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
