import { describe, it, expect } from 'vitest';
import { basisRepealed } from '../../../server/checks/rules/basis-repealed.js';
import { cite, context, item, law, regulation } from './builders.js';

const ctx = context();
const jointVenture = law('中华人民共和国中外合资经营企业法', { status: 'repealed', replacedBy: { id: 900, title: '中华人民共和国外商投资法' } });
const foreignEnterprise = law('中华人民共和国外资企业法', { status: 'repealed' });
const cooperatives = law('中华人民共和国农民专业合作社法');
const cooperativeRegistration = regulation('农民专业合作社登记管理条例', { status: 'repealed' });

describe('BASIS_REPEALED — 因法律法规废止或修订取消的项目坚决取消 (seed 000)', () => {
  it('an item whose every setting basis is repealed is proposed for cancellation, naming them', () => {
    const [f, ...rest] = basisRepealed.check(
      item({ name: '外商投资企业设立审批', citations: [cite(jointVenture, { article: '第三条' }), cite(foreignEnterprise, { article: '第六条' })] }),
      ctx,
    );
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'BASIS_REPEALED', severity: 'error', suggestion: 'cancel' });
    expect(f!.message).toContain('《中华人民共和国中外合资经营企业法》第三条（已由《中华人民共和国外商投资法》取代）');
    expect(f!.message).toContain('《中华人民共和国外资企业法》第六条');
  });

  it('a partly repealed basis is a warning naming the repealed one, to fix the data', () => {
    const [f] = basisRepealed.check(
      item({ citations: [cite(cooperatives, { article: '第十六条' }), cite(cooperativeRegistration, { article: '第五条' })] }),
      ctx,
    );
    expect(f).toMatchObject({ rule: 'BASIS_REPEALED', severity: 'warning', suggestion: 'fix_data' });
    expect(f!.message).toContain('《农民专业合作社登记管理条例》第五条');
    expect(f!.message).not.toContain('农民专业合作社法》');
  });

  it('a repealed implementing citation does not touch the setting basis', () => {
    const citations = [cite(cooperatives), cite(cooperativeRegistration, { role: 'implementing' })];
    expect(basisRepealed.check(item({ citations }), ctx)).toEqual([]);
  });

  it('an amended law is not a repealed one', () => {
    const amended = law('中华人民共和国食品安全法', { status: 'amended' });
    expect(basisRepealed.check(item({ citations: [cite(amended)] }), ctx)).toEqual([]);
  });

  it('an unregistered instrument (status unknown) is not called repealed', () => {
    const citations = [cite({ ...foreignEnterprise, id: null, status: 'unknown' })];
    expect(basisRepealed.check(item({ citations }), ctx)).toEqual([]);
  });
});

describe('BASIS_REPEALED — general laws do not keep a repealed basis alive', () => {
  it('a repealed basis beside only 《行政处罚法》 is an error, not a partial warning', () => {
    const noise = law('中华人民共和国环境噪声污染防治法', { status: 'repealed' });
    const citations = [cite(law('中华人民共和国行政处罚法'), { article: '第八条' }), cite(noise, { article: '第五十九条' })];
    const [f] = basisRepealed.check(item({ category: 'penalty', citations }), ctx);
    expect(f).toMatchObject({ severity: 'error', suggestion: 'cancel' });
  });
});
