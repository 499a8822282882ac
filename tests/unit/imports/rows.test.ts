import { describe, it, expect } from 'vitest';
import { importRow } from '../../../imports/rows.js';
import { findTables } from '../../../imports/table.js';
import type { ReaderEvent } from '../../../imports/types.js';

const row = (values: Record<string, string>, headers: Record<string, string> = {}) => importRow({ sheet: '表1', rowNumber: 7, values }, headers);

describe('the row schema', () => {
  it('a row without a name is an error naming the column as the sheet writes it', () => {
    const r = row({ category: '行政许可' }, { name: '权力名称' });
    expect(r.errors).toEqual([{ column: '权力名称', message: '缺少事项名称' }]);
    expect(r.fields).toBeNull();
  });

  it('a row without a category, or with one nobody knows, is an error that says what to write', () => {
    expect(row({ name: '某事项' }).errors[0]!.message).toMatch(/^缺少事项类型（应填：行政许可/);
    expect(row({ name: '某事项', category: '行政审查' }).errors[0]!.message).toMatch(/^无法识别的事项类型“行政审查”/);
  });

  it('a row with an empty legal basis is not an error: it imports without citations', () => {
    const r = row({ name: '某事项', category: '01', basis: '' });
    expect(r.errors).toEqual([]);
    expect(r.citations).toEqual([]);
  });

  it('a name longer than 200 characters is refused with the field limit', () => {
    const r = row({ name: '事'.repeat(201), category: '行政许可' });
    expect(r.errors).toEqual([{ column: '事项名称', message: '事项名称不能超过 200 个字符' }]);
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

  it('a sheet without a header yields no rows and says so', async () => {
    const out = await collect([
      { type: 'sheet', name: '说明', index: 0, merges: [] },
      { type: 'row', sheet: '说明', rowNumber: 1, cells: ['本表填写说明'] },
    ]);
    expect(out).toEqual([{ type: 'sheet', info: { sheet: '说明', headerRow: null, headers: {}, unknownHeaders: [] } }]);
  });
});
