import { describe, it, expect } from 'vitest';
import { feeWithoutBasis } from '../../../server/checks/rules/fee-without-basis.js';
import { promisedExceedsStatutory } from '../../../server/checks/rules/promised-exceeds-statutory.js';
import { statutoryOverLegalDefault } from '../../../server/checks/rules/statutory-over-legal-default.js';
import { cite, citeUnregistered, context, item, law, registered } from './builders.js';

const ctx = context();

describe('FEE_WITHOUT_BASIS — a fee needs its basis; a permit fee needs a law or regulation (行政许可法 art. 58)', () => {
  it('a fee without any fee basis is an error to fix', () => {
    const [f] = feeWithoutBasis.check(item({ category: 'confirmation', feeCharged: true, feeStandard: '工本费10元', feeBasis: '无' }), ctx);
    expect(f).toMatchObject({ rule: 'FEE_WITHOUT_BASIS', severity: 'error', suggestion: 'fix_data' });
    expect(f!.message).toContain('工本费10元');
  });

  it('a permit fee based only on a price-bureau document is an error (art. 58)', () => {
    const [f] = feeWithoutBasis.check(
      item({ name: '城市排水许可', feeCharged: true, feeBasis: '《广安市物价局关于核定排水许可证工本费的批复》（广安价费〔2011〕45号）' }),
      ctx,
    );
    expect(f).toMatchObject({ severity: 'error', ground: '《中华人民共和国行政许可法》第五十八条' });
    expect(f!.message).toContain('规范性文件');
  });

  it('a permit fee set by a law passes, through the registry when the caller gives it', () => {
    const roadSafety = law('中华人民共和国道路交通安全法');
    const lookup = context('2024-06-30', { instrumentForTitle: (t) => (t.includes('道路交通安全法') ? roadSafety : null) });
    const feeBasis = '《中华人民共和国道路交通安全法》第八十一条；计价格〔1994〕783号';
    expect(feeWithoutBasis.check(item({ feeCharged: true, feeBasis }), lookup)).toEqual([]);
    expect(feeWithoutBasis.check(item({ feeCharged: true, feeBasis }), ctx)).toEqual([]);
  });

  it('a fee basis naming no recognisable instrument is left to a person', () => {
    const [f] = feeWithoutBasis.check(item({ feeCharged: true, feeBasis: '按省物价局规定执行' }), ctx);
    expect(f).toMatchObject({ severity: 'info', suggestion: 'review' });
  });

  it('a non-permit fee with a fee basis of any rank passes; an item without fee is not checked', () => {
    expect(feeWithoutBasis.check(item({ category: 'levy', feeCharged: true, feeBasis: '川价费〔2006〕123号' }), ctx)).toEqual([]);
    expect(feeWithoutBasis.check(item({ feeCharged: false }), ctx)).toEqual([]);
  });
});

describe('PROMISED_EXCEEDS_STATUTORY — the promised limit stays within the statutory one', () => {
  it('a promise longer than the statutory limit is an error', () => {
    const [f] = promisedExceedsStatutory.check(item({ statutoryLimitDays: 20, promisedLimitDays: 25 }), ctx);
    expect(f).toMatchObject({ rule: 'PROMISED_EXCEEDS_STATUTORY', severity: 'error', suggestion: 'fix_data' });
    expect(f!.message).toContain('承诺时限25个工作日，超过法定时限20个工作日');
  });

  it('an equal or shorter promise, or a missing limit, passes', () => {
    expect(promisedExceedsStatutory.check(item({ statutoryLimitDays: 20, promisedLimitDays: 20 }), ctx)).toEqual([]);
    expect(promisedExceedsStatutory.check(item({ statutoryLimitDays: null, promisedLimitDays: 5 }), ctx)).toEqual([]);
  });
});

describe('STATUTORY_OVER_LEGAL_DEFAULT — permits are decided within 20 working days (行政许可法 art. 42)', () => {
  it('over 20 days with only a rule as basis is a warning', () => {
    const citations = [citeUnregistered('南京市户外广告设施设置管理办法', '南京市人民政府令第300号')];
    const [f] = statutoryOverLegalDefault.check(item({ statutoryLimitDays: 30, citations }), ctx);
    expect(f).toMatchObject({ rule: 'STATUTORY_OVER_LEGAL_DEFAULT', severity: 'warning' });
  });

  it('over 20 days set by a law is only a reminder to check that law', () => {
    const [f] = statutoryOverLegalDefault.check(item({ statutoryLimitDays: 45, citations: [cite(law('中华人民共和国城乡规划法'))] }), ctx);
    expect(f!.severity).toBe('info');
  });

  it('20 days or less, instant items and other categories pass', () => {
    expect(statutoryOverLegalDefault.check(item({ statutoryLimitDays: 20 }), ctx)).toEqual([]);
    expect(statutoryOverLegalDefault.check(item({ statutoryLimitDays: 30, instant: true }), ctx)).toEqual([]);
    expect(statutoryOverLegalDefault.check(item({ category: 'penalty', statutoryLimitDays: 90 }), ctx)).toEqual([]);
    expect(registered('x', 'law').rank).toBe('law');
  });
});
