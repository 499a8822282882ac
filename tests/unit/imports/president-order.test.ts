// 主席令 numbers (the President's orders that promulgate laws) are read the way 国务院令 numbers are:
// one written form whatever the numerals and prefix, the rank they imply, a registry match by number.
import { describe, it, expect } from 'vitest';
import { buildRegistryIndex, matchCitation, normaliseDocumentNumber, splitCitations } from '../../../imports/legal-basis.js';
import { inferRank } from '../../../server/domain/instrument-title.js';
import { unknownInstrument } from '../../../server/checks/rules/unknown-instrument.js';
import { basisRankTooLow } from '../../../server/checks/rules/basis-rank-too-low.js';
import { citeUnregistered, context, item } from '../checks/builders.js';

describe('主席令 numbers in citations', () => {
  it('a 主席令 number is written one way: 中华人民共和国主席令第十一号 is 主席令第11号', () => {
    expect(normaliseDocumentNumber('中华人民共和国主席令第十一号')).toBe('主席令第11号');
    expect(normaliseDocumentNumber('主席令 第 11 号')).toBe('主席令第11号');
    expect(normaliseDocumentNumber('主席令第一百二十号')).toBe('主席令第120号');
    // The same form as 国务院令 numbers already had.
    expect(normaliseDocumentNumber('中华人民共和国国务院令第149号')).toBe('国务院令第149号');
  });

  it('the 主席令 number in the bracket after a title is the citation document number, in digits', () => {
    const [c] = splitCitations('《中华人民共和国传染病防治法》（1989年2月21日中华人民共和国主席令第十五号，2013年6月29日予以修改）第十条');
    expect(c).toMatchObject({ documentNumber: '主席令第15号', article: '第十条' });
  });

  it('a citation of a bare 主席令 number is a law, as a bare 国务院令 number is an administrative regulation', () => {
    const [c] = splitCitations('中华人民共和国主席令第十一号第三条');
    expect(c).toMatchObject({ documentNumber: '主席令第11号', article: '第三条' });
    expect(inferRank(c!.title, c!.documentNumber)).toBe('law');
    expect(inferRank('主席令第11号', '主席令第11号')).toBe('law');
    expect(inferRank('某某条例', '中华人民共和国主席令第二十一号')).toBe('law');
    expect(inferRank('国务院令第412号', '国务院令第412号')).toBe('administrative_regulation');
  });

  it('a registered law found by its 主席令 number however the citation writes the number', () => {
    const index = buildRegistryIndex([
      { id: 1, title: '中华人民共和国某某法', normalizedTitle: '某某法', status: 'in_force', publishedOn: '2021-01-01', documentNumber: '主席令第11号' },
    ]);
    expect(matchCitation(index, { title: '中华人民共和国主席令第十一号', documentNumber: '中华人民共和国主席令第十一号' })).toEqual({ instrumentId: 1, matchedOn: 'document_number' });
    expect(matchCitation(index, { title: '主席令第11号', documentNumber: '主席令第11号' })).toEqual({ instrumentId: 1, matchedOn: 'document_number' });
  });
});

describe('BASIS_RANK_TOO_LOW and UNKNOWN_INSTRUMENT for a basis cited by its 主席令 number', () => {
  const ctx = context();
  const permitByOrder = item({ category: 'permit', citations: [citeUnregistered('中华人民共和国主席令第十一号', '主席令第11号')] });

  it('BASIS_RANK_TOO_LOW: a permit set by a law cited only by its 主席令 number is not too low', () => {
    expect(basisRankTooLow.check(permitByOrder, ctx)).toEqual([]);
  });

  it('UNKNOWN_INSTRUMENT: the task to register it names the inferred rank 法律', () => {
    const [f] = unknownInstrument.check(permitByOrder, ctx);
    expect(f!.message).toContain('推断为法律');
  });
});
