import { describe, it, expect } from 'vitest';
import { bestMatches, NameIndex, nameSimilarity, normalizeItemName } from '../../../server/checks/similarity.js';

describe('normalizeItemName', () => {
  it('drops qualifiers in brackets, punctuation, widths and glue words', () => {
    expect(normalizeItemName('公共场所卫生许可证核发（含新办、变更、延续）')).toBe('公共场所卫生许可证核发');
    expect(normalizeItemName('企业投资项目备案（技术改造）（市级/县级）')).toBe('企业投资项目备案技术改造');
    expect(normalizeItemName('对未取得食品经营许可从事食品经营活动的处罚')).toBe('未取得食品经营许可从事食品经营活动处罚');
    expect(normalizeItemName('占用、挖掘 城市道路审批')).toBe('占用挖掘城市道路审批');
  });
});

describe('nameSimilarity — the same power written differently scores high, different powers low', () => {
  it('a certificate issued for a permit is the permit', () => {
    expect(nameSimilarity('建筑工程施工许可证核发', '建筑工程施工许可')).toBeGreaterThan(0.85);
  });

  it('外商投资企业设立审批 and 外资企业设立审批 are the same item', () => {
    expect(nameSimilarity('外商投资企业设立审批', '外资企业设立审批')).toBeGreaterThan(0.7);
  });

  it('word order matters little', () => {
    expect(nameSimilarity('外商投资企业设立审批', '设立外商投资企业审批')).toBeGreaterThan(0.8);
  });

  it('the kind of decision (核准 / 许可) matters little, the subject much', () => {
    expect(nameSimilarity('城市建筑垃圾处置核准', '城市建筑垃圾处置许可')).toBeGreaterThan(0.85);
    expect(nameSimilarity('婚姻登记', '收养登记')).toBeLessThan(0.3);
  });

  it('unrelated names score low', () => {
    expect(nameSimilarity('食品经营许可', '建筑工程施工许可')).toBeLessThan(0.2);
    expect(nameSimilarity('学生资助政策咨询', '适龄儿童、少年因身体状况需要延缓入学或者休学审批')).toBeLessThan(0.1);
    expect(nameSimilarity('饮用水供水单位卫生许可', '公共场所卫生许可')).toBeLessThan(0.4);
  });

  it('is symmetric, 1 for equal names and 0 for an empty one', () => {
    expect(nameSimilarity('临时占用城市道路审批', '占用、挖掘城市道路审批')).toBeCloseTo(nameSimilarity('占用、挖掘城市道路审批', '临时占用城市道路审批'), 10);
    expect(nameSimilarity('娱乐场所经营许可', '娱乐场所经营许可（含变更）')).toBe(1);
    expect(nameSimilarity('', '娱乐场所经营许可')).toBe(0);
  });
});

describe('bestMatches', () => {
  const cancelled = ['外资企业设立审批', '建筑企业资质年检', '城市房屋拆迁许可', '食品经营许可'];

  it('finds the cancelled item a local name means, best first, above the threshold', () => {
    const found = bestMatches('外商投资企业设立审批', cancelled, { min: 0.5, limit: 3 });
    expect(found.map((m) => m.name)).toEqual(['外资企业设立审批']);
    expect(found[0]!.score).toBeGreaterThan(0.7);
  });

  it('returns nothing when nothing resembles the name', () => {
    expect(bestMatches('学生资助政策咨询', cancelled, { min: 0.5 })).toEqual([]);
  });

  it('works on objects through nameOf, and an index serves many searches', () => {
    const list = cancelled.map((name, i) => ({ id: i, title: name }));
    const index = new NameIndex(list, (c) => c.title);
    expect(index.size).toBe(4);
    expect(index.search('建筑企业资质年度检验', { min: 0.5 })[0]!.candidate.id).toBe(1);
    expect(bestMatches('房屋拆迁许可', list, { nameOf: (c) => c.title })[0]!.candidate.title).toBe('城市房屋拆迁许可');
  });

  it('respects the limit', () => {
    const many = ['食品经营许可', '食品经营许可证核发', '食品经营许可（延续）', '食品生产许可'];
    expect(bestMatches('食品经营许可', many, { min: 0.3, limit: 2 })).toHaveLength(2);
  });
});
