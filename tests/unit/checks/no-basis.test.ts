import { describe, it, expect } from 'vitest';
import { noBasis } from '../../../server/checks/rules/no-basis.js';
import { GROUND } from '../../../server/checks/grounds.js';
import { cite, context, item, law, regulation } from './builders.js';

const ctx = context();
const foodSafety = law('中华人民共和国食品安全法');

describe('NO_BASIS — 没有保留依据的项目一律取消 (seed 000 二(一)1–2)', () => {
  it('an item without any citation is proposed for cancellation', () => {
    const [f, ...rest] = noBasis.check(item({ name: '小型建设工程规划审批' }), ctx);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'NO_BASIS', severity: 'error', suggestion: 'cancel', ground: GROUND.noBasisPermit });
    expect(f!.message).toContain('小型建设工程规划审批');
  });

  it('implementing citations alone do not set a power: still no basis', () => {
    const rules = regulation('建筑工程施工许可管理办法');
    const [f] = noBasis.check(item({ citations: [cite(rules, { role: 'implementing', article: '第二条' })] }), ctx);
    expect(f).toMatchObject({ rule: 'NO_BASIS', severity: 'error', suggestion: 'cancel' });
    expect(f!.message).toContain('只列有实施依据《建筑工程施工许可管理办法》第二条');
  });

  it('a non-permit approval without basis rests on seed 000 二(一)2', () => {
    const [f] = noBasis.check(item({ category: 'non_permit_approval' }), ctx);
    expect(f!.ground).toBe(GROUND.noBasisNonPermit);
  });

  it('citing only 《行政许可法》第十二条 names no basis for the item itself: a warning to review', () => {
    const permitLaw = law('中华人民共和国行政许可法');
    const [f] = noBasis.check(item({ citations: [cite(permitLaw, { article: '第十二条' })] }), ctx);
    expect(f).toMatchObject({ rule: 'NO_BASIS', severity: 'warning', suggestion: 'review' });
    expect(f!.message).toContain('《中华人民共和国行政许可法》第十二条');
  });

  it('does not fire when a setting basis is cited', () => {
    expect(noBasis.check(item({ citations: [cite(foodSafety, { article: '第三十五条' })] }), ctx)).toEqual([]);
  });

  it('does not fire when a general law stands beside the specific one', () => {
    const citations = [cite(law('中华人民共和国行政处罚法')), cite(foodSafety, { article: '第一百二十二条' })];
    expect(noBasis.check(item({ category: 'penalty', citations }), ctx)).toEqual([]);
  });

  it('does not fire for a public service, which is not a power', () => {
    expect(noBasis.check(item({ category: 'public_service', name: '学生资助政策咨询' }), ctx)).toEqual([]);
  });
});

describe('NO_BASIS — 行政强制法 sets 加处罚款 and 代履行 itself', () => {
  it('an enforcement item citing only 《行政强制法》第四十五条 has a basis', () => {
    const citations = [cite(law('中华人民共和国行政强制法'), { article: '第四十五条' })];
    expect(noBasis.check(item({ category: 'enforcement', name: '加处罚款', citations }), ctx)).toEqual([]);
  });
});
