import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  inferRank,
  normalizeInstrumentTitle,
  pickInstrumentVersion,
  versionYearOf,
} from '../../../server/domain/instrument-title.js';
import { readCsvObjects } from '../../../db/seed/csv.js';

const REGISTRY = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'data', 'registry');

interface Version {
  title: string;
  rank: string;
  status: string;
  publishedOn: string | null;
}
const national: Version[] = readCsvObjects(join(REGISTRY, 'national-laws.csv')).map((r) => ({
  title: r.title!,
  rank: r.rank!,
  status: r.status!,
  publishedOn: r.published || null,
}));
const local = readCsvObjects(join(REGISTRY, 'local-regulations.csv'));
const versionsOf = (title: string): Version[] =>
  national.filter((v) => normalizeInstrumentTitle(v.title) === normalizeInstrumentTitle(title));

describe('normalizeInstrumentTitle', () => {
  it('a title with and without 中华人民共和国 normalises the same', () => {
    expect(normalizeInstrumentTitle('中华人民共和国行政许可法')).toBe('行政许可法');
    expect(normalizeInstrumentTitle('行政许可法')).toBe('行政许可法');
    expect(normalizeInstrumentTitle('《中华人民共和国道路运输条例》')).toBe(normalizeInstrumentTitle('道路运输条例'));
  });

  it('only a leading 中华人民共和国 is a prefix; the words alone are not removed', () => {
    expect(normalizeInstrumentTitle('中华人民共和国')).toBe('中华人民共和国');
    expect(normalizeInstrumentTitle('全国人民代表大会常务委员会关于修改《中华人民共和国行政许可法》的决定')).toContain(
      '中华人民共和国行政许可法',
    );
  });

  it('book-title marks, angle brackets and quotes are not part of the title', () => {
    expect(normalizeInstrumentTitle('《中华人民共和国社会保险法》')).toBe('社会保险法');
    expect(normalizeInstrumentTitle('〈社会保险法〉')).toBe('社会保险法');
    expect(normalizeInstrumentTitle('"社会保险法"')).toBe('社会保险法');
    expect(normalizeInstrumentTitle('“社会保险法”')).toBe('社会保险法');
    expect(normalizeInstrumentTitle('上海市浦东新区深化“一业一证”改革规定')).toBe('上海市浦东新区深化一业一证改革规定');
  });

  it('whitespace of every width (incl. NBSP and the full-width space) is ignored', () => {
    expect(normalizeInstrumentTitle(' 中华人民共和国\u00a0食品安全法\u3000')).toBe('食品安全法');
    expect(normalizeInstrumentTitle('食品 安全\t法\n')).toBe('食品安全法');
  });

  it('full-width letters, digits and brackets compare equal to half-width ones', () => {
    expect(normalizeInstrumentTitle('潍坊市１２３４５政务服务便民热线条例')).toBe('潍坊市12345政务服务便民热线条例');
    expect(normalizeInstrumentTitle('中国（上海）自由贸易试验区条例')).toBe(normalizeInstrumentTitle('中国(上海)自由贸易试验区条例'));
  });

  it('a version suffix such as （2019年修正） is not part of the title', () => {
    for (const written of [
      '中华人民共和国行政许可法（2019年修正）',
      '中华人民共和国行政许可法(2019年修正)',
      '中华人民共和国行政许可法（2019年修订）',
      '行政许可法（2015年修正本）',
      '行政许可法（2004年）',
      '行政许可法（２００３年）',
      '行政许可法（2019年4月23日修正）',
      '行政许可法（2009年第二次修正）',
      '《行政许可法（2019修正）》',
    ]) {
      expect(normalizeInstrumentTitle(written), written).toBe('行政许可法');
    }
  });

  it("a constitutional text's version marker is stripped like any other version", () => {
    expect(normalizeInstrumentTitle('中华人民共和国宪法（2018年修正文本）')).toBe('宪法');
    expect(normalizeInstrumentTitle('中华人民共和国宪法（1982年）')).toBe('宪法');
    expect(normalizeInstrumentTitle('中华人民共和国宪法修正案（2018年）')).toBe('宪法修正案');
  });

  it('（试行） and （暂行） stay in the title, written in one bracket form', () => {
    expect(normalizeInstrumentTitle('社会救助暂行办法')).toBe('社会救助暂行办法');
    expect(normalizeInstrumentTitle('某某管理办法（试行）')).toBe('某某管理办法(试行)');
    expect(normalizeInstrumentTitle('某某管理办法(试行)')).toBe('某某管理办法(试行)');
    expect(normalizeInstrumentTitle('某某规定（暂行）（2016年修订）')).toBe('某某规定(暂行)');
  });

  it('document-number brackets 〔〕［］【】 normalise to one form', () => {
    expect(normalizeInstrumentTitle('国发〔2015〕11号')).toBe('国发[2015]11号');
    expect(normalizeInstrumentTitle('国发［2015］11号')).toBe('国发[2015]11号');
  });

  it('a local title keeps its region, also when it implements a national law', () => {
    expect(normalizeInstrumentTitle('上海市宗教事务条例')).toBe('上海市宗教事务条例');
    expect(normalizeInstrumentTitle('上海市实施《中华人民共和国食品安全法》办法')).toBe(
      normalizeInstrumentTitle('上海市实施《食品安全法》办法'),
    );
    const titles = new Set(local.map((r) => normalizeInstrumentTitle(r.title!)));
    expect(titles.has(normalizeInstrumentTitle('《上海市实施〈中华人民共和国食品安全法〉办法》'))).toBe(true);
  });

  it('every registry title normalises to a non-empty title without marks, spaces or the national prefix', () => {
    for (const row of [...national.map((v) => v.title), ...local.map((r) => r.title!)]) {
      const n = normalizeInstrumentTitle(row);
      expect(n.length, row).toBeGreaterThan(1);
      expect(n, row).not.toMatch(/[《》\s（）]|^中华人民共和国/);
    }
  });
});

