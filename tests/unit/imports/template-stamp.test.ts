// The pre-filled template's hidden stamp: what it writes is what it reads back, long values split over
// cells; a sheet that is not a stamp, or a row someone edited, gives no stamp for it.
import { describe, it, expect } from 'vitest';
import { STAMP_MARK, stampFromRows, stampRows, type StampedItem } from '../../../imports/template-stamp.js';
import type { ItemFields } from '../../../server/domain/item-fields.js';

const FIELDS: ItemFields = {
  name: '道路货物运输经营许可',
  category: 'permit',
  level: 'district',
  serviceObjects: ['enterprises'],
  statutoryLimitDays: 20,
  promisedLimitDays: 5,
  instant: false,
  feeCharged: false,
  feeStandard: null,
  feeBasis: null,
  conditions: null,
  materials: '申请书',
  processText: null,
  contactPhone: '０２８-１２３４５６７８',
  supervisionPhone: null,
  remarks: null,
  servicePlace: null,
  serviceHours: null,
  onSiteVisits: null,
  onlineDepth: null,
  resultName: null,
};
const item = (code: string, version: number, over: Partial<ItemFields> = {}): StampedItem => ({
  code,
  version,
  exported: { fields: { ...FIELDS, ...over }, mainItemName: null, citations: [{ title: '《中华人民共和国道路运输条例》', article: '第二十四条', role: 'setting' }], prerequisites: ['营业执照'] },
});

describe('the template stamp', () => {
  it('reads back the versions and exported values it wrote, a value longer than a cell split over several', () => {
    const items = [item('JT-001', 3), item('JT-002', 1, { materials: '材料'.repeat(40_000) })];
    const rows = stampRows({ madeAt: '2026-12-06T08:00:00.000Z', departmentCode: 'JTYSJ', items });
    expect(rows[0]).toEqual([STAMP_MARK, 1, '2026-12-06T08:00:00.000Z', 'JTYSJ']);
    expect(rows[2]!.length).toBeGreaterThan(3);
    for (const row of rows) for (const cell of row) if (typeof cell === 'string') expect(cell.length).toBeLessThanOrEqual(32_767);
    const stamp = stampFromRows(rows)!;
    expect(stamp.madeAt).toBe('2026-12-06T08:00:00.000Z');
    expect(stamp.departmentCode).toBe('JTYSJ');
    expect([...stamp.items.values()]).toEqual(items);
  });

  it('a sheet without the mark is no stamp, and an edited row has no stamp of its own', () => {
    expect(stampFromRows([['列名', '填写要求'], ['事项编码', '已有事项请勿修改编码']])).toBeNull();
    const rows = stampRows({ madeAt: 'x', departmentCode: null, items: [item('A', 1), item('B', 2)] });
    rows[1]![2] = '{"fields": broken';
    const stamp = stampFromRows(rows)!;
    expect([...stamp.items.keys()]).toEqual(['B']);
  });
});
