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
import { citationsOfItem, replaceCitations } from '../../db/queries/basis.js';
import { bareTitle, readBasisInput } from './citation-rows.js';
import { normaliseArticle } from '../../imports/legal-basis.js';
import type { ProposedCitation } from '../domain/proposal.js';
import { CITATIONS_LABEL } from '../domain/labels.js';


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
  changed: (keyof ItemFields | 'prerequisites' | 'citations')[];
}

/** What a citation is compared on: a save that changes none of these leaves the citations as they are. */
// Compared as meant, not as written: 《》 around a title and 第（二）项 for 第二项 are the same citation.
const citationKey = (c: Pick<ProposedCitation, 'title' | 'article' | 'role' | 'instrumentId' | 'quotedText'>) =>
  JSON.stringify([bareTitle(c.title), c.article ? normaliseArticle(c.article) : null, c.role, c.instrumentId ?? null, c.quotedText ?? null]);
const sameCitations = (a: readonly ProposedCitation[], b: readonly ProposedCitation[]) =>
  a.length === b.length && a.every((c, i) => citationKey(c) === citationKey(b[i]!));

/** A citation as the audit log and a proposal's change list show it. */
export const citationSummary = (c: Pick<ProposedCitation, 'title' | 'article' | 'role'>) => ({ title: c.title, article: c.article, role: c.role });

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
  // The legal-basis rows are read beside the fields, so a refused form names every bad row at once.
  const basis = readBasisInput(db, (input ?? {}) as Record<string, unknown>);
  const refused = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...basis.errors };
  if (!parsed.success || Object.keys(refused).length > 0) throw errors.invalid('请修正标出的字段后再保存。', refused);
  const { rowVersion, prerequisites: writtenPrerequisites, ...fields } = parsed.data;
  if (basis.feeBasis !== undefined) fields.feeBasis = basis.feeBasis;
  if (row.row_version !== rowVersion) {
    throw errors.conflict('该事项已被他人修改（您看到的是旧版本）。您的修改未保存，请刷新页面查看最新内容后重新修改。');
  }
  const before = readFields(row);
  const changed = (Object.keys(ITEM_COLUMNS) as (keyof ItemFields)[]).filter((k) => !same(before[k], fields[k]));
  // 前置事项 are rows of their own, not a column: compared apart (null when unchanged).
  const prerequisites = prerequisiteEdit(db, row.id, writtenPrerequisites);
  // Citations are rows of their own: null when the input said nothing about them or left them as they are.
  const oldCitations = citationsOfItem(db, row.id);
  const citations = basis.citations !== undefined && !sameCitations(oldCitations, basis.citations) ? { before: oldCitations, after: basis.citations } : null;
  return { row, fields: fields as ItemFields, rowVersion, before, changed, prerequisites, citations };
}

/** An item edit's audit entry: the changed fields, the prerequisites and the citations, before and after. */
export const auditOf = (edit: Pick<ReturnType<typeof prepareItemEdit>, 'changed' | 'before' | 'fields' | 'prerequisites' | 'citations'>) => {
  const { changed, before, fields, prerequisites, citations } = edit;
  return {
    before: {
      ...Object.fromEntries(changed.map((k) => [k, before[k]])),
      ...(prerequisites ? { prerequisites: prerequisites.before } : {}),
      ...(citations ? { citations: citations.before.map(citationSummary) } : {}),
    },
    after: {
      ...Object.fromEntries(changed.map((k) => [k, fields[k]])),
      ...(prerequisites ? { prerequisites: prerequisites.after } : {}),
      ...(citations ? { citations: citations.after.map(citationSummary) } : {}),
    },
  };
};

/**
 * Update an item's fields. `input` is untrusted (form or JSON). The department is never taken from
 * the input: it is the item's own, and a department user may only touch its own items.
 */
export function updateItem(db: Db, actor: Actor, subject: Subject, code: string, input: unknown): ItemChange {
  return withTransaction(db, () => {
    const { row, fields, rowVersion, before, changed, prerequisites, citations } = prepareItemEdit(db, subject, code, input);
    if (changed.length === 0 && !prerequisites && !citations) return { code, rowVersion, changed };
    const columns: Record<string, unknown> = {};
    for (const k of changed) {
      const v = fields[k];
      columns[ITEM_COLUMNS[k]] = typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? JSON.stringify(v) : v;
    }
    if (!updateItemColumns(db, row.id, rowVersion, columns)) throw errors.conflict('该事项已被他人修改，您的修改未保存，请刷新后重试。');
    if (changed.includes('processText')) replaceProcessSteps(db, row.id, fields.processText);
    if (citations) replaceCitations(db, row.id, citations.after);
    if (prerequisites || changed.includes('name')) {
      saveItemPrerequisites(db, { id: row.id, code, name: fields.name, departmentId: row.department_id }, prerequisites, changed.includes('name'));
    }
    appendAudit(db, actor, { action: 'item.update', entityType: 'item', entityId: code, ...auditOf({ changed, before, fields, prerequisites, citations }) });
    const all: ItemChange['changed'] = [...changed, ...(prerequisites ? (['prerequisites'] as const) : []), ...(citations ? (['citations'] as const) : [])];
    return { code, rowVersion: rowVersion + 1, changed: all };
  });
}

export const describeChanged = (changed: ItemChange['changed']) =>
  changed.map((k) => (k === 'prerequisites' ? PREREQUISITES_LABEL : k === 'citations' ? CITATIONS_LABEL : ITEM_FIELD_LABELS[k])).join('、');
