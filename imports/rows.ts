// One zod schema for a spreadsheet row: cell texts in, an item proposal out, with errors that name the
// column as the clerk wrote it and the cell's own text. No real row is lost for a soft reason: a row is
// an error only without a name (or with a field past an absurd length); a missing or unknown category
// keeps the row as 待分类, a long name is kept with a warning, a row without a legal basis imports
// marked as having none (the checks flag it).
import { z } from 'zod';
import { COLUMNS, type ColumnKey } from './columns.js';
import { cleanText, splitListItems, stripListMarker } from './normalise.js';
import { parseTimeLimit, parseTimeLimits, type TimeLimit } from '../server/domain/time-limits.js';
import { parseFee } from './fees.js';
import { splitCitations, type ParsedCitation } from './legal-basis.js';
import { dispositionReason, parseCategory, parseDisposition, parseHandlingType, parseLevel, parseOnlineDepth, parseOnSiteVisits, parseServiceObjects } from './vocabulary-parsers.js';
import type { TableRow } from './table.js';
import { CATEGORIES, type Disposition } from '../server/domain/vocabulary.js';
import { itemFieldsSchema, NAME_WARN_LENGTH, withinLimits, type ItemFields } from '../server/domain/item-fields.js';

export interface RowIssue {
  column: string;
  message: string;
  /** The cell's text as the file has it (absent when the cell was empty). */
  cell?: string;
}

export type RowCitation = ParsedCitation & { role: 'setting' | 'implementing' };

export interface ImportedRow {
  sheet: string;
  rowNumber: number;
  code: string | null;
  name: string | null;
  mainItemName: string | null;
  departmentText: string | null;
  fields: ItemFields | null;
  citations: RowCitation[];
  prerequisites: string[];
  disposition: Disposition | null;
  /** The 处理意见's reason (after its keyword), else the row's 备注; null without a disposition. */
  dispositionReason: string | null;
  errors: RowIssue[];
  warnings: RowIssue[];
  /** A main item the sheet has no row for, made from its sub-items (imports/sub-items.ts). */
  madeMain?: boolean;
  /**
   * The main item's own row found after its sub-items, whose main item was already made from them: the
   * row number (same sheet) of that made main item, which this row takes the place of (sub-items.ts).
   */
  replacesMadeMain?: number;
}

/**
 * A parser remembered per distinct text: a department repeats the same category, level, limit and basis
 * on thousands of rows. Results are shared between rows, so they are never changed after parsing.
 */
function remembered<T>(parse: (text: string) => T, limit: number): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let hit = cache.get(text);
    if (hit === undefined) {
      hit = parse(text);
      if (cache.size >= limit) cache.clear();
      cache.set(text, hit);
    }
    return hit;
  };
}

/** Departments repeat the same basis text across many rows: parse each distinct text once. */
const citationsOf = remembered(splitCitations, 10_000);
const categoryOf = remembered(parseCategory, 1_000);
const levelOf = remembered(parseLevel, 1_000);
const timeLimitOf = remembered(parseTimeLimit, 1_000);
const feeOf = remembered(parseFee, 1_000);
const dispositionOf = remembered(parseDisposition, 1_000);
const serviceObjectsOf = remembered(parseServiceObjects, 1_000);

const BOTH_LIMITS = /法定[\s\S]*承诺|承诺[\s\S]*法定/;
const NO_PREREQUISITE = /^(无|暂无|\/|—|-)$/;

const CATEGORY_HINT = `${Object.values(CATEGORIES).slice(0, 6).join('、')}等，或国家编码 01–10、20、99`;
const UNCLASSIFIED = `已按“${CATEGORIES.unclassified}”导入，定稿前须由法制办确定事项类型（可填：${CATEGORY_HINT}）`;

type Raw = Partial<Record<ColumnKey, string>>;
const one = (s: string | undefined) => (s === undefined ? '' : stripListMarker(cleanText(s)));
const many = (s: string | undefined) => (s === undefined ? '' : cleanText(s, { multiline: true }));
const orNull = (s: string) => (s === '' ? null : s);

interface ColumnIssue {
  column: ColumnKey;
  message: string;
}

