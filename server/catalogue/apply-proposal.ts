// Writing a proposal (an import row, a reviewed submission item) into the working catalogue: a new
// item, or the fields and citations the proposal carries applied to an existing one. Runs inside the
// caller's transaction and writes the audit entry for the item.
import type { Db } from '../../db/client.js';
import { appendAudit, type Actor } from '../../db/audit.js';
import { createItemWrites } from '../../db/queries/item-writes.js';
import { ITEM_COLUMNS, readFields, type ItemRow } from './items.js';
import { processStepsWriter } from './process-steps.js';
import { prerequisiteWriter } from '../analysis/prerequisites.js';
import type { ItemFields } from '../domain/item-fields.js';
import { compareItem, type PresentField, type Proposal } from '../imports/compare.js';

/** `prerequisitesPresent`: the proposal says what the item's 前置事项 are (the item form); see appliesPrerequisites. */
export type StoredProposal = Proposal & { present: PresentField[]; prerequisitesPresent?: boolean };

/**
 * Whether applying a proposal replaces the item's prerequisites: when it says so, when it carries
 * every field, when its sheet has a 前置事项 column (an empty cell there clears them, as for any other
 * column), or when it lists some (a sheet without the column leaves them).
 */
const appliesPrerequisites = (p: Proposal & { present?: PresentField[]; prerequisitesPresent?: boolean }): boolean =>
  p.prerequisitesPresent ?? (p.present === undefined || p.present.includes('prerequisites') || (p.prerequisites?.length ?? 0) > 0);

/** Codes for items a sheet gives none: <DEPT>-<5 digits>, the next free one. */
export function nextItemCode(db: Db, departmentCode: string, writes = createItemWrites(db, ITEM_COLUMNS)): () => string {
  let n = writes.itemCountOf(departmentCode);
  return () => {
    let code: string;
    do code = `${departmentCode}-${String(++n).padStart(5, '0')}`;
    while (writes.codeTaken(code));
    return code;
  };
}

const toColumn = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? JSON.stringify(v) : v ?? null);
const FIELD_KEYS = Object.keys(ITEM_COLUMNS) as (keyof ItemFields)[];

/** Prepared once per transaction: applying thousands of proposals reuses the statements. */
export function proposalWriter(db: Db, actor: Actor, context: Record<string, unknown>) {
  const writes = createItemWrites(db, ITEM_COLUMNS);
  const writeSteps = processStepsWriter(db);
  const prerequisites = prerequisiteWriter(db);
  const codeMakers = new Map<number, () => string>();

  /** Creates the item a proposal describes; returns its id and code. No audit entry: the caller writes one for the batch. */
  const create = (departmentId: number, proposal: Proposal): { id: number; code: string } => {
    let code = proposal.code;
    if (!code || writes.codeTaken(code)) {
      let make = codeMakers.get(departmentId);
      if (!make) codeMakers.set(departmentId, (make = nextItemCode(db, writes.departmentCode(departmentId), writes)));
      code = make();
    }
    const values: Record<string, unknown> = { code, departmentId, mainItemName: proposal.mainItemName };
    for (const k of FIELD_KEYS) values[k] = toColumn(proposal.fields[k]);
    const itemId = writes.insertItem(values);
    if (proposal.mainItemName) {
      const parent = writes.parentByName(departmentId, proposal.mainItemName);
      if (parent !== null && parent !== itemId) writes.setParent(itemId, parent);
    } else writes.adoptSubItems(departmentId, proposal.fields.name, itemId); // its sub-items may have been finalised first
    proposal.citations.forEach((c, i) => writes.insertCitation(itemId, i, c));
    writeSteps(itemId, proposal.fields.processText);
    prerequisites.named({ id: itemId, code, name: proposal.fields.name, departmentId });
    prerequisites.replace({ id: itemId, departmentId }, proposal.prerequisites ?? []);
    return { id: itemId, code };
  };

  /**
   * Applies the fields the proposal carries (`present`; all when absent) and its citations to an
   * item, with an audit entry naming what changed. Returns whether anything changed.
   */
  const update = (itemId: number, proposal: Proposal & { present?: PresentField[]; prerequisitesPresent?: boolean }): boolean => {
    const present = new Set<PresentField>(proposal.present ?? [...FIELD_KEYS, 'citations', 'implementingCitations']);
    const item = writes.itemRow<ItemRow>(itemId);
    const before = readFields(item);
    // Without an implementing-basis column, the item's implementing citations stay as they are.
    const settingOnly = !present.has('implementingCitations');
    const oldCitations = present.has('citations') ? (writes.citationsOf(item.id, settingOnly) as { title: string; article: string | null; role: string }[]) : [];
    // Compared as written: a value written differently is written, even when it means the same. The
    // prerequisite writer decides about 前置事项 itself (appliesPrerequisites).
    const compared = new Set([...present].filter((f) => f !== 'prerequisites'));
    const changed = new Set(compareItem({ fields: before, mainItemName: item.main_item_name, citations: oldCitations }, proposal, compared, 'written').map((c) => c.field));
    const keys = FIELD_KEYS.filter((k) => changed.has(k));
    if (keys.length) {
      const values: Record<string, unknown> = {};
      for (const k of keys) values[k] = toColumn(proposal.fields[k]);
      writes.updateColumns(item.id, values);
      if (keys.includes('processText')) writeSteps(item.id, proposal.fields.processText);
    }
    const citationsChanged = changed.has('citations');
    const next = citationsChanged ? proposal.citations.map((c) => ({ title: c.title, article: c.article, role: c.role })) : [];
    if (citationsChanged) {
      writes.deleteCitations(item.id, settingOnly);
      proposal.citations.forEach((c, i) => writes.insertCitation(item.id, 100 + i, c));
      if (!keys.length) writes.bumpVersion(item.id);
    }
    const prerequisitesChange = appliesPrerequisites(proposal) ? prerequisites.replace({ id: item.id, departmentId: item.department_id }, proposal.prerequisites ?? []) : null;
    if (prerequisitesChange && !keys.length && !citationsChanged) {
      writes.bumpVersion(item.id);
    }
    if (keys.includes('name')) prerequisites.named({ id: item.id, code: item.code, name: proposal.fields.name, departmentId: item.department_id });
    if (keys.length || citationsChanged || prerequisitesChange) {
      appendAudit(db, actor, {
        action: 'item.update',
        entityType: 'item',
        entityId: item.code,
        before: { ...Object.fromEntries(keys.map((k) => [k, before[k]])), ...(citationsChanged ? { citations: oldCitations } : {}), ...(prerequisitesChange ? { prerequisites: prerequisitesChange.before } : {}) },
        after: { ...Object.fromEntries(keys.map((k) => [k, proposal.fields[k]])), ...(citationsChanged ? { citations: next } : {}), ...(prerequisitesChange ? { prerequisites: prerequisitesChange.after } : {}), ...context },
      });
    }
    return keys.length > 0 || citationsChanged || prerequisitesChange !== null;
  };

  return { create, update };
}
