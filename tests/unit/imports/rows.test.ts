import { describe, it, expect } from 'vitest';
import { importRow, importRowSchema, type ImportedRow } from '../../../imports/rows.js';
import { COLUMNS, COLUMN_KEYS, columnForHeader, headerRank, normaliseHeader, type ColumnKey } from '../../../imports/columns.js';
import type { TableRow } from '../../../imports/table.js';
import { cleanText, stripListMarker } from '../../../imports/normalise.js';
import { findTables } from '../../../imports/table.js';
import type { ReaderEvent } from '../../../imports/types.js';
import { join } from 'node:path';
import { readUpload } from '../../../imports/read-upload.js';
import { tempDir, writeWorkbook } from '../../support/sheets.js';

const row = (values: Record<string, string>, headers: Record<string, string> = {}) => importRow({ sheet: '表1', rowNumber: 7, values }, headers);

describe('the row schema', () => {
  it('a row without a name is an error naming the column as the sheet writes it', () => {
    const r = row({ category: '行政许可' }, { name: '权力名称' });
    expect(r.errors).toEqual([{ column: '权力名称', message: '缺少事项名称' }]);
    expect(r.fields).toBeNull();
  });

  it('a row without a category, or with one nobody knows, is kept as 待分类 with a warning naming the cell', () => {
    const missing = row({ name: '某事项' });
    expect(missing.errors).toEqual([]);
    expect(missing.fields!.category).toBe('unclassified');
    expect(missing.warnings[0]!.message).toMatch(/^缺少事项类型，已按“待分类”导入/);
    const unknown = row({ name: '某事项', category: '行政审查' }, { category: '权力类型' });
    expect(unknown.errors).toEqual([]);
    expect(unknown.fields!.category).toBe('unclassified');
    expect(unknown.warnings).toEqual([
      { column: '权力类型', cell: '行政审查', message: expect.stringMatching(/^无法识别的事项类型“行政审查”，已按“待分类”导入，定稿前须由法制办确定事项类型/) },
    ]);
  });

  it('a row with an empty legal basis is not an error: it imports without citations', () => {
    const r = row({ name: '某事项', category: '01', basis: '' });
    expect(r.errors).toEqual([]);
    expect(r.citations).toEqual([]);
  });

  it('a process text written over several lines keeps its lines and its step numbers (the steps are parsed from them)', () => {
    const r = row({ name: '某事项', category: '行政许可', process: '1.受理（窗口，1个工作日）\n2.审查（科长）\r\n3.决定' });
    expect(r.fields!.processText).toBe('1.受理（窗口，1个工作日）\n2.审查（科长）\n3.决定');
  });

  it('a 300-character name is kept whole, with a warning naming the column and the cell', () => {
    const name = '对违反' + '某'.repeat(294) + '的处罚';
    const r = row({ name, category: '行政处罚' }, { name: '服务事项' });
    expect(r.errors).toEqual([]);
    expect(r.fields!.name).toBe(name);
    expect(r.warnings).toEqual([{ column: '服务事项', cell: name, message: '事项名称长达 300 个字符（超过 200），已完整保留，请核对' }]);
  });

  it('any other field past its limit is left empty with a warning quoting the cell, and the row is kept', () => {
    const materials = '材'.repeat(5001);
    const r = row({ name: '某事项', category: '行政许可', materials, promisedLimit: '99999个工作日' }, { materials: '申请材料' });
    expect(r.errors).toEqual([]);
    expect(r.fields).toMatchObject({ name: '某事项', materials: null, promisedLimitDays: null });
    expect(r.warnings).toEqual([
      { column: '承诺时限', cell: '99999个工作日', message: '承诺时限过大，已留空' },
      { column: '申请材料', cell: materials, message: '申请材料不能超过 5000 个字符，已留空' },
    ]);
  });

  it('a 2,500-character name is refused (an absurd length), naming the column and the cell', () => {
    const name = '事'.repeat(2500);
    const r = row({ name, category: '行政许可' });
    expect(r.fields).toBeNull();
    expect(r.errors).toEqual([{ column: '事项名称', cell: name, message: '事项名称不能超过 2000 个字符' }]);
  });

  it('an unreadable time limit is a warning, not an error, and the limit stays empty', () => {
    const r = row({ name: '某事项', category: '行政许可', statutoryLimit: '视情况而定' }, { statutoryLimit: '法定办结时限' });
    expect(r.errors).toEqual([]);
    expect(r.fields!.statutoryLimitDays).toBeNull();
    expect(r.warnings[0]).toMatchObject({ column: '法定办结时限' });
  });

  it('one cell holding both limits fills the statutory and the promised limit', () => {
    const r = row({ name: '某事项', category: '行政许可', promisedLimit: '法定20个工作日，承诺5个工作日' });
    expect(r.fields).toMatchObject({ statutoryLimitDays: 20, promisedLimitDays: 5 });
  });

  it('a sub-item takes its own name and keeps the main item’s name', () => {
    const r = row({ name: '食品经营许可', subItem: '（二）变更', category: '行政许可' });
    expect([r.name, r.mainItemName]).toEqual(['变更', '食品经营许可']);
  });
});

