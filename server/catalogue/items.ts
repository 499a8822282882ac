// Changing items in the working catalogue. Every change checks who may make it, refuses a stale
// version (two people editing the same item) and writes the audit entry in the same transaction.
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { activeItemRow, updateItemColumns } from '../../db/queries/items.js';
import { can, type Subject } from '../auth/policy.js';
import { errors } from '../errors.js';
import { ITEM_COLUMNS, ITEM_FIELD_LABELS, fieldsOfRow, itemFieldsSchema, itemUpdateSchema, fieldErrors, type ItemFields } from '../domain/item-fields.js';

export { ITEM_COLUMNS };
import { replaceProcessSteps } from './process-steps.js';
import { prerequisiteEdit, saveItemPrerequisites } from '../analysis/prerequisites.js';
import { PREREQUISITES_LABEL } from '../domain/prerequisite-names.js';


export type { ItemRow } from '../../db/queries/items.js';
import type { ItemRow } from '../../db/queries/items.js';
type Row = ItemRow;

/** The editable fields of an item row as the form and the import see them (validated). */
export function readFields(row: ItemRow): ItemFields {
  return itemFieldsSchema.parse(fieldsOfRow(row));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface ItemChange {
  code: string;
  rowVersion: number;
  changed: (keyof ItemFields | 'prerequisites')[];
}

/**
 * The checks every item-form save makes before anything is written, inside the caller's transaction:
 * the item exists, the user may touch it (settled before anything about the input is said), the input
 * is valid, and it was read at the item's current version. Returns what the save would change.
 */
export function prepareItemEdit(db: Db, subject: Subject, code: string, input: unknown) {
  const row = activeItemRow<Row>(db, code);
  if (!row) throw errors.notFound('事项');
  if (!can(subject, 'update:item', { departmentId: row.department_id })) throw errors.forbidden('只能修改本部门的事项。');
  const parsed = itemUpdateSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段后再保存。', fieldErrors(parsed.error));
  const { rowVersion, prerequisites: writtenPrerequisites, ...fields } = parsed.data;
  if (row.row_version !== rowVersion) {
    throw errors.conflict('该事项已被他人修改（您看到的是旧版本）。您的修改未保存，请刷新页面查看最新内容后重新修改。');
  }
  const before = readFields(row);
  const changed = (Object.keys(ITEM_COLUMNS) as (keyof ItemFields)[]).filter((k) => !same(before[k], fields[k]));
  // 前置事项 are rows of their own, not a column: compared apart (null when unchanged).
  const prerequisites = prerequisiteEdit(db, row.id, writtenPrerequisites);
  return { row, fields: fields as ItemFields, rowVersion, before, changed, prerequisites };
}

/**
 * Update an item's fields. `input` is untrusted (form or JSON). The department is never taken from
 * the input: it is the item's own, and a department user may only touch its own items.
 */
export function updateItem(db: Db, actor: Actor, subject: Subject, code: string, input: unknown): ItemChange {
  return withTransaction(db, () => {
    const { row, fields, rowVersion, before, changed, prerequisites } = prepareItemEdit(db, subject, code, input);
    if (changed.length === 0 && !prerequisites) return { code, rowVersion, changed };
    const columns: Record<string, unknown> = {};
    for (const k of changed) {
      const v = fields[k];
      columns[ITEM_COLUMNS[k]] = typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? JSON.stringify(v) : v;
    }
    if (!updateItemColumns(db, row.id, rowVersion, columns)) throw errors.conflict('该事项已被他人修改，您的修改未保存，请刷新后重试。');
    if (changed.includes('processText')) replaceProcessSteps(db, row.id, fields.processText);
    if (prerequisites || changed.includes('name')) {
      saveItemPrerequisites(db, { id: row.id, code, name: fields.name, departmentId: row.department_id }, prerequisites, changed.includes('name'));
    }
    appendAudit(db, actor, {
      action: 'item.update',
      entityType: 'item',
      entityId: code,
      before: { ...Object.fromEntries(changed.map((k) => [k, before[k]])), ...(prerequisites ? { prerequisites: prerequisites.before } : {}) },
      after: { ...Object.fromEntries(changed.map((k) => [k, fields[k]])), ...(prerequisites ? { prerequisites: prerequisites.after } : {}) },
    });
    return { code, rowVersion: rowVersion + 1, changed: prerequisites ? [...changed, 'prerequisites'] : changed };
  });
}

export const describeChanged = (changed: ItemChange['changed']) => changed.map((k) => (k === 'prerequisites' ? PREREQUISITES_LABEL : ITEM_FIELD_LABELS[k])).join('、');
