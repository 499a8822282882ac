// Streams the rows of every worksheet of an .xlsx: the workbook first, then every sheet pre-scanned,
// the styles and shared strings read, and the sheets' rows handed over one by one.
import { RefusedUpload, type CellRange, type ReadLimits, type ReaderEvent } from '../types.js';
import { MESSAGES } from './messages.js';
import { decodedChunks } from './parts.js';
import { prescanSheet } from './prescan.js';
import { readSharedStrings, type SharedStrings } from './shared-strings.js';
import { SheetHandler, SheetTokenizer } from './sheet.js';
import { readDateStyles } from './styles.js';
import { readWorkbook } from './workbook.js';
import { ZipArchive } from './zip.js';

/** Where the reader may keep what does not fit in memory (see SHARED_STRINGS_KEPT_CHARS). */
export interface XlsxOptions {
  scratchDir?: string;
  /** Characters of shared strings held in memory with a scratch folder (SHARED_STRINGS_KEPT_CHARS). */
  keptStringChars?: number;
}

/**
 * Characters of shared strings held in memory (16 MB) when a scratch folder is given; the rest go to a
 * file there (SharedStrings). A 100,000-row list has about 8 million; a million-row workbook's 80 million
 * held whole made its reader's heap 165 MB (npm run bench:import).
 */
export const SHARED_STRINGS_KEPT_CHARS = 8 * 1024 * 1024;

/**
 * Streams every worksheet of an .xlsx: a 'sheet' event (with its merges) then its rows with content.
 * Every sheet is pre-scanned before the first row is handed over, so a hostile sheet refuses the whole
 * upload before anything was read from it.
 */
export async function* readXlsx(path: string, limits: ReadLimits, options: XlsxOptions = {}): AsyncGenerator<ReaderEvent> {
  const zip = await ZipArchive.open(path, limits);
  let strings: SharedStrings | null = null;
  try {
    const workbook = await readWorkbook(zip);
    if (workbook.sheets.length === 0) throw new RefusedUpload('format.empty', MESSAGES.noWorksheet);
    // The pre-scans mostly wait for the inflater while parsing the shared strings keeps the CPU busy:
    // run them side by side. A refusal in one closes the zip, which stops the others.
    const [merges, dateStyles] = await Promise.all([
      (async () => {
        const all: CellRange[][] = [];
        for (const sheet of workbook.sheets) all.push(await prescanSheet(zip, sheet, limits));
        return all;
      })(),
      readDateStyles(zip, workbook.styles),
      readSharedStrings(zip, workbook.sharedStrings, options.scratchDir ? { dir: options.scratchDir, keepChars: options.keptStringChars ?? SHARED_STRINGS_KEPT_CHARS } : undefined).then((read) => (strings = read)),
    ]);

    for (const [n, sheet] of workbook.sheets.entries()) {
      yield { type: 'sheet', name: sheet.name, index: sheet.index, merges: merges[n] ?? [] };
      const handler = new SheetHandler(sheet, strings!, dateStyles, workbook.date1904, limits);
      const tokenizer = new SheetTokenizer(handler, sheet.entry.name);
      for await (const text of decodedChunks(zip, sheet.entry)) {
        tokenizer.feed(text);
        while (tokenizer.resume()) {
          for (const row of handler.ready) yield { type: 'row', sheet: sheet.name, rowNumber: row.rowNumber, cells: row.cells };
          handler.ready.length = 0;
        }
      }
      tokenizer.end();
      for (const row of handler.ready) yield { type: 'row', sheet: sheet.name, rowNumber: row.rowNumber, cells: row.cells };
      handler.ready.length = 0;
    }
  } finally {
    (strings as SharedStrings | null)?.close();
    await zip.close();
  }
}
