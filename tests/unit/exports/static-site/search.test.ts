// The static site's search runs in the browser (search.js, bundled from exports/static-site/); its
// matching is the module the page's script imports, held here in Node against a small index.
import { describe, expect, it } from 'vitest';
import { queryWords, search, type IndexRow, type SearchIndex } from '../../../../exports/static-site/search.js';
import { simplifiedPairs } from '../../../../exports/static-site.js';
import { queryTerms } from '../../../../server/publication/search.js';

const row = (code: string, name: string, department: number, category: string): IndexRow => [code, name, department, category, code, 1];

const INDEX: SearchIndex = {
  departments: ['市场监督管理局', '人力资源和社会保障局'],
  categories: { permit: '行政许可', filing: '其他行政权力（备案）' },
  simplified: simplifiedPairs(),
  items: [
    row('SCJG-001', '食品经营许可', 0, 'permit'),
    row('SCJG-002', '食品经营许可证注销', 0, 'permit'),
    row('RS-ABC-7', '就业困难人员认定', 1, 'permit'),
    row('RS-008', '劳动合同备案', 1, 'filing'),
    row('SCJG-003', '特种设备使用登记许可', 0, 'permit'),
  ],
};

const codes = (query: string) => search(INDEX, query).map((hit) => hit.row[0]);

describe('the static search matches a query as the server does', () => {
  it('makes a query half-width, lower case and simplified before it splits it into words', () => {
    expect(queryWords('　食品經營　ＡＢＣ－７ ', INDEX.simplified)).toEqual(['食品经营', 'abc7']);
  });

  it('normalises every query exactly as the server’s searches do (one module, one table)', () => {
    for (const q of ['　食品經營　ＡＢＣ－７ ', '《道路運輸條例》許可', '戶口 遷移', 'Ｈ-000507，许可。', '臺灣 證照']) {
      expect(queryWords(q, INDEX.simplified), q).toEqual(queryTerms(q));
    }
  });

  it('finds through the exported synonyms, as the server does (出租车 → 出租汽车)', () => {
    const index: SearchIndex = { ...INDEX, synonyms: [['出租车', '出租汽车']], items: [...INDEX.items, row('JT-001', '出租汽车经营许可', 0, 'permit')] };
    expect(search(index, '出租车').map((h) => h.row[0])).toEqual(['JT-001']);
    expect(search(INDEX, '出租车')).toEqual([]);
  });

  it('finds a simplified name from a query in traditional characters', () => {
    expect(codes('食品經營許可')).toEqual(['SCJG-001', 'SCJG-002']);
  });

  it('finds a code from full-width and upper- or lower-case letters and digits', () => {
    expect(codes('ｒｓ－ａｂｃ－７')).toEqual(['RS-ABC-7']);
    expect(codes('scjg-003')).toEqual(['SCJG-003']);
  });

  it('keeps only the items that hold every word, in their name, code, department or category', () => {
    expect(codes('认定 人力资源')).toEqual(['RS-ABC-7']);
    expect(codes('备案 市场监督')).toEqual([]);
    expect(codes('备案')).toEqual(['RS-008']); // by name, before none by category
    expect(codes('行政许可 特种')).toEqual(['SCJG-003']);
  });

  it('ranks the whole name first, then a name that starts with the words, one that holds them, the code, then department or category', () => {
    const hits = search(INDEX, '食品经营许可');
    expect(hits.map((h) => [h.row[0], h.score])).toEqual([
      ['SCJG-001', 0],
      ['SCJG-002', 1],
    ]);
    expect(search(INDEX, '许可').map((h) => [h.row[0], h.score])).toEqual([
      ['SCJG-001', 2],
      ['SCJG-002', 2],
      ['SCJG-003', 2],
      ['RS-ABC-7', 4], // its category, 行政许可
    ]);
    expect(search(INDEX, 'scjg').map((h) => h.score)).toEqual([3, 3, 3]);
    expect(search(INDEX, '市场监督').map((h) => h.score)).toEqual([4, 4, 4]);
  });

  it('orders hits of one score by the shorter name, then by code', () => {
    const index: SearchIndex = { ...INDEX, items: [row('B', '登记许可', 0, 'permit'), row('A', '登记许可', 0, 'permit'), row('C', '准许', 0, 'permit')] };
    expect(search(index, '许').map((h) => h.row[0])).toEqual(['C', 'A', 'B']);
  });
});
