// The fields of an item a person may edit, as one zod schema: it reads the HTML form, the JSON API
// body and (with the import) a spreadsheet row. Chinese messages name the field as the form does.
import { z } from 'zod';
import { CATEGORY_CODES, LEVEL_CODES, MAX_ON_SITE_VISITS, ONLINE_DEPTH_CODES, SERVICE_OBJECT_CODES } from './vocabulary.js';
import { MAX_PREREQUISITE_LENGTH, MAX_PREREQUISITES, prerequisitesFromInput } from './prerequisite-names.js';

// A missing or blank field means "not filled in" (null): PUT replaces the whole item, as the form does.
const emptyToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);
const text = (max: number, label: string) =>
  z.preprocess(
    emptyToNull,
    z
      .string()
      .trim()
      .max(max, `${label}不能超过 ${max} 个字符`)
      .nullable(),
  );
const days = (label: string) =>
  z.preprocess(
    emptyToNull,
    z.coerce
      .number({ message: `${label}须为数字（工作日）` })
      .int(`${label}须为整数（工作日）`)
      .min(0, `${label}不能为负数`)
      .max(MAX_DAYS, `${label}过大`)
      .nullable(),
  );
const checkbox = z.preprocess((v) => v === true || v === 'on' || v === '1' || v === 'true', z.boolean());

export const ITEM_FIELD_LABELS = {
  name: '事项名称',
  category: '事项类型',
  level: '行使层级',
  serviceObjects: '服务对象',
  statutoryLimitDays: '法定时限',
  promisedLimitDays: '承诺时限',
  instant: '即办件',
  feeCharged: '收费',
  feeStandard: '收费标准',
  feeBasis: '收费依据',
  conditions: '申请条件',
  materials: '申请材料',
  processText: '办理流程',
  contactPhone: '咨询电话',
  supervisionPhone: '监督电话',
  remarks: '备注',
  servicePlace: '办理地点',
  serviceHours: '办理时间',
  onSiteVisits: '到现场次数',
  onlineDepth: '网上办理深度',
  resultName: '结果名称',
} as const;

/**
 * Longest text each field takes; the schema and the import's fast check both read this. Real penalty
 * items have names of several hundred characters: a name is refused only at an absurd length, and an
 * import warns above NAME_WARN_LENGTH.
 */
export const TEXT_LIMITS = {
  name: 2000,
  feeStandard: 500,
  feeBasis: 1000,
  conditions: 5000,
  materials: 5000,
  processText: 2000,
  // Lists write several numbers in one cell ("029-12345                 029-12350").
  contactPhone: 200,
  supervisionPhone: 200,
  remarks: 2000,
  servicePlace: 1000,
  serviceHours: 500,
  resultName: 500,
} as const;
export const MAX_DAYS = 3650;
/** A name longer than this is kept, with a warning to check it (a note written into the name?). */
export const NAME_WARN_LENGTH = 200;

export const itemFieldsSchema = z.object({
  name: z.string({ message: '请填写事项名称' }).trim().min(1, '请填写事项名称').max(TEXT_LIMITS.name, `事项名称不能超过 ${TEXT_LIMITS.name} 个字符`),
  category: z.enum(CATEGORY_CODES, { message: '请选择事项类型' }),
  level: z.preprocess(emptyToNull, z.enum(LEVEL_CODES, { message: '行使层级无效' }).nullable()),
  serviceObjects: z.preprocess(
    (v) => (v == null || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(SERVICE_OBJECT_CODES, { message: '服务对象无效' })).max(4),
  ),
  statutoryLimitDays: days('法定时限'),
  promisedLimitDays: days('承诺时限'),
  instant: checkbox,
  feeCharged: checkbox,
  feeStandard: text(TEXT_LIMITS.feeStandard, '收费标准'),
  feeBasis: text(TEXT_LIMITS.feeBasis, '收费依据'),
  conditions: text(TEXT_LIMITS.conditions, '申请条件'),
  materials: text(TEXT_LIMITS.materials, '申请材料'),
  processText: text(TEXT_LIMITS.processText, '办理流程'),
  contactPhone: text(TEXT_LIMITS.contactPhone, '咨询电话'),
  supervisionPhone: text(TEXT_LIMITS.supervisionPhone, '监督电话'),
  remarks: text(TEXT_LIMITS.remarks, '备注'),
  servicePlace: text(TEXT_LIMITS.servicePlace, '办理地点'),
  serviceHours: text(TEXT_LIMITS.serviceHours, '办理时间'),
  onSiteVisits: z.preprocess(
    emptyToNull,
    z.coerce
      .number({ message: '到现场次数须为 0、1 或 2（2 次及以上）' })
      .int('到现场次数须为 0、1 或 2（2 次及以上）')
      .min(0, '到现场次数不能为负数')
      .max(MAX_ON_SITE_VISITS, '到现场次数须为 0、1 或 2（2 次及以上）')
      .nullable(),
  ),
  onlineDepth: z.preprocess(emptyToNull, z.enum(ONLINE_DEPTH_CODES, { message: '网上办理深度无效' }).nullable()),
  resultName: text(TEXT_LIMITS.resultName, '结果名称'),
});

/** The service guide's fields beyond the legal ones: absent from a published item's JSON when empty. */
export const GUIDE_FIELDS = ['servicePlace', 'serviceHours', 'onSiteVisits', 'onlineDepth', 'resultName'] as const;
export type GuideField = (typeof GUIDE_FIELDS)[number];

