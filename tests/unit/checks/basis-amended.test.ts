import { describe, it, expect } from 'vitest';
import { basisAmended } from '../../../server/checks/rules/basis-amended.js';
import { cite, context, item, law } from './builders.js';

const ctx = context();
const current = law('中华人民共和国食品安全法', { publishedOn: '2021-04-29' });
const old2015 = law('中华人民共和国食品安全法', {
  status: 'amended',
  publishedOn: '2015-04-24',
  replacedBy: { id: current.id!, title: '中华人民共和国食品安全法', publishedOn: '2021-04-29' },
});

describe('BASIS_AMENDED — a basis must cite the text in force', () => {
  it('a citation of an amended version is a warning naming the version in force', () => {
    const [f] = basisAmended.check(item({ citations: [cite(old2015, { article: '第三十五条', versionYear: 2015 })] }), ctx);
    expect(f).toMatchObject({ rule: 'BASIS_AMENDED', severity: 'warning', suggestion: 'fix_data' });
    expect(f!.message).toContain('《中华人民共和国食品安全法》第三十五条（2015年版本）');
    expect(f!.suggestionText).toBe('改引现行有效版本：《中华人民共和国食品安全法》（2021年版本），并核对条款序号');
  });

  it('a cited year older than the version in force is superseded even when matched to it', () => {
    const [f] = basisAmended.check(item({ citations: [cite(current, { versionYear: 2009 })] }), ctx);
    expect(f!.message).toContain('（2009年版本）');
    expect(f!.suggestionText).toContain('《中华人民共和国食品安全法》（2021年版本）');
  });

  it('an implementing citation of an old version is flagged too', () => {
    const citations = [cite(current), cite(old2015, { role: 'implementing' })];
    expect(basisAmended.check(item({ citations }), ctx)).toHaveLength(1);
  });

  it('does not fire for the version in force, cited with or without its year', () => {
    expect(basisAmended.check(item({ citations: [cite(current)] }), ctx)).toEqual([]);
    expect(basisAmended.check(item({ citations: [cite(current, { versionYear: 2021 })] }), ctx)).toEqual([]);
  });

  it('leaves repealed and unregistered instruments to their own rules', () => {
    const repealed = law('中华人民共和国外资企业法', { status: 'repealed', publishedOn: '2016-09-03' });
    const unknown = { ...current, id: null, status: 'unknown' as const };
    expect(basisAmended.check(item({ citations: [cite(repealed, { versionYear: 2000 }), cite(unknown, { versionYear: 2009 })] }), ctx)).toEqual([]);
  });

  describe('a cited document number names the version', () => {
    const inForce = law('中华人民共和国治安管理处罚法', { publishedOn: '2025-06-27', documentNumber: '主席令第49号' });

    it('a citation naming the law in force by another number of the same series does not cite the text in force', () => {
      const [f] = basisAmended.check(item({ citations: [cite(inForce, { documentNumber: '主席令第72号', article: '第四十八条' })] }), ctx);
      expect(f).toMatchObject({ rule: 'BASIS_AMENDED', severity: 'warning', suggestion: 'fix_data' });
      expect(f!.message).toContain('《中华人民共和国治安管理处罚法》（主席令第72号）第四十八条（现行有效文本的文号为主席令第49号）');
      expect(f!.suggestionText).toContain('《中华人民共和国治安管理处罚法》（2025年版本）');
    });

    it('the number in force, in Chinese numerals or with the state name, is the text in force', () => {
      for (const documentNumber of ['主席令第49号', '中华人民共和国主席令第四十九号', '主席令 第 49 号']) {
        expect(basisAmended.check(item({ citations: [cite(inForce, { documentNumber })] }), ctx)).toEqual([]);
      }
    });

    it('one order written with or without 第 or its year in brackets is the same number', () => {
      const rule = law('商业银行柜台记账式国债交易管理办法', { rank: 'department_rule', publishedOn: '2002-01-01', documentNumber: '中国人民银行令〔2002〕第2号' });
      for (const documentNumber of ['中国人民银行令〔2002〕2号', '中国人民银行令2002年第2号', '中国人民银行令[2002]第2号']) {
        expect(basisAmended.check(item({ citations: [cite(rule, { documentNumber })] }), ctx)).toEqual([]);
      }
      const regulation = law('危险化学品安全管理条例', { rank: 'administrative_regulation', publishedOn: '2011-03-02', documentNumber: '国务院令第591号' });
      expect(basisAmended.check(item({ citations: [cite(regulation, { documentNumber: '国务院第591号令' })] }), ctx)).toEqual([]);
      expect(basisAmended.check(item({ citations: [cite(regulation, { documentNumber: '国务院第344号令' })] }), ctx)).toHaveLength(1);
    });

    it('a number of another series says nothing about which version is cited', () => {
      expect(basisAmended.check(item({ citations: [cite(inForce, { documentNumber: '国务院令第412号' })] }), ctx)).toEqual([]);
    });
  });
});
