import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS } from '../../../../server/domain/limits.js';
import type { CellValue, ReaderEvent } from '../../../../imports/types.js';
import { parseRange, readXlsx } from '../../../../imports/xlsx/index.js';
import { FIXTURES, LICENSING_MERGES, LICENSING_ROWS, PENALTY_ROWS, buildCellTypesXlsx } from '../../../fixtures/build-fixtures.js';
import { TempFiles, sheetXml, workbookParts } from '../../../fixtures/hostile.js';
import { buildZip } from '../../../fixtures/zip-writer.js';

const temp = new TempFiles();
afterAll(() => temp.remove());

async function events(path: string): Promise<ReaderEvent[]> {
  const out: ReaderEvent[] = [];
  for await (const event of readXlsx(path, DEFAULT_READ_LIMITS)) out.push(event);
  return out;
}

/** The rows a sheet fixture was written with, as the reader should hand them over (blank rows skipped). */
function expectedRows(sheet: string, rows: (string | number | null)[][]): ReaderEvent[] {
  return rows.flatMap((row, i) => {
    if (row.every((v) => v === null)) return [];
    const cells: CellValue[] = [];
    row.forEach((v, c) => {
      if (v !== null) cells[c] = v;
    });
    return [{ type: 'row' as const, sheet, rowNumber: i + 1, cells }];
  });
}

const rowsOf = (all: ReaderEvent[], sheet: string) => all.filter((e) => e.type === 'row' && e.sheet === sheet);

describe('reading department workbooks', () => {
  it('an Excel-style workbook: every sheet in order, its merges before its rows, rows numbered as in Excel', async () => {
    const all = await events(join(FIXTURES, 'department-excel.xlsx'));
    const sheets = all.filter((e) => e.type === 'sheet');
    expect(sheets.map((e) => e.type === 'sheet' && [e.name, e.index])).toEqual([
      ['行政许可', 0],
      ['行政处罚', 1],
      ['填报说明', 2],
    ]);
    expect(sheets[0]).toEqual({ type: 'sheet', name: '行政许可', index: 0, merges: LICENSING_MERGES.map((m) => parseRange(m)) });
    expect(all.indexOf(sheets[1]!)).toBe(1 + rowsOf(all, '行政许可').length);
    expect(rowsOf(all, '行政许可')).toEqual(expectedRows('行政许可', LICENSING_ROWS));
    expect(rowsOf(all, '行政处罚')).toEqual(expectedRows('行政处罚', PENALTY_ROWS));
    expect(rowsOf(all, '填报说明')).toHaveLength(3);
  });

  it('the same workbook saved by LibreOffice reads identically', async () => {
    const excel = await events(join(FIXTURES, 'department-excel.xlsx'));
    const libreOffice = await events(join(FIXTURES, 'department-libreoffice.xlsx'));
    expect(libreOffice).toEqual(excel);
  });

  it('a WPS-style workbook (x: prefixes, inline strings, cells without r, single quotes, CRLF) reads the same rows', async () => {
    const all = await events(join(FIXTURES, 'department-wps.xlsx'));
    const name = '行政许可&确认';
    expect(all[0]).toEqual({ type: 'sheet', name, index: 0, merges: LICENSING_MERGES.map((m) => parseRange(m)) });
    expect(rowsOf(all, name).slice(0, -1)).toEqual(expectedRows(name, LICENSING_ROWS));
    expect(rowsOf(all, name).at(-1)).toEqual({ type: 'row', sheet: name, rowNumber: 12, cells: [new Date(Date.UTC(2024, 0, 15)), '制表日期'] });
  });
});

