// Issue 7 point 3: the promised limit within the statutory one; a permit's statutory limit within 20
// working days, 45 for joint handling, unless a cited law or regulation sets a longer one (行政许可法 art. 42).
import { describe, it, expect } from 'vitest';
import { promisedExceedsStatutory } from '../../../server/checks/rules/promised-exceeds-statutory.js';
import { isJointlyHandled, quotedLimitDays, statutoryOverLegalDefault } from '../../../server/checks/rules/statutory-over-legal-default.js';
import { cite, citeUnregistered, context, item, law, regulation } from './builders.js';

const ctx = context();
const ruleOnly = () => [citeUnregistered('广安市城市管理办法', '广安市人民政府令第12号')];

describe('PROMISED_EXCEEDS_STATUTORY — must fire and must not fire', () => {
  it('fires one day over, and on an instant item whose promise is days over a same-day statutory limit', () => {
    expect(promisedExceedsStatutory.check(item({ statutoryLimitDays: 20, promisedLimitDays: 21 }), ctx)).toHaveLength(1);
    expect(promisedExceedsStatutory.check(item({ statutoryLimitDays: 0, promisedLimitDays: 1 }), ctx)).toHaveLength(1);
  });

  it('does not fire when the promise is within the statutory limit, or either is missing', () => {
    expect(promisedExceedsStatutory.check(item({ statutoryLimitDays: 20, promisedLimitDays: 0, instant: true }), ctx)).toEqual([]);
    expect(promisedExceedsStatutory.check(item({ statutoryLimitDays: 20, promisedLimitDays: 19 }), ctx)).toEqual([]);
    expect(promisedExceedsStatutory.check(item({ statutoryLimitDays: 20, promisedLimitDays: null }), ctx)).toEqual([]);
  });
});

describe('STATUTORY_OVER_LEGAL_DEFAULT — 20 working days, 45 for joint handling, unless a cited basis sets longer', () => {
  it('fires: a permit of 21 days on a rule alone is a warning naming the twenty days', () => {
    const [f] = statutoryOverLegalDefault.check(item({ name: '户外广告设置许可', statutoryLimitDays: 21, citations: ruleOnly() }), ctx);
    expect(f).toMatchObject({ rule: 'STATUTORY_OVER_LEGAL_DEFAULT', severity: 'warning', ground: '《中华人民共和国行政许可法》第四十二条' });
    expect(f!.message).toBe('“户外广告设置许可”法定时限21个工作日，超过二十个工作日，而设定依据中没有法律、法规对期限另作规定');
    expect(f!.details).toEqual({ statutoryLimitDays: 21, defaultLimitDays: 20, jointHandling: false });
  });

  it('joint handling (联合办理, 并联审批, 统一办理, 集中办理) is allowed 45 days', () => {
    expect(statutoryOverLegalDefault.check(item({ name: '建设项目联合审批', statutoryLimitDays: 45, citations: ruleOnly() }), ctx)).toEqual([]);
    expect(statutoryOverLegalDefault.check(item({ processText: '统一受理→并联审批→统一送达', statutoryLimitDays: 30, citations: ruleOnly() }), ctx)).toEqual([]);
    const [f] = statutoryOverLegalDefault.check(item({ processText: '窗口受理→联合办理→送达', statutoryLimitDays: 50, citations: ruleOnly() }), ctx);
    expect(f!.message).toContain('法定时限50个工作日，超过联合办理的四十五日');
    expect(f!.suggestionText).toContain('四十五日');
    expect(f!.details).toMatchObject({ defaultLimitDays: 45, jointHandling: true });
  });

  it('an item that is not handled jointly gets no 45 days from the word 联合 alone', () => {
    expect(isJointlyHandled({ name: '联合收割机驾驶证核发', processText: null })).toBe(false);
    expect(statutoryOverLegalDefault.check(item({ name: '联合收割机驾驶证核发', statutoryLimitDays: 30, citations: ruleOnly() }), ctx)).toHaveLength(1);
  });

  it('does not fire: a cited law whose quoted article sets the longer limit', () => {
    const citations = [cite(law('中华人民共和国城乡规划法'), { article: '第四十条', quotedText: '城市、县人民政府城乡规划主管部门应当自受理申请之日起四十五日内作出决定' })];
    expect(statutoryOverLegalDefault.check(item({ statutoryLimitDays: 45, citations }), ctx)).toEqual([]);
  });

  it('does not fire: a regulation quoting months covers the days', () => {
    const citations = [cite(regulation('城市道路管理条例'), { article: '第三十条', quotedText: '市政工程行政主管部门应当在三个月内作出批准或者不批准的决定' })];
    expect(statutoryOverLegalDefault.check(item({ statutoryLimitDays: 60, citations }), ctx)).toEqual([]);
  });

  it('fires: the quoted law sets a limit shorter than the statutory one written', () => {
    const citations = [cite(law('中华人民共和国行政许可法'), { article: '第四十二条', quotedText: '应当自受理行政许可申请之日起二十日内作出行政许可决定。二十日内不能作出决定的，经本行政机关负责人批准，可以延长十日' })];
    const [f] = statutoryOverLegalDefault.check(item({ statutoryLimitDays: 30, citations }), ctx);
    expect(f).toBeDefined();
  });

  it('fires: a rule’s words cannot set a longer limit (art. 42 leaves that to laws and regulations)', () => {
    const citations = [citeUnregistered('广安市城市管理办法', '广安市人民政府令第12号', { quotedText: '自受理之日起六十日内作出决定' })];
    expect(statutoryOverLegalDefault.check(item({ statutoryLimitDays: 60, citations }), ctx)[0]).toMatchObject({ severity: 'warning' });
  });

  it('fires: a repealed law’s words set nothing', () => {
    const citations = [cite(law('中华人民共和国城市规划法', { status: 'repealed' }), { quotedText: '六十日内作出决定' }), ...ruleOnly()];
    expect(statutoryOverLegalDefault.check(item({ statutoryLimitDays: 60, citations }), ctx)).toHaveLength(1);
  });

  it('fires as a reminder (info) when a law is cited without the article that sets the limit', () => {
    const [f] = statutoryOverLegalDefault.check(item({ statutoryLimitDays: 30, citations: [cite(law('中华人民共和国城乡规划法'))] }), ctx);
    expect(f).toMatchObject({ severity: 'info' });
  });

  it('does not fire: 20 days or less, instant items, other categories', () => {
    expect(statutoryOverLegalDefault.check(item({ statutoryLimitDays: 20, citations: ruleOnly() }), ctx)).toEqual([]);
    expect(statutoryOverLegalDefault.check(item({ statutoryLimitDays: 30, instant: true, citations: ruleOnly() }), ctx)).toEqual([]);
    expect(statutoryOverLegalDefault.check(item({ category: 'confirmation', statutoryLimitDays: 30, citations: ruleOnly() }), ctx)).toEqual([]);
  });

  it('quotedLimitDays reads the longest limit in the quoted words', () => {
    const c = (quotedText: string | null) => cite(law('x'), { quotedText });
    expect(quotedLimitDays(c('自受理之日起二十日内作出决定；可以延长十日'))).toBe(20);
    expect(quotedLimitDays(c('四十五个工作日'))).toBe(45);
    expect(quotedLimitDays(c('第四十二条 行政机关应当依法作出决定'))).toBeNull();
    expect(quotedLimitDays(c(null))).toBeNull();
  });
});
