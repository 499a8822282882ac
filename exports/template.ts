// The spreadsheet template a department downloads, fills in (Excel or WPS) and uploads again: blank, or
// pre-filled with its current items. Its header uses exactly the labels of imports/columns.ts, so the
// importer reads the template's own columns; values are written the way the importer parses them back
// ("20个工作日", "即办", "不收费", 《title》article；…).
//
// Written with exceljs's streaming WorkbookWriter (inline strings, styles): data validations, the frozen
// view, merged title, notes and a hidden sheet all come out correctly with it (tests/unit/exports).
import ExcelJS from 'exceljs';
import type { ItemDetail } from '../db/queries/catalogue.js';
import type { ItemFields } from '../server/domain/item-fields.js';
import { COLUMNS, type ColumnKey } from '../imports/columns.js';
import { STAMP_SHEET, stampRows, type StampedItem } from '../imports/template-stamp.js';
import { ITEM_FIELD_LABELS } from '../server/domain/item-fields.js';
import {
  CATEGORIES,
  CITATION_ROLES,
  DISPOSITIONS,
  HANDLING_TYPES,
  LEVELS,
  ON_SITE_VISITS,
  ONLINE_DEPTHS,
  SERVICE_OBJECTS,
  label,
  type Disposition,
} from '../server/domain/vocabulary.js';
import { handlingTypeName, onlineDepthName, onSiteVisitsName } from '../server/domain/service-guide.js';
import { inertCell, inertValue } from '../server/domain/spreadsheet-cells.js';

/** One item as the template shows it. Codes (category, level, service objects) are turned into labels here. */
export interface TemplateItem extends Omit<ItemFields, 'serviceObjects'> {
  code: string;
  /** The sub-item's own name for a sub-item, else the item's name. */
  name: string;
  /** The main item's name when this item is a sub-item (子项), else null. */
  mainItemName: string | null;
  serviceObjects: readonly string[];
  /** Setting citations as a department writes them: 《title》article；《title》article. */
  basisText: string;
  /** Implementing citations, written the same way (实施依据 column). */
  implementingBasisText?: string | undefined;
  /** The disposition already recorded for the item (处理意见 column). */
  disposition?: Disposition | null | undefined;
  prerequisites: readonly string[];
}

export interface TemplateOptions {
  /** The department's name: the title ("XX局行政权力事项清单（填报模板）") and the 实施主体 column. */
  departmentName: string;
  /** The department's current items; empty for a blank template. */
  items: readonly TemplateItem[];
  /** The catalogue state a pre-filled template is made from, written to a hidden sheet (see imports/template-stamp.ts). */
  stamp?: { madeAt: string; departmentCode: string | null; items: readonly StampedItem[] };
}

export const TEMPLATE_SHEET = '事项清单';
export const INSTRUCTIONS_SHEET = '填表说明';
/** Hidden sheet holding drop-down lists too long to be written inline. */
export const OPTIONS_SHEET = '选项';
export const TITLE_ROW = 1;
export const HEADER_ROW = 2;
export const FIRST_DATA_ROW = 3;
/** Blank rows below the items that still get the drop-down lists, for items the department adds. */
export const EXTRA_ROWS = 500;
/** Excel refuses an inline list formula ("a,b,c") longer than this many characters. */
export const INLINE_LIST_LIMIT = 255;
/** Excel's limit on the characters of one cell. */
const CELL_TEXT_LIMIT = 32_767;

/** The template's columns, in order. */
export const TEMPLATE_COLUMNS = [
  'seq',
  'code',
  'name',
  'subItem',
  'category',
  'department',
  'level',
  'basis',
  'implementingBasis',
  'serviceObject',
  'statutoryLimit',
  'promisedLimit',
  'feeStandard',
  'feeBasis',
  'conditions',
  'materials',
  'process',
  'prerequisites',
  'contactPhone',
  'supervisionPhone',
  'handlingType',
  'servicePlace',
  'serviceHours',
  'onSiteVisits',
  'onlineDepth',
  'resultName',
  'disposition',
  'remarks',
] as const satisfies readonly ColumnKey[];
export type TemplateColumn = (typeof TEMPLATE_COLUMNS)[number];

const joinLabels = (table: Record<string, string>, sep = '、') => Object.values(table).join(sep);

