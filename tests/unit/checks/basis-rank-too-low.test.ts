import { describe, it, expect } from 'vitest';
import { basisRankTooLow } from '../../../server/checks/rules/basis-rank-too-low.js';
import { unknownInstrument } from '../../../server/checks/rules/unknown-instrument.js';
import { GROUND } from '../../../server/checks/grounds.js';
import { cite, citeUnregistered, context, item, law, registered, regulation } from './builders.js';

const ctx = context('2024-06-30');
const check = (fields: Parameters<typeof item>[0], c = ctx) => basisRankTooLow.check(item(fields), c);

const buildingLaw = law('中华人民共和国建筑法');
const decision412 = registered('国务院对确需保留的行政审批项目设定行政许可的决定', 'administrative_regulation');
const shanghaiPlanning = registered('上海市城乡规划条例', 'local_regulation', { region: '上海' });
const cityNotice = () => citeUnregistered('广安市人民政府关于加强城市规划区内建设管理的通知', '广安府发〔2012〕15号');
const countyNotice = () => citeUnregistered('双桥区人民政府关于进一步规范建设项目审批的通知', '双桥政发〔2012〕8号');
const ministryRule = () => citeUnregistered('房地产估价机构管理办法', '建设部令第142号');
const provincialRule = () => citeUnregistered('浙江省建设工程造价管理办法', '浙江省人民政府令第296号');
const cityRule = () => citeUnregistered('南京市户外广告设施设置管理办法', '南京市人民政府令第300号');

describe('BASIS_RANK_TOO_LOW — permits (行政许可法 arts. 14–17)', () => {
  it('a permit set only by a normative document is flagged (行政许可法 art. 17)', () => {
    const [f] = check({ name: '城市规划区内小型建设工程审批', citations: [cityNotice()] });
    expect(f).toMatchObject({ rule: 'BASIS_RANK_TOO_LOW', severity: 'error', suggestion: 'cancel', ground: GROUND.permitArt17 });
    expect(f!.message).toContain('《广安市人民政府关于加强城市规划区内建设管理的通知》为设区的市级规范性文件（位阶依标题和文号推断，待确认）');
  });

  it('a permit set by a department rule is flagged (art. 17)', () => {
    const [f] = check({ citations: [ministryRule()] });
    expect(f).toMatchObject({ severity: 'error', suggestion: 'cancel' });
    expect(f!.message).toContain('部门规章不得设定行政许可');
  });

  it('a permit set by a provincial government rule is a temporary permit warning, not an error (art. 15)', () => {
    const [f] = check({ citations: [provincialRule()] });
    expect(f).toMatchObject({ severity: 'warning', suggestion: 'review', ground: GROUND.permitArt15 });
    expect(f!.message).toContain('省级地方政府规章');
    expect(f!.suggestionText).toContain('临时性行政许可，实施满一年需提请制定地方性法规');
  });

  it('a provincial rule in force for over a year says so (art. 15)', () => {
    const rule = registered('四川省建设工程造价管理办法', 'local_government_rule', {
      issuingBody: '四川省人民政府',
      effectiveOn: '2021-03-01',
    });
    const [f] = check({ citations: [cite(rule)] });
    expect(f!.message).toContain('自2021-03-01施行，已满一年');
    expect(f!.message).not.toContain('推断');
  });

  it('a Shanghai government rule is provincial (a municipality directly under the State Council)', () => {
    const [f] = check({ citations: [citeUnregistered('上海市户外广告设施管理办法', '上海市人民政府令第18号')] });
    expect(f!.severity).toBe('warning');
  });

  it('a permit set by a city government rule is an error (art. 17)', () => {
    const [f] = check({ citations: [cityRule()] });
    expect(f).toMatchObject({ severity: 'error', suggestion: 'cancel' });
    expect(f!.message).toContain('设区的市级地方政府规章');
  });

  it('a permit set by a law, a regulation, a State Council decision or a local regulation passes (art. 14–15)', () => {
    for (const basis of [buildingLaw, regulation('城市道路管理条例'), decision412, shanghaiPlanning]) {
      expect(check({ citations: [cite(basis)] })).toEqual([]);
    }
  });

  it('a law cited with a wrong 【规章】 tag still counts as a law', () => {
    expect(check({ citations: [cite(buildingLaw, { tag: '【规章】', article: '第七条' })] })).toEqual([]);
  });

  it('the highest basis counts: a department rule beside a law is fine', () => {
    expect(check({ citations: [ministryRule(), cite(buildingLaw)] })).toEqual([]);
  });

  it('a repealed law does not lift a normative document', () => {
    const repealed = law('中华人民共和国外资企业法', { status: 'repealed' });
    const [f] = check({ citations: [cite(repealed), cityNotice()] });
    expect(f!.severity).toBe('error');
  });

  it('《行政许可法》第十二条 beside a city rule does not lift it', () => {
    const [f] = check({ citations: [cite(law('中华人民共和国行政许可法'), { article: '第十二条' }), cityRule()] });
    expect(f!.severity).toBe('error');
  });

  it('an unregistered basis whose rank cannot be inferred gives no rank flag: its one task is to register it (UNKNOWN_INSTRUMENT)', () => {
    expect(check({ citations: [citeUnregistered('关于规范户外广告设置的规定', null)] })).toEqual([]);
    const both = [...check({ citations: [citeUnregistered('关于规范户外广告设置的规定', null)] }), ...unknownInstrument.check(item({ citations: [citeUnregistered('关于规范户外广告设置的规定', null)] }), ctx)];
    expect(both.map((f) => f.rule)).toEqual(['UNKNOWN_INSTRUMENT']);
    expect(both[0]!.suggestionText).toContain('在法规库登记《关于规范户外广告设置的规定》');
  });

  it('a known basis that cannot set the item, beside an unregistered one of unknown rank, asks for a review naming both', () => {
    const [f] = check({ citations: [cityNotice(), citeUnregistered('关于规范户外广告设置的规定', null)] });
    expect(f).toMatchObject({ severity: 'info', suggestion: 'review' });
    expect(f!.message).toContain('无法判断');
  });

  it('does not judge a permit before the permit law took effect (2004-07-01)', () => {
    expect(check({ citations: [cityNotice()] }, context('2003-12-31'))).toEqual([]);
  });

  it('does not fire when every setting basis is repealed or there is none (other rules speak)', () => {
    expect(check({ citations: [] })).toEqual([]);
    expect(check({ citations: [cite(law('中华人民共和国外资企业法', { status: 'repealed' }))] })).toEqual([]);
  });
});