export type ItemFields = z.output<typeof itemFieldsSchema>;

/** The items table's column of each editable field (a column of ItemFieldColumns, or name, category, level). */
export const ITEM_COLUMNS: Record<keyof ItemFields, keyof ItemFieldColumns | 'name' | 'category' | 'level'> = {
  name: 'name',
  category: 'category',
  level: 'level',
  serviceObjects: 'service_objects',
  statutoryLimitDays: 'statutory_limit_days',
  promisedLimitDays: 'promised_limit_days',
  instant: 'instant',
  feeCharged: 'fee_charged',
  feeStandard: 'fee_standard',
  feeBasis: 'fee_basis',
  conditions: 'conditions',
  materials: 'materials',
  processText: 'process_text',
  contactPhone: 'contact_phone',
  supervisionPhone: 'supervision_phone',
  remarks: 'remarks',
  servicePlace: 'service_place',
  serviceHours: 'service_hours',
  onSiteVisits: 'on_site_visits',
  onlineDepth: 'online_depth',
  resultName: 'result_name',
};

/** The items table's columns of the editable fields beside name, category and level, as SQLite returns them. */
export interface ItemFieldColumns {
  service_objects: string;
  statutory_limit_days: number | null;
  promised_limit_days: number | null;
  instant: number;
  fee_charged: number;
  fee_standard: string | null;
  fee_basis: string | null;
  conditions: string | null;
  materials: string | null;
  process_text: string | null;
  contact_phone: string | null;
  supervision_phone: string | null;
  remarks: string | null;
  service_place: string | null;
  service_hours: string | null;
  on_site_visits: number | null;
  online_depth: string | null;
  result_name: string | null;
}

/**
 * An item row's editable fields, unvalidated (what was stored was valid): JSON and 0/1 columns
 * decoded, absent values null. The one mapping the form, the guide and the publish all read.
 */
export function fieldsOfRow(row: Record<string, unknown>): ItemFields {
  // Written out (not a loop over ITEM_COLUMNS): a publish maps thousands of rows, and an object built
  // key by key is several times slower. Typed as ItemFields, it fails to compile when a field is missing.
  const c = ITEM_COLUMNS;
  const text = (column: string) => (row[column] ?? null) as string | null;
  const days = (column: string) => (row[column] ?? null) as number | null;
  return {
    name: row[c.name] as string,
    category: row[c.category] as ItemFields['category'],
    level: (row[c.level] ?? null) as ItemFields['level'],
    serviceObjects: JSON.parse(String(row[c.serviceObjects] ?? '[]')) as ItemFields['serviceObjects'],
    statutoryLimitDays: days(c.statutoryLimitDays),
    promisedLimitDays: days(c.promisedLimitDays),
    instant: row[c.instant] === 1,
    feeCharged: row[c.feeCharged] === 1,
    feeStandard: text(c.feeStandard),
    feeBasis: text(c.feeBasis),
    conditions: text(c.conditions),
    materials: text(c.materials),
    processText: text(c.processText),
    contactPhone: text(c.contactPhone),
    supervisionPhone: text(c.supervisionPhone),
    remarks: text(c.remarks),
    servicePlace: text(c.servicePlace),
    serviceHours: text(c.serviceHours),
    onSiteVisits: days(c.onSiteVisits),
    onlineDepth: (row[c.onlineDepth] ?? null) as ItemFields['onlineDepth'],
    resultName: text(c.resultName),
  };
}

/**
 * Fields built by the import's own parsers already have the right types; only lengths and day counts
 * can be out of range. This check is exact for such values and ~10× cheaper than the schema, which
 * runs only when it fails (to produce the messages).
 */
export function withinLimits(fields: ItemFields): boolean {
  for (const key of Object.keys(TEXT_LIMITS) as (keyof typeof TEXT_LIMITS)[]) {
    const v = fields[key];
    if (v != null && (v.length > TEXT_LIMITS[key] || v !== v.trim())) return false;
  }
  if (!fields.name) return false;
  for (const d of [fields.statutoryLimitDays, fields.promisedLimitDays]) if (d != null && (!Number.isInteger(d) || d < 0 || d > MAX_DAYS)) return false;
  const visits = fields.onSiteVisits;
  if (visits != null && (!Number.isInteger(visits) || visits < 0 || visits > MAX_ON_SITE_VISITS)) return false;
  return true;
}

/**
 * 前置事项: the form's text (one per line, or separated by 、；;) or a JSON list, each an item's code or
 * name. Absent (a JSON body without it): left as they are.
 */
export const prerequisitesSchema = z.preprocess(
  (v) => (v === undefined ? undefined : prerequisitesFromInput(v)),
  z
    .array(z.string().max(MAX_PREREQUISITE_LENGTH, `每个前置事项不能超过 ${MAX_PREREQUISITE_LENGTH} 个字符`))
    .max(MAX_PREREQUISITES, `前置事项最多 ${MAX_PREREQUISITES} 个`)
    .optional(),
);

/** The form also carries the version it was read at, for the optimistic check. */
export const itemUpdateSchema = itemFieldsSchema.extend({
  rowVersion: z.coerce.number({ message: '缺少版本号，请刷新页面' }).int().min(1),
  prerequisites: prerequisitesSchema,
});
export type ItemUpdate = z.output<typeof itemUpdateSchema>;

/** zod issues → field → first Chinese message. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= issue.message;
  }
  return out;
}