/** What to write in each column: the header cell's note and a row of the 填表说明 sheet. */
export const COLUMN_NOTES: Readonly<Record<TemplateColumn, string>> = {
  seq: '顺序号，仅便于核对，可留空',
  code: '已有事项请勿修改编码；新增事项可留空',
  name: '事项的规范名称（必填）。有子项的事项，此列填主项名称，子项名称填在“子项”列',
  subItem: '事项分子项的，每个子项占一行：此列填子项名称，“事项名称”列填主项名称；无子项留空',
  category: '从下拉列表选择，也可填国家编码 01–10、20（必填）',
  department: '本部门名称，已预填；只能填报本部门的事项',
  level: `从下拉列表选择：${joinLabels(LEVELS)}`,
  basis: '写明《法律法规名称》和条款，如《中华人民共和国行政许可法》第十二条；多条用分号隔开',
  implementingBasis: '实施该事项所依据的规章、规范性文件，写法同设定依据；没有可留空',
  serviceObject: `填${joinLabels(SERVICE_OBJECTS)}，多个用顿号“、”隔开`,
  statutoryLimit: '填工作日数，如“20个工作日”；当场办结填“即办”',
  promisedLimit: '填承诺办结的工作日数，如“5个工作日”；当场办结填“即办”',
  feeStandard: '不收费的填“不收费”；收费的写明标准，如“每证10元”',
  feeBasis: '收费的写明收费依据文件和文号；不收费的留空',
  conditions: '逐条填写，一条一行（单元格内换行按 Alt+Enter）',
  materials: '逐条填写材料名称，一条一行（单元格内换行按 Alt+Enter）',
  process: '简述办理环节，如“受理—审查—决定—送达”',
  prerequisites: '办理本事项前须先取得的其他事项名称，多个用分号隔开；没有的留空',
  contactPhone: '咨询电话，含区号，如 028-12345678',
  supervisionPhone: '监督投诉电话，含区号',
  handlingType: `从下拉列表选择：${joinLabels(HANDLING_TYPES)}（即办件当场办结）`,
  servicePlace: '办事窗口的地址，如“区政务服务中心一楼3号窗口（某某路1号）”',
  serviceHours: '窗口办公时间，如“工作日 上午9:00—12:00，下午13:30—17:00”',
  onSiteVisits: `从下拉列表选择申请人须到现场的次数：${joinLabels(ON_SITE_VISITS)}`,
  onlineDepth: `从下拉列表选择：${joinLabels(ONLINE_DEPTHS)}`,
  resultName: '办结时申请人得到的证照或批文名称，如“食品经营许可证”',
  disposition: `从下拉列表选择本次清理的处理意见：${joinLabels(DISPOSITIONS)}`,
  remarks: '其他需要说明的情况',
};

/** Column widths in characters: at least `min`, grown to the longest line of content up to `max`. */
const WIDTHS: Readonly<Record<TemplateColumn, { min: number; max: number }>> = {
  seq: { min: 6, max: 8 },
  code: { min: 20, max: 30 },
  name: { min: 30, max: 40 },
  subItem: { min: 24, max: 40 },
  category: { min: 16, max: 18 },
  department: { min: 20, max: 30 },
  level: { min: 14, max: 16 },
  basis: { min: 45, max: 60 },
  implementingBasis: { min: 30, max: 60 },
  serviceObject: { min: 18, max: 30 },
  statutoryLimit: { min: 12, max: 16 },
  promisedLimit: { min: 12, max: 16 },
  feeStandard: { min: 14, max: 30 },
  feeBasis: { min: 20, max: 40 },
  conditions: { min: 30, max: 50 },
  materials: { min: 30, max: 50 },
  process: { min: 24, max: 40 },
  prerequisites: { min: 20, max: 40 },
  contactPhone: { min: 16, max: 20 },
  supervisionPhone: { min: 16, max: 20 },
  handlingType: { min: 10, max: 12 },
  servicePlace: { min: 24, max: 40 },
  serviceHours: { min: 20, max: 36 },
  onSiteVisits: { min: 14, max: 18 },
  onlineDepth: { min: 14, max: 18 },
  resultName: { min: 18, max: 30 },
  disposition: { min: 14, max: 16 },
  remarks: { min: 20, max: 40 },
};

