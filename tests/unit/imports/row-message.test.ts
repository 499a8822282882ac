// A validated row as it crosses from the reading child to the parent: flat on the way, whole on arrival.
import { describe, it, expect } from 'vitest';
import { deserialize, serialize } from 'node:v8';
import { importRow } from '../../../imports/rows.js';
import { buildRegistryIndex } from '../../../imports/legal-basis.js';
import { RowBatch, decodeRows, encodeRow, wiresOf, type WireRow } from '../../../imports/row-message.js';
import { normalizeInstrumentTitle } from '../../../server/domain/instrument-title.js';

const registry = buildRegistryIndex(
  ['中华人民共和国食品安全法', '中华人民共和国城乡规划法'].map((title, i) => ({
    id: 40 + i,
    title,
    normalizedTitle: normalizeInstrumentTitle(title),
    status: 'in_force',
    publishedOn: null,
  })),
);

/** Through the wire as the IPC channel carries it: written into a batch's bytes, cloned, then decoded. */
const across = (values: Record<string, string>) => {
  const row = importRow({ sheet: '事项清单', rowNumber: 9, values }, { statutoryLimit: '法定时限' });
  const batch = new RowBatch();
  batch.add(encodeRow(row, registry));
  const [message] = decodeRows(deserialize(serialize(batch.take())) as Uint8Array);
  return { row, message: message! };
};

describe('a row crossing to the parent', () => {
  it('a valid row arrives with its whole proposal, keys in the order its JSON is written, its citations matched to the registry', () => {
    const { row, message } = across({
      code: 'XK-01',
      name: '食品经营许可',
      subItem: '（一）新办',
      category: '行政许可',
      department: '区市场监管局',
      basis: '【法律】《食品安全法》第三十五条；《某省食品小作坊管理条例》第8条',
      implementingBasis: '《城乡规划法》第四十条',
      serviceObject: '企业法人、自然人',
      statutoryLimit: '视情况而定',
      promisedLimit: '即办',
      feeStandard: '每件10元',
      materials: '1. 申请表\n2. 营业执照',
      prerequisites: '1、营业执照；2、卫生许可',
      disposition: '保留',
    });
    const citations = row.citations.map((c, i) => ({ ...c, instrumentId: [40, null, 41][i] }));
    expect(message).toEqual({
      sheet: '事项清单',
      rowNumber: 9,
      code: 'XK-01',
      name: '新办',
      departmentText: '区市场监管局',
      errors: [],
      warnings: row.warnings,
      madeMain: false,
      replacesMadeMain: null,
      proposal: {
        code: 'XK-01',
        fields: row.fields,
        mainItemName: '食品经营许可',
        citations,
        prerequisites: ['营业执照', '卫生许可'],
        disposition: 'retain',
        dispositionReason: null,
      },
    });
    // The keys in the order the stored JSON has always had them: the proposal's, then the item's fields as importRow makes them.
    expect(Object.keys(message.proposal!)).toEqual(['code', 'fields', 'mainItemName', 'citations', 'prerequisites', 'disposition', 'dispositionReason']);
    expect(Object.keys(message.proposal!.fields)).toEqual(Object.keys(row.fields!));
    expect(JSON.stringify(message.proposal!.fields)).toBe(JSON.stringify(row.fields));
    expect(message.warnings).toEqual([{ column: '法定时限', cell: '视情况而定', message: expect.stringContaining('视情况而定') }]);
  });

  it('a row with errors arrives with its errors and no proposal', () => {
    const { row, message } = across({ code: 'X-2', name: '某'.repeat(2001), category: '行政许可', department: '区人社局' });
    expect(row.errors).toHaveLength(1);
    expect(message).toEqual({ sheet: '事项清单', rowNumber: 9, code: 'X-2', name: '某'.repeat(2001), departmentText: '区人社局', errors: row.errors, warnings: [], madeMain: false, replacesMadeMain: null, proposal: null });
  });

  it('a row without citations or optional cells arrives with empty lists and nulls', () => {
    const { message } = across({ name: '某事项', category: '公共服务' });
    expect(message.code).toBeNull();
    expect(message.departmentText).toBeNull();
    expect(message.proposal!.citations).toEqual([]);
    expect(message.proposal).toMatchObject({ code: null, mainItemName: null, citations: [], prerequisites: [], disposition: null });
  });
});

describe('a batch of rows', () => {
  it('gives back every row as written: texts beyond U+FFFF, with a lone surrogate, and empty, numbers, true, false, null, undefined and lists', () => {
    const rows: WireRow[] = [
      ['事项清单', 3, 'XK-𠀀1', '', null, undefined, true, false, 0.5, -7, ['individual', 'legal'], []],
      ['第二页', 1e12, '名'.repeat(300_000), 'A\uD800B'],
    ];
    const batch = new RowBatch();
    for (const row of rows) batch.add(row);
    expect(batch.count).toBe(2);
    const bytes = batch.take();
    expect(batch.count).toBe(0);
    expect(wiresOf(bytes)).toEqual(rows);
    expect(batch.take().byteLength).toBe(0);
  });

  it('copies a row at once, keeping no reference to it (the child frees each row as soon as it is written)', () => {
    const row = ['事项清单', 3, '食品经营许可', ['individual']];
    const batch = new RowBatch();
    batch.add(row);
    row[2] = '改过的名称';
    (row[3] as string[]).push('legal');
    expect(wiresOf(batch.take())).toEqual([['事项清单', 3, '食品经营许可', ['individual']]]);
  });

  it('refuses a value that has no place on the wire rather than sending it wrong', () => {
    expect(() => new RowBatch().add(['事项清单', 3, { name: '对象' }])).toThrow(/cannot cross/);
  });
});
