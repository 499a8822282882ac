// A quoted article that speaks of "本法" / "本条例" refers to the instrument it is in: the sentence is more of
// the quote, not a citation of an instrument of its own (which UNKNOWN_INSTRUMENT would ask to register).
import { describe, it, expect } from 'vitest';
import { splitCitations } from '../../../imports/legal-basis.js';
import { unknownInstrument } from '../../../server/checks/rules/unknown-instrument.js';
import { cite, context, item, law, citeUnregistered } from '../checks/builders.js';

// 西安 权责清单 (tests/fixtures/real/xian-quanze.xlsx), the 化妆品标识 penalty, as published.
const XIAN_PRODUCT_QUALITY =
  '《中华人民共和国产品质量法》（2018年修订）\n 第五十四条 产品标识不符合本法第二十七条规定的，责令改正；有包装的产品标识不符合本法第二十七条第（四）项、第（五）项规定，情节严重的，责令停止生产、销售，并处违法生产、销售产品货值金额百分之三十以下的罚款；有违法所得的，并处没收违法所得。';

describe('UNKNOWN_INSTRUMENT: 本法 in a quoted article is the cited law, not an instrument to register', () => {
  it('a sentence after ； that ends its "title" in 本法 / 本条例 stays in the quote of the citation before', () => {
    const citations = splitCitations(XIAN_PRODUCT_QUALITY);
    expect(citations.map((c) => c.title)).toEqual(['中华人民共和国产品质量法（2018年修订）']);
    expect(citations[0]!.article).toBe('第五十四条');
    expect(citations[0]!.quotedText).toContain('有包装的产品标识不符合本法第二十七条第（四）项');
    expect(splitCitations('《某某条例》第十条 违反本条例第五条规定的，责令改正；违反本条例第六条规定的，处一万元以下罚款').map((c) => c.title)).toEqual(['某某条例']);
  });

  it('so the item citing only 产品质量法 raises no UNKNOWN_INSTRUMENT', () => {
    const citations = splitCitations(XIAN_PRODUCT_QUALITY).map((c) =>
      c.title.startsWith('中华人民共和国产品质量法') ? cite(law(c.title), { article: c.article }) : citeUnregistered(c.title, c.documentNumber),
    );
    expect(unknownInstrument.check(item({ category: 'penalty', citations }), context())).toEqual([]);
  });

  it('a real title after ； is still a citation of its own', () => {
    expect(splitCitations('《中华人民共和国产品质量法》第五十四条；食品安全法第一百二十五条').map((c) => c.title)).toEqual(['中华人民共和国产品质量法', '食品安全法']);
  });
});
