// The catalogue's vocabularies as departments write them in a sheet: category names and codes,
// levels, dispositions and service objects, each mapped to the codes in server/domain/vocabulary.ts.
import {
  CATEGORIES,
  DISPOSITIONS,
  LEVELS,
  LEVEL_NUMBERS,
  MAX_ON_SITE_VISITS,
  NATIONAL_CATEGORY_CODES,
  ONLINE_DEPTH_CODES,
  SERVICE_OBJECT_CODES,
  type OnlineDepth,
  type Category,
  type Disposition,
  type Level,
  type ServiceObject,
} from '../server/domain/vocabulary.js';
import { cleanText } from './normalise.js';

const SPACES_RE = /\s+/g;
const compact = (text: string): string => cleanText(text).replace(SPACES_RE, '');
const isCode = <T extends string>(table: Record<T, string>, key: string): key is T =>
  Object.prototype.hasOwnProperty.call(table, key);

/* ------------------------------------------------------------------------------------------------
 * Category
 * ---------------------------------------------------------------------------------------------- */

/** A national code as a cell holds it: '01', '1', '1.0', '20'. */
const NUMERIC_CODE_RE = /^(\d{1,2})(?:\.0+)?$/;
/** Words a category may carry around its name: 行政许可类, 许可事项, 其他权力, 行政处罚行为. */
const AROUND = '(?:事项|类型|类别|类|权力|职权|权|行为)*';

/** Category names and their short forms, tried in order (非行政许可审批 before 许可). */
const CATEGORY_PATTERNS: ReadonlyArray<readonly [RegExp, Category]> = (
  [
    ['非(?:行政)?许可(?:审批)?', 'non_permit_approval'],
    ['(?:行政)?许可', 'permit'],
    ['(?:行政)?处罚', 'penalty'],
    ['(?:行政)?强制(?:措施|执行|措施和强制执行|措施及执行)?', 'enforcement'],
    ['(?:行政)?征(?:收|用|收征用|收和征用|收与征用)', 'levy'],
    ['(?:行政)?给付', 'benefit'],
    ['(?:行政)?(?:检查|监督检查)', 'inspection'],
    ['(?:行政)?确认', 'confirmation'],
    ['(?:行政)?奖励', 'reward'],
    ['(?:行政)?裁决', 'adjudication'],
    ['(?:行政)?备案', 'filing'],
    ['(?:行政)?(?:监管|监督管理|年检|年审)', 'supervision'],
    ['公共服务', 'public_service'],
    ['其[他它](?:行政)?', 'other'],
    ['待分类', 'unclassified'],
  ] as const
).map(([stem, category]) => [new RegExp(`^${stem}${AROUND}$`), category] as const);

/**
 * Letter codes some provinces write (贵州 DB52/T 1264-2018 codes 行政许可 as XK); the rest follow
 * the same pinyin-initial convention.
 */
const LETTER_CODES: Readonly<Record<string, Category>> = {
  XK: 'permit',
  CF: 'penalty',
  QZ: 'enforcement',
  ZS: 'levy',
  GF: 'benefit',
  JC: 'inspection',
  QR: 'confirmation',
  JL: 'reward',
  CJ: 'adjudication',
  QT: 'other',
  GG: 'public_service',
};

/**
 * A category from its name (行政许可, 许可, 行政许可类, 非行政许可审批, 其他行政权力, 其他权力类型,
 * 公共服务事项), its national or provincial code ('01', '1', '1.0', '20', '99'), a pinyin letter code (XK) or the code used here
 * (permit), with or without a note in brackets after it (行政处罚（简易程序）). "行政审批" alone is left
 * unrecognised: it may be a permit or a non-permit approval.
 */
export function parseCategory(text: string): Category | null {
  const t = compact(text);
  if (t === '') return null;
  const numeric = NUMERIC_CODE_RE.exec(t);
  if (numeric) return NATIONAL_CATEGORY_CODES[numeric[1]!.padStart(2, '0')] ?? null;
  const upper = t.toUpperCase();
  const letter = LETTER_CODES[upper];
  if (letter) return letter;
  const lower = t.toLowerCase();
  if (isCode(CATEGORIES, lower)) return lower;
  for (const [re, category] of CATEGORY_PATTERNS) if (re.test(t)) return category;
  // A note in brackets after the category: 行政处罚（简易程序）, 行政许可（子项）, 行政强制（措施）.
  const withoutNote = t.replace(BRACKETED_NOTE_RE, '');
  if (withoutNote !== t && withoutNote !== '') return parseCategory(withoutNote);
  return null;
}
const BRACKETED_NOTE_RE = /[(（【[][^()（）【】[\]]*[)）】\]]/g;

/* ------------------------------------------------------------------------------------------------
 * Level
 * ---------------------------------------------------------------------------------------------- */

/**
 * Words naming a level, longest first so that 自治区 is a province, 设区的市 a city and 县级市 a
 * county-level place before 区, 市 and 县 are looked at alone.
 */
