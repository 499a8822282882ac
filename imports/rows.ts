// One zod schema for a spreadsheet row: cell texts in, an item proposal out, with errors that name the
// column as the clerk wrote it. A row without a name or a category is an error; a row without a legal
// basis is not (it imports, marked as having no basis, and the checks flag it).
import { z } from 'zod';
import { COLUMNS, type ColumnKey } from './columns.js';
import { cleanText, splitListItems, stripListMarker } from './normalise.js';
import { parseTimeLimit, parseTimeLimits } from './time-limits.js';
import { parseFee } from './fees.js';
import { splitCitations, type ParsedCitation } from './legal-basis.js';
import { parseCategory, parseDisposition, parseLevel, parseServiceObjects } from './vocabulary-parsers.js';
import type { TableRow } from './table.js';
import { CATEGORIES, type Disposition } from '../server/domain/vocabulary.js';
import { itemFieldsSchema, withinLimits, type ItemFields } from '../server/catalogue/item-fields.js';

export interface RowIssue {
  column: string;
  message: string;
}

export interface ImportedRow {
  sheet: string;
  rowNumber: number;
  code: string | null;
  name: string | null;
  mainItemName: string | null;
  departmentText: string | null;
  fields: ItemFields | null;
  citations: (ParsedCitation & { role: 'setting' | 'implementing' })[];
  prerequisites: string[];
  disposition: Disposition | null;
  errors: RowIssue[];
  warnings: RowIssue[];
}

/** Departments repeat the same basis text across many rows: parse each distinct text once. */
const citationCache = new Map<string, ParsedCitation[]>();
function citationsOf(text: string): ParsedCitation[] {
  let hit = citationCache.get(text);
  if (!hit) {
    hit = splitCitations(text);
    if (citationCache.size >= 10_000) citationCache.clear();
    citationCache.set(text, hit);
  }
  return hit;
}

const BOTH_LIMITS = /法定[\s\S]*承诺|承诺[\s\S]*法定/;

const CATEGORY_HINT = `${Object.values(CATEGORIES).slice(0, 6).join('、')}等，或国家编码 01–10、20`;

type Raw = Partial<Record<ColumnKey, string>>;
const one = (s: string | undefined) => (s === undefined ? '' : stripListMarker(cleanText(s)));
const many = (s: string | undefined) => (s === undefined ? '' : cleanText(s, { multiline: true }));
const orNull = (s: string) => (s === '' ? null : s);