describe('cell shapes', () => {
  it('a hand-written sheet: shared and inline strings, rich text without phonetics, entities, CDATA, numbers, booleans, errors, formulas, dates', async () => {
    const all = await events(join(FIXTURES, 'cell-types.xlsx'));
    expect(all[0]).toEqual({ type: 'sheet', name: '单元格', index: 0, merges: [{ top: 7, left: 2, bottom: 8, right: 3 }] });
    const rows = all.filter((e) => e.type === 'row');
    expect(rows.map((r) => r.type === 'row' && r.rowNumber)).toEqual([1, 2, 3, 4, 7]);
    const cells = (n: number) => (rows[n]?.type === 'row' ? rows[n].cells : []);
    expect(cells(0)).toEqual(['行政许可', '《中华人民共和国行政许可法》 ', 'A & B <C> "D" \'E\' 中文 𠀀', '第一行\r\n第二行']);
    expect(cells(1)).toEqual([42, -0.0015, true, false, { error: '#N/A' }, '42件', 84, null, undefined, null]);
    expect(cells(2)).toEqual([
      new Date(Date.UTC(2024, 0, 15)),
      new Date(Date.UTC(2024, 0, 15, 12)),
      new Date(Date.UTC(2024, 0, 15)),
      1234.5,
      new Date(Date.UTC(2024, 0, 15, 8, 30)),
      new Date(Date.UTC(1900, 0, 1)),
    ]);
    const row4 = cells(3);
    expect(row4.length).toBe(12);
    expect([row4[0], row4[1], row4[2], row4[3], row4[11]]).toEqual(['内联字符串', '富文本 内联', 12, '<不是标签> & 原样', '第L列']);
    expect(row4.slice(4, 11).every((v) => v === undefined)).toBe(true);
    expect(cells(4)).toEqual([undefined, '行政许可']);
  });

  it('dates follow the workbook date system (1904)', async () => {
    const all = await events(temp.write('1904.xlsx', buildCellTypesXlsx({ date1904: true })));
    const row3 = all.find((e) => e.type === 'row' && e.rowNumber === 3);
    expect(row3?.type === 'row' && row3.cells[0]).toEqual(new Date(Date.UTC(2028, 0, 16)));
  });

  it('cells as exceljs writes them: rich text, hyperlink, formula with and without result, error, date, boolean', async () => {
    const all = await events(join(FIXTURES, 'exceljs-cell-types.xlsx'));
    expect(all[1]).toEqual({
      type: 'row',
      sheet: '单元格',
      rowNumber: 1,
      cells: [
        '《中华人民共和国行政许可法》',
        '在线办理',
        2,
        null,
        { error: '#N/A' },
        new Date(Date.UTC(2024, 0, 15)),
        true,
        3.25,
        '  前后有空格  ',
        '第一行\n第二行',
        '《中华人民共和国行政许可法》',
      ],
    });
  });

  it('reads every worksheet, hidden ones too, and skips chartsheets', async () => {
    const all = await events(join(FIXTURES, 'cell-types.xlsx'));
    expect(all.filter((e) => e.type === 'sheet').map((e) => e.type === 'sheet' && e.name)).toEqual(['单元格']);
  });

  it('a content cell beyond limits.maxColumns is refused; empty styled cells out there are not', async () => {
    const ok = sheetXml('<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="ZZ1" s="1"/></row></sheetData>');
    const bad = sheetXml('<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="ZZ1"><v>2</v></c></row></sheetData>');
    const limits = { ...DEFAULT_READ_LIMITS, maxColumns: 200 };
    const okEvents: ReaderEvent[] = [];
    for await (const e of readXlsx(temp.write('ok-cols.xlsx', buildZip(workbookParts([ok]))), limits)) okEvents.push(e);
    expect(okEvents[1]).toEqual({ type: 'row', sheet: 'Sheet1', rowNumber: 1, cells: [1] });
    await expect(async () => {
      for await (const _ of readXlsx(temp.write('bad-cols.xlsx', buildZip(workbookParts([bad]))), limits));
    }).rejects.toMatchObject({ code: 'sheet.range_too_large' });
  });

  it('a shared string index that does not exist is refused as a damaged file, not read as empty', async () => {
    const path = temp.write('bad-sst.xlsx', buildZip(workbookParts([sheetXml('<sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData>')], '<sst><si><t>a</t></si></sst>')));
    await expect(async () => {
      for await (const _ of readXlsx(path, DEFAULT_READ_LIMITS));
    }).rejects.toMatchObject({ code: 'xml.malformed' });
  });
});

describe('a sheet large enough to be inflated in a thread of its own', () => {
  /** A sheet of `rows` rows of text that does not compress (over 1 MB deflated), with two merges. */
  async function largeSheet(name: string, rows: number): Promise<string> {
    const ExcelJS = (await import('exceljs')).default;
    const path = temp.path(name);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet('大表');
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647);
    sheet.mergeCells('A2:A3');
    sheet.mergeCells('B5:C5');
    for (let r = 1; r <= rows; r++) {
      const text = Array.from({ length: 40 }, () => String.fromCharCode(0x4e00 + (random() % 20000))).join('');
      sheet.addRow([`事项${r}`, text, r]).commit();
    }
    await workbook.commit();
    return path;
  }

  it('its merges come with the sheet event, before any row, and every row comes as written', async () => {
    const path = await largeSheet('large-merges.xlsx', 12_000);
    const { statSync } = await import('node:fs');
    expect(statSync(path).size).toBeGreaterThan(1024 * 1024);
    const all = await events(path);
    expect(all[0]).toEqual({ type: 'sheet', name: '大表', index: 0, merges: [parseRange('A2:A3'), parseRange('B5:C5')] });
    const rows = rowsOf(all, '大表');
    expect(rows).toHaveLength(12_000);
    expect(rows.at(-1)).toMatchObject({ cells: ['事项12000', expect.any(String), 12_000] });
  }, 60_000);

  it('a row beyond the limit refuses the file before any row is handed over, in Chinese', async () => {
    const path = await largeSheet('large-too-many.xlsx', 12_000);
    const seen: ReaderEvent[] = [];
    const read = (async () => {
      for await (const event of readXlsx(path, { ...DEFAULT_READ_LIMITS, maxRows: 1_000 })) seen.push(event);
    })();
    await expect(read).rejects.toMatchObject({ code: 'sheet.too_many_rows', message: expect.stringContaining('大表') });
    expect(seen).toEqual([]);
  }, 60_000);
});
