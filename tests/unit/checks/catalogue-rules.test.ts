import { describe, it, expect } from 'vitest';
import { cancelledAbove } from '../../../server/checks/rules/cancelled-above.js';
import { recreatedAfterCancel } from '../../../server/checks/rules/recreated-after-cancel.js';
import { duplicateAcrossDepartments } from '../../../server/checks/rules/duplicate-across-departments.js';
import { nameNotStandard } from '../../../server/checks/rules/name-not-standard.js';
import { context, item } from './builders.js';

describe('CANCELLED_ABOVE — items cancelled above are cancelled here (seed 000 二(一)1)', () => {
  const ctx = context('2014-06-30', {
    cancelledAbove: (i) =>
      i.name === '外商投资企业设立审批'
        ? [{ listTitle: '国务院关于取消和下放一批行政审批项目的决定', decisionNumber: '国发〔2014〕5号', name: '外资企业设立审批', score: 0.82 }]
        : [],
  });

  it('a confirmed match on a higher-level list is an error naming the list and decision number', () => {
    const [f] = cancelledAbove.check(item({ name: '外商投资企业设立审批' }), ctx);
    expect(f).toMatchObject({ rule: 'CANCELLED_ABOVE', severity: 'error', suggestion: 'cancel' });
    expect(f!.message).toBe(
      '“外商投资企业设立审批”与《国务院关于取消和下放一批行政审批项目的决定》（国发〔2014〕5号）取消的“外资企业设立审批”（匹配度0.82）相符',
    );
    expect(f!.ground.startsWith('《国务院关于取消和下放一批行政审批项目的决定》（国发〔2014〕5号）')).toBe(true);
  });

  it('does not fire without a confirmed match', () => {
    expect(cancelledAbove.check(item({ name: '建筑工程施工许可' }), ctx)).toEqual([]);
  });
});

describe('RECREATED_AFTER_CANCEL — 前清后立 (seed 000 二(二)2)', () => {
  const ctx = context('2016-06-30', {
    cancelledEarlier: () => [
      { name: '建筑企业资质年检', departmentName: '区住建局', cancelledOn: '2014-03-01', reason: '国发〔2014〕5号取消', score: 0.78 },
    ],
  });

  it('a new item resembling a cancelled one is a warning to review', () => {
    const [f] = recreatedAfterCancel.check(item({ name: '建筑企业资质年度核验', isNew: true }), ctx);
    expect(f).toMatchObject({ rule: 'RECREATED_AFTER_CANCEL', severity: 'warning', suggestion: 'review' });
    expect(f!.message).toContain('新增事项“建筑企业资质年度核验”与2014-03-01已取消的“建筑企业资质年检”');
  });

  it('a renamed item is checked too, naming its old name', () => {
    const [f] = recreatedAfterCancel.check(item({ name: '建筑企业资质年度核验', previousName: '建筑企业资质审查' }), ctx);
    expect(f!.message).toContain('由“建筑企业资质审查”更名的');
  });

  it('an unchanged item is not suspected, whatever it resembles', () => {
    expect(recreatedAfterCancel.check(item({ name: '建筑企业资质年度核验' }), ctx)).toEqual([]);
  });
});

describe('DUPLICATE_ACROSS_DEPARTMENTS — 多头审批 (seed 000 二(三)2)', () => {
  it('the same power claimed by another department is a warning', () => {
    const ctx = context('2016-06-30', {
      duplicatesOf: () => [{ key: 'X2', name: '城市建筑垃圾处置核准', departmentName: '区城管局' }],
    });
    const [f] = duplicateAcrossDepartments.check(item({ key: 'X1', name: '建筑垃圾处置核准', departmentName: '区住建局' }), ctx);
    expect(f).toMatchObject({ rule: 'DUPLICATE_ACROSS_DEPARTMENTS', severity: 'warning', suggestion: 'review' });
    expect(f!.message).toBe('区住建局的“建筑垃圾处置核准”与区城管局的“城市建筑垃圾处置核准”是同一事项，存在多头审批');
  });

  it('the item itself is not its own duplicate', () => {
    const ctx = context('2016-06-30', { duplicatesOf: (i) => [{ key: i.key, name: i.name, departmentName: i.departmentName }] });
    expect(duplicateAcrossDepartments.check(item({ key: 'X1' }), ctx)).toEqual([]);
  });
});

describe('NAME_NOT_STANDARD — one name per item in every district (seed 004)', () => {
  const ctx = context('2019-01-01', { standardName: () => ({ name: '建筑工程施工许可证核发', score: 0.94 }) });

  it('a name differing from the base catalogue gets the standard name as suggestion', () => {
    const [f] = nameNotStandard.check(item({ name: '建筑工程施工许可' }), ctx);
    expect(f).toMatchObject({
      rule: 'NAME_NOT_STANDARD',
      severity: 'info',
      suggestion: 'fix_data',
      suggestionText: '统一名称为“建筑工程施工许可证核发”',
    });
  });

  it('does not fire when the name is the standard one or no standard matches', () => {
    expect(nameNotStandard.check(item({ name: '建筑工程施工许可证核发' }), ctx)).toEqual([]);
    expect(nameNotStandard.check(item({ name: '建筑工程施工许可' }), context())).toEqual([]);
  });
});