/** The row schema. Issues carry the column key as their path; warnings travel in the output. */
export const importRowSchema = z
  .object(Object.fromEntries(Object.keys(COLUMNS).map((k) => [k, z.string().optional()])) as Record<ColumnKey, z.ZodOptional<z.ZodString>>)
  .transform((raw: Raw, ctx) => {
    const warnings: { column: ColumnKey; message: string }[] = [];
    const mainName = one(raw.name);
    const subName = one(raw.subItem);
    const name = subName || mainName;
    if (!name) ctx.addIssue({ code: 'custom', path: ['name'], message: '缺少事项名称' });

    const categoryText = one(raw.category);
    const category = categoryText ? parseCategory(categoryText) : null;
    if (!categoryText) ctx.addIssue({ code: 'custom', path: ['category'], message: `缺少事项类型（应填：${CATEGORY_HINT}）` });
    else if (!category) ctx.addIssue({ code: 'custom', path: ['category'], message: `无法识别的事项类型“${categoryText}”（应填：${CATEGORY_HINT}）` });

    const levelText = one(raw.level);
    const level = levelText ? parseLevel(levelText) : null;
    if (levelText && !level) warnings.push({ column: 'level', message: `无法识别的行使层级“${levelText}”，已留空` });

    let statutory = raw.statutoryLimit ? parseTimeLimit(one(raw.statutoryLimit)) : null;
    let promised = raw.promisedLimit ? parseTimeLimit(one(raw.promisedLimit)) : null;
    // One cell holding both ("法定20个工作日，承诺5个工作日").
    for (const key of ['statutoryLimit', 'promisedLimit'] as const) {
      const text = raw[key];
      if (!text || !BOTH_LIMITS.test(text)) continue;
      const both = parseTimeLimits(one(text));
      if (both.statutory && both.promised) {
        statutory = both.statutory;
        promised = both.promised;
      }
    }
    if (statutory && !statutory.ok) {
      warnings.push({ column: 'statutoryLimit', message: `无法识别的法定时限“${one(raw.statutoryLimit)}”，应写作“20个工作日”或“即办”` });
      statutory = null;
    }
    if (promised && !promised.ok) {
      warnings.push({ column: 'promisedLimit', message: `无法识别的承诺时限“${one(raw.promisedLimit)}”，应写作“5个工作日”或“即办”` });
      promised = null;
    }

    const fee = parseFee(one(raw.feeStandard));
    const basisText = many(raw.basis);
    const citations = basisText ? citationsOf(basisText) : [];
    const implementing = raw.implementingBasis ? citationsOf(many(raw.implementingBasis)) : [];

    const dispositionText = one(raw.disposition);
    const disposition = dispositionText ? parseDisposition(dispositionText) : null;
    if (dispositionText && !disposition) warnings.push({ column: 'disposition', message: `无法识别的处理意见“${dispositionText}”，已忽略` });

    const fields = {
      name,
      category: category ?? 'other',
      level,
      serviceObjects: raw.serviceObject ? parseServiceObjects(one(raw.serviceObject)) : [],
      statutoryLimitDays: statutory?.days ?? null,
      promisedLimitDays: promised?.days ?? null,
      instant: !!(promised?.instant || (!promised && statutory?.instant)),
      feeCharged: fee.charged,
      feeStandard: fee.charged ? fee.standard : raw.feeStandard ? '不收费' : null,
      feeBasis: orNull(many(raw.feeBasis)),
      conditions: orNull(many(raw.conditions)),
      materials: orNull(many(raw.materials)),
      processText: orNull(one(raw.process)),
      contactPhone: orNull(one(raw.contactPhone)),
      supervisionPhone: orNull(one(raw.supervisionPhone)),
      remarks: orNull(many(raw.remarks)),
    };
    const checked = withinLimits(fields as ItemFields) ? { success: true as const, data: fields as ItemFields } : itemFieldsSchema.safeParse(fields);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = String(issue.path[0] ?? '');
        if ((field === 'name' && !name) || (field === 'category' && !category)) continue; // reported above
        ctx.addIssue({ code: 'custom', path: [FIELD_COLUMN[field] ?? 'remarks'], message: issue.message });
      }
      return z.NEVER;
    }
    return {
      code: orNull(one(raw.code)),
      name: name || null,
      mainItemName: subName && mainName && subName !== mainName ? mainName : null,
      departmentText: orNull(one(raw.department)),
      fields: checked.data,
      citations: [
        ...citations.map((c) => ({ ...c, role: 'setting' as const })),
        ...implementing.map((c) => ({ ...c, role: 'implementing' as const })),
      ],
      prerequisites: raw.prerequisites ? splitListItems(many(raw.prerequisites)).filter((p) => !/^(无|暂无|\/|—|-)$/.test(p)) : [],
      disposition,
      warnings,
    };
  });

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
};

/** Validate one table row. Column names in messages are the sheet's own header texts. */
export function importRow(row: TableRow, headers: Partial<Record<ColumnKey, string>>): ImportedRow {
  const columnName = (key: string) => headers[key as ColumnKey] ?? COLUMNS[key as ColumnKey]?.label ?? key;
  const parsed = importRowSchema.safeParse(row.values);
  const base = { sheet: row.sheet, rowNumber: row.rowNumber };
  if (!parsed.success) {
    return {
      ...base,
      code: orNull(one(row.values.code)),
      name: orNull(one(row.values.subItem) || one(row.values.name)),
      mainItemName: null,
      departmentText: orNull(one(row.values.department)),
      fields: null,
      citations: [],
      prerequisites: [],
      disposition: null,
      errors: parsed.error.issues.map((i) => ({ column: columnName(String(i.path[0] ?? 'name')), message: i.message })),
      warnings: [],
    };
  }
  const { warnings, ...rest } = parsed.data;
  return { ...base, ...rest, errors: [], warnings: warnings.map((w) => ({ column: columnName(w.column), message: w.message })) };
}