describe('BASIS_RANK_TOO_LOW — penalties (行政处罚法 arts. 10–14, 16)', () => {
  it('a penalty set by a department rule that quotes no article text asks for a review once, at info severity; by a normative document it is an error', () => {
    const found = check({ category: 'penalty', name: '对房地产经纪机构擅自对外发布房源信息的处罚', citations: [ministryRule()] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'info', suggestion: 'review', ground: GROUND.penaltyDepartmentRule2021 });
    expect(found[0]!.message).toContain('警告、通报批评或者一定数额罚款');
    expect(found[0]!.message).toContain('未引用条文内容');
    const [doc] = check({ category: 'penalty', name: '对未按规定办理登记的处罚', citations: [countyNotice()] });
    expect(doc).toMatchObject({ severity: 'error', suggestion: 'cancel' });
    expect(doc!.message).toContain('规范性文件不得设定行政处罚');
  });

  it('a department rule whose quoted article provides a fine within the limit (处一万元以上三万元以下罚款) raises no rank flag (art. 13)', () => {
    const quotedText = '违反本办法第十五条规定的，由县级以上人民政府房地产主管部门责令限期改正，给予警告，并处一万元以上三万元以下罚款。';
    expect(check({ category: 'penalty', name: '对房地产估价机构违规的处罚', citations: [citeUnregistered('房地产估价机构管理办法', '建设部令第142号', { quotedText })] })).toEqual([]);
  });

  it('a department rule whose quoted article provides 吊销许可证 is an error on the ground of art. 13, whatever the name says', () => {
    const quotedText = '情节严重的，由原发证机关吊销许可证，并处五千元以上一万元以下罚款。';
    const [f] = check({ category: 'penalty', name: '对旅行社违规经营的处罚', citations: [citeUnregistered('旅行社条例实施细则', '国家旅游局令第30号', { quotedText })] });
    expect(f).toMatchObject({ severity: 'error', suggestion: 'cancel', ground: GROUND.penaltyDepartmentRule2021 });
    expect(f!.message).toContain('吊销许可证');
  });

  it('a department rule fine above the State Council limit is flagged with the figure, the limit and its source', () => {
    const quotedText = '逾期不改正的，处十万元以上五十万元以下罚款。';
    const [f] = check({ category: 'penalty', name: '对违规的处罚', citations: [citeUnregistered('某某管理办法', '某某部令第1号', { quotedText })] });
    expect(f).toMatchObject({ severity: 'warning', suggestion: 'review' });
    expect(f!.message).toContain('最高50万元');
    expect(f!.message).toContain('限额10万元');
    expect(f!.message).toContain('国发〔2021〕26号');
    // Judged at the campaign's date: in 2015 the 1996 limit of 3万元 applied.
    const [old] = basisRankTooLow.check(
      item({ category: 'penalty', name: '对违规的处罚', citations: [citeUnregistered('某某管理办法', '某某部令第1号', { quotedText: '处二万元以上五万元以下罚款。' })] }),
      context('2015-06-30'),
    );
    expect(old!.message).toContain('限额3万元');
    expect(old!.message).toContain('国发〔1996〕13号');
  });

  it('a rule may not set the revocation of a licence: an error (arts. 13–14)', () => {
    const [f] = check({ category: 'penalty', name: '对违规经营的吊销许可证处罚', citations: [cityRule()] });
    expect(f).toMatchObject({ severity: 'error', suggestion: 'cancel' });
  });

  it('detention may be set only by a law (art. 10)', () => {
    const [f] = check({ category: 'penalty', name: '对非法运输的行政拘留', citations: [cite(regulation('娱乐场所管理条例'))] });
    expect(f!.message).toContain('只能由法律设定');
  });

  it('a local regulation may not revoke a business licence (art. 12)', () => {
    const [f] = check({ category: 'penalty', name: '对无证经营的吊销营业执照处罚', citations: [cite(shanghaiPlanning)] });
    expect(f).toMatchObject({ severity: 'error' });
  });

  it('a penalty set by a law or local regulation passes', () => {
    expect(check({ category: 'penalty', name: '对违法建设的罚款', citations: [cite(shanghaiPlanning)] })).toEqual([]);
    expect(check({ category: 'penalty', name: '对未取得施工许可擅自施工的处罚', citations: [cite(buildingLaw)] })).toEqual([]);
  });

  it('cites the 1996 articles for a catalogue before the 2021 revision', () => {
    const [f] = check({ category: 'penalty', citations: [countyNotice()] }, context('2016-01-01'));
    expect(f!.ground).toBe(GROUND.penaltyRanks1996);
  });
});