/** What a valid row proposes (the schema's output). */
interface RowProposal {
  code: string | null;
  name: string | null;
  mainItemName: string | null;
  departmentText: string | null;
  fields: ItemFields;
  citations: RowCitation[];
  prerequisites: string[];
  disposition: Disposition | null;
  dispositionReason: string | null;
  warnings: ColumnIssue[];
}

/**
 * The row's rules, once: its errors by column, and what it proposes (null when its fields are invalid).
 * The schema runs them after checking the cells are text; importRow runs them directly on the cell
 * texts the table finder hands over, which are text by construction (a test holds the two equal).
 */
function readRow(raw: Raw): { issues: ColumnIssue[]; proposal: RowProposal | null } {
  const issues: ColumnIssue[] = [];
  const warnings: ColumnIssue[] = [];
  const mainName = one(raw.name);
  const subName = one(raw.subItem);
  const name = subName || mainName;
  if (!name) issues.push({ column: 'name', message: '缺少事项名称' });
  else if (name.length > NAME_WARN_LENGTH) {
    warnings.push({ column: raw.subItem && subName ? 'subItem' : 'name', message: `事项名称长达 ${name.length} 个字符（超过 ${NAME_WARN_LENGTH}），已完整保留，请核对` });
  }

  const categoryText = one(raw.category);
  const category = categoryText ? categoryOf(categoryText) : null;
  if (!categoryText) warnings.push({ column: 'category', message: `缺少事项类型，${UNCLASSIFIED}` });
  else if (!category) warnings.push({ column: 'category', message: `无法识别的事项类型“${categoryText}”，${UNCLASSIFIED}` });

  const levelText = one(raw.level);
  const level = levelText ? levelOf(levelText) : null;
  if (levelText && !level) warnings.push({ column: 'level', message: `无法识别的行使层级“${levelText}”，已留空` });

  const statutoryText = raw.statutoryLimit ? one(raw.statutoryLimit) : '';
  const promisedText = raw.promisedLimit ? one(raw.promisedLimit) : '';
  let statutory: TimeLimit | null = raw.statutoryLimit ? timeLimitOf(statutoryText) : null;
  let promised: TimeLimit | null = raw.promisedLimit ? timeLimitOf(promisedText) : null;
  // One cell holding both ("法定20个工作日，承诺5个工作日").
  for (const [text, cleaned] of [
    [raw.statutoryLimit, statutoryText],
    [raw.promisedLimit, promisedText],
  ] as const) {
    if (!text || !BOTH_LIMITS.test(text)) continue;
    const both = parseTimeLimits(cleaned);
    if (both.statutory && both.promised) {
      statutory = both.statutory;
      promised = both.promised;
    }
  }
  if (statutory && !statutory.ok) {
    warnings.push({ column: 'statutoryLimit', message: `无法识别的法定时限“${statutoryText}”，应写作“20个工作日”或“即办”` });
    statutory = null;
  }
  if (promised && !promised.ok) {
    warnings.push({ column: 'promisedLimit', message: `无法识别的承诺时限“${promisedText}”，应写作“5个工作日”或“即办”` });
    promised = null;
  }

  const fee = feeOf(one(raw.feeStandard));
  const basisText = many(raw.basis);
  const citations = basisText ? citationsOf(basisText) : [];
  const implementing = raw.implementingBasis ? citationsOf(many(raw.implementingBasis)) : [];

  const dispositionText = one(raw.disposition);
  const disposition = dispositionText ? dispositionOf(dispositionText) : null;
  if (dispositionText && !disposition) warnings.push({ column: 'disposition', message: `无法识别的处理意见“${dispositionText}”，已忽略` });

  // 办件类型 says whether the item is handled on the spot; without it the time limits say so (即办).
  const handlingText = one(raw.handlingType);
  const handling = handlingText ? parseHandlingType(handlingText) : null;
  if (handlingText && handling === null) warnings.push({ column: 'handlingType', message: `无法识别的办件类型“${handlingText}”，应写作“即办件”或“承诺件”，已按时限判断` });
  const visitsText = one(raw.onSiteVisits);
  const onSiteVisits = visitsText ? parseOnSiteVisits(visitsText) : null;
  if (visitsText && onSiteVisits === null) warnings.push({ column: 'onSiteVisits', message: `无法识别的到现场次数“${visitsText}”，应写作 0、1 或 2（2 次及以上），已留空` });
  const depthText = one(raw.onlineDepth);
  const onlineDepth = depthText ? parseOnlineDepth(depthText) : null;
  if (depthText && onlineDepth === null) warnings.push({ column: 'onlineDepth', message: `无法识别的网上办理深度“${depthText}”，应写作一级至四级（信息发布、表格下载、网上预审、全程网办），已留空` });

  const fields: ItemFields = {
    name,
    category: category ?? 'unclassified',
    level,
    serviceObjects: raw.serviceObject ? serviceObjectsOf(one(raw.serviceObject)).slice() : [],
    statutoryLimitDays: statutory?.days ?? null,
    promisedLimitDays: promised?.days ?? null,
    instant: handling ?? !!(promised?.instant || (!promised && statutory?.instant)),
    feeCharged: fee.charged,
    feeStandard: fee.charged ? fee.standard : raw.feeStandard ? '不收费' : null,
    feeBasis: orNull(many(raw.feeBasis)),
    conditions: orNull(many(raw.conditions)),
    materials: orNull(many(raw.materials)),
    processText: orNull(many(raw.process)),
    contactPhone: orNull(one(raw.contactPhone)),
    supervisionPhone: orNull(one(raw.supervisionPhone)),
    remarks: orNull(many(raw.remarks)),
    servicePlace: orNull(many(raw.servicePlace)),
    serviceHours: orNull(many(raw.serviceHours)),
    onSiteVisits,
    onlineDepth,
    resultName: orNull(one(raw.resultName)),
  };
  let checkedFields = fields;
  if (!withinLimits(fields)) {
    let checked = itemFieldsSchema.safeParse(fields);
    if (!checked.success) {
      // Only the name can make the row an error; any other field past its limit is left empty, and the
      // warning quotes the cell (the row is kept: it is a real item).
      const cleared: Record<string, unknown> = { ...fields };
      for (const issue of checked.error.issues) {
        const field = String(issue.path[0] ?? '');
        if (field === 'name') {
          if (name) issues.push({ column: 'name', message: issue.message });
        } else if (CLEARABLE.has(field)) {
          cleared[field] = null;
          warnings.push({ column: FIELD_COLUMN[field] ?? 'remarks', message: `${issue.message}，已留空` });
        } else issues.push({ column: FIELD_COLUMN[field] ?? 'remarks', message: issue.message });
      }
      if (issues.length) return { issues, proposal: null };
      checked = itemFieldsSchema.safeParse(cleared);
      if (!checked.success) {
        for (const issue of checked.error.issues) issues.push({ column: FIELD_COLUMN[String(issue.path[0] ?? '')] ?? 'remarks', message: issue.message });
        return { issues, proposal: null };
      }
    }
    checkedFields = checked.data;
  }
  const rowCitations: RowCitation[] = [];
  for (const c of citations) rowCitations.push(withRole(c, 'setting'));
  for (const c of implementing) rowCitations.push(withRole(c, 'implementing'));
  const prerequisites: string[] = [];
  if (raw.prerequisites) for (const p of splitListItems(many(raw.prerequisites))) if (!NO_PREREQUISITE.test(p)) prerequisites.push(p);
  return {
    issues,
    proposal: {
      code: orNull(one(raw.code)),
      name: name || null,
      mainItemName: subName && mainName && subName !== mainName ? mainName : null,
      departmentText: orNull(one(raw.department)),
      fields: checkedFields,
      citations: rowCitations,
      prerequisites,
      disposition,
      dispositionReason: disposition ? (dispositionReason(dispositionText) ?? checkedFields.remarks) : null,
      warnings,
    },
  };
}