/** Columns kept as text so that Excel does not turn a code or a phone number into a number. */
const TEXT_COLUMNS: ReadonlySet<TemplateColumn> = new Set(['code', 'contactPhone', 'supervisionPhone']);

interface DropDown {
  column: TemplateColumn;
  labels: readonly string[];
  what: string;
  /** 'warning' lets a clerk keep a value not in the list (a national category code) after confirming. */
  errorStyle: 'stop' | 'warning';
}

const DROP_DOWNS = (): DropDown[] => [
  { column: 'category', labels: Object.values(CATEGORIES), what: '事项类型', errorStyle: 'warning' },
  { column: 'disposition', labels: Object.values(DISPOSITIONS), what: '处理意见', errorStyle: 'stop' },
  { column: 'level', labels: Object.values(LEVELS), what: '行使层级', errorStyle: 'stop' },
  { column: 'handlingType', labels: Object.values(HANDLING_TYPES), what: '办件类型', errorStyle: 'stop' },
  { column: 'onSiteVisits', labels: Object.values(ON_SITE_VISITS), what: '到现场次数', errorStyle: 'warning' },
  { column: 'onlineDepth', labels: Object.values(ONLINE_DEPTHS), what: '网上办理深度', errorStyle: 'warning' },
];

/**
 * The inline formula of a list validation ("\"行政许可,行政处罚\""), or null when Excel would refuse it:
 * longer than 255 characters, or a label holding a comma or a double quote. Such a list goes on the
 * hidden sheet and is referenced as a range.
 */
