// The government level an instrument comes from (State Council, province, city, county), read from
// its issuing body, region, document number and title. Permits (行政许可法 art. 15) and non-permit
// approvals (seed 000 二(一)2) depend on it: a provincial rule or document counts, a county one not.
import type { CheckedCitation } from './types.js';

export type GovernmentLevel = 'national' | 'provincial' | 'municipal' | 'county';

export const GOVERNMENT_LEVELS: Record<GovernmentLevel, string> = {
  national: '国家级',
  provincial: '省级',
  municipal: '设区的市级',
  county: '县级',
};

/** Higher first: the order to compare two instruments of the same rank. */
export const levelOrder = (level: GovernmentLevel | null): number =>
  level === 'national' ? 0 : level === 'provincial' ? 1 : level === 'municipal' ? 2 : level === 'county' ? 3 : 4;

const MUNICIPALITIES = '北京|天津|上海|重庆';
const PROVINCE_NAMES =
  '河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾';
const AUTONOMOUS_REGIONS = '内蒙古|广西|西藏|宁夏|新疆';

/** 北京市…, 四川省…, 广西壮族自治区…, 内蒙古自治区…: a provincial-level body or title. */
const PROVINCIAL_RE = new RegExp(
  `^(?:(?:${MUNICIPALITIES})市(?!(?:[\\u4e00-\\u9fa5]{1,6}?)(?:区|县)(?:人民)?政府)|(?:${PROVINCE_NAMES})省|(?:${AUTONOMOUS_REGIONS})[\\u4e00-\\u9fa5]{0,4}?自治区)`,
);
/** 县, 旗, or a 区 that is a district (not 风景名胜区, 经济特区, 自治区, 开发区 …). */
const DISTRICT =
  '(?:县|(?<!名胜|保护|开发|保税|特|自治|地|园|景|小|社|示范|试验|功能|林|牧|矿|库|灾|辖|片|街|校|港|行政)区|旗)';
/** A county, district or banner government or its office: 双桥区人民政府, 景宁畲族自治县人民政府, 承德市双桥区政府. */
const COUNTY_RE = new RegExp(
  `^[\\u4e00-\\u9fa5]{1,12}?${DISTRICT}(?:人民)?(?:政府|人大|人民代表大会|委员会|办公室|[\\u4e00-\\u9fa5]{1,6}局)`,
);
/** A title that starts with a county: 双桥区人民政府关于…, 广安市广安区…, 景宁畲族自治县… — not 风景名胜区…. */
const COUNTY_TITLE_RE = new RegExp(
  `^(?:[\\u4e00-\\u9fa5]{2,4}(?:市|州))?[\\u4e00-\\u9fa5]{2,8}?${DISTRICT}(?!域|划|块|间|级)[\\u4e00-\\u9fa5]`,
);
/** A city, prefecture or league: 广安市人民政府, 恩施土家族苗族自治州. */
const MUNICIPAL_RE = /^[\u4e00-\u9fa5]{2,10}?(?:市|自治州|州|盟)(?!场|民|政府工作)/;
const NATIONAL_RE = /^(?:国务院|中华人民共和国|全国|国家|中共中央|中央|中国人民银行|海关总署|[\u4e00-\u9fa5]{1,8}部(?:令|关于|办公厅)|财政部|公安部|民政部|商务部|教育部|司法部|交通运输部|农业农村部|农业部|水利部|文化和旅游部|文化部|住房和城乡建设部|建设部|卫生部|国家卫生)/;
/** Words starting with 市/县/区 letters that are not places. */
const NOT_A_PLACE_RE = /^(?:城市|都市|超市|城乡|关于|全国|国家|中央|农村|市场|区域|县域|地区|社区|园区|景区|小区|市政)/;

