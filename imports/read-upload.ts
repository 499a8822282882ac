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
export async function* readUpload(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS, options: XlsxOptions = {}): AsyncGenerator<ReaderEvent> {
  const { format } = await sniffFile(path, limits);
  const events = format === 'xlsx' ? readXlsx(path, limits, options) : readCsv(path, limits);

  // Sheet events wait for the first row, so that an upload without any row is refused before anything.
  const waiting: ReaderEvent[] = [];
  let sawRow = false;
  for await (const event of events) {
    if (sawRow) {
      yield event;
    } else if (event.type === 'sheet') {
      waiting.push(event);
    } else {
      sawRow = true;
      yield* waiting;
      waiting.length = 0;
      yield event;
    }
  }
  if (!sawRow) {
    throw new RefusedUpload('format.empty', format === 'xlsx' ? EMPTY_WORKBOOK_MESSAGE : EMPTY_CSV_MESSAGE);
  }
}
