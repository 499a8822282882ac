import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvParser, detectCsvEncoding, detectSeparator, readCsv } from '../../../../imports/csv-reader.js';
import { DEFAULT_READ_LIMITS } from '../../../../server/domain/limits.js';
import type { ReaderEvent } from '../../../../imports/types.js';
import { FIXTURES, GBK_CSV_ROWS, SEMICOLON_CSV_ROWS } from '../../../fixtures/build-fixtures.js';
import { encodeGbk } from '../../../fixtures/gbk.js';
import { TempFiles } from '../../../fixtures/hostile.js';

const temp = new TempFiles();
afterAll(() => temp.remove());

async function rows(path: string, limits = DEFAULT_READ_LIMITS): Promise<[number, string[]][]> {
  const out: [number, string[]][] = [];
  const all: ReaderEvent[] = [];
  for await (const event of readCsv(path, limits)) all.push(event);
  expect(all[0]).toEqual({ type: 'sheet', name: 'CSV', index: 0, merges: [] });
  for (const event of all.slice(1)) if (event.type === 'row') out.push([event.rowNumber, event.cells as string[]]);
  return out;
}

/** The fixture rows with their record numbers, fully empty records left out. */
const numbered = (records: string[][]) =>
  records.flatMap((cells, i): [number, string[]][] => (cells.every((c) => c === '') ? [] : [[i + 1, cells]]));

function parse(text: string, separator: ',' | ';' | '\t' = ',', chunk = text.length): [number, string[]][] {
  const parser = new CsvParser(separator, DEFAULT_READ_LIMITS);
  for (let i = 0; i < text.length; i += chunk) parser.write(text.slice(i, i + chunk));
  parser.end();
  return parser.ready.map((r) => [r.rowNumber, r.cells]);
}

describe('reading CSV uploads', () => {
  it('a GBK CSV with a title row, a blank row and codes reads every value exactly', async () => {
    expect(await detectCsvEncoding(join(FIXTURES, 'department-gbk.csv'))).toBe('gb18030');
    expect(await rows(join(FIXTURES, 'department-gbk.csv'))).toEqual(numbered(GBK_CSV_ROWS));
  });

  it('a UTF-8 CSV with BOM and semicolons, quotes and line breaks inside fields', async () => {
    expect(await detectCsvEncoding(join(FIXTURES, 'department-semicolon-bom.csv'))).toBe('utf-8');
    expect(await rows(join(FIXTURES, 'department-semicolon-bom.csv'))).toEqual(numbered(SEMICOLON_CSV_ROWS));
  });

  it('keeps every value as its exact string: no trimming, no number or date conversion', () => {
    expect(parse(' 001 ,1.50,2024-01-05,=1+1,"  x  "\n')).toEqual([[1, [' 001 ', '1.50', '2024-01-05', '=1+1', '  x  ']]]);
  });

  it('RFC 4180 quoting: separators, doubled quotes and CRLF/LF/CR inside quotes; CRLF, LF and CR between records', () => {
    const text = 'a,"b,c","he said ""是""","line1\r\nline2"\r\nd,e\nf,"g\rh"\rlast,one';
    const expected: [number, string[]][] = [
      [1, ['a', 'b,c', 'he said "是"', 'line1\r\nline2']],
      [2, ['d', 'e']],
      [3, ['f', 'g\rh']],
      [4, ['last', 'one']],
    ];
    expect(parse(text)).toEqual(expected);
    for (const chunk of [1, 2, 3, 5]) expect(parse(text, ',', chunk)).toEqual(expected);
  });

  it('numbers records as Excel shows them, counting blank records, and skips fully empty ones', () => {
    expect(parse('标题,,\r\n,,\r\n\r\n序号,名称\r\n1,许可\r\n')).toEqual([
      [1, ['标题', '', '']],
      [4, ['序号', '名称']],
      [5, ['1', '许可']],
    ]);
  });

  it('detects the separator from the first records, counted outside quotes', () => {
    expect(detectSeparator('事项名称;事项类型;依据\n"许可,登记";01;《法》第一条，第二条\n')).toBe(';');
    expect(detectSeparator('事项名称,事项类型\n"a;b;c;d",01\n')).toBe(',');
    expect(detectSeparator('事项名称\t事项类型\t依据\n许可\t01\t法,条\n')).toBe('\t');
    expect(detectSeparator('XX局行政权力清单\n事项名称;事项类型;依据\n许可;01;法\n')).toBe(';');
  });

  it('an Excel "sep=;" first line decides the separator and is not a record', async () => {
    const path = temp.write('sep.csv', 'sep=;\r\n事项名称;事项类型\r\n许可,登记;01\r\n');
    expect(await rows(path)).toEqual([
      [1, ['事项名称', '事项类型']],
      [2, ['许可,登记', '01']],
    ]);
  });

  it('decodes GB18030 exactly when multi-byte characters are cut across read chunks', async () => {
    // 1 MiB read chunks: one ASCII byte, then two-byte characters, so byte 1,048,576 falls inside one.
    const line = `a${'事'.repeat(600_000)},${'项'.repeat(10)}\r\n`;
    const path = temp.write('gbk-long.csv', encodeGbk(`${line}名称,类型\r\n`));
    const result = await rows(path);
    expect(result).toEqual([
      [1, [`a${'事'.repeat(600_000)}`, '项'.repeat(10)]],
      [2, ['名称', '类型']],
    ]);
  });

  it('decodes UTF-8 exactly across read chunks, including four-byte characters', async () => {
    const cell = '𠀀事项😀'.repeat(120_000);
    const path = temp.write('utf8-long.csv', `${cell},x\n${cell}\n`);
    expect(await rows(path)).toEqual([
      [1, [cell, 'x']],
      [2, [cell]],
    ]);
  });

  it('reads UTF-16 with a BOM (Excel "Unicode text")', async () => {
    const path = temp.write('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('事项名称\t事项类型\r\n食品经营许可\t01\r\n', 'utf16le')]));
    expect(await rows(path)).toEqual([
      [1, ['事项名称', '事项类型']],
      [2, ['食品经营许可', '01']],
    ]);
  });

  it('refuses more records than the limit as soon as it is crossed', async () => {
    const path = temp.write('many.csv', Array.from({ length: 500 }, (_, i) => `${i},x`).join('\n'));
    const seen: number[] = [];
    await expect(async () => {
      for await (const event of readCsv(path, { ...DEFAULT_READ_LIMITS, maxRows: 100 })) if (event.type === 'row') seen.push(event.rowNumber);
    }).rejects.toMatchObject({ code: 'sheet.too_many_rows' });
    expect(seen.length).toBeLessThanOrEqual(120);
  });

  it('refuses content beyond limits.maxColumns and an unclosed quote that swallows the file', async () => {
    await expect(async () => {
      for await (const _ of readCsv(temp.write('wide.csv', `${'a,'.repeat(250)}b\n`), DEFAULT_READ_LIMITS));
    }).rejects.toMatchObject({ code: 'sheet.range_too_large' });
    await expect(async () => {
      for await (const _ of readCsv(temp.write('quote.csv', `a,"b\n${'x'.repeat(1_100_000)}\n`), DEFAULT_READ_LIMITS));
    }).rejects.toMatchObject({ code: 'cell.too_long' });
  });
});