/** Document-number prefixes: 国发, 国办发, 国函 → national; 川府发, 浙政办发, 川价费 → provincial. */
const NATIONAL_DOC_RE = /^(?:国发|国办发|国函|国办函|国[\u4e00-\u9fa5]{0,2}发)[〔[(（]/;
const PROVINCE_ABBREVIATIONS = '京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川蜀贵黔云滇陕甘陇青蒙桂藏宁新';
/** A province's abbreviation and up to three characters: 川府发, 浙政办发, 川财预, 川价费. */
const PROVINCIAL_DOC_RE = new RegExp(`^[${PROVINCE_ABBREVIATIONS}][\\u4e00-\\u9fa5]{1,3}[〔[(（]`);
const COUNTY_DOC_RE = /^[\u4e00-\u9fa5]{1,6}(?:县|区|旗)[\u4e00-\u9fa5]{0,4}[〔[(（]/;
const MUNICIPAL_DOC_RE = /^[\u4e00-\u9fa5]{1,6}市[\u4e00-\u9fa5]{0,4}[〔[(（]/;
/** Government orders: 四川省人民政府令第349号, 北京市人民政府令, 广安市人民政府令第3号. */
const ORDER_RE = /^([\u4e00-\u9fa5]{2,16}?)(?:人民)?政府(?:令|第)/;

const MARKS_RE = /^[《〈"“]+/;

function levelOfName(text: string, titleLike: boolean): GovernmentLevel | null {
  const t = text.replace(MARKS_RE, '');
  if (t === '' || NOT_A_PLACE_RE.test(t)) return null;
  if (NATIONAL_RE.test(t)) return 'national';
  if (titleLike ? COUNTY_TITLE_RE.test(t) : COUNTY_RE.test(t)) {
    // 北京市朝阳区…, 广安市广安区…: the county inside, not the city before it.
    return 'county';
  }
  if (PROVINCIAL_RE.test(t)) return 'provincial';
  if (MUNICIPAL_RE.test(t)) return 'municipal';
  return null;
}

function levelOfDocumentNumber(documentNumber: string): GovernmentLevel | null {
  const d = documentNumber.trim();
  if (d === '') return null;
  const order = ORDER_RE.exec(d);
  if (order) return levelOfName(`${order[1]!}人民政府`, false);
  if (NATIONAL_DOC_RE.test(d)) return 'national';
  // 渝北区府发 is a district of Chongqing: county and city forms before the provincial abbreviation.
  if (COUNTY_DOC_RE.test(d)) return 'county';
  if (MUNICIPAL_DOC_RE.test(d)) return 'municipal';
  if (PROVINCIAL_DOC_RE.test(d)) return 'provincial';
  return null;
}

const MUNICIPALITY_RE = new RegExp(`^(?:${MUNICIPALITIES})市?$`);

/** A region as the registry writes it: 上海, 四川省, 四川省广安市, 广安市广安区. */
function levelOfRegion(region: string): GovernmentLevel | null {
  const r = region.trim();
  if (r === '') return null;
  if (/(?:县|区|旗)$/.test(r)) return 'county';
  if (/(?:市|州|盟)$/.test(r) && !MUNICIPALITY_RE.test(r)) return 'municipal';
  return 'provincial';
}

/**
 * The level of government an instrument comes from, or null when nothing tells. The issuing
 * body is the best evidence, then the document number (省人民政府令 vs 市人民政府令, 川府发 vs 国发),
 * then the title, then the region.
 */
export function governmentLevelOf(citation: Pick<CheckedCitation, 'instrument' | 'documentNumber' | 'title'>): GovernmentLevel | null {
  const { instrument } = citation;
  if (instrument.issuingBody) {
    const level = levelOfName(instrument.issuingBody, false);
    if (level) return level;
  }
  if (citation.documentNumber) {
    const level = levelOfDocumentNumber(citation.documentNumber);
    if (level) return level;
  }
  // Unregistered instruments cited only by number carry the number as their title.
  const byNumber = levelOfDocumentNumber(instrument.title);
  if (byNumber) return byNumber;
  const level = levelOfName(instrument.title, true) ?? (citation.title !== instrument.title ? levelOfName(citation.title, true) : null);
  if (level) return level;
  return instrument.region ? levelOfRegion(instrument.region) : null;
}
