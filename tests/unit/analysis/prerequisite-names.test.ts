// 前置事项 as people write them in the item form and in JSON.
import { describe, expect, it } from 'vitest';
import { prerequisitesFormText, prerequisitesFromInput, splitPrerequisiteText } from '../../../server/domain/prerequisite-names.js';

describe('the 前置事项 field', () => {
  it('takes one per line or separated by 、；; — without list markers, blanks, repeats or “无”', () => {
    expect(splitPrerequisiteText('1、企业名称预先核准\n2. 建设工程规划许可；排污许可;XZSPJ-00001\r\n\n无\n建设工程规划许可')).toEqual([
      '企业名称预先核准',
      '建设工程规划许可',
      '排污许可',
      'XZSPJ-00001',
    ]);
    expect(splitPrerequisiteText('甲、乙、丙')).toEqual(['甲', '乙', '丙']);
    expect(splitPrerequisiteText('（一）甲\n（二）乙')).toEqual(['甲', '乙']);
    expect(splitPrerequisiteText('  \n—\n')).toEqual([]);
  });

  it('a JSON list is taken item by item, and the item JSON’s own objects can be sent back', () => {
    expect(prerequisitesFromInput(['甲、乙', ' 丙 ', { writtenAs: '丁' }, '丙'])).toEqual(['甲、乙', '丙', '丁']);
    expect(prerequisitesFromInput(null)).toEqual([]);
  });

  it('the form shows the rows, a draft list or the posted text', () => {
    expect(prerequisitesFormText([{ writtenAs: '甲', item: null }, { writtenAs: '乙', item: { code: 'X' } }])).toBe('甲\n乙');
    expect(prerequisitesFormText(['甲', '乙'])).toBe('甲\n乙');
    expect(prerequisitesFormText('甲；乙')).toBe('甲；乙');
    expect(prerequisitesFormText(undefined)).toBe('');
  });
});
