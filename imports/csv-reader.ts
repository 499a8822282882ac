// Streams the records of a CSV upload as rows of exact strings: UTF-8 (with or without BOM), UTF-16 with a
// BOM, or GB18030/GBK; comma, semicolon or tab separated; RFC 4180 quoting. Nothing is trimmed or converted.
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { EXCEL_MAX_COLUMNS } from '../server/domain/limits.js';
import { RefusedUpload, type ReadLimits, type ReaderEvent } from './types.js';
import { HEADER_ROWS_MARGIN, MAX_CELL_CHARS, columnName } from './xlsx/index.js';

export const CSV_SHEET_NAME = 'CSV';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
export type CsvSeparator = ',' | ';' | '\t';

const READ_CHUNK = 1024 * 1024;

/** Which encoding a CSV is in: a BOM says so; otherwise UTF-8 if every byte of the file is valid UTF-8. */
export async function detectCsvEncoding(path: string): Promise<CsvEncoding> {
  let carry: Buffer | undefined;
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return 'utf-8';
      if (chunk[0] === 0xff && chunk[1] === 0xfe) return 'utf-16le';
      if (chunk[0] === 0xfe && chunk[1] === 0xff) return 'utf-16be';
    }
    const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
    const end = completeUtf8Length(bytes);
    if (!isUtf8(bytes.subarray(0, end))) return 'gb18030';
    carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : undefined;
  }
  return carry ? 'gb18030' : 'utf-8';
}

/** Length of the prefix of `bytes` that does not end inside a multi-byte UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  let lead = bytes.length - 1;
  while (lead >= 0 && bytes.length - lead < 4 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--;
  if (lead < 0) return bytes.length;
  const b = bytes[lead] ?? 0;
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return bytes.length - lead < need ? lead : bytes.length;
}

/**
 * The separator used in the first records: the one that appears (outside quotes) the same number of times
 * in the most records, preferring more columns. A leading "sep=;" line, as Excel writes it, decides.
 */
