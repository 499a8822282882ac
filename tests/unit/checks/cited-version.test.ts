// The version a citation names in the bracket after its title — the most common real form — selects the
// registered version; BASIS_AMENDED fires when a later version is in force, naming both.
import { describe, expect, it } from 'vitest';
import { splitCitations, versionInBracket } from '../../../imports/legal-basis.js';
import { basisAmended } from '../../../server/checks/rules/basis-amended.js';
import { createCheckContext } from '../../../server/checks/context.js';
import { itemFromRow, loadRealRegistry } from './real-registry.js';

const registry = loadRealRegistry();
const ctx = createCheckContext('2026-12-06');
const amendedFinding = (setting: string) =>
  basisAmended.check(itemFromRow({ id: 'x', name: '某事项', category: 'permit', department: '区某局', setting, expected: {}, why: '' }, registry), ctx);

describe('the cited version, read from the bracket after the title', () => {
  it('a bracket of history names the latest amendment it lists, or else the text as first made', () => {
    expect(versionInBracket('1988年9月5日主席令第6号，2010年4月29日予以修改')).toBe('（2010年4月29日修改）');
    expect(versionInBracket('2003年8月27日主席令第7号公布')).toBe('（2003年8月27日）');
    expect(versionInBracket('根据2013年6月29日第十二届全国人民代表大会常务委员会第三次会议修正')).toBe('（2013年6月29日修改）');
    expect(versionInBracket('国务院令第412号')).toBe('');
    expect(versionInBracket('详见附件')).toBe('');
  });

  it('the bracket keeps its document number and the article after it', () => {
    const [c] = splitCitations('《中华人民共和国保守国家秘密法》（1988年9月5日主席令第6号，2010年4月29日予以修改）第三十四条');
    expect(c).toMatchObject({ article: '第三十四条', documentNumber: '主席令第6号' });
    expect(c!.title).toContain('（2010年4月29日修改）');
  });

  it('保守国家秘密法 cited as amended in 2010 raises BASIS_AMENDED naming the 2024 text', () => {
    const [f] = amendedFinding('《中华人民共和国保守国家秘密法》（1988年9月5日主席令第6号，2010年4月29日予以修改）第三十四条');
    expect(f).toMatchObject({ rule: 'BASIS_AMENDED' });
    expect(f!.message).toContain('2010年版本');
    expect(f!.suggestionText).toContain('《中华人民共和国保守国家秘密法》（2024年版本）');
  });

  it('传染病防治法 cited as amended in 2013 raises BASIS_AMENDED naming the 2025 text', () => {
    const [f] = amendedFinding('《中华人民共和国传染病防治法》（1989年2月21日主席令第十五号，2013年6月29日予以修改）');
    expect(f).toMatchObject({ rule: 'BASIS_AMENDED' });
    expect(f!.message).toContain('2013年版本');
    expect(f!.suggestionText).toContain('《中华人民共和国传染病防治法》（2025年版本）');
  });

  it('the text in force cited with its own date raises nothing', () => {
    expect(amendedFinding('《中华人民共和国保守国家秘密法》（2024年2月27日第十四届全国人民代表大会常务委员会第八次会议修订）第三十四条')).toEqual([]);
  });
});
