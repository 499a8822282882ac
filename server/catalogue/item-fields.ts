// The fields of an item a person may edit, as one zod schema: it reads the HTML form, the JSON API
// body and (with the import) a spreadsheet row. Chinese messages name the field as the form does.
import { z } from 'zod';
import { CATEGORY_CODES, LEVEL_CODES, SERVICE_OBJECT_CODES } from '../domain/vocabulary.js';

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
      .max(3650, `${label}过大`)
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
} as const;

export const itemFieldsSchema = z.object({
  name: z.string({ message: '请填写事项名称' }).trim().min(1, '请填写事项名称').max(200, '事项名称不能超过 200 个字符'),
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
  feeStandard: text(500, '收费标准'),
  feeBasis: text(1000, '收费依据'),
  conditions: text(5000, '申请条件'),
  materials: text(5000, '申请材料'),
  processText: text(2000, '办理流程'),
  contactPhone: text(50, '咨询电话'),
  supervisionPhone: text(50, '监督电话'),
  remarks: text(2000, '备注'),
});

export type ItemFields = z.output<typeof itemFieldsSchema>;

/** The form also carries the version it was read at, for the optimistic check. */
export const itemUpdateSchema = itemFieldsSchema.extend({
  rowVersion: z.coerce.number({ message: '缺少版本号，请刷新页面' }).int().min(1),
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
