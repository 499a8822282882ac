import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildRegistryIndex,
  matchCitation,
  normaliseArticle,
  normaliseDocumentNumber,
  splitCitations,
  type ParsedCitation,
  type RegistryInstrument,
} from '../../../imports/legal-basis.js';
import { normalizeInstrumentTitle } from '../../../server/domain/instrument-title.js';
import { readCsvObjects } from '../../../db/seed/csv.js';

const cite = (title: string, fields: Partial<Omit<ParsedCitation, 'title'>> = {}): ParsedCitation => ({
  title,
  article: null,
  documentNumber: null,
  tag: null,
  quotedText: null,
  ...fields,
});

describe('normaliseArticle', () => {
  it('Arabic numerals become Chinese: 第35条第1款 → 第三十五条第一款', () => {
    expect(normaliseArticle('第35条第1款')).toBe('第三十五条第一款');
    expect(normaliseArticle('第１０５条')).toBe('第一百零五条');
    expect(normaliseArticle('第110条')).toBe('第一百一十条');
  });

  it('an item number in brackets loses its brackets: 第（三）项 → 第三项', () => {
    expect(normaliseArticle('第十二条第一款第（三）项')).toBe('第十二条第一款第三项');
    expect(normaliseArticle('第12条第(3)项')).toBe('第十二条第三项');
  });

  it('several articles keep their order, joined by 、', () => {
    expect(normaliseArticle('第12条，第14条')).toBe('第十二条、第十四条');
    expect(normaliseArticle('第5-7条')).toBe('第五至七条');
  });

  it('an article written without 第 gets it', () => {
    expect(normaliseArticle('35条')).toBe('第三十五条');
  });

  it('Chinese numerals written oddly are made canonical', () => {
    expect(normaliseArticle('第一十条')).toBe('第十条');
    expect(normaliseArticle('第二十四条之一')).toBe('第二十四条之一');
  });
});

describe('normaliseDocumentNumber', () => {
  it('every bracket around the year becomes 〔〕', () => {
    expect(normaliseDocumentNumber('国发[2015]11号')).toBe('国发〔2015〕11号');
    expect(normaliseDocumentNumber('川府发（2016）12号')).toBe('川府发〔2016〕12号');
    expect(normaliseDocumentNumber('国办发【2015】 86号')).toBe('国办发〔2015〕86号');
    expect(normaliseDocumentNumber('国发〔2015〕11号')).toBe('国发〔2015〕11号');
  });

  it('a ministry order number without brackets is kept', () => {
    expect(normaliseDocumentNumber('交通运输部令2016年第82号')).toBe('交通运输部令2016年第82号');
  });
});

