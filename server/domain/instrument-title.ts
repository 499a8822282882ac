// Titles of legal instruments as departments write them, made comparable with the registry.
// Pure functions: the spreadsheet import and the seeds match citations with these.
import type { Rank } from './vocabulary.js';
import { leadingPlace } from './places.js';

/** Full-width ASCII (！…～) and the ideographic space to their half-width forms. */
function toHalfWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** Book-title marks, angle brackets and every kind of quote: never part of what a title means. */
const MARKS_RE = /[《》〈〉<>「」『』"'“”‘’„‟＂＇]/g;
/** Whitespace of every width, incl. NBSP, the ideographic space and zero-width characters. */
const SPACE_RE = /[\s\u00a0\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/g;

/**
 * A version suffix at the end of a title: （2019年修正） (2018年修订) （2015年修正本） （2004年）
 * （2018年修正文本） (2019年4月23日修正) （2009年第二次修正）. Works on half-width brackets.
 */
const VERSION_SUFFIX_RE =
  /\((\d{4})\s*年?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:第[一二三四五六七八九十\d]+次)?(?:修正|修订|修改)?(?:文本|本|版)?\)$/;

/** Marks, spaces, widths and brackets made uniform; the 中华人民共和国 prefix and versions kept. */
function canonicalForm(title: string): string {
  return toHalfWidth(title.normalize('NFC'))
    .replace(MARKS_RE, '')
    .replace(SPACE_RE, '')
    .replace(/[〔［【]/g, '[')
    .replace(/[〕］】]/g, ']')
    .replace(/[﹙]/g, '(')
    .replace(/[﹚]/g, ')');
}

/**
 * The form citations are matched on: no 《》 or quotes, no whitespace of any width, no 中华人民共和国
 * prefix, no version suffix such as （2019年修正）, half-width letters, digits and brackets.
 * （试行） and （暂行） stay: they are part of real titles (written as (试行)).
 */
export function normalizeInstrumentTitle(title: string): string {
  let s = canonicalForm(title);
  for (;;) {
    const stripped = s.replace(VERSION_SUFFIX_RE, '');
    if (stripped === s) break;
    s = stripped;
  }
  // 《中华人民共和国X法》, also inside 上海市实施《中华人民共和国X法》办法.
  s = s.replace(/^中华人民共和国(?=.)/, '').replace(/(实施|贯彻)中华人民共和国/g, '$1');
  return s;
}

/** Version years by title: an upload's 100,000 citations name a few thousand laws, each made canonical once. */
const versionYears = new Map<string, number | null>();
const VERSION_YEARS_KEPT = 20_000;

/** The year of the version a title names in its suffix, e.g. 2019 for 《行政许可法（2019年修正）》. */
export function versionYearOf(title: string): number | null {
  let year = versionYears.get(title);
  if (year === undefined) {
    const m = VERSION_SUFFIX_RE.exec(canonicalForm(title));
    year = m ? Number(m[1]) : null;
    if (versionYears.size >= VERSION_YEARS_KEPT) versionYears.clear();
    versionYears.set(title, year);
  }
  return year;
}

/** The day of the version a title's suffix names, as 2010-04-29, when it names a day: （2010年4月29日修改）. */
export function versionDateOf(title: string): string | null {
  const m = VERSION_SUFFIX_RE.exec(canonicalForm(title));
  if (!m) return null;
  const day = /^\((\d{4})年(\d{1,2})月(\d{1,2})日/.exec(m[0]);
  return day ? `${day[1]}-${day[2]!.padStart(2, '0')}-${day[3]!.padStart(2, '0')}` : null;
}

export interface VersionCandidate {
  status: string;
  publishedOn?: string | null;
}

const publishedYear = (c: VersionCandidate): number | null => {
  const m = /^(\d{4})/.exec(c.publishedOn ?? '');
  return m ? Number(m[1]) : null;
};

/**
 * Among the versions of one instrument (same normalized title), the one a citation means.
 * A cited version year picks the version published that year, or else the latest one published
 * before it (or, when the year predates every known version, the oldest known one). Without a
 * year: the version in force, else the one not yet in force, else the latest published.
 * Ties go to the later publication date.
 */
export function pickInstrumentVersion<T extends VersionCandidate>(candidates: readonly T[], citedTitle: string): T | null {
  if (candidates.length === 0) return null;
  // Latest publication first; undated versions last; otherwise the given order is kept.
  const byDate = [...candidates].sort((a, b) => {
    const pa = a.publishedOn ?? '';
    const pb = b.publishedOn ?? '';
    return pa === pb ? 0 : pa < pb ? 1 : -1;
  });
  // A cited day picks the version published that day or the latest one before it.
  const day = versionDateOf(citedTitle);
  if (day != null) {
    const onOrBefore = byDate.find((c) => c.publishedOn != null && c.publishedOn !== '' && c.publishedOn <= day);
    if (onOrBefore) return onOrBefore;
  }
  const year = versionYearOf(citedTitle);
  if (year != null) {
    const dated = byDate.filter((c) => publishedYear(c) != null);
    const inOrBefore = dated.find((c) => publishedYear(c)! <= year);
    if (inOrBefore) return inOrBefore;
    const oldest = dated[dated.length - 1];
    if (oldest) return oldest;
  }
  for (const status of ['in_force', 'not_yet_in_force']) {
    const hit = byDate.find((c) => c.status === status);
    if (hit) return hit;
  }
  return byDate[0] ?? null;
}

const PROVINCES = [
  '北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西',
  '山东', '河南', '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', '内蒙古',
  '广西', '西藏', '宁夏', '新疆', '香港', '澳门',
];
/** A city or county at the start of a title: 广安市… 驻马店市… 景宁畲族自治县… 深圳经济特区… */
const LOCAL_PREFIX_RE = /^(?:[\u4e00-\u9fa5]{2,4}(?:市|县)|[\u4e00-\u9fa5]{2,10}自治(?:州|县)|[\u4e00-\u9fa5]{2,3}经济特区)/;
/** Titles that begin with a word ending in 市/县 without naming a place. */
const NOT_A_PLACE_RE = /^(?:城市|都市|超市|城乡|关于|全国|国家|中央|农村)/;

/**
 * The title is issued for one region: 四川省…, 上海市…, 广安市…, 景宁畲族自治县…, or a prefecture or
 * county by name, with or without 市 (西安建筑垃圾管理条例).
 */
function isRegional(title: string): boolean {
  if (PROVINCES.some((p) => title.startsWith(p))) return true;
  if (leadingPlace(title) !== null) return true;
  return LOCAL_PREFIX_RE.test(title) && !NOT_A_PLACE_RE.test(title);
}

/**
 * A best guess at the rank of an instrument the registry does not know, from its title and document
 * number. The result is a guess: store it with rank_inferred = true until a person confirms it.
 */
export function inferRank(title: string, documentNumber?: string | null): Rank {
  const raw = canonicalForm(title);
  const t = normalizeInstrumentTitle(title).replace(/\((?:试行|暂行|草案)\)$/, '');
  const dn = canonicalForm(documentNumber ?? '');
  const both = `${raw} ${dn}`;
  const national = raw.startsWith('中华人民共和国');
  const hasRegion = !national && isRegional(t);

  if (/^宪法(?:修正案)?$/.test(t)) return 'constitution';
  // Decisions of the NPC (Standing Committee) have the rank of law.
  if (/^全国人民代表大会(?:常务委员会)?关于.+的决定$/.test(t)) return 'law';
  // Laws are promulgated by the President's order: 主席令第11号, 中华人民共和国主席令第十一号.
  if (/主席令/.test(both)) return 'law';
  if (/国务院(?:令|第\d+号令)/.test(both)) return /^国务院.*决定$/.test(t) ? 'state_council_decision' : 'administrative_regulation';
  if (/^国务院(?:关于)?.*决定$/.test(t)) return 'state_council_decision';
  // 四川省人民政府令第349号, 省政府令第349号, 广安市人民政府令第3号.
  if (/(?:省|自治区|市|州|盟|县|区)(?:人民)?政府(?:令|第\d+号令)/.test(both)) return 'local_government_rule';
  // 交通运输部令2019年第17号, 国家市场监督管理总局令第1号, 中国人民银行令〔2016〕第2号, 第N号令.
  if (/(?:部|委员会|委|总局|署|局|银行|会)令/.test(both) || /第\d+号令/.test(both)) return 'department_rule';
  if (/法$/.test(t) && !/办法$/.test(t)) return hasRegion ? 'local_regulation' : 'law';
  if (/条例$/.test(t)) {
    if (hasRegion) return 'local_regulation';
    if (national || /法实施条例$/.test(t)) return 'administrative_regulation';
    return 'unknown';
  }
  // 上海市实施《中华人民共和国食品安全法》办法: a people's congress implementing a national law;
  // 上海市人民代表大会常务委员会关于…的决定: a local congress's own decision.
  if (hasRegion && !/[发办]\[?\d{4}/.test(dn)) {
    if (/实施.+法(?:的)?(?:办法|若干规定|规定)$/.test(t) || /^[\u4e00-\u9fa5]{2,10}人民代表大会/.test(t)) return 'local_regulation';
  }
  // 国发〔2015〕11号, 国办发, 川府发, 广安府办发, X政发, X政办发, any 〔year〕 number.
  if (/(?:国发|国办发|政发|政办发|府发|府办发|办发)/.test(dn) || /[[(]\d{4}[\])]/.test(dn)) return 'normative_document';
  // 中华人民共和国发票管理办法, 中华人民共和国税收征收管理法实施细则: State Council regulations.
  if (national && /(?:规定|细则|办法)$/.test(t)) return 'administrative_regulation';
  if (/(?:通知|意见|办法|细则|方案|决定|批复|公告|通告)$/.test(t)) return 'normative_document';
  return 'unknown';
}
