import { describe, it, expect } from 'vitest';
import { unknownInstrument } from '../../../server/checks/rules/unknown-instrument.js';
import { cite, citeUnregistered, context, item, law } from './builders.js';

const ctx = context();

describe('UNKNOWN_INSTRUMENT — a basis must be verifiable in the registry', () => {
  it('an unregistered setting basis is a warning with its inferred rank', () => {
    const [f] = unknownInstrument.check(
      item({ citations: [citeUnregistered('建筑工程施工许可管理办法', '住房和城乡建设部令第18号', { tag: '【法律】' })] }),
      ctx,
    );
    expect(f).toMatchObject({
      rule: 'UNKNOWN_INSTRUMENT',
      severity: 'warning',
      suggestion: 'fix_data',
      suggestionText: '在法规库登记《建筑工程施工许可管理办法》（位阶、制定机关、施行日期、状态），或更正引用',
    });
    expect(f!.message).toBe(
      '设定依据《建筑工程施工许可管理办法》（住房和城乡建设部令第18号）（推断为部门规章，部门标注【法律】）未在法规库登记，其位阶和效力须登记后才能判断',
    );
  });

  it('says when even the rank cannot be inferred', () => {
    const [f] = unknownInstrument.check(item({ citations: [citeUnregistered('关于户外广告的规定', null)] }), ctx);
    expect(f!.message).toContain('位阶无法推断');
  });

  it('does not fire for registered instruments or for unregistered implementing citations', () => {
    const citations = [cite(law('中华人民共和国建筑法')), citeUnregistered('某某办法', null, { role: 'implementing' })];
    expect(unknownInstrument.check(item({ citations }), ctx)).toEqual([]);
  });
});