describe('splitCitations', () => {
  it('a tagged law with article and quoted text', () => {
    expect(splitCitations('【法律】《中华人民共和国行政许可法》第十二条 下列事项可以设定行政许可：（一）直接涉及国家安全的；')).toEqual([
      cite('中华人民共和国行政许可法', { article: '第十二条', tag: '【法律】', quotedText: '下列事项可以设定行政许可：（一）直接涉及国家安全的' }),
    ]);
  });

  it('numbered citations with several articles and a ministry order number', () => {
    expect(
      splitCitations('1、《道路运输条例》第二十四条、第二十五条；2、《道路旅客运输及客运站管理规定》(交通运输部令2016年第82号)第十条'),
    ).toEqual([
      cite('道路运输条例', { article: '第二十四条、第二十五条' }),
      cite('道路旅客运输及客运站管理规定', { article: '第十条', documentNumber: '交通运输部令2016年第82号' }),
    ]);
  });

  it('the State Council decision 412 with its order number and item', () => {
    expect(splitCitations('《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）第98项')).toEqual([
      cite('国务院对确需保留的行政审批项目设定行政许可的决定', { article: '第九十八项', documentNumber: '国务院令第412号' }),
    ]);
  });

  it('a provincial decision with a document number in 〔〕', () => {
    expect(splitCitations('《四川省人民政府关于取消和调整行政审批项目的决定》（川府发〔2016〕12号）')).toEqual([
      cite('四川省人民政府关于取消和调整行政审批项目的决定', { documentNumber: '川府发〔2016〕12号' }),
    ]);
  });

  it('stray quotes around the cell and Arabic article numbers', () => {
    expect(splitCitations('"《中华人民共和国食品安全法》第35条第1款"')).toEqual([
      cite('中华人民共和国食品安全法', { article: '第三十五条第一款' }),
    ]);
  });

  it('full-width digits in the article are read', () => {
    expect(splitCitations('《中华人民共和国食品安全法》第３５条')).toEqual([cite('中华人民共和国食品安全法', { article: '第三十五条' })]);
  });

  it('a title in 〈〉 is a title', () => {
    expect(splitCitations('〈中华人民共和国建筑法〉第八条')).toEqual([cite('中华人民共和国建筑法', { article: '第八条' })]);
  });

  it('a title in quotes is a title when the text has no 《》', () => {
    expect(splitCitations('依据“中华人民共和国食品安全法”第35条')).toEqual([cite('中华人民共和国食品安全法', { article: '第三十五条' })]);
    expect(splitCitations('“食品安全法”第35条；“食品生产许可管理办法”第十条')).toEqual([
      cite('食品安全法', { article: '第三十五条' }),
      cite('食品生产许可管理办法', { article: '第十条' }),
    ]);
  });

  it('a title in << >> is a title', () => {
    expect(splitCitations('<<中华人民共和国药品管理法>>第十条')).toEqual([cite('中华人民共和国药品管理法', { article: '第十条' })]);
  });

  it('a bare title without marks ending in 法 is found after 依据', () => {
    expect(splitCitations('依据中华人民共和国建筑法第八条')).toEqual([cite('中华人民共和国建筑法', { article: '第八条' })]);
  });

  it('bare titles ending in 条例 and 决定 are found, one per line', () => {
    expect(splitCitations('道路运输条例第二十四条\n国务院对确需保留的行政审批项目设定行政许可的决定（国务院令第412号）第98项')).toEqual([
      cite('道路运输条例', { article: '第二十四条' }),
      cite('国务院对确需保留的行政审批项目设定行政许可的决定', { article: '第九十八项', documentNumber: '国务院令第412号' }),
    ]);
  });

  it('a version suffix inside the marks stays in the title', () => {
    expect(splitCitations('《中华人民共和国行政许可法（2019年修正）》第十二条')).toEqual([
      cite('中华人民共和国行政许可法（2019年修正）', { article: '第十二条' }),
    ]);
  });

  it('a version in brackets right after the title joins the title', () => {
    expect(splitCitations('《中华人民共和国行政许可法》(2003年)第十二条')).toEqual([
      cite('中华人民共和国行政许可法（2003年）', { article: '第十二条' }),
    ]);
  });

  it('citations separated by 和, 及, 、 and ； are each kept', () => {
    expect(splitCitations('《中华人民共和国城乡规划法》和《中华人民共和国土地管理法》及《村庄和集镇规划建设管理条例》、《建设项目选址规划管理办法》；《中华人民共和国建筑法》')).toEqual([
      cite('中华人民共和国城乡规划法'),
      cite('中华人民共和国土地管理法'),
      cite('村庄和集镇规划建设管理条例'),
      cite('建设项目选址规划管理办法'),
      cite('中华人民共和国建筑法'),
    ]);
  });

  it('a wrong tag is kept as written, and each tag belongs to the title after it', () => {
    expect(splitCitations('【法规】《中华人民共和国行政许可法》第十二条\n【规章】《道路运输条例》第十条')).toEqual([
      cite('中华人民共和国行政许可法', { article: '第十二条', tag: '【法规】' }),
      cite('道路运输条例', { article: '第十条', tag: '【规章】' }),
    ]);
  });

  it('a tag in half-width [] is a tag, a year in [] is not', () => {
    expect(splitCitations('[法律]《中华人民共和国消防法》第十五条；[规范性文件]《国务院关于取消一批行政许可事项的决定》（国发[2017]46号）')).toEqual([
      cite('中华人民共和国消防法', { article: '第十五条', tag: '【法律】' }),
      cite('国务院关于取消一批行政许可事项的决定', { documentNumber: '国发〔2017〕46号', tag: '【规范性文件】' }),
    ]);
  });

  it('a rank written as 法律： before the title is a tag', () => {
    expect(splitCitations('法律：《中华人民共和国消防法》第十五条。')).toEqual([
      cite('中华人民共和国消防法', { article: '第十五条', tag: '【法律】' }),
    ]);
  });

  it('a tag before the list marker and a marker before the tag both work', () => {
    expect(splitCitations('【法律】1、《中华人民共和国药品管理法》第十条 2、【行政法规】《中华人民共和国药品管理法实施条例》第五条')).toEqual([
      cite('中华人民共和国药品管理法', { article: '第十条', tag: '【法律】' }),
      cite('中华人民共和国药品管理法实施条例', { article: '第五条', tag: '【行政法规】' }),
    ]);
  });

  it('line breaks and leading 1. 2. between citations with order numbers', () => {
    expect(splitCitations('1.《中华人民共和国道路交通安全法》第十九条；\r\n2.《机动车驾驶证申领和使用规定》（公安部令第139号）第三条')).toEqual([
      cite('中华人民共和国道路交通安全法', { article: '第十九条' }),
      cite('机动车驾驶证申领和使用规定', { article: '第三条', documentNumber: '公安部令第139号' }),
    ]);
  });

  it('a line break inside the quoted text is joined', () => {
    expect(splitCitations('《中华人民共和国建筑法》第八条\n申请领取施工许可证，\n应当具备下列条件')).toEqual([
      cite('中华人民共和国建筑法', { article: '第八条', quotedText: '申请领取施工许可证，应当具备下列条件' }),
    ]);
  });

  it('“规定：” before the quoted text is dropped, the quotes around it too', () => {
    expect(splitCitations('《中华人民共和国行政许可法》第二十九条规定：“公民、法人或者其他组织从事特定活动，依法需要取得行政许可的，应当向行政机关提出申请。”')).toEqual([
      cite('中华人民共和国行政许可法', {
        article: '第二十九条',
        quotedText: '公民、法人或者其他组织从事特定活动，依法需要取得行政许可的，应当向行政机关提出申请。',
      }),
    ]);
  });

  it('a title mentioned inside the quoted text is part of the quote, not a citation', () => {
    expect(splitCitations('《中华人民共和国城乡规划法》第四十条 在城市、镇规划区内进行建筑物建设的，依照《中华人民共和国土地管理法》的规定办理。')).toEqual([
      cite('中华人民共和国城乡规划法', {
        article: '第四十条',
        quotedText: '在城市、镇规划区内进行建筑物建设的，依照《中华人民共和国土地管理法》的规定办理。',
      }),
    ]);
  });

  it('a title after a full stop in the quoted text starts a citation', () => {
    expect(splitCitations('《中华人民共和国城乡规划法》第四十条 应当申请办理建设工程规划许可证。《城市规划编制办法》第五条')).toEqual([
      cite('中华人民共和国城乡规划法', { article: '第四十条', quotedText: '应当申请办理建设工程规划许可证' }),
      cite('城市规划编制办法', { article: '第五条' }),
    ]);
  });

  it('an item number in brackets and a paragraph number stay in the article', () => {
    expect(splitCitations('《中华人民共和国行政许可法》第十二条第一款第（三）项')).toEqual([
      cite('中华人民共和国行政许可法', { article: '第十二条第一款第三项' }),
    ]);
  });

  it('an annex item of a State Council decision with a [year] number', () => {
    expect(splitCitations('《国务院关于取消和下放一批行政审批项目的决定》(国发[2013]19号)附件1第5项')).toEqual([
      cite('国务院关于取消和下放一批行政审批项目的决定', { article: '附件一第五项', documentNumber: '国发〔2013〕19号' }),
    ]);
  });

  it('a provincial implementing measure written without outer marks keeps the whole title', () => {
    expect(splitCitations('河南省实施《城乡规划法》办法第五条')).toEqual([cite('河南省实施《城乡规划法》办法', { article: '第五条' })]);
    expect(splitCitations('《上海市实施〈中华人民共和国食品安全法〉办法》第十条')).toEqual([
      cite('上海市实施〈中华人民共和国食品安全法〉办法', { article: '第十条' }),
    ]);
  });

  it('a bare citation before a marked one is kept', () => {
    expect(splitCitations('道路运输条例第二十四条；《道路货物运输及站场管理规定》第六条')).toEqual([
      cite('道路运输条例', { article: '第二十四条' }),
      cite('道路货物运输及站场管理规定', { article: '第六条' }),
    ]);
  });

  it('a bare order number after a quote starts its own citation', () => {
    expect(splitCitations('《中华人民共和国道路运输条例》第八条规定：申请从事客运经营的，应当具备下列条件；国务院令第412号第98项')).toEqual([
      cite('中华人民共和国道路运输条例', { article: '第八条', quotedText: '申请从事客运经营的，应当具备下列条件' }),
      cite('国务院令第412号', { article: '第九十八项', documentNumber: '国务院令第412号' }),
    ]);
  });

  it('a document number alone is a citation titled by it', () => {
    expect(splitCitations('国务院令第412号')).toEqual([cite('国务院令第412号', { documentNumber: '国务院令第412号' })]);
    expect(splitCitations('国发〔2015〕11号')).toEqual([cite('国发〔2015〕11号', { documentNumber: '国发〔2015〕11号' })]);
  });

  it('a document number in round brackets inside round brackets is read', () => {
    expect(splitCitations('《广安市人民政府关于公布市级行政权力清单的通知》（广安府发（2015）8号）')).toEqual([
      cite('广安市人民政府关于公布市级行政权力清单的通知', { documentNumber: '广安府发〔2015〕8号' }),
    ]);
  });

  it('“无”, “暂无”, “—” and text naming no instrument give no citation', () => {
    for (const text of ['', '无', '暂无', '—', '/', '无。', '相关法律法规规定']) expect(splitCitations(text), text).toEqual([]);
  });

  it('an unclosed title is still kept', () => {
    expect(splitCitations('《中华人民共和国消防法第十五条')).toEqual([cite('中华人民共和国消防法', { article: '第十五条' })]);
  });

  it('a stray 《 before a well-formed title is dropped', () => {
    expect(splitCitations('《依据《中华人民共和国消防法》第十五条')).toEqual([cite('中华人民共和国消防法', { article: '第十五条' })]);
  });

  it('“等” and “的规定” after a title are not quoted text', () => {
    expect(splitCitations('《中华人民共和国消防法》第十五条的规定；《消防监督检查规定》等')).toEqual([
      cite('中华人民共和国消防法', { article: '第十五条' }),
      cite('消防监督检查规定'),
    ]);
  });

  it('several articles in Arabic numerals stay in one citation', () => {
    expect(splitCitations('《中华人民共和国食品安全法》第35条、第37条')).toEqual([
      cite('中华人民共和国食品安全法', { article: '第三十五条、第三十七条' }),
    ]);
  });

  it('spaces inside a title are removed', () => {
    expect(splitCitations('《中华人民共和国 食品安全法》')).toEqual([cite('中华人民共和国食品安全法')]);
  });
});