export function inlineListFormula(labels: readonly string[]): string | null {
  const joined = labels.join(',');
  if (joined.length > INLINE_LIST_LIMIT || labels.some((l) => /[,"]/.test(l))) return null;
  return `"${joined}"`;
}

const columnLetter = (index: number): string => {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
};

/** The template's column letter of a column (A for 序号). */
export const templateColumnLetter = (column: TemplateColumn): string => columnLetter(TEMPLATE_COLUMNS.indexOf(column));

const limitText = (days: number | null, instant: boolean): string => {
  if (instant || days === 0) return '即办';
  return days == null ? '' : `${days}个工作日`;
};

const clip = (s: string): string => (s.length > CELL_TEXT_LIMIT ? s.slice(0, CELL_TEXT_LIMIT) : s);

/** The cells of one item's row, keyed by column. */
export function templateRow(item: TemplateItem, seq: number, departmentName: string): Record<TemplateColumn, string | number> {
  const sub = item.mainItemName != null && item.mainItemName !== '' && item.mainItemName !== item.name;
  return {
    seq,
    code: item.code,
    name: sub ? item.mainItemName! : item.name,
    subItem: sub ? item.name : '',
    category: label(CATEGORIES, item.category),
    department: departmentName,
    level: label(LEVELS, item.level),
    basis: item.basisText,
    implementingBasis: item.implementingBasisText ?? '',
    serviceObject: item.serviceObjects.map((code) => label(SERVICE_OBJECTS, code)).join('、'),
    // 法定时限 is the law's: 即办 only when the law itself gives no days (stored as 0).
    statutoryLimit: limitText(item.statutoryLimitDays, false),
    promisedLimit: limitText(item.promisedLimitDays, item.instant),
    feeStandard: item.feeCharged ? item.feeStandard || '收费' : '不收费',
    feeBasis: item.feeCharged ? (item.feeBasis ?? '') : '',
    conditions: item.conditions ?? '',
    materials: item.materials ?? '',
    process: item.processText ?? '',
    prerequisites: item.prerequisites.join('；'),
    contactPhone: item.contactPhone ?? '',
    supervisionPhone: item.supervisionPhone ?? '',
    handlingType: handlingTypeName(item.instant),
    servicePlace: item.servicePlace ?? '',
    serviceHours: item.serviceHours ?? '',
    onSiteVisits: onSiteVisitsName(item.onSiteVisits),
    onlineDepth: onlineDepthName(item.onlineDepth),
    resultName: item.resultName ?? '',
    disposition: label(DISPOSITIONS, item.disposition ?? null),
    remarks: item.remarks ?? '',
  };
}

/** A title without the 《》 it may be stored with, so that it is written in one pair of marks. */
const bareTitle = (title: string): string => title.trim().replace(/^《+/, '').replace(/》+$/, '');

/** A citation as a department writes it: 《title》（document number）article, the title in one pair of 《》. */
const citationText = (c: ItemDetail['citations'][number]): string =>
  `《${bareTitle(c.title)}》${c.documentNumber ? `（${c.documentNumber}）` : ''}${c.article ?? ''}`;

/** The stamp of an item: its row version and the values the template exported it with. */
export function stampedItemFromDetail(item: ItemDetail, version: number): StampedItem {
  const fields = Object.fromEntries(Object.keys(ITEM_FIELD_LABELS).map((k) => [k, (item as unknown as Record<string, unknown>)[k]])) as unknown as ItemFields;
  return {
    code: item.code,
    version,
    exported: {
      fields,
      mainItemName: item.mainItemName ?? item.parent?.name ?? null,
      citations: item.citations.map((c) => ({ title: c.title, article: c.article, role: c.role })),
      prerequisites: item.prerequisites.map((p) => p.writtenAs),
    },
  };
}

/** The template row of an item from the catalogue: setting citations to 设定依据, implementing ones to 实施依据. */
export function templateItemFromDetail(item: ItemDetail): TemplateItem {
  const basis = (role: keyof typeof CITATION_ROLES) =>
    item.citations
      .filter((c) => c.role === role)
      .map(citationText)
      .join('；');
  return {
    code: item.code,
    name: item.name,
    mainItemName: item.mainItemName ?? item.parent?.name ?? null,
    category: item.category,
    level: item.level,
    serviceObjects: item.serviceObjects,
    statutoryLimitDays: item.statutoryLimitDays,
    promisedLimitDays: item.promisedLimitDays,
    instant: item.instant,
    feeCharged: item.feeCharged,
    feeStandard: item.feeStandard,
    feeBasis: item.feeBasis,
    conditions: item.conditions,
    materials: item.materials,
    processText: item.processText,
    contactPhone: item.contactPhone,
    supervisionPhone: item.supervisionPhone,
    remarks: item.remarks,
    servicePlace: item.servicePlace,
    serviceHours: item.serviceHours,
    onSiteVisits: item.onSiteVisits,
    onlineDepth: item.onlineDepth,
    resultName: item.resultName,
    basisText: basis('setting'),
    implementingBasisText: basis('implementing'),
    disposition: (item.disposition as Disposition | null) ?? null,
    prerequisites: item.prerequisites.map((p) => p.writtenAs),
  };
}

/** Width of text in Excel's character units: CJK and full-width characters count two. */
const displayWidth = (text: string): number => {
  let widest = 0;
  for (const line of text.split('\n')) {
    let w = 0;
    for (const ch of line) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
    widest = Math.max(widest, w);
  }
  return widest;
};

const THIN = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFDDEBF7' } };

/** What exceljs's worksheet writer has but its typings leave out. */
interface WithDataValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

/**
 * Write the template as .xlsx to a stream (ended when done) or a file path: sheet 事项清单 (title, header,
 * one row per item, drop-down lists, frozen header, a note per header cell), sheet 填表说明, and a hidden
 * sheet 选项 only when a drop-down list is too long to be written inline.
 */
export async function writeTemplate(out: NodeJS.WritableStream | string, options: TemplateOptions): Promise<void> {
  const { departmentName, items } = options;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    ...(typeof out === 'string' ? { filename: out } : { stream: out as unknown as import('node:stream').Stream }),
    useSharedStrings: false,
    useStyles: true,
  });
  workbook.creator = inertCell(departmentName);

  const rows = items.map((item, i) => templateRow(item, i + 1, departmentName));
  const lastColumn = columnLetter(TEMPLATE_COLUMNS.length - 1);
  const lastValidatedRow = FIRST_DATA_ROW - 1 + items.length + EXTRA_ROWS;

  // ---- 事项清单
  const sheet = workbook.addWorksheet(TEMPLATE_SHEET, {
    views: [{ state: 'frozen', xSplit: 3, ySplit: HEADER_ROW, topLeftCell: `D${FIRST_DATA_ROW}`, activeCell: `D${FIRST_DATA_ROW}` }],
  });
  sheet.columns = TEMPLATE_COLUMNS.map((key) => {
    const { min, max } = WIDTHS[key];
    const content = Math.max(displayWidth(COLUMNS[key].label), ...rows.map((r) => displayWidth(String(r[key]))));
    return {
      key,
      width: Math.min(max, Math.max(min, content + 2)),
      style: {
        alignment: { vertical: 'top', wrapText: true },
        ...(TEXT_COLUMNS.has(key) ? { numFmt: '@' } : {}),
      },
    };
  });

  sheet.mergeCells(`A${TITLE_ROW}:${lastColumn}${TITLE_ROW}`);
  const titleRow = sheet.getRow(TITLE_ROW);
  titleRow.height = 32;
  const title = titleRow.getCell(1);
  title.value = inertCell(`${departmentName}行政权力事项清单（填报模板）`);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  titleRow.commit();

  const header = sheet.getRow(HEADER_ROW);
  header.height = 30;
  TEMPLATE_COLUMNS.forEach((key, i) => {
    const cell = header.getCell(i + 1);
    cell.value = COLUMNS[key].label;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.note = COLUMN_NOTES[key];
  });
  header.commit();

  rows.forEach((values, i) => {
    const row = sheet.getRow(FIRST_DATA_ROW + i);
    TEMPLATE_COLUMNS.forEach((key, c) => {
      const cell = row.getCell(c + 1);
      const value = values[key];
      cell.value = inertValue(typeof value === 'string' ? clip(value) : value);
      cell.border = BORDER;
      cell.alignment = { vertical: 'top', wrapText: true, ...(key === 'seq' ? { horizontal: 'center' as const } : {}) };
      if (TEXT_COLUMNS.has(key)) cell.numFmt = '@';
    });
    row.commit();
  });

  // Drop-down lists: inline when Excel accepts it, else a range on the hidden sheet.
  const dropDowns = DROP_DOWNS();
  const onSheet = dropDowns.filter((d) => inlineListFormula(d.labels) === null);
  const validations = sheet as unknown as WithDataValidations;
  for (const d of dropDowns) {
    const inline = inlineListFormula(d.labels);
    const sheetColumn = columnLetter(onSheet.indexOf(d));
    const formula = inline ?? `'${OPTIONS_SHEET}'!$${sheetColumn}$1:$${sheetColumn}$${d.labels.length}`;
    const letter = templateColumnLetter(d.column);
    validations.dataValidations.add(`${letter}${FIRST_DATA_ROW}:${letter}${lastValidatedRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [formula],
      showErrorMessage: true,
      errorStyle: d.errorStyle,
      errorTitle: `${d.what}不正确`,
      error: `请从下拉列表中选择${d.what}`,
    });
  }
  sheet.commit();

  // ---- 填表说明
  const help = workbook.addWorksheet(INSTRUCTIONS_SHEET);
  help.columns = [
    { key: 'column', width: 14, style: { alignment: { vertical: 'top', wrapText: true } } },
    { key: 'note', width: 90, style: { alignment: { vertical: 'top', wrapText: true } } },
  ];
  const helpHeader = help.getRow(1);
  helpHeader.values = ['列名', '填写要求'];
  helpHeader.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
  });
  helpHeader.commit();
  TEMPLATE_COLUMNS.forEach((key, i) => {
    const row = help.getRow(i + 2);
    row.values = [COLUMNS[key].label, COLUMN_NOTES[key]];
    row.eachCell((cell) => {
      cell.border = BORDER;
      cell.alignment = { vertical: 'top', wrapText: true };
    });
    row.commit();
  });
  help.commit();

  // ---- 模板版本 (very hidden): the catalogue state a pre-filled template was made from
  if (options.stamp) {
    const stampSheet = workbook.addWorksheet(STAMP_SHEET, { state: 'veryHidden' });
    stampRows(options.stamp).forEach((values, r) => {
      const row = stampSheet.getRow(r + 1);
      values.forEach((v, c) => {
        row.getCell(c + 1).value = v;
      });
      row.commit();
    });
    stampSheet.commit();
  }

  // ---- 选项 (hidden), only when needed
  if (onSheet.length > 0) {
    const options = workbook.addWorksheet(OPTIONS_SHEET, { state: 'hidden' });
    const height = Math.max(...onSheet.map((d) => d.labels.length));
    for (let r = 0; r < height; r++) {
      const row = options.getRow(r + 1);
      onSheet.forEach((d, c) => {
        const text = d.labels[r];
        if (text !== undefined) row.getCell(c + 1).value = inertCell(text);
      });
      row.commit();
    }
    options.commit();
  }

  await workbook.commit();
}