const LEVEL_WORD_RE =
  /县级市|县级区|市辖区|自治区|直辖市|设区的市|地级市|地市|市州|自治州|自治县|自治旗|地区|街道|乡镇|苏木|乡|镇|省|市|州|盟|县|区|旗/g;
const LEVEL_OF_WORD: Readonly<Record<string, Level>> = {
  县级市: 'district', 县级区: 'district', 市辖区: 'district', 自治区: 'province', 直辖市: 'province',
  设区的市: 'city', 地级市: 'city', 地市: 'city', 市州: 'city', 自治州: 'city', 自治县: 'district',
  自治旗: 'district', 地区: 'city', 街道: 'town', 乡镇: 'town', 苏木: 'town', 乡: 'town', 镇: 'town',
  省: 'province', 市: 'city', 州: 'city', 盟: 'city', 县: 'district', 区: 'district', 旗: 'district',
};
const LEVEL_DEPTH: Readonly<Record<Level, number>> = { province: 0, city: 1, district: 2, town: 3 };

/** Level codes as national lists write them: one of 1–4, or several ("2,3", "2、3", "2，3，4"). */
const LEVEL_NUMBERS_RE = /^[1-4](?:\.0+)?(?:[,，、;；/]+[1-4])*$/;

/**
 * The level an item is exercised at: 省级/省, 市级/市/地市级, 县级/区级/区县级/县（市、区）级,
 * 乡镇/街道/乡级, or the national codes 1 省 2 市 3 县 4 乡. Text naming several levels ("省、市、县",
 * "县（市、区）级", "2,3") gives the lowest.
 */
export function parseLevel(text: string): Level | null {
  const t = compact(text);
  if (t === '') return null;
  const lower = t.toLowerCase();
  if (isCode(LEVELS, lower)) return lower;
  if (LEVEL_NUMBERS_RE.test(t)) {
    let lowest: Level | null = null;
    for (const digit of t.replace(/\.0+$/, '').match(/[1-4]/g)!) {
      const level = LEVEL_NUMBERS[digit]!;
      if (lowest === null || LEVEL_DEPTH[level] > LEVEL_DEPTH[lowest]) lowest = level;
    }
    return lowest;
  }
  let lowest: Level | null = null;
  LEVEL_WORD_RE.lastIndex = 0;
  for (let m = LEVEL_WORD_RE.exec(t); m; m = LEVEL_WORD_RE.exec(t)) {
    const level = LEVEL_OF_WORD[m[0]];
    if (level && (lowest === null || LEVEL_DEPTH[level] > LEVEL_DEPTH[lowest])) lowest = level;
  }
  return lowest;
}

/* ------------------------------------------------------------------------------------------------
 * Disposition
 * ---------------------------------------------------------------------------------------------- */

/**
 * Tried in order: the most specific outcome first, so "取消审批，改为备案" is a change of mode,
 * "保留（下放至区县）" a delegation and "不予保留" a cancellation.
 */
const DISPOSITION_PATTERNS: ReadonlyArray<readonly [RegExp, Disposition]> = [
  [/改变管理方式|改变审批方式|(?:改|转)为(?:备案|告知|登记|日常监管|事中事后监管)|改备案|转备案/, 'change_mode'],
  [/下放/, 'delegate'],
  [/合并|整合|并入/, 'merge'],
  [/转移|移交|划转|划出/, 'transfer'],
  [/承接/, 'accept_from_above'],
  [/不(?:予)?保留|取消|废止|删除/, 'cancel'],
  [/新增|新设|增加/, 'new'],
  [/保留/, 'retain'],
];

/**
 * A disposition from 处理意见 text: 保留, 取消, 下放, 合并, 转移, 改变管理方式 (改为备案, 转为备案),
 * 新增, 承接 (承接上级). "调整" alone says too little (it is used for delegations, mergers and changes
 * of mode alike) and is left unrecognised, as is anything else.
 */
export function parseDisposition(text: string): Disposition | null {
  const t = compact(text);
  if (t === '') return null;
  const lower = t.toLowerCase();
  if (isCode(DISPOSITIONS, lower)) return lower;
  for (const [re, disposition] of DISPOSITION_PATTERNS) if (re.test(t)) return disposition;
  return null;
}

/**
 * The reason a 处理意见 gives after its keyword: "取消：已被法律废止" → "已被法律废止", "取消（国发〔2015〕11号）"
 * → "国发〔2015〕11号". Null when the cell is only the keyword (the row's 备注 then gives the reason).
 */
export function dispositionReason(text: string): string | null {
  const t = cleanText(text);
  const disposition = parseDisposition(t);
  if (!disposition) return null;
  const keyword = DISPOSITION_PATTERNS.find(([, d]) => d === disposition)![0];
  const found = keyword.exec(t) ?? new RegExp(DISPOSITIONS[disposition]).exec(t);
  const rest = (found ? t.slice(found.index + found[0].length) : t)
    .replace(/^[\s，,：:；;。、.\-—（(【\[]+/, '')
    .replace(/[\s）)】\]。；;]+$/, '')
    .trim();
  return rest === '' ? null : rest;
}

