// One normaliser for every search: its traditional → simplified table is OpenCC's, character by character.
import { describe, expect, it } from 'vitest';
import * as OpenCC from 'opencc-js/t2cn';
import { normaliseText, simplifiedPairs } from '../../../server/domain/search-tables.js';
import { Synonyms } from '../../../server/domain/search-synonyms.js';

describe('search normalisation', () => {
  it('the shipped traditional → simplified table (data/search/traditional-simplified.txt) is what OpenCC converts one character at a time', () => {
    const convert = OpenCC.Converter({ from: 't', to: 'cn' });
    let expected = '';
    for (const [from, to] of [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff]] as const) {
      for (let c = from; c <= to; c++) {
        const t = String.fromCharCode(c);
        const simple = convert(t);
        if (simple !== t && simple.length === 1) expected += t + simple;
      }
    }
    expect(simplifiedPairs() === expected, 'regenerate the table: it no longer matches OpenCC').toBe(true);
  });

  it('makes traditional simplified, full-width half-width, letters lower case, and drops spaces, punctuation and symbols', () => {
    expect(normaliseText('《食品經營許可》')).toBe('食品经营许可');
    expect(normaliseText('ＲＳＪ－００１ 戶口')).toBe('rsj001户口');
    expect(normaliseText('道路运输')).toBe('道路运输');
  });

  it('a synonym pair works both ways, replacing the word inside a longer term but not a word inside its own longer synonym', () => {
    const synonyms = new Synonyms([['出租车', '出租汽车'], ['身份证', '居民身份证']], normaliseText);
    expect(synonyms.alternatives('出租车')).toEqual(['出租车', '出租汽车']);
    expect(synonyms.alternatives('出租汽车经营')).toEqual(['出租汽车经营', '出租车经营']);
    expect(synonyms.alternatives('身份证')).toEqual(['身份证', '居民身份证']);
    expect(synonyms.alternatives('居民身份证')).toEqual(['居民身份证']);
  });
});
