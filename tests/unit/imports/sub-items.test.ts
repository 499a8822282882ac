// Sub-items (子项) as departments write them: under a merged main-item cell, or with the main item's
// cells repeated on every row. They become sub-items of their main item, never duplicates, never an
// item named "新办"; their codes are the main item's code + "-01", "-02" … in row order.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readUpload } from '../../../imports/read-upload.js';
import { findTables, type SheetInfo } from '../../../imports/table.js';
import { importRow, type ImportedRow } from '../../../imports/rows.js';
import { subItemRows, MAX_HELD } from '../../../imports/sub-items.js';
import { tempDir, writeWorkbook } from '../../support/sheets.js';

const HEADER = ['序号', '事项编码', '事项名称', '子项', '事项类型', '实施主体', '设定依据'];
const FOOD_BASIS = '《中华人民共和国食品安全法》第三十五条';

async function read(rows: (string | number | null)[][], merges: string[] = []): Promise<ImportedRow[]> {
  const path = await writeWorkbook(join(tempDir(), 'list.xlsx'), [{ name: '行政许可', rows: [HEADER, ...rows], merges }]);
  let headers: SheetInfo['headers'] = {};
  const subItems = subItemRows();
  const out: ImportedRow[] = [];
  for await (const e of findTables(readUpload(path))) {
    if (e.type === 'sheet') {
      out.push(...subItems.sheet(e.info.headers.name ?? '事项名称'));
      headers = e.info.headers;
    } else if (e.type === 'row') out.push(...subItems.push(importRow(e.row, headers)));
  }
  out.push(...subItems.end());
  return out;
}

const shape = (rows: ImportedRow[]) => rows.map((r) => [r.rowNumber, r.code, r.name, r.mainItemName]);

