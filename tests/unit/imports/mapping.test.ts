// The reader with a person's mapping: headers nobody listed, ignored columns, values substituted on every
// row, remembered header sets, and the likeliest header row of a sheet whose header was not recognised.
import { describe, it, expect } from 'vitest';
import { findTables, type TableEvent, type TableRow } from '../../../imports/table.js';
import { UnrecognisedValues, headerKeyOf, type ReadOptions } from '../../../imports/mapping.js';
import type { ReaderEvent } from '../../../imports/types.js';

async function* events(list: ReaderEvent[]) {
  yield* list;
}
const sheet = (rows: unknown[][]): ReaderEvent[] => [
  { type: 'sheet', name: 'S', index: 0, merges: [] },
  ...rows.map((cells, i) => ({ type: 'row' as const, sheet: 'S', rowNumber: i + 1, cells: cells as string[] })),
];
async function read(list: ReaderEvent[], options?: ReadOptions) {
  const out: TableEvent[] = [];
  for await (const e of findTables(events(list), options)) out.push(e);
  return {
    sheets: out.flatMap((e) => (e.type === 'sheet' ? [e.info] : [])),
    rows: out.flatMap((e) => (e.type === 'row' ? [e.row] : [])) as TableRow[],
    layouts: out.flatMap((e) => (e.type === 'layout' ? [e.layout] : [])),
  };
}

const PLATFORM = sheet([
  ['某市权责清单'],
  ['统一发布平台unid', '清单项目', '权力类型', '主办处室', '监管电话'],
  ['u1', '道路运输经营许可', '行政许可', '市交通局', '12345'],
  ['u2', '出租车营运证核发', '行政审查', '市交通局', '12345'],
  ['u3', '违规停车的处罚', '行政审查', '市交通局', '12345'],
]);

describe('reading with a mapping', () => {
  it('a sheet whose item column nobody listed has no header, and its likeliest header row comes with its first rows', async () => {
    const { sheets, rows, layouts } = await read(PLATFORM);
    expect(sheets).toEqual([{ sheet: 'S', headerRow: null, headers: {}, unknownHeaders: [] }]);
    expect(rows).toEqual([]);
    expect(layouts).toHaveLength(1);
    expect(layouts[0]).toMatchObject({ headerRow: 2, found: false, rememberedId: null });
    expect(layouts[0]!.columns.map((c) => [c.header, c.key])).toEqual([
      ['统一发布平台unid', null],
      ['清单项目', null],
      ['权力类型', 'category'],
      ['主办处室', null],
      ['监管电话', 'supervisionPhone'],
    ]);
    expect(layouts[0]!.samples[0]).toEqual(['u1', '道路运输经营许可', '行政许可', '市交通局', '12345']);
    expect(layouts[0]!.samples).toHaveLength(3);
  });

  it('a header nobody listed, mapped, is read as that column', async () => {
    const { sheets, rows } = await read(PLATFORM, { mapping: { columns: { 清单项目: 'name', 主办处室: 'department' }, values: {} } });
    expect(sheets[0]).toMatchObject({ headerRow: 2, headers: { name: '清单项目', category: '权力类型', department: '主办处室' } });
    expect(rows.map((r) => r.values.name)).toEqual(['道路运输经营许可', '出租车营运证核发', '违规停车的处罚']);
    expect(rows[0]!.values.department).toBe('市交通局');
  });

  it('an ignored column is not read, even when its header is a known name', async () => {
    const { rows, layouts } = await read(PLATFORM, { mapping: { columns: { 清单项目: 'name', 权力类型: 'ignore' }, values: {} } });
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.values.category === undefined)).toBe(true);
    expect(layouts[0]!.columns.find((c) => c.header === '权力类型')).toMatchObject({ key: null, ignored: true });
  });

  it('a value mapping applies to every row of its column, before parsing', async () => {
    const { rows } = await read(PLATFORM, { mapping: { columns: { 清单项目: 'name' }, values: { category: { 行政审查: 'other' } } } });
    expect(rows.map((r) => r.values.category)).toEqual(['行政许可', 'other', 'other']);
  });

  it('a remembered mapping is used for a sheet with the same header set, and the layout says which', async () => {
    const headerKey = headerKeyOf(['统一发布平台unid', '清单项目', '权力类型', '主办处室', '监管电话']);
    const remembered = [{ id: 7, headerKey, columns: { 清单项目: 'name' as const }, values: { category: { 行政审查: 'other' } } }];
    const { rows, layouts } = await read(PLATFORM, { remembered });
    expect(rows.map((r) => r.values.category)).toEqual(['行政许可', 'other', 'other']);
    expect(layouts[0]).toMatchObject({ found: true, rememberedId: 7, headerRow: 2 });
    // Another header set does not take it.
    const other = await read(sheet([['清单项目', '权力类型', '备注'], ['甲', '行政许可', '']]), { remembered });
    expect(other.rows).toEqual([]);
  });

  it('a mapped header printed again on a later page is skipped like any repeated header', async () => {
    const repeated = sheet([
      ['平台编号', '清单项目', '权力类型'],
      ['u1', '甲事项', '行政许可'],
      ['平台编号', '清单项目', '权力类型'],
      ['u2', '乙事项', '行政许可'],
    ]);
    const { rows } = await read(repeated, { mapping: { columns: { 清单项目: 'name', 平台编号: 'code' }, values: {} } });
    expect(rows.map((r) => r.values.name)).toEqual(['甲事项', '乙事项']);
  });

  it('the values the parsers do not understand are counted per distinct value', () => {
    const u = new UnrecognisedValues();
    for (const category of ['行政许可', '行政审查', '行政审查', '综合类', '行政审查 ']) u.add({ category, level: '待定', disposition: '保留' });
    expect(u.result()).toEqual({ category: { 行政审查: 3, 综合类: 1 }, level: { '待定': 5 } });
  });
});