/* ------------------------------------------------------------------------------------------------
 * Service objects
 * ---------------------------------------------------------------------------------------------- */

/** Longest first: 事业单位法人 is an organisation and 民办非企业单位 is not an enterprise. */
const SERVICE_OBJECT_WORD_RE =
  /事业单位法人|社会团体法人|机关法人|非法人组织|民办非企业单位|民办非企业|企业法人|其他组织|社会组织|事业单位|社会团体|行政机关|政府部门|政府机关|机关|内部审批|仅限政府|自然人|公民|个人|居民|群众|法人|企业|公司|个体工商户|组织|团体|citizens|enterprises|organisations|government/gi;
const SERVICE_OBJECT_OF_WORD: Readonly<Record<string, ServiceObject>> = {
  事业单位法人: 'organisations', 社会团体法人: 'organisations', 机关法人: 'government', 非法人组织: 'organisations',
  民办非企业单位: 'organisations', 民办非企业: 'organisations', 企业法人: 'enterprises', 其他组织: 'organisations',
  社会组织: 'organisations', 事业单位: 'organisations', 社会团体: 'organisations', 行政机关: 'government',
  政府部门: 'government', 政府机关: 'government', 机关: 'government', 内部审批: 'government', 仅限政府: 'government',
  自然人: 'citizens', 公民: 'citizens', 个人: 'citizens', 居民: 'citizens', 群众: 'citizens', 法人: 'enterprises',
  企业: 'enterprises', 公司: 'enterprises', 个体工商户: 'enterprises', 组织: 'organisations', 团体: 'organisations',
  citizens: 'citizens', enterprises: 'enterprises', organisations: 'organisations', government: 'government',
};

/**
 * Service objects named in the text, in the vocabulary's order: 自然人/公民/个人 → citizens;
 * 法人/企业/企业法人/个体工商户 → enterprises; 其他组织/社会组织/事业单位 → organisations;
 * 行政机关/政府部门/机关 → government.
 */
export function parseServiceObjects(text: string): ServiceObject[] {
  const t = compact(text);
  if (t === '') return [];
  const found = new Set<ServiceObject>();
  SERVICE_OBJECT_WORD_RE.lastIndex = 0;
  for (let m = SERVICE_OBJECT_WORD_RE.exec(t); m; m = SERVICE_OBJECT_WORD_RE.exec(t)) {
    const object = SERVICE_OBJECT_OF_WORD[m[0]] ?? SERVICE_OBJECT_OF_WORD[m[0].toLowerCase()];
    if (object) found.add(object);
  }
  return SERVICE_OBJECT_CODES.filter((code) => found.has(code));
}

/* ------------------------------------------------------------------------------------------------
 * The service guide: 办件类型, 到现场次数, 网上办理深度
 * ---------------------------------------------------------------------------------------------- */

/** 办件类型: true for 即办件, false for 承诺件 (上报件, 联办件 … are handled against a limit too); null when not understood. */
export function parseHandlingType(text: string): boolean | null {
  const t = compact(text);
  if (/即办/.test(t)) return true;
  if (/承诺|上报|联办|并联/.test(t)) return false;
  return null;
}

const CHINESE_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** 到现场次数: 0, 1 or 2 (two or more), from "0次", "最多跑一次", "不用跑", "2次", "3"; null when not understood. */
export function parseOnSiteVisits(text: string): number | null {
  const t = compact(text);
  if (/不用跑|零跑|无需到(?:现场|窗口)|全程网办|不见面/.test(t)) return 0;
  if (/最多跑一次/.test(t)) return 1;
  const digits = /(\d+)/.exec(t);
  const n = digits ? Number(digits[1]) : /^([零〇一二两三四五六七八九十])次?/.test(t) ? CHINESE_DIGITS[t.charAt(0)]! : null;
  return n === null ? null : Math.min(n, MAX_ON_SITE_VISITS);
}

// Ⅰ–Ⅳ read as I–IV once the text is in NFKC form.
const GRADES: Record<string, number> = { '1': 0, '2': 1, '3': 2, '4': 3, 一: 0, 二: 1, 三: 2, 四: 3, I: 0, II: 1, III: 2, IV: 3 };
const GRADE_RE = /^(IV|III|II|I|[1-4一二三四])(?:级|$|[：:（(、，,\s])/i;

/** 网上办理深度 as a grade (一级 … 四级, Ⅰ–Ⅳ, 1–4) or a description (信息发布 … 全程网办). */
export function parseOnlineDepth(text: string): OnlineDepth | null {
  const t = compact(text).normalize('NFKC');
  const grade = GRADE_RE.exec(t);
  if (grade) return ONLINE_DEPTH_CODES[GRADES[grade[1]!.toUpperCase()]!]!;
  if (/全程网|网上办结|全流程网上|不见面/.test(t)) return 'fully_online';
  if (/预审|网上受理|网上申报|在线申报|网上申请/.test(t)) return 'online_prereview';
  if (/下载|表格/.test(t)) return 'form_download';
  if (/信息发布|信息公开|办事指南|咨询/.test(t)) return 'info_published';
  return null;
}