const REGISTRY = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'data', 'registry');
const registryRows: RegistryInstrument[] = readCsvObjects(join(REGISTRY, 'national-laws.csv')).map((r, i) => ({
  id: i + 1,
  title: r.title!,
  normalizedTitle: normalizeInstrumentTitle(r.title!),
  status: r.status!,
  publishedOn: r.published || null,
}));
const localOffset = registryRows.length;
for (const [i, r] of readCsvObjects(join(REGISTRY, 'local-regulations.csv')).entries()) {
  registryRows.push({
    id: localOffset + i + 1,
    title: r.title!,
    normalizedTitle: normalizeInstrumentTitle(r.title!),
    status: r.superseded === '1' ? 'amended' : 'in_force',
    publishedOn: r.published || null,
  });
}
const index = buildRegistryIndex(registryRows);
const row = (id: number | null): RegistryInstrument | undefined => registryRows.find((r) => r.id === id);
const idOf = (title: string, publishedOn: string): number => {
  const found = registryRows.find((r) => r.title === title && r.publishedOn === publishedOn);
  if (!found) throw new Error(`not in the registry: ${title} ${publishedOn}`);
  return found.id;
};

describe('matchCitation', () => {
  it('a title without 中华人民共和国 matches the registered law, in its version in force', () => {
    const m = matchCitation(index, { title: '行政许可法' });
    expect(m).toEqual({ instrumentId: idOf('中华人民共和国行政许可法', '2019-04-23'), matchedOn: 'title' });
    expect(row(m.instrumentId)?.status).toBe('in_force');
  });

  it('a cited version year picks that version: 行政许可法 as of 2003 is the amended row', () => {
    expect(matchCitation(index, { title: '中华人民共和国行政许可法（2003年）' }).instrumentId).toBe(
      idOf('中华人民共和国行政许可法', '2003-08-27'),
    );
    expect(matchCitation(index, { title: '中华人民共和国行政许可法（2019年修正）' }).instrumentId).toBe(
      idOf('中华人民共和国行政许可法', '2019-04-23'),
    );
  });

  it('a version given in brackets after the title picks that version too', () => {
    const [citation] = splitCitations('《行政许可法》（2003年）第十二条');
    expect(matchCitation(index, citation!).instrumentId).toBe(idOf('中华人民共和国行政许可法', '2003-08-27'));
  });

  it('a regulation cited without 中华人民共和国 matches the registered 中华人民共和国道路运输条例', () => {
    expect(matchCitation(index, { title: '道路运输条例' }).instrumentId).toBe(idOf('中华人民共和国道路运输条例', '2023-07-20'));
  });

  it('titles in 〈〉, with spaces or in quotes instead of 《》 match the same instrument', () => {
    const expected = idOf('中华人民共和国食品安全法', '2025-09-12');
    for (const text of ['〈中华人民共和国食品安全法〉第三十五条', '《食品 安全法》', '“中华人民共和国食品安全法”第35条']) {
      const [citation] = splitCitations(text);
      expect(matchCitation(index, citation!).instrumentId, text).toBe(expected);
    }
  });

  it('the State Council decision 412 matches by its title', () => {
    const [citation] = splitCitations('《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）第98项');
    expect(matchCitation(index, citation!).instrumentId).toBe(
      idOf('国务院对确需保留的行政审批项目设定行政许可的决定', '2016-08-25'),
    );
  });

  it('a provincial measure implementing a national law matches with or without 中华人民共和国 inside', () => {
    const expected = idOf('河南省实施《城乡规划法》办法', '2010-07-30');
    expect(matchCitation(index, { title: '河南省实施《中华人民共和国城乡规划法》办法' }).instrumentId).toBe(expected);
    const [citation] = splitCitations('河南省实施〈城乡规划法〉办法第五条');
    expect(matchCitation(index, citation!).instrumentId).toBe(expected);
  });

  it('an implementing regulation is a different instrument from its law', () => {
    const m = matchCitation(index, { title: '药品管理法实施条例' });
    expect(row(m.instrumentId)?.title).toBe('中华人民共和国药品管理法实施条例');
    expect(matchCitation(index, { title: '药品管理法实施细则' })).toEqual({ instrumentId: null, matchedOn: null });
  });

  it('an unknown title matches nothing and is not guessed', () => {
    expect(matchCitation(index, { title: '四川省道路运输管理办法' })).toEqual({ instrumentId: null, matchedOn: null });
  });

  it('a registered (试行) text matches a citation that leaves (试行) out, as a looser match', () => {
    const trial = buildRegistryIndex([
      { id: 7, title: '建设项目选址规划管理办法（试行）', normalizedTitle: normalizeInstrumentTitle('建设项目选址规划管理办法（试行）'), status: 'in_force', publishedOn: '1991-08-23' },
    ]);
    expect(matchCitation(trial, { title: '建设项目选址规划管理办法' })).toEqual({ instrumentId: 7, matchedOn: 'loose_title' });
  });

  it('a citation that is only a document number matches a registry row carrying that number', () => {
    const withNumbers = buildRegistryIndex([
      { id: 9, title: '国务院关于第六批取消和调整行政审批项目的决定', normalizedTitle: normalizeInstrumentTitle('国务院关于第六批取消和调整行政审批项目的决定'), status: 'in_force', publishedOn: '2012-09-23', documentNumber: '国发[2012]52号' },
    ]);
    const [citation] = splitCitations('国发（2012）52号');
    expect(matchCitation(withNumbers, citation!)).toEqual({ instrumentId: 9, matchedOn: 'document_number' });
  });

  it('an order number with a later amendment in the same bracket cites the amended text, not the one the order made', () => {
    const title = '辽宁省建设工程造价管理办法';
    const versions = buildRegistryIndex([
      { id: 11, title, normalizedTitle: normalizeInstrumentTitle(title), status: 'amended', publishedOn: '2011-09-22', documentNumber: '辽宁省人民政府令第260号' },
      { id: 12, title, normalizedTitle: normalizeInstrumentTitle(title), status: 'in_force', publishedOn: '2018-11-26' },
    ]);
    const [amended] = splitCitations('《辽宁省建设工程造价管理办法》（2011年9月22日辽宁省人民政府令第260号，2018年11月26日予以修正）第十八条');
    expect(matchCitation(versions, amended!).instrumentId).toBe(12);
    const [made] = splitCitations('《辽宁省建设工程造价管理办法》（辽宁省人民政府令第260号）第十八条');
    expect(matchCitation(versions, made!).instrumentId).toBe(11);
  });

  it('the same citation asked twice gives the same answer from the cache', () => {
    const first = matchCitation(index, { title: '《中华人民共和国建筑法》' });
    expect(first.instrumentId).toBe(idOf('中华人民共和国建筑法', '2019-04-23'));
    expect(matchCitation(index, { title: '《中华人民共和国建筑法》' })).toBe(first);
  });
});