export function detectSeparator(sample: string): CsvSeparator {
  const candidates: CsvSeparator[] = [',', ';', '\t'];
  const counts = candidates.map(() => [] as number[]);
  let inQuotes = false;
  let current = candidates.map(() => 0);
  let records = 0;
  let content = false;
  for (let i = 0; i < sample.length && records < 30; i++) {
    const c = sample[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (c === '\n' || c === '\r') {
      if (content) current.forEach((n, k) => counts[k]?.push(n));
      current = candidates.map(() => 0);
      content = false;
      records++;
    } else {
      content = true;
      const k = candidates.indexOf(c as CsvSeparator);
      if (k !== -1) current[k] = (current[k] ?? 0) + 1;
    }
  }
  if (content && records === 0) current.forEach((n, k) => counts[k]?.push(n));

  let best: CsvSeparator = ',';
  let bestScore = [0, 0];
  candidates.forEach((separator, k) => {
    const frequency = new Map<number, number>();
    for (const n of counts[k] ?? []) if (n > 0) frequency.set(n, (frequency.get(n) ?? 0) + 1);
    for (const [n, f] of frequency) {
      const [bf = 0, bn = 0] = bestScore;
      if (f > bf || (f === bf && n > bn)) {
        best = separator;
        bestScore = [f, n];
      }
    }
  });
  return best;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/** A push parser: feed it decoded text, collect finished records from `ready`. */
export class CsvParser {
  readonly ready: { rowNumber: number; cells: string[] }[] = [];
  private state = State.FieldStart;
  private field = '';
  private record: string[] = [];
  private recordStarted = false;
  private skipLineFeed = false;
  private recordNumber = 0;
  private readonly separator: number;
  private readonly maxRecords: number;

  constructor(
    separator: CsvSeparator,
    private readonly limits: ReadLimits,
  ) {
    this.separator = separator.charCodeAt(0);
    this.maxRecords = limits.maxRows + HEADER_ROWS_MARGIN;
  }

  write(chunk: string): void {
    const sep = this.separator;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.state === State.Quoted) {
        const quote = chunk.indexOf('"', i);
        if (quote === -1) {
          this.append(chunk.slice(i));
          return;
        }
        this.append(chunk.slice(i, quote));
        this.state = State.QuoteInQuoted;
        i = quote + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (this.skipLineFeed) {
        this.skipLineFeed = false;
        if (c === 10) {
          i++;
          continue;
        }
      }
      if (this.state === State.QuoteInQuoted) {
        if (c === 34) {
          this.append('"');
          this.state = State.Quoted;
          i++;
          continue;
        }
        // The closing quote. Anything before the next separator is kept as written, as Excel does.
        this.state = State.Unquoted;
      }
      if (c === sep) {
        this.endField();
        this.recordStarted = true;
        i++;
      } else if (c === 10 || c === 13) {
        this.endRecord();
        this.skipLineFeed = c === 13;
        i++;
      } else if (c === 34 && this.state === State.FieldStart) {
        this.state = State.Quoted;
        this.recordStarted = true;
        i++;
      } else {
        let j = i + 1;
        while (j < n) {
          const d = chunk.charCodeAt(j);
          if (d === sep || d === 10 || d === 13) break;
          j++;
        }
        this.append(chunk.slice(i, j));
        this.state = State.Unquoted;
        this.recordStarted = true;
        i = j;
      }
    }
  }

  end(): void {
    if (this.recordStarted || this.state !== State.FieldStart) this.endRecord();
  }

  /** Drops the first record without numbering it (Excel's "sep=;" line). */
  skipFirstRecord(): void {
    this.recordNumber = -1;
  }

  private append(text: string): void {
    this.field += text;
    if (this.field.length > MAX_CELL_CHARS) {
      throw new RefusedUpload(
        'cell.too_long',
        `CSV 文件第 ${this.recordNumber + 1} 行有一个单元格超过 ${MAX_CELL_CHARS} 个字符（可能是引号没有配对），请检查后重新上传。`,
      );
    }
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
    if (this.record.length > EXCEL_MAX_COLUMNS) {
      throw new RefusedUpload(
        'sheet.range_too_large',
        `CSV 文件第 ${this.recordNumber + 1} 行超过 ${EXCEL_MAX_COLUMNS} 列，超出了 Excel 的表格范围，文件可能已损坏。`,
      );
    }
  }

  private endRecord(): void {
    this.endField();
    const cells = this.record;
    this.record = [];
    this.recordStarted = false;
    this.recordNumber++;
    if (this.recordNumber <= 0) return;
    if (this.recordNumber > this.maxRecords) {
      throw new RefusedUpload(
        'sheet.too_many_rows',
        `CSV 文件超过了允许的 ${this.limits.maxRows} 行数据，请拆分成多个文件后分别上传。`,
      );
    }
    let last = -1;
    for (let k = cells.length - 1; k >= 0; k--) {
      if (cells[k] !== '') {
        last = k;
        break;
      }
    }
    if (last === -1) return;
    if (last + 1 > this.limits.maxColumns) {
      throw new RefusedUpload(
        'sheet.range_too_large',
        `CSV 文件第 ${this.recordNumber} 行第 ${columnName(last + 1)} 列有内容，超出了允许的 ${this.limits.maxColumns} 列。请删除多余的内容后重新上传。`,
      );
    }
    this.ready.push({ rowNumber: this.recordNumber, cells });
  }
}

const SEP_LINE = /^sep=([,;\t])\r?\n/;

/** Streams a CSV as one sheet named 'CSV'; rowNumber is the record number (as Excel shows it). */
export async function* readCsv(path: string, limits: ReadLimits): AsyncGenerator<ReaderEvent> {
  const encoding = await detectCsvEncoding(path);
  const decoder = new TextDecoder(encoding);
  let parser: CsvParser | undefined;
  let head = '';

  yield { type: 'sheet', name: CSV_SHEET_NAME, index: 0, merges: [] };
  const feed = function* (text: string, final: boolean): Generator<ReaderEvent> {
    if (!parser) {
      head += text;
      if (head.length < 64 * 1024 && !final) return;
      const declared = SEP_LINE.exec(head);
      parser = new CsvParser(declared ? (declared[1] as CsvSeparator) : detectSeparator(head), limits);
      if (declared) parser.skipFirstRecord();
      text = head;
      head = '';
    }
    parser.write(text);
    if (final) parser.end();
    for (const row of parser.ready) yield { type: 'row', sheet: CSV_SHEET_NAME, rowNumber: row.rowNumber, cells: row.cells };
    parser.ready.length = 0;
  };

  for await (const bytes of createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
    yield* feed(decoder.decode(bytes, { stream: true }), false);
  }
  yield* feed(decoder.decode(), true);
}
