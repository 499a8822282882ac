// Writing a proposal (an import row, a reviewed submission item) into the working catalogue: a new
// item, or the fields and citations the proposal carries applied to an existing one. Runs inside the
// caller's transaction and writes the audit entry for the item.
import type { Db } from '../../db/client.js';
import { appendAudit, type Actor } from '../../db/audit.js';
import { ITEM_CHANGED_SQL } from '../../db/queries/item-stamps.js';
import { ITEM_COLUMNS, readFields, type ItemRow } from './items.js';
import { processStepsWriter } from './process-steps.js';
import { prerequisiteWriter } from '../analysis/prerequisites.js';
import type { ItemFields } from './item-fields.js';
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
export function nextItemCode(db: Db, departmentCode: string): () => string {
  const exists = db.$client.prepare('SELECT 1 FROM items WHERE code = ?');
  let n = (db.$client.prepare('SELECT count(*) AS n FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = ?').get(departmentCode) as { n: number }).n;
  return () => {
    let code: string;
    do code = `${departmentCode}-${String(++n).padStart(5, '0')}`;
    while (exists.get(code));
    return code;
  };
}

const toColumn = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? JSON.stringify(v) : v ?? null);
const FIELD_KEYS = Object.keys(ITEM_COLUMNS) as (keyof ItemFields)[];

/** Prepared once per transaction: applying thousands of proposals reuses the statements. */
export function proposalWriter(db: Db, actor: Actor, context: Record<string, unknown>) {
  const sqlite = db.$client;
  const insertItem = sqlite.prepare(
    `INSERT INTO items (code, name, category, department_id, main_item_name, ${FIELD_KEYS.filter((k) => k !== 'name' && k !== 'category').map((k) => ITEM_COLUMNS[k]).join(', ')})
     VALUES (@code, @name, @category, @departmentId, @mainItemName, ${FIELD_KEYS.filter((k) => k !== 'name' && k !== 'category').map((k) => `@${k}`).join(', ')})`,
  );
  const insertCitation = sqlite.prepare(
    'INSERT INTO citations (item_id, seq, instrument_id, title, article, document_number, role, tag, quoted_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const parentByName = sqlite.prepare('SELECT id FROM items WHERE department_id = ? AND name = ? AND parent_id IS NULL AND removed_at IS NULL ORDER BY id LIMIT 1');
  const departmentCode = sqlite.prepare('SELECT code FROM departments WHERE id = ?');
  const writeSteps = processStepsWriter(db);
  const prerequisites = prerequisiteWriter(db);
  const codeMakers = new Map<number, () => string>();

  /** Creates the item a proposal describes; returns its id and code. No audit entry: the caller writes one for the batch. */
  const create = (departmentId: number, proposal: Proposal): { id: number; code: string } => {
    let code = proposal.code;
    if (!code || sqlite.prepare('SELECT 1 FROM items WHERE code = ?').get(code)) {
      let make = codeMakers.get(departmentId);
      if (!make) codeMakers.set(departmentId, (make = nextItemCode(db, (departmentCode.get(departmentId) as { code: string }).code)));
      code = make();
    }
    const values: Record<string, unknown> = { code, departmentId, mainItemName: proposal.mainItemName };
    for (const k of FIELD_KEYS) values[k] = toColumn(proposal.fields[k]);
    const itemId = Number(insertItem.run(values).lastInsertRowid);
    if (proposal.mainItemName) {
      const parent = parentByName.get(departmentId, proposal.mainItemName) as { id: number } | undefined;
      if (parent && parent.id !== itemId) sqlite.prepare('UPDATE items SET parent_id = ?, main_item_name = NULL WHERE id = ?').run(parent.id, itemId);
    }
    proposal.citations.forEach((c, i) => insertCitation.run(itemId, i, c.instrumentId, c.title, c.article, c.documentNumber, c.role, c.tag, c.quotedText));
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
    const item = sqlite.prepare('SELECT * FROM items WHERE id = ?').get(itemId) as ItemRow;
    const before = readFields(item);
    // Without an implementing-basis column, the item's implementing citations stay as they are.
    const scope = present.has('implementingCitations') ? '' : " AND role = 'setting'";
    const oldCitations = present.has('citations')
      ? (sqlite.prepare(`SELECT title, article, role FROM citations WHERE item_id = ?${scope} ORDER BY seq`).all(item.id) as { title: string; article: string | null; role: string }[])
      : [];
    // Compared as written: a value written differently is written, even when it means the same. The
    // prerequisite writer decides about 前置事项 itself (appliesPrerequisites).
    const compared = new Set([...present].filter((f) => f !== 'prerequisites'));
    const changed = new Set(compareItem({ fields: before, mainItemName: item.main_item_name, citations: oldCitations }, proposal, compared, 'written').map((c) => c.field));
    const keys = FIELD_KEYS.filter((k) => changed.has(k));
    if (keys.length) {
      const values: Record<string, unknown> = { id: item.id };
      for (const k of keys) values[k] = toColumn(proposal.fields[k]);
      sqlite
        .prepare(`UPDATE items SET ${keys.map((k) => `${ITEM_COLUMNS[k]} = @${k}`).join(', ')}, ${ITEM_CHANGED_SQL} WHERE id = @id`)
        .run(values);
      if (keys.includes('processText')) writeSteps(item.id, proposal.fields.processText);
    }
    const citationsChanged = changed.has('citations');
    const next = citationsChanged ? proposal.citations.map((c) => ({ title: c.title, article: c.article, role: c.role })) : [];
    if (citationsChanged) {
      sqlite.prepare(`DELETE FROM citations WHERE item_id = ?${scope}`).run(item.id);
      proposal.citations.forEach((c, i) => insertCitation.run(item.id, 100 + i, c.instrumentId, c.title, c.article, c.documentNumber, c.role, c.tag, c.quotedText));
      if (!keys.length) sqlite.prepare(`UPDATE items SET ${ITEM_CHANGED_SQL} WHERE id = ?`).run(item.id);
    }
    const prerequisitesChange = appliesPrerequisites(proposal) ? prerequisites.replace({ id: item.id, departmentId: item.department_id }, proposal.prerequisites ?? []) : null;
    if (prerequisitesChange && !keys.length && !citationsChanged) {
      sqlite.prepare(`UPDATE items SET ${ITEM_CHANGED_SQL} WHERE id = ?`).run(item.id);
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
