// Suggesting a department for a name the catalogue does not know: a suggestion only (the preview never
// applies it by itself), from the name without its place and common words, or its bigram similarity.
import { describe, it, expect } from 'vitest';
import { bigramSimilarity, departmentCores, suggestDepartment } from '../../../../server/imports/department-match.js';

const DEPARTMENTS = [
  { code: 'XFDD', name: '区消防大队' },
  { code: 'JTYSJ', name: '区交通运输局' },
  { code: 'SJJ', name: '区市监局', aliases: ['区市场监督管理局'] },
  { code: 'ZRZYHGHJ', name: '区自然资源和规划局' },
  { code: 'MZJ', name: '区民政局' },
];

describe('department suggestions', () => {
  it('a name that differs only by its place or common words (救援, 管理, 局, 大队) suggests that department', () => {
    expect(suggestDepartment('区消防救援大队', DEPARTMENTS)).toMatchObject({ code: 'XFDD' });
    expect(suggestDepartment('广安区消防救援大队', DEPARTMENTS)).toMatchObject({ code: 'XFDD' });
    expect(suggestDepartment('交通运输局', DEPARTMENTS)).toMatchObject({ code: 'JTYSJ' });
  });

  it('a name starting with 市 that is no place (市场监管局) is still compared whole, and aliases count', () => {
    expect(departmentCores('市场监管局')).toContain('市场监管');
    expect(suggestDepartment('市场监管局', DEPARTMENTS)).toMatchObject({ code: 'SJJ' });
  });

  it('a close name by characters (区自然资源局) is suggested; an unrelated one (区财政局) is not', () => {
    expect(suggestDepartment('区自然资源局', DEPARTMENTS)).toMatchObject({ code: 'ZRZYHGHJ' });
    expect(suggestDepartment('区财政局', DEPARTMENTS)).toBeNull();
    expect(suggestDepartment('21', DEPARTMENTS)).toBeNull();
  });

  it('bigram similarity is Dice’s coefficient: 1 for the same text, 0 for nothing shared', () => {
    expect(bigramSimilarity('消防大队', '消防大队')).toBe(1);
    expect(bigramSimilarity('消防大队', '民政')).toBe(0);
    expect(bigramSimilarity('abcd', 'abce')).toBeCloseTo(2 * 2 / 6);
  });
});