/**
 * importRow as it was when it ran the schema itself: the reference the fast path must equal. Columns are
 * named as the sheet writes them; a failed row keeps its code, name and department, nothing else.
 */
function throughTheSchema(row: TableRow, headers: Partial<Record<ColumnKey, string>>): ImportedRow {
  const columnName = (key: string) => headers[key as ColumnKey] ?? COLUMNS[key as ColumnKey]?.label ?? key;
  const orNull = (s: string) => (s === '' ? null : s);
  const text = (key: ColumnKey) => (row.values[key] === undefined ? '' : stripListMarker(cleanText(row.values[key]!)));
  const parsed = importRowSchema.safeParse(row.values);
  const base = { sheet: row.sheet, rowNumber: row.rowNumber };
  if (!parsed.success) {
    return {
      ...base,
      code: orNull(text('code')),
      name: orNull(text('subItem') || text('name')),
      mainItemName: null,
      departmentText: orNull(text('department')),
      fields: null,
      citations: [],
      prerequisites: [],
      disposition: null,
      dispositionReason: null,
      errors: parsed.error.issues.map((i) => withCell({ column: columnName(String(i.path[0] ?? 'name')), message: i.message }, String(i.path[0] ?? 'name'))),
      warnings: [],
    };
  }
  const { warnings, ...rest } = parsed.data;
  return { ...base, ...rest, errors: [], warnings: warnings.map((w) => withCell({ column: columnName(w.column), message: w.message }, w.column)) };

  function withCell(issue: { column: string; message: string; cell?: string }, key: string) {
    const cell = (row.values as Record<string, unknown>)[key];
    if (typeof cell === 'string' && cell.trim() !== '') issue.cell = cell;
    return issue;
  }
}