describe('versionYearOf', () => {
  it('the year of a version suffix is read in either bracket width', () => {
    expect(versionYearOf('《中华人民共和国行政许可法（2019年修正）》')).toBe(2019);
    expect(versionYearOf('行政许可法(2003年)')).toBe(2003);
    expect(versionYearOf('道路运输条例（２０２２年修订）')).toBe(2022);
    expect(versionYearOf('中华人民共和国宪法（2018年修正文本）')).toBe(2018);
  });

  it('a title without a version suffix names no year', () => {
    expect(versionYearOf('中华人民共和国行政许可法')).toBeNull();
    expect(versionYearOf('某某管理办法（试行）')).toBeNull();
    expect(versionYearOf('潍坊市12345政务服务便民热线条例')).toBeNull();
  });
});

describe('pickInstrumentVersion', () => {
  const licensing = versionsOf('中华人民共和国行政许可法');
  const roadTransport = versionsOf('中华人民共和国道路运输条例');

  it('the registry holds an amended 2003 and an in-force 2019 行政许可法', () => {
    expect(licensing.map((v) => [v.publishedOn, v.status]).sort()).toEqual([
      ['2003-08-27', 'amended'],
      ['2019-04-23', 'in_force'],
    ]);
  });

  it('without a version year the version in force is picked', () => {
    expect(pickInstrumentVersion(licensing, '《中华人民共和国行政许可法》')?.publishedOn).toBe('2019-04-23');
    expect(pickInstrumentVersion(roadTransport, '道路运输条例')?.publishedOn).toBe('2023-07-20');
  });

  it('a cited version year picks that version, not the one in force', () => {
    const picked = pickInstrumentVersion(licensing, '《中华人民共和国行政许可法（2003年）》');
    expect(picked?.publishedOn).toBe('2003-08-27');
    expect(picked?.status).toBe('amended');
    expect(pickInstrumentVersion(roadTransport, '《道路运输条例（2022年修订）》')?.publishedOn).toBe('2022-03-29');
  });

  it('a cited year between two versions picks the latest one published in or before it', () => {
    expect(pickInstrumentVersion(roadTransport, '道路运输条例（2020年修订）')?.publishedOn).toBe('2019-03-02');
    expect(pickInstrumentVersion(licensing, '行政许可法（2004年）')?.publishedOn).toBe('2003-08-27');
  });

  it('a cited year older than every known version picks the oldest known version', () => {
    expect(pickInstrumentVersion(licensing, '行政许可法（1999年）')?.publishedOn).toBe('2003-08-27');
  });

  it('a version not yet in force is picked only when none is in force', () => {
    const fisheries = versionsOf('中华人民共和国渔业法');
    expect(fisheries.map((v) => v.status).sort()).toEqual(['in_force', 'not_yet_in_force']);
    expect(pickInstrumentVersion(fisheries, '渔业法')?.status).toBe('in_force');
    const pending = fisheries.map((v) => (v.status === 'in_force' ? { ...v, status: 'amended' } : v));
    expect(pickInstrumentVersion(pending, '渔业法')?.status).toBe('not_yet_in_force');
  });

  it('with nothing in force or pending the latest published version is picked', () => {
    const repealed = versionsOf('中华人民共和国外资企业法');
    expect(pickInstrumentVersion(repealed, '外资企业法')?.status).toBe('repealed');
    const old = licensing.map((v) => ({ ...v, status: 'repealed' }));
    expect(pickInstrumentVersion(old, '行政许可法')?.publishedOn).toBe('2019-04-23');
  });

  it('among several versions in force (constitutional texts) the latest is picked', () => {
    const amendments = versionsOf('中华人民共和国宪法修正案（2018年）');
    expect(amendments.length).toBeGreaterThan(3);
    expect(pickInstrumentVersion(amendments, '宪法修正案')?.publishedOn).toBe('2018-03-11');
  });

  it('no candidates, no version', () => {
    expect(pickInstrumentVersion([], '行政许可法')).toBeNull();
  });
});