/** A fresh copy with its role: the parsed citations are shared by every row citing the same text. */
function withRole(c: ParsedCitation, role: RowCitation['role']): RowCitation {
  return { title: c.title, article: c.article, documentNumber: c.documentNumber, tag: c.tag, quotedText: c.quotedText, role };
}

/** The row schema. Issues carry the column key as their path; warnings travel in the output. */
export const importRowSchema = z
  .object(Object.fromEntries(Object.keys(COLUMNS).map((k) => [k, z.string().optional()])) as Record<ColumnKey, z.ZodOptional<z.ZodString>>)
  .transform((raw: Raw, ctx) => {
    const { issues, proposal } = readRow(raw);
    for (const issue of issues) ctx.addIssue({ code: 'custom', path: [issue.column], message: issue.message });
    return proposal ?? z.NEVER;
  });

/** Fields a row can do without: past their limit they are left empty and the row is kept. */
const CLEARABLE = new Set(['statutoryLimitDays', 'promisedLimitDays', 'feeStandard', 'feeBasis', 'conditions', 'materials', 'processText', 'contactPhone', 'supervisionPhone', 'remarks',
  'servicePlace', 'serviceHours', 'resultName']);

const FIELD_COLUMN: Record<string, ColumnKey> = {
  name: 'name',
  category: 'category',
  level: 'level',
  serviceObjects: 'serviceObject',
  statutoryLimitDays: 'statutoryLimit',
  promisedLimitDays: 'promisedLimit',
  feeStandard: 'feeStandard',
  feeBasis: 'feeBasis',
  conditions: 'conditions',
  materials: 'materials',
  processText: 'process',
  contactPhone: 'contactPhone',
  supervisionPhone: 'supervisionPhone',
  remarks: 'remarks',
  instant: 'handlingType',
  servicePlace: 'servicePlace',
  serviceHours: 'serviceHours',
  onSiteVisits: 'onSiteVisits',
  onlineDepth: 'onlineDepth',
  resultName: 'resultName',
};