describe('the row schema without zod on the hot path', () => {
  const VARIED: Partial<Record<ColumnKey, string>>[] = [
    { name: '食品经营许可', category: '行政许可', department: '区市场监管局', basis: '《中华人民共和国食品安全法》第三十五条', level: '区（县）级' },
    { name: ' 1、建设工程规划许可 ', subItem: '（二）变更', category: '01', basis: '【法律】《城乡规划法》第40条第1款；《城乡规划法实施条例》第5条', statutoryLimit: '20个工作日', promisedLimit: '即办' },
    { name: '企业投资项目核准', category: 'XK', promisedLimit: '法定20个工作日，承诺5个工作日', feeStandard: '每件10元', feeBasis: '《价格法》' },
    { name: '某事项', category: '其他行政权力', statutoryLimit: '视情况而定', promisedLimit: '三个月', level: '某级', disposition: '调整' },
    { name: '“个体工商户登记”', category: 'permit', serviceObject: '自然人、企业法人；其他组织', disposition: '改为备案', prerequisites: '1、营业执照；2、无' },
    { name: 'Ａｂｃ许可１２', category: '许可', materials: '1. 申请表\n2. 身份证明\r\n3．营业执照', conditions: '  具备条件  ', remarks: '"引号"', code: ' XK-001 ' },
    { name: '即办事项', category: '公共服务事项', statutoryLimit: '0', feeStandard: '不收费', implementingBasis: '国务院令第412号第五条' },
    { category: '行政许可' },
    { name: '某事项' },
    { name: '某事项', category: '行政审查', department: '区人社局', code: 'RS-1' },
    { name: '事'.repeat(201), category: '行政许可' },
    { name: '事'.repeat(2001), category: '行政许可' },
    { name: '某事项', category: '行政许可', materials: '材'.repeat(5001), feeStandard: '收'.repeat(501) },
    { name: '', subItem: '', category: '' },
    { name: '某事项', category: '行政许可', promisedLimit: '99999个工作日', statutoryLimit: '40000天' },
    { name: '某事项', category: '行政处罚', basis: '无', implementingBasis: '“食品安全法”第35条' },
    { name: '某事项', category: '行政确认', level: '省、市、县', statutoryLimit: '当日办结', disposition: '保留（下放至区县）' },
    { name: '某事项', category: '行政确认', level: '待定', feeStandard: '是' },
  ];
  const headers = { name: '权力名称', category: '权力类型', statutoryLimit: '法定办结时限' };

  it('importRow gives exactly what the schema gives, for valid rows, rows with warnings and rows with errors', () => {
    // Twice over: the second pass reads the parsers' remembered results.
    for (const pass of [1, 2]) {
      VARIED.forEach((values, i) => {
        const row = { sheet: '表1', rowNumber: i + 3, values };
        expect(importRow(row, headers), `row ${i}, pass ${pass}`).toStrictEqual(throughTheSchema(row, headers));
        expect(JSON.stringify(importRow(row, headers))).toBe(JSON.stringify(throughTheSchema(row, headers)));
      });
    }
    const outcomes = VARIED.map((values) => importRow({ sheet: 'S', rowNumber: 1, values }, {}));
    expect(outcomes.filter((r) => r.errors.length > 0).length).toBeGreaterThanOrEqual(3);
    expect(outcomes.filter((r) => r.warnings.length > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('a cell that is not text goes through the schema, which reports it', () => {
    const row = { sheet: '表1', rowNumber: 3, values: { name: '某事项', category: '行政许可', level: 3 } as unknown as Record<string, string> };
    expect(importRow(row, {})).toStrictEqual(throughTheSchema(row, {}));
    expect(importRow(row, {}).errors).toHaveLength(1);
  });

  it('rows with the same cells get equal results that do not share what a caller may change', () => {
    const values = { name: '某事项', category: '行政许可', serviceObject: '自然人', basis: '《行政许可法》第十二条' };
    const a = importRow({ sheet: 'S', rowNumber: 1, values }, {});
    const b = importRow({ sheet: 'S', rowNumber: 2, values }, {});
    a.fields!.serviceObjects.push('government');
    a.citations[0]!.title = '改过的';
    expect(b.fields!.serviceObjects).toEqual(['citizens']);
    expect(b.citations[0]!.title).toBe('行政许可法');
  });
});

describe('the header names real lists use', () => {
  it('服务事项 / 权力事项 are the name, 职权类别 the category, 行驶主体 (sic) and 承办机构 the department, 监管电话 the supervision phone', () => {
    expect(['服务事项', '权力事项', '职权名称'].map(columnForHeader)).toEqual(['name', 'name', 'name']);
    expect(['职权类别', '事项类别', '权力类型'].map(columnForHeader)).toEqual(['category', 'category', 'category']);
    expect(['行驶主体', '承办机构'].map(columnForHeader)).toEqual(['department', 'department']);
    expect(columnForHeader('监管电话')).toBe('supervisionPhone');
  });

  it('of two headers naming the department, 行驶主体 wins over 承办机构 wherever they stand', async () => {
    for (const header of [
      ['服务事项', '承办机构', '权力类型', '行驶主体'],
      ['服务事项', '行驶主体', '权力类型', '承办机构'],
    ]) {
      const at = (name: string) => header.indexOf(name);
      const cells: string[] = [];
      cells[at('服务事项')] = '药品零售企业经营许可';
      cells[at('承办机构')] = '行政审批处';
      cells[at('权力类型')] = '行政许可';
      cells[at('行驶主体')] = '西安市市场监督管理局';
      async function* events(): AsyncGenerator<ReaderEvent> {
        yield { type: 'sheet', name: '权责清单', index: 0, merges: [] };
        yield { type: 'row', sheet: '权责清单', rowNumber: 1, cells: header };
        yield { type: 'row', sheet: '权责清单', rowNumber: 2, cells };
      }
      const found = [];
      for await (const e of findTables(events())) found.push(e);
      expect(found[0]).toMatchObject({ type: 'sheet', info: { headers: { department: '行驶主体' } } });
      expect(found[1]).toMatchObject({ type: 'row', row: { values: { department: '西安市市场监督管理局', name: '药品零售企业经营许可' } } });
    }
  });
});

describe('finding the table', () => {
  async function* events(list: ReaderEvent[]) {
    yield* list;
  }
  const collect = async (list: ReaderEvent[]) => {
    const out = [];
    for await (const e of findTables(events(list))) out.push(e);
    return out;
  };

  it('skips title rows, takes the first row naming 事项名称 and another known column as the header, and skips repeated headers and footers', async () => {
    const out = await collect([
      { type: 'sheet', name: 'S', index: 0, merges: [] },
      { type: 'row', sheet: 'S', rowNumber: 1, cells: ['XX局行政权力清单'] },
      { type: 'row', sheet: 'S', rowNumber: 2, cells: ['序号', '权力名称', '权力类型'] },
      { type: 'row', sheet: 'S', rowNumber: 3, cells: [1, '甲事项', '01'] },
      { type: 'row', sheet: 'S', rowNumber: 4, cells: ['序号', '权力名称', '权力类型'] },
      { type: 'row', sheet: 'S', rowNumber: 5, cells: ['制表人：张三'] },
      { type: 'row', sheet: 'S', rowNumber: 6, cells: [2, '乙事项', '02'] },
    ]);
    expect(out[0]).toMatchObject({ type: 'sheet', info: { headerRow: 2, headers: { seq: '序号', name: '权力名称', category: '权力类型' } } });
    expect(out.filter((e) => e.type === 'row').map((e) => (e as { row: { rowNumber: number } }).row.rowNumber)).toEqual([3, 6]);
  });

  it('the headers published 权责清单 use name their columns (行使依据, 权责事项, 责任主体, 事项子项, 收费标准及依据 …), and no header names two columns', () => {
    expect(
      Object.fromEntries(['权责事项', '审批事项名称', '行政权力名称', '事项子项', '子事项', '责任主体', '执法主体', '办理部门', '主管部门', '行使依据', '职权依据', '设定依据及条款', '收费标准及依据'].map((h) => [h, columnForHeader(h)])),
    ).toEqual({
      权责事项: 'name',
      审批事项名称: 'name',
      行政权力名称: 'name',
      事项子项: 'subItem',
      子事项: 'subItem',
      责任主体: 'department',
      执法主体: 'department',
      办理部门: 'department',
      主管部门: 'department',
      行使依据: 'basis',
      职权依据: 'basis',
      设定依据及条款: 'basis',
      收费标准及依据: 'feeStandard',
    });
    const seen = new Map<string, string>();
    for (const key of COLUMN_KEYS)
      for (const alias of COLUMNS[key].aliases) {
        expect(seen.get(normaliseHeader(alias)), alias).toBeUndefined();
        seen.set(normaliseHeader(alias), key);
      }
    // The names a department's column is known by rank below 实施主体: a sheet with both reads 实施主体.
    expect(headerRank('实施主体')).toBeLessThan(headerRank('责任主体'));
  });

  it('no column is named by digits alone, which lets a row’s 序号 settle that it is not a repeated header', () => {
    for (const key of COLUMN_KEYS) for (const alias of COLUMNS[key].aliases) expect(normaliseHeader(alias)).not.toMatch(/^[0-9]+$/);
    expect(['1', '20', '007'].map(columnForHeader)).toEqual([null, null, null]);
  });

  const rowsOf = (out: Awaited<ReturnType<typeof collect>>) =>
    out.filter((e) => e.type === 'row').map((e) => (e as { row: TableRow }).row).map((r) => ({ rowNumber: r.rowNumber, name: r.values.name, category: r.values.category }));

  it('a row with one text naming a category (一、行政许可（共2项）, （二）行政处罚类) is a section heading, not an item: the rows under it that name no category take it', async () => {
    const out = await collect([
      { type: 'sheet', name: 'S', index: 0, merges: [] },
      { type: 'row', sheet: 'S', rowNumber: 1, cells: ['序号', '事项名称', '设定依据'] },
      // Merged across the row: every column holds the heading.
      { type: 'row', sheet: 'S', rowNumber: 2, cells: ['一、行政许可（共2项）', '一、行政许可（共2项）', '一、行政许可（共2项）'] },
      { type: 'row', sheet: 'S', rowNumber: 3, cells: [1, '食品经营许可', '《中华人民共和国食品安全法》第三十五条'] },
      { type: 'row', sheet: 'S', rowNumber: 4, cells: [2, '特种设备使用登记', ''] },
      // Written in the name column beside an ordinal in the 序号 column.
      { type: 'row', sheet: 'S', rowNumber: 5, cells: ['（二）', '行政处罚类', ''] },
      { type: 'row', sheet: 'S', rowNumber: 6, cells: [3, '对生产经营不符合食品安全标准的食品的处罚', ''] },
    ]);
    expect(rowsOf(out)).toEqual([
      { rowNumber: 3, name: '食品经营许可', category: '行政许可' },
      { rowNumber: 4, name: '特种设备使用登记', category: '行政许可' },
      { rowNumber: 6, name: '对生产经营不符合食品安全标准的食品的处罚', category: '行政处罚类' },
    ]);
  });

  it('a heading merged across the table with an ordinal or a count of items (一、区市场监管局（共1项）) is no item and names no category', async () => {
    const heading = '一、区市场监管局（共1项）';
    const out = await collect([
      { type: 'sheet', name: 'S', index: 0, merges: [] },
      { type: 'row', sheet: 'S', rowNumber: 1, cells: ['序号', '事项名称', '事项类型', '设定依据'] },
      { type: 'row', sheet: 'S', rowNumber: 2, cells: ['一、行政许可', '一、行政许可', '一、行政许可', '一、行政许可'] },
      { type: 'row', sheet: 'S', rowNumber: 3, cells: [heading, heading, heading, heading] },
      { type: 'row', sheet: 'S', rowNumber: 4, cells: [1, '食品经营许可', '', ''] },
    ]);
    expect(rowsOf(out)).toEqual([{ rowNumber: 4, name: '食品经营许可', category: undefined }]);
  });

  it('under a heading a row keeps its own category, and a row naming an item alone, or a footer, is never a heading nor given one', async () => {
    const out = await collect([
      { type: 'sheet', name: 'S', index: 0, merges: [] },
      { type: 'row', sheet: 'S', rowNumber: 1, cells: ['序号', '事项名称', '子项', '事项类型'] },
      { type: 'row', sheet: 'S', rowNumber: 2, cells: ['一、行政许可（共3项）'] },
      { type: 'row', sheet: 'S', rowNumber: 3, cells: [1, '对违法建设的处罚', '', '行政处罚'] },
      // A main item written once, its name merged across the name and sub-item columns: an item, not a heading.
      { type: 'row', sheet: 'S', rowNumber: 4, cells: [2, '食品经营许可（共3项）', '食品经营许可（共3项）', ''] },
      { type: 'row', sheet: 'S', rowNumber: 5, cells: ['', '', '新办', ''] },
      { type: 'row', sheet: 'S', rowNumber: 6, cells: ['制表人：张三'] },
    ]);
    expect(rowsOf(out)).toEqual([
      { rowNumber: 3, name: '对违法建设的处罚', category: '行政处罚' },
      { rowNumber: 4, name: '食品经营许可（共3项）', category: '行政许可' },
      { rowNumber: 5, name: undefined, category: '行政许可' },
    ]);
  });

  it('a section heading in a cell merged across the sheet, as Excel writes it, is no item and gives its category to the rows under it', async () => {
    const path = await writeWorkbook(join(tempDir(), 'sections.xlsx'), [
      {
        name: '权责清单',
        rows: [
          ['某区市场监管局权责清单'],
          ['序号', '事项名称', '设定依据', '实施主体'],
          ['一、行政许可（共1项）'],
          [1, '食品经营许可', '《中华人民共和国食品安全法》第三十五条', '区市场监管局'],
          ['二、行政检查'],
          [2, '对食品生产经营者的监督检查', '《中华人民共和国食品安全法》第一百一十条', '区市场监管局'],
        ],
        merges: ['A1:D1', 'A3:D3', 'A5:D5'],
      },
    ]);
    const rows: { rowNumber: number; name?: string; category?: string }[] = [];
    for await (const e of findTables(readUpload(path))) if (e.type === 'row') rows.push({ rowNumber: e.row.rowNumber, name: e.row.values.name, category: e.row.values.category });
    expect(rows).toEqual([
      { rowNumber: 4, name: '食品经营许可', category: '行政许可' },
      { rowNumber: 6, name: '对食品生产经营者的监督检查', category: '行政检查' },
    ]);
  });

  it('a header on two rows (办理时限 over 法定时限 and 承诺时限, 收费 over 收费标准 and 收费依据) names each column by its lower cell, and its second row is no item', async () => {
    const path = await writeWorkbook(join(tempDir(), 'two-row-header.xlsx'), [
      {
        name: '清单',
        rows: [
          ['某区行政审批局行政权力清单'],
          ['序号', '事项名称', '事项类型', '办理时限', '', '收费', '', '设定依据'],
          ['', '', '', '法定时限', '承诺时限', '标准', '收费依据', ''],
          [1, '食品经营许可', '行政许可', '20个工作日', '5个工作日', '不收费', '', '《中华人民共和国食品安全法》第三十五条'],
          // The header printed again on the next page, both rows.
          ['序号', '事项名称', '事项类型', '办理时限', '', '收费', '', '设定依据'],
          ['', '', '', '法定时限', '承诺时限', '标准', '收费依据', ''],
          [2, '特种设备使用登记', '行政许可', '15个工作日', '即办', '按规定收取', '《某收费文件》', '《中华人民共和国特种设备安全法》第三十三条'],
        ],
        merges: ['A1:H1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:E2', 'F2:G2', 'H2:H3', 'A5:A6', 'B5:B6', 'C5:C6', 'D5:E5', 'F5:G5', 'H5:H6'],
      },
    ]);
    const events = [];
    for await (const e of findTables(readUpload(path))) events.push(e);
    expect(events[0]).toMatchObject({
      type: 'sheet',
      info: { headerRow: 2, headers: { name: '事项名称', statutoryLimit: '法定时限', promisedLimit: '承诺时限', feeStandard: '收费标准', feeBasis: '收费依据', basis: '设定依据' } },
    });
    const rows = events.filter((e) => e.type === 'row').map((e) => (e as { row: TableRow }).row);
    expect(rows.map((r) => [r.rowNumber, r.values.name, r.values.statutoryLimit, r.values.promisedLimit, r.values.feeStandard, r.values.feeBasis])).toEqual([
      [4, '食品经营许可', '20个工作日', '5个工作日', '不收费', undefined],
      [7, '特种设备使用登记', '15个工作日', '即办', '按规定收取', '《某收费文件》'],
    ]);
  });

  it('a name header merged over 主项 and 子项 reads the main item and its sub-item from the two columns', async () => {
    const out = await collect([
      { type: 'sheet', name: 'S', index: 0, merges: [] },
      { type: 'row', sheet: 'S', rowNumber: 1, cells: ['序号', '事项名称', '事项名称', '事项类型'] },
      { type: 'row', sheet: 'S', rowNumber: 2, cells: ['序号', '主项', '子项', '事项类型'] },
      { type: 'row', sheet: 'S', rowNumber: 3, cells: [1, '食品经营许可', '新办', '行政许可'] },
    ]);
    expect(out[0]).toMatchObject({ type: 'sheet', info: { headerRow: 1, headers: { name: '主项', subItem: '子项', category: '事项类型' } } });
    expect(out.filter((e) => e.type === 'row').map((e) => (e as { row: TableRow }).row.values)).toEqual([{ seq: '1', name: '食品经营许可', subItem: '新办', category: '行政许可' }]);
  });

  it('rows numbered 1.1, 1.2 under the row numbered 1 are its sub-items: they take its name as their main item’s, and its department, category and legal basis where they name none', async () => {
    const basis = '《中华人民共和国食品安全法》第三十五条';
    const out = await collect([
      { type: 'sheet', name: 'S', index: 0, merges: [] },
      { type: 'row', sheet: 'S', rowNumber: 1, cells: ['序号', '事项名称', '事项类型', '实施主体', '设定依据'] },
      { type: 'row', sheet: 'S', rowNumber: 2, cells: [1, '食品经营许可', '行政许可', '区市场监管局', basis] },
      { type: 'row', sheet: 'S', rowNumber: 3, cells: [1.1, '新办', '', '', ''] },
      { type: 'row', sheet: 'S', rowNumber: 4, cells: ['1-2', '变更', '行政确认', '', '《某条例》第三条'] },
      { type: 'row', sheet: 'S', rowNumber: 5, cells: [2, '特种设备使用登记', '行政许可', '区市场监管局', ''] },
      // Numbered under another item, or after a row that is none: no sub-item.
      { type: 'row', sheet: 'S', rowNumber: 6, cells: ['3.1', '某事项', '行政许可', '', ''] },
    ]);
    expect(out.filter((e) => e.type === 'row').map((e) => (e as { row: TableRow }).row.values)).toEqual([
      { seq: '1', name: '食品经营许可', category: '行政许可', department: '区市场监管局', basis },
      { seq: '1.1', name: '食品经营许可', subItem: '新办', category: '行政许可', department: '区市场监管局', basis },
      { seq: '1-2', name: '食品经营许可', subItem: '变更', category: '行政确认', department: '区市场监管局', basis: '《某条例》第三条' },
      { seq: '2', name: '特种设备使用登记', category: '行政许可', department: '区市场监管局' },
      { seq: '3.1', name: '某事项', category: '行政许可' },
    ]);
  });

  it('the row under a header is its second row only when it names columns: the table’s first row, sub-items under an empty name included, stays a row', async () => {
    const out = await collect([
      { type: 'sheet', name: 'S', index: 0, merges: [] },
      { type: 'row', sheet: 'S', rowNumber: 1, cells: ['事项名称', '子项', '事项类型', '办理时限'] },
      { type: 'row', sheet: 'S', rowNumber: 2, cells: ['', '新办', '行政许可', '承诺时限'] },
      { type: 'row', sheet: 'S', rowNumber: 3, cells: ['食品经营许可', '', '行政许可', '5个工作日'] },
    ]);
    expect(out[0]).toMatchObject({ type: 'sheet', info: { headerRow: 1, headers: { name: '事项名称', subItem: '子项', category: '事项类型' } } });
    expect(out.filter((e) => e.type === 'row').map((e) => (e as { row: TableRow }).row.rowNumber)).toEqual([2, 3]);
  });

  it('a sheet named after a category (1.行政许可（2项）, 行政处罚清单) gives it to its rows that name none, until a heading names another', async () => {
    const out = await collect([
      { type: 'sheet', name: '1.行政许可（2项）', index: 0, merges: [] },
      { type: 'row', sheet: '1.行政许可（2项）', rowNumber: 1, cells: ['序号', '事项名称', '事项类型'] },
      { type: 'row', sheet: '1.行政许可（2项）', rowNumber: 2, cells: [1, '食品经营许可', ''] },
      { type: 'row', sheet: '1.行政许可（2项）', rowNumber: 3, cells: [2, '对违法建设的处罚', '行政处罚'] },
      { type: 'sheet', name: '行政处罚清单', index: 1, merges: [] },
      { type: 'row', sheet: '行政处罚清单', rowNumber: 1, cells: ['序号', '事项名称', '设定依据'] },
      { type: 'row', sheet: '行政处罚清单', rowNumber: 2, cells: [1, '对生产经营不符合食品安全标准的食品的处罚', ''] },
      { type: 'row', sheet: '行政处罚清单', rowNumber: 3, cells: ['二、行政强制'] },
      { type: 'row', sheet: '行政处罚清单', rowNumber: 4, cells: [2, '查封扣押不符合食品安全标准的食品', ''] },
      { type: 'sheet', name: 'Sheet3', index: 2, merges: [] },
      { type: 'row', sheet: 'Sheet3', rowNumber: 1, cells: ['序号', '事项名称', '设定依据'] },
      { type: 'row', sheet: 'Sheet3', rowNumber: 2, cells: [1, '某事项', ''] },
    ]);
    expect(rowsOf(out)).toEqual([
      { rowNumber: 2, name: '食品经营许可', category: '行政许可' },
      { rowNumber: 3, name: '对违法建设的处罚', category: '行政处罚' },
      { rowNumber: 2, name: '对生产经营不符合食品安全标准的食品的处罚', category: '行政处罚' },
      { rowNumber: 4, name: '查封扣押不符合食品安全标准的食品', category: '行政强制' },
      { rowNumber: 2, name: '某事项', category: undefined },
    ]);
  });

  it('a sheet or a heading named after a department (区卫健局, 一、区住建局（共1项）) gives it to its rows that name none, and its category does not outlive it', async () => {
    const dept = (out: Awaited<ReturnType<typeof collect>>) =>
      out.filter((e) => e.type === 'row').map((e) => (e as { row: TableRow }).row).map((r) => [r.values.name, r.values.department, r.values.category]);
    const out = await collect([
      { type: 'sheet', name: '区卫健局权责清单', index: 0, merges: [] },
      { type: 'row', sheet: '区卫健局权责清单', rowNumber: 1, cells: ['序号', '事项名称', '实施主体', '设定依据'] },
      { type: 'row', sheet: '区卫健局权责清单', rowNumber: 2, cells: [1, '医疗机构执业登记', '', ''] },
      { type: 'row', sheet: '区卫健局权责清单', rowNumber: 3, cells: [2, '母婴保健技术服务机构执业许可', '区妇幼保健院', ''] },
      { type: 'sheet', name: 'Sheet2', index: 1, merges: [] },
      { type: 'row', sheet: 'Sheet2', rowNumber: 1, cells: ['序号', '事项名称', '设定依据'] },
      { type: 'row', sheet: 'Sheet2', rowNumber: 2, cells: [1, '未写部门的事项', ''] },
      { type: 'row', sheet: 'Sheet2', rowNumber: 3, cells: ['一、区住建局（共2项）'] },
      { type: 'row', sheet: 'Sheet2', rowNumber: 4, cells: ['（一）行政许可'] },
      { type: 'row', sheet: 'Sheet2', rowNumber: 5, cells: [1, '建筑工程施工许可', ''] },
      { type: 'row', sheet: 'Sheet2', rowNumber: 6, cells: ['二、区交通运输局', '二、区交通运输局', '二、区交通运输局'] },
      { type: 'row', sheet: 'Sheet2', rowNumber: 7, cells: [1, '道路运输经营许可', ''] },
    ]);
    expect(dept(out)).toEqual([
      ['医疗机构执业登记', '区卫健局', undefined],
      ['母婴保健技术服务机构执业许可', '区妇幼保健院', undefined],
      ['未写部门的事项', undefined, undefined],
      ['建筑工程施工许可', '区住建局', '行政许可'],
      ['道路运输经营许可', '区交通运输局', undefined],
    ]);
  });

  it('a row with only its category filled is an item whose name is missing, not a heading: a heading stands in the name column or the first cell', async () => {
    const out = await collect([
      { type: 'sheet', name: 'S', index: 0, merges: [] },
      { type: 'row', sheet: 'S', rowNumber: 1, cells: ['序号', '事项名称', '事项类型'] },
      { type: 'row', sheet: 'S', rowNumber: 2, cells: ['', '', '行政许可'] },
    ]);
    expect(rowsOf(out)).toEqual([{ rowNumber: 2, name: undefined, category: '行政许可' }]);
  });

  it('a total under the items (合计：2项, 总计 2 项) is no item', async () => {
    const out = await collect([
      { type: 'sheet', name: 'S', index: 0, merges: [] },
      { type: 'row', sheet: 'S', rowNumber: 1, cells: ['序号', '事项名称', '事项类型'] },
      { type: 'row', sheet: 'S', rowNumber: 2, cells: [1, '食品经营许可', '行政许可'] },
      { type: 'row', sheet: 'S', rowNumber: 3, cells: ['', '合计：1项', ''] },
      { type: 'row', sheet: 'S', rowNumber: 4, cells: ['总计 1 项', '总计 1 项', '总计 1 项'] },
    ]);
    expect(rowsOf(out)).toEqual([{ rowNumber: 2, name: '食品经营许可', category: '行政许可' }]);
  });

  it('a sheet without a header yields no rows and says so', async () => {
    const out = await collect([
      { type: 'sheet', name: '说明', index: 0, merges: [] },
      { type: 'row', sheet: '说明', rowNumber: 1, cells: ['本表填写说明'] },
    ]);
    expect(out).toEqual([{ type: 'sheet', info: { sheet: '说明', headerRow: null, headers: {}, unknownHeaders: [] } }]);
  });
});