describe('inferRank', () => {
  it('a title ending in 法 (but not 办法) is a law', () => {
    expect(inferRank('《中华人民共和国行政许可法》')).toBe('law');
    expect(inferRank('退役军人保障法')).toBe('law');
    expect(inferRank('行政许可法（2019年修正）')).toBe('law');
    expect(inferRank('四川省某某管理办法')).not.toBe('law');
  });

  it('a 条例 issued by 国务院令 is an administrative regulation', () => {
    expect(inferRank('户口登记条例', '国务院令第1号')).toBe('administrative_regulation');
    expect(inferRank('《医疗机构管理条例》', '中华人民共和国国务院令第149号')).toBe('administrative_regulation');
    expect(inferRank('中华人民共和国道路运输条例')).toBe('administrative_regulation');
    expect(inferRank('土地管理法实施条例')).toBe('administrative_regulation');
    expect(inferRank('《中华人民共和国发票管理办法》')).toBe('administrative_regulation');
  });

  it('a decision of the NPC Standing Committee has the rank of law', () => {
    expect(inferRank('全国人民代表大会常务委员会关于司法鉴定管理问题的决定')).toBe('law');
  });

  it('a State Council decision is ranked as a State Council decision', () => {
    expect(inferRank('国务院对确需保留的行政审批项目设定行政许可的决定', '国务院令第412号')).toBe('state_council_decision');
    expect(inferRank('国务院关于取消和下放一批行政审批项目的决定', '国发〔2013〕19号')).toBe('state_council_decision');
  });

  it('a 条例 of a province, municipality, city or autonomous county is a local regulation', () => {
    expect(inferRank('四川省道路运输条例')).toBe('local_regulation');
    expect(inferRank('上海市宗教事务条例')).toBe('local_regulation');
    expect(inferRank('广安市城市管理条例')).toBe('local_regulation');
    expect(inferRank('景宁畲族自治县森林资源保护条例')).toBe('local_regulation');
    expect(inferRank('上海市实施《中华人民共和国食品安全法》办法')).toBe('local_regulation');
    expect(inferRank('上海市人民代表大会常务委员会关于进一步促进和保障“一网通办”改革的决定')).toBe('local_regulation');
  });

  it('a ministry order (部令, 总局令, 第N号令) is a department rule', () => {
    expect(inferRank('道路旅客运输及客运站管理规定', '交通运输部令2020年第17号')).toBe('department_rule');
    expect(inferRank('食品经营许可管理办法', '国家市场监督管理总局令第24号')).toBe('department_rule');
    expect(inferRank('某某管理办法', '中华人民共和国公安部第120号令')).toBe('department_rule');
  });

  it("a provincial or city government's order (人民政府令) is a local government rule", () => {
    expect(inferRank('四川省某某管理规定', '四川省人民政府令第349号')).toBe('local_government_rule');
    expect(inferRank('某某管理办法', '省政府令第349号')).toBe('local_government_rule');
    expect(inferRank('广安市某某管理办法', '广安市人民政府令第3号')).toBe('local_government_rule');
  });

  it('国发 / 国办发 / X政发 / X政办发 / 〔year〕 numbers and 通知, 意见, 办法 without 令 are normative documents', () => {
    expect(inferRank('国务院关于第六批取消和调整行政审批项目的通知', '国发〔2012〕52号')).toBe('normative_document');
    expect(inferRank('某某实施方案', '国办发〔2016〕108号')).toBe('normative_document');
    expect(inferRank('四川省某某管理办法', '川府发〔2016〕12号')).toBe('normative_document');
    expect(inferRank('某某规定', '广政办发〔2018〕5号')).toBe('normative_document');
    expect(inferRank('某某规定', '〔2019〕3号')).toBe('normative_document');
    expect(inferRank('广安市人民政府关于进一步加强某某工作的意见')).toBe('normative_document');
    expect(inferRank('四川省某某管理办法')).toBe('normative_document');
  });

  it('a prefecture or county named without 市 or in full, followed by 条例, is a local regulation', () => {
    expect(inferRank('《西安建筑垃圾管理条例》')).toBe('local_regulation');
    expect(inferRank('广州城市绿化条例')).toBe('local_regulation');
    expect(inferRank('延边朝鲜族自治州城市管理条例')).toBe('local_regulation');
    expect(inferRank('延边城市管理条例')).toBe('local_regulation');
    expect(inferRank('大兴安岭森林防火条例')).toBe('local_regulation');
    expect(inferRank('沛县城乡环境卫生管理条例')).toBe('local_regulation');
    // A county's short name is not a place (公安县 would make 公安机关… local); national titles stay national.
    expect(inferRank('公安机关督察条例')).toBe('unknown');
    expect(inferRank('中华人民共和国海南自由贸易港法')).toBe('law');
  });

  it('部令, 总局令 and 委令 numbers are department rules', () => {
    expect(inferRank('城市绿线管理办法', '建设部令第112号')).toBe('department_rule');
    expect(inferRank('建筑工程施工许可管理办法', '住房和城乡建设部令第18号')).toBe('department_rule');
    expect(inferRank('食品经营许可和备案管理办法', '国家市场监督管理总局令第78号')).toBe('department_rule');
    expect(inferRank('某某管理办法', '国家发展改革委令第9号')).toBe('department_rule');
    expect(inferRank('医师执业注册管理办法', '国家卫生和计划生育委员会令第13号')).toBe('department_rule');
  });

  it('省政府令 is a local government rule and 〔year〕 numbers of offices are normative documents', () => {
    expect(inferRank('某某管理办法', '省政府令第210号')).toBe('local_government_rule');
    expect(inferRank('西安市某某管理办法', '西安市人民政府令第150号')).toBe('local_government_rule');
    expect(inferRank('关于进一步做好某某工作的通知', '建办城〔2019〕12号')).toBe('normative_document');
    expect(inferRank('某某管理办法', '川办发〔2016〕3号')).toBe('normative_document');
  });

  it('a title and number that say nothing are unknown', () => {
    expect(inferRank('某某规定')).toBe('unknown');
    expect(inferRank('户口登记条例')).toBe('unknown');
    expect(inferRank('')).toBe('unknown');
  });

  it('the guess agrees with the registry for its national laws ending in 法 and its local regulations ending in 条例', () => {
    const laws = national.filter((v) => v.rank === '法律' && /(?<!办)法$/.test(normalizeInstrumentTitle(v.title)));
    expect(laws.length).toBeGreaterThan(300);
    expect(laws.filter((v) => inferRank(v.title) !== 'law')).toEqual([]);
    const regs = local.filter((r) => /条例$/.test(r.title!));
    const wrong = regs.filter((r) => inferRank(r.title!) !== 'local_regulation');
    expect(wrong.length / regs.length).toBeLessThan(0.03);
  });
});