describe('splitCitations on text assembled from real fragments', () => {
  const TITLES = ['中华人民共和国行政许可法', '道路运输条例', '食品生产许可管理办法', '国务院对确需保留的行政审批项目设定行政许可的决定'];
  const FRAGMENTS = [
    '【法律】', '[法规]', '1、', '2.', '（3）', '①', '；', ';', '\n', '、', '和', '及', '依据', '第十二条', '第35条第1款',
    '（国务院令第412号）', '(国发[2015]11号)', '下列事项可以设定行政许可：', '“', '"', '》', '《', '〈', '）', '（', '　', '\u00a0',
  ];
  // A small deterministic generator: the same cases on every run.
  let seed = 20130530;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };

  it('never throws and never loses a title written in 《》', () => {
    for (let round = 0; round < 500; round++) {
      let text = '';
      const written: string[] = [];
      for (let k = 0; k < 6; k++) {
        if (next(3) === 0) {
          const title = TITLES[next(TITLES.length)]!;
          written.push(title);
          text += `《${title}》`;
        } else {
          text += FRAGMENTS[next(FRAGMENTS.length)]!;
        }
      }
      const citations = splitCitations(text);
      const kept = citations.map((c) => `${c.title} ${c.quotedText ?? ''}`).join(' ');
      for (const title of written) expect(kept, text).toContain(title);
    }
  });
});