describe('BASIS_RANK_TOO_LOW — enforcement (行政强制法 arts. 10, 13)', () => {
  it('an enforcement measure set by a government rule is an error (art. 10)', () => {
    const [f] = check({ category: 'enforcement', name: '暂扣占道经营物品', citations: [cityRule()] });
    expect(f).toMatchObject({ severity: 'error', suggestion: 'cancel', ground: GROUND.enforcementRanks });
  });

  it('a local regulation may set sealing and seizure, nothing else (art. 10(3))', () => {
    expect(check({ category: 'enforcement', name: '扣押违法运输车辆', citations: [cite(shanghaiPlanning)] })).toEqual([]);
    const [f] = check({ category: 'enforcement', name: '强制隔离', citations: [cite(shanghaiPlanning)] });
    expect(f!.severity).toBe('warning');
  });

  it('enforcement of a decision needs a law (art. 13)', () => {
    const [f] = check({ category: 'enforcement', name: '代履行', citations: [cite(regulation('城市道路管理条例'))] });
    expect(f!.message).toContain('行政强制执行只能由法律设定');
    expect(check({ category: 'enforcement', name: '强制拆除违法建筑', citations: [cite(buildingLaw)] })).toEqual([]);
  });
});

describe('BASIS_RANK_TOO_LOW — non-permit approvals (seed 000 二(一)2)', () => {
  it('a county-level normative document is not enough', () => {
    const [f] = check({ category: 'non_permit_approval', citations: [countyNotice()] });
    expect(f).toMatchObject({ severity: 'error', suggestion: 'cancel', ground: GROUND.nonPermitRanks });
    expect(f!.message).toContain('县级规范性文件');
  });

  it('a provincial or municipal normative document, or a rule, is enough', () => {
    for (const c of [cityNotice(), citeUnregistered('四川省财政厅关于加强专项资金管理的通知', '川财预〔2013〕12号'), ministryRule()]) {
      expect(check({ category: 'non_permit_approval', citations: [c] })).toEqual([]);
    }
  });

  it('a normative document of unknown level cannot be judged: info', () => {
    const [f] = check({ category: 'non_permit_approval', citations: [citeUnregistered('关于加强建设项目管理的通知', null)] });
    expect(f).toMatchObject({ severity: 'info', suggestion: 'review' });
  });
});

describe('BASIS_RANK_TOO_LOW — categories without a rank rule', () => {
  it('a levy or a confirmation set by a normative document is not judged', () => {
    expect(check({ category: 'levy', citations: [countyNotice()] })).toEqual([]);
    expect(check({ category: 'confirmation', citations: [countyNotice()] })).toEqual([]);
  });
});