describe('sub-items', () => {
  it('sub-items under merged cells (no row of the main item) make the main item, and take its code + "-01", "-02", "-03"', async () => {
    const rows = await read(
      [
        [1, 'XK-0101', '食品经营许可', '新办', '行政许可', '区市场监管局', FOOD_BASIS],
        [null, null, null, '变更', null, null, null],
        [null, null, null, '延续', null, null, null],
        [2, 'XK-0102', '药品零售企业经营许可', null, '行政许可', '区市场监管局', '《中华人民共和国药品管理法》第五十一条'],
      ],
      ['A2:A4', 'B2:B4', 'C2:C4', 'E2:E4', 'F2:F4', 'G2:G4'],
    );
    expect(shape(rows)).toEqual([
      [2, 'XK-0101', '食品经营许可', null],
      [2, 'XK-0101-01', '新办', '食品经营许可'],
      [3, 'XK-0101-02', '变更', '食品经营许可'],
      [4, 'XK-0101-03', '延续', '食品经营许可'],
      [5, 'XK-0102', '药品零售企业经营许可', null],
    ]);
    expect(rows.every((r) => r.errors.length === 0)).toBe(true);
    expect(rows[0]!.fields).toMatchObject({ name: '食品经营许可', category: 'permit' });
    expect(rows[0]!.citations.map((c) => c.title)).toEqual(['中华人民共和国食品安全法']);
    expect(rows[0]!.warnings).toEqual([
      { column: '事项名称', cell: '食品经营许可', message: '主项“食品经营许可”在表中没有自己的一行，已按其子项生成主项（事项编码：XK-0101）' },
    ]);
  });

  it('repeated main cells with the main item’s own row first: the sub-items hang under that row, codes main + "-01" in row order', async () => {
    const rows = await read([
      [1, 'XK-0101', '食品经营许可', null, '行政许可', '区市场监管局', FOOD_BASIS],
      [2, 'XK-0101', '食品经营许可', '新办', '行政许可', '区市场监管局', FOOD_BASIS],
      [3, 'XK-0101', '食品经营许可', '变更', '行政许可', '区市场监管局', FOOD_BASIS],
      [4, 'XK-0101', '食品经营许可', '延续', '行政许可', '区市场监管局', FOOD_BASIS],
    ]);
    expect(shape(rows)).toEqual([
      [2, 'XK-0101', '食品经营许可', null],
      [3, 'XK-0101-01', '新办', '食品经营许可'],
      [4, 'XK-0101-02', '变更', '食品经营许可'],
      [5, 'XK-0101-03', '延续', '食品经营许可'],
    ]);
    expect(rows.flatMap((r) => r.warnings)).toEqual([]);
  });

  it('a sub-item with a code of its own keeps it; the others are numbered by their place among the sub-items', async () => {
    const rows = await read([
      [1, 'XK-0101', '食品经营许可', null, '行政许可', '区市场监管局', null],
      [2, 'XK-0101', '食品经营许可', '新办', '行政许可', '区市场监管局', null],
      [3, 'XK-0101-A', '食品经营许可', '变更', '行政许可', '区市场监管局', null],
      [4, null, '食品经营许可', '延续', '行政许可', '区市场监管局', null],
    ]);
    expect(rows.map((r) => r.code)).toEqual(['XK-0101', 'XK-0101-01', 'XK-0101-A', 'XK-0101-03']);
  });

  it('sub-items that each carry their own code make a main item without a code (the catalogue gives it one)', async () => {
    const rows = await read([
      [1, '511A-1', '燃气经营许可证核发', '燃气经营许可证新办', '1', '区住建局', null],
      [2, '511A-2', '燃气经营许可证核发', '燃气经营许可证变更', '1', '区住建局', null],
    ]);
    expect(shape(rows)).toEqual([
      [2, null, '燃气经营许可证核发', null],
      [2, '511A-1', '燃气经营许可证新办', '燃气经营许可证核发'],
      [3, '511A-2', '燃气经营许可证变更', '燃气经营许可证核发'],
    ]);
  });

  it('a lone sub-item keeps its own code; its main item is made without one', async () => {
    const rows = await read([[1, 'LC-7', '林草种子生产经营许可证核发', '林草种子生产经营许可证变更', '1', '区林业局', null]]);
    expect(shape(rows)).toEqual([
      [2, null, '林草种子生产经营许可证核发', null],
      [2, 'LC-7', '林草种子生产经营许可证变更', '林草种子生产经营许可证核发'],
    ]);
  });

  it('sub-items of one main item split by another row make the main item once, and their codes number on', async () => {
    const rows = await read([
      [1, 'XK-01', '食品经营许可', '新办', '行政许可', null, null],
      [2, 'XK-01', '食品经营许可', '变更', '行政许可', null, null],
      [3, 'XK-09', '药品零售企业经营许可', null, '行政许可', null, null],
      [4, 'XK-01', '食品经营许可', '延续', '行政许可', null, null],
    ]);
    expect(shape(rows)).toEqual([
      [2, 'XK-01', '食品经营许可', null],
      [2, 'XK-01-01', '新办', '食品经营许可'],
      [3, 'XK-01-02', '变更', '食品经营许可'],
      [4, 'XK-09', '药品零售企业经营许可', null],
      [5, 'XK-01-03', '延续', '食品经营许可'],
    ]);
  });

  it('a row among the sub-items whose 子项 is the main item’s name is the main item’s own row', async () => {
    const rows = await read([
      [1, '511A-1', '市政设施建设类审批', '城市桥梁上架设各类市政管线审批', '1', '区住建局', null],
      [2, '511A-2', '市政设施建设类审批', '市政设施建设类审批', '1', '区住建局', null],
      [3, '511A-3', '市政设施建设类审批', '依附于城市道路建设各种管线、杆线等设施审批', '1', '区住建局', null],
    ]);
    expect(shape(rows)).toEqual([
      [3, '511A-2', '市政设施建设类审批', null],
      [2, '511A-1', '城市桥梁上架设各类市政管线审批', '市政设施建设类审批'],
      [4, '511A-3', '依附于城市道路建设各种管线、杆线等设施审批', '市政设施建设类审批'],
    ]);
  });

  it('the same 子项 words under two main items are two sub-items with two codes, not duplicates', async () => {
    const rows = await read(
      [
        [1, 'XK-01', '食品经营许可', '新办', '行政许可', null, null],
        [null, null, null, '变更', null, null, null],
        [2, 'XK-02', '药品经营许可', '新办', '行政许可', null, null],
        [null, null, null, '变更', null, null, null],
      ],
      ['A2:A3', 'B2:B3', 'C2:C3', 'E2:E3', 'A4:A5', 'B4:B5', 'C4:C5', 'E4:E5'],
    );
    expect(rows.map((r) => r.code)).toEqual(['XK-01', 'XK-01-01', 'XK-01-02', 'XK-02', 'XK-02-01', 'XK-02-02']);
    expect(new Set(rows.map((r) => r.code)).size).toBe(6);
  });

  it('a main item’s own row after its sub-items, another row between, takes the place of the main item made from them', async () => {
    const rows = await read([
      [1, 'XK-0101', '食品经营许可', '新办', '行政许可', '区市场监管局', FOOD_BASIS],
      [2, 'XK-0101', '食品经营许可', '变更', '行政许可', '区市场监管局', FOOD_BASIS],
      [3, 'XK-0102', '药品零售企业经营许可', null, '行政许可', '区市场监管局', null],
      [4, null, '食品经营许可', null, '行政许可', '区市场监管局', FOOD_BASIS],
    ]);
    expect(shape(rows)).toEqual([
      [2, 'XK-0101', '食品经营许可', null],
      [2, 'XK-0101-01', '新办', '食品经营许可'],
      [3, 'XK-0101-02', '变更', '食品经营许可'],
      [4, 'XK-0102', '药品零售企业经营许可', null],
      [5, 'XK-0101', '食品经营许可', null],
    ]);
    // The made main item (row 2) is staged first; the own row names it, and staging takes it out.
    expect(rows[0]!.madeMain).toBe(true);
    expect(rows[4]!.replacesMadeMain).toBe(2);
    expect(rows.filter((r) => r.replacesMadeMain !== undefined)).toHaveLength(1);
  });

  it(`a group longer than ${MAX_HELD} rows is settled on what was read and streams on, nothing lost`, async () => {
    const subItems = subItemRows();
    const sub = (i: number): ImportedRow => ({
      sheet: 'S', rowNumber: i + 2, code: 'M-1', name: `子项${i}`, mainItemName: '某主项', departmentText: null,
      fields: { name: `子项${i}` } as ImportedRow['fields'], citations: [], prerequisites: [], disposition: null, dispositionReason: null, errors: [], warnings: [],
    });
    const out: ImportedRow[] = [];
    for (let i = 0; i < MAX_HELD + 5; i++) out.push(...subItems.push(sub(i)));
    out.push(...subItems.end());
    expect(out).toHaveLength(MAX_HELD + 6);
    expect(out[0]!.name).toBe('某主项');
    expect(out.at(-1)!.code).toBe(`M-1-${MAX_HELD + 5}`);
  });
});
