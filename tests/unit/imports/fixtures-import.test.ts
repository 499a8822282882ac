// Files built to look like real department files read into the rows the import expects.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readUpload } from '../../../imports/read-upload.js';
import { findTables, type SheetInfo } from '../../../imports/table.js';
import { importRow, type ImportedRow } from '../../../imports/rows.js';
import { FIXTURES } from '../../fixtures/build-fixtures.js';

async function readFixture(name: string) {
  const sheets: SheetInfo[] = [];
  const rows: ImportedRow[] = [];
  let headers: SheetInfo['headers'] = {};
  for await (const e of findTables(readUpload(join(FIXTURES, name)))) {
    if (e.type === 'sheet') {
      sheets.push(e.info);
      headers = e.info.headers;
    } else if (e.type === 'row') rows.push(importRow(e.row, headers));
  }
  return { sheets, rows };
}

const FOOD = ['中华人民共和国食品安全法', '食品经营许可和备案管理办法'];

describe.each(['department-excel.xlsx', 'department-libreoffice.xlsx'])('a department workbook (%s)', (file) => {
  it('finds the header under the title rows of every sheet and skips the notes sheet', async () => {
    const { sheets } = await readFixture(file);
    expect(sheets.map((s) => [s.sheet, s.headerRow])).toEqual([
      ['行政许可', 3],
      ['行政处罚', 2],
      ['填报说明', null],
    ]);
  });

  it('reads 8 items: merged names and bases fill down to the sub-items, note rows are not rows', async () => {
    const { rows } = await readFixture(file);
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.errors.length === 0)).toBe(true);
    expect(rows.slice(0, 3).map((r) => [r.rowNumber, r.name, r.mainItemName])).toEqual([
      [4, '新办', '食品经营许可'],
      [5, '变更', '食品经营许可'],
      [6, '延续', '食品经营许可'],
    ]);
    for (const r of rows.slice(0, 3)) expect(r.citations.map((c) => c.title)).toEqual(FOOD);
    expect(rows[2]!.fields).toMatchObject({ instant: true, promisedLimitDays: 0 });
  });

  it('reads national category codes (02 penalty, 03 enforcement) and 【】 tags', async () => {
    const { rows } = await readFixture(file);
    expect(rows.slice(5).map((r) => r.fields?.category)).toEqual(['penalty', 'penalty', 'enforcement']);
    expect(rows[5]!.citations[0]).toMatchObject({ tag: '【法律】', title: '中华人民共和国食品安全法', article: '第一百二十二条' });
    expect(rows[6]!.citations[0]!.article).toBe('第一百二十四条第一款第一项');
  });
});

describe('other writers and encodings', () => {
  it('a WPS-style workbook (x: prefixes, inline strings, cells without r) reads the same 5 licensing items; its footer is not an item', async () => {
    const { rows, sheets } = await readFixture('department-wps.xlsx');
    expect(sheets[0]!.sheet).toBe('行政许可&确认');
    expect(rows.map((r) => r.name)).toEqual(['新办', '变更', '延续', '特种设备使用登记', '工业产品生产许可']);
    expect(rows.every((r) => r.errors.length === 0)).toBe(true);
  });

  it.each(['department-gbk.csv', 'department-semicolon-bom.csv'])('a CSV (%s) reads 3 items with codes for categories', async (file) => {
    const { rows, sheets } = await readFixture(file);
    expect(sheets[0]!.headerRow).toBe(3);
    expect(rows.map((r) => r.fields?.category)).toEqual(['permit', 'penalty', 'confirmation']);
    expect(rows[1]!.citations.map((c) => c.title)).toEqual(['中华人民共和国土地管理法', '中华人民共和国土地管理法实施条例']);
    expect(rows[2]!.fields).toMatchObject({ instant: true });
  });

  it('the semicolon CSV keeps a name with quotes and a semicolon inside exactly', async () => {
    const { rows } = await readFixture('department-semicolon-bom.csv');
    expect(rows[2]!.name).toBe('不动产登记（含“首次登记”；"转移登记"）');
  });
});