/** Every known column is text or absent: what the schema's object check accepts. */
function allText(values: Record<string, unknown>): boolean {
  for (const key in values) {
    const v = values[key];
    if (v !== undefined && typeof v !== 'string' && key in COLUMNS) return false;
  }
  return true;
}

type Reading = { issues: { column: string; message: string }[]; proposal: RowProposal | null };

/** The schema itself, for values that are not all text (never from the table finder). */
function readWithSchema(values: Raw): Reading {
  const parsed = importRowSchema.safeParse(values);
  if (parsed.success) return { issues: [], proposal: parsed.data };
  return { issues: parsed.error.issues.map((i) => ({ column: String(i.path[0] ?? 'name'), message: i.message })), proposal: null };
}

/** Validate one table row. Column names in messages are the sheet's own header texts. */
export function importRow(row: TableRow, headers: Partial<Record<ColumnKey, string>>): ImportedRow {
  const values = row.values;
  const { issues, proposal }: Reading = allText(values) ? readRow(values) : readWithSchema(values);
  if (issues.length > 0 || !proposal) {
    const errors: RowIssue[] = [];
    for (const i of issues) errors.push(issueOf(headers, values, i.column, i.message));
    return {
      sheet: row.sheet,
      rowNumber: row.rowNumber,
      code: orNull(one(values.code)),
      name: orNull(one(values.subItem) || one(values.name)),
      mainItemName: null,
      departmentText: orNull(one(values.department)),
      fields: null,
      citations: [],
      prerequisites: [],
      disposition: null,
      dispositionReason: null,
      errors,
      warnings: [],
    };
  }
  const warnings: RowIssue[] = [];
  for (const w of proposal.warnings) warnings.push(issueOf(headers, values, w.column, w.message));
  return {
    sheet: row.sheet,
    rowNumber: row.rowNumber,
    code: proposal.code,
    name: proposal.name,
    mainItemName: proposal.mainItemName,
    departmentText: proposal.departmentText,
    fields: proposal.fields,
    citations: proposal.citations,
    prerequisites: proposal.prerequisites,
    disposition: proposal.disposition,
    dispositionReason: proposal.dispositionReason,
    errors: [],
    warnings,
  };
}

const columnName = (headers: Partial<Record<ColumnKey, string>>, key: string) =>
  headers[key as ColumnKey] ?? COLUMNS[key as ColumnKey]?.label ?? key;

/** An issue naming the column as the sheet heads it and the cell's own text. */
function issueOf(headers: Partial<Record<ColumnKey, string>>, values: Record<string, unknown>, key: string, message: string): RowIssue {
  const cell = values[key];
  const issue: RowIssue = { column: columnName(headers, key), message };
  if (typeof cell === 'string' && cell.trim() !== '') issue.cell = cell;
  return issue;
}
