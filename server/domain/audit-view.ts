// An audit entry's before and after as a person reads them: Chinese field names, codes named, times
// local, and only the fields that changed when both sides are there. Pure, so the page and the export agree.
import {
  AUDIT_FIELD_NAMES,
  CATEGORIES,
  DISPOSITIONS,
  FEEDBACK_KINDS,
  IMPORT_MODES,
  IMPORT_STATUSES,
  INSTRUMENT_STATUSES,
  LEVELS,
  ONLINE_DEPTHS,
  OPINIONS,
  PROPOSAL_KINDS_SHORT,
  RANKS,
  REFERENCE_ENTRY_STATUSES,
  REFERENCE_LIST_KIND_NAMES,
  REVIEW_STATES,
  ROLES,
  SERVICE_OBJECTS,
  SEVERITIES,
  CITATION_ROLES,
  localTime,
  THEME_TAG_LABELS,
} from './labels.js';
import { THEME_NAMES } from './themes.js';

/** Names the caller knows and the domain does not: people by username, rules by code. */
export interface AuditNames {
  person: (username: string) => string;
  rule: (code: string) => string;
}

/** Which vocabulary names a field's codes. */
const CODES_BY_FIELD: Record<string, Record<string, string>> = {
  // First, so that the vocabularies below name a code these share.
  theme: THEME_NAMES,
  themeTag: THEME_TAG_LABELS.tags,
  state: { ...IMPORT_STATUSES, ...REVIEW_STATES },
  status: { ...INSTRUMENT_STATUSES, ...IMPORT_STATUSES, ...REFERENCE_ENTRY_STATUSES },
  disposition: DISPOSITIONS,
  role: ROLES,
  category: CATEGORIES,
  newCategory: CATEGORIES,
  level: LEVELS,
  delegateLevel: LEVELS,
  serviceObjects: SERVICE_OBJECTS,
  opinion: OPINIONS,
  rank: RANKS,
  rankInferred: RANKS,
  mode: IMPORT_MODES,
  kind: { ...REFERENCE_LIST_KIND_NAMES, ...PROPOSAL_KINDS_SHORT },
  severity: SEVERITIES,
  citationRole: CITATION_ROLES,
  onlineDepth: ONLINE_DEPTHS,
  feedbackKind: FEEDBACK_KINDS,
};
const ANY_CODE: Record<string, string> = Object.assign({}, ...Object.values(CODES_BY_FIELD));
const PEOPLE_FIELDS = new Set(['experts', 'decidedBy', 'createdBy', 'handledBy']);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const CODE_WORD = /^[a-z]+(?:_[a-z]+)*$/;

/** A field's name in Chinese; a field not yet named shows as 其他 (its key only in the tooltip). */
export const auditFieldName = (field: string): string => AUDIT_FIELD_NAMES[field] ?? '其他';

/** One value as text: codes named, people by name, times local, lists joined, nested records spelled out. */
export function auditValue(field: string, value: unknown, names: AuditNames): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return field.endsWith('LimitDays') ? `${value} 个工作日` : String(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => auditValue(field, v, names)).join('、') : '（无）';
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${auditFieldName(k)}：${auditValue(k, v, names)}`)
      .join('；');
  }
  const text = String(value);
  if (field === 'rule') return names.rule(text);
  if (PEOPLE_FIELDS.has(field)) return names.person(text);
  if (ISO_TIME.test(text)) return localTime(text);
  const table = CODES_BY_FIELD[field];
  if (table?.[text]) return table[text]!;
  if (CODE_WORD.test(text) && ANY_CODE[text]) return ANY_CODE[text]!;
  return text;
}

export interface AuditChange {
  key: string;
  field: string;
  before: string | null;
  after: string | null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The entry's before → after, field by field. With both sides, only fields that differ; with one side,
 * every field of it. A value that is not a record (a count, a list) is one row without a field name.
 */
export function auditChanges(before: unknown, after: unknown, names: AuditNames): AuditChange[] {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRecord(before) && !isRecord(after)) {
    if (before == null && after == null) return [];
    return [{ key: '', field: '', before: before == null ? null : auditValue('', before, names), after: after == null ? null : auditValue('', after, names) }];
  }
  const b = isRecord(before) ? before : null;
  const a = isRecord(after) ? after : null;
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  return keys
    .filter((k) => !(b && a) || !same(b[k], a[k]))
    .map((k) => ({
      key: k,
      field: auditFieldName(k),
      before: b ? auditValue(k, b[k], names) : null,
      after: a ? auditValue(k, a[k], names) : null,
    }));
}
