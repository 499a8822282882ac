// Writing proposals into the working catalogue (import confirm, finalise): items, their citations and
// version bumps. Prepared once per writer: a confirmed import applies thousands of proposals.
import type { Db } from '../client.js';
import { statementCache } from './statements.js';
import { ITEM_CHANGED_SQL } from './item-stamps.js';
import { normalizeItemName } from '../../server/domain/item-names.js';
import { setNameKey } from './items.js';

export interface CitationToStore {
  instrumentId: number | null;
  title: string;
  article: string | null;
  documentNumber: string | null;
  role: string;
  tag: string | null;
  quotedText?: string | null;
}

/** `columns`: the item columns a proposal carries, by the parameter name they are written from (fixed by the caller, never input). */
export function createItemWrites(db: Db, columns: Readonly<Record<string, string>>) {
  const sqlite = db.$client;
  const stmt = statementCache(sqlite);
  const keys = Object.keys(columns);
  /** The parameter the name is written from: its key is written with it. */
  const nameParam = keys.find((k) => columns[k] === 'name');
  const insertItem = sqlite.prepare(
    `INSERT INTO items (code, department_id, main_item_name, ${keys.map((k) => columns[k]).join(', ')}${nameParam ? ', name_key' : ''})
     VALUES (@code, @departmentId, @mainItemName, ${keys.map((k) => `@${k}`).join(', ')}${nameParam ? ', @nameKey' : ''})`,
  );
  const insertCitation = sqlite.prepare(
    'INSERT INTO citations (item_id, seq, instrument_id, title, article, document_number, role, tag, quoted_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const codeTaken = sqlite.prepare('SELECT 1 FROM items WHERE code = ?');
  const parentByName = sqlite.prepare('SELECT id FROM items WHERE department_id = ? AND name = ? AND parent_id IS NULL AND removed_at IS NULL ORDER BY id LIMIT 1');
  const departmentCode = sqlite.prepare('SELECT code FROM departments WHERE id = ?').pluck();
  const bump = sqlite.prepare(`UPDATE items SET ${ITEM_CHANGED_SQL} WHERE id = ?`);
  return {
    codeTaken: (code: string): boolean => codeTaken.get(code) !== undefined,
    /** How many items a department has had (its next code counts on from there). */
    itemCountOf: (departmentCode: string): number =>
      stmt('SELECT count(*) FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = ?').pluck().get(departmentCode) as number,
    departmentCode: (departmentId: number): string => departmentCode.get(departmentId) as string,
    insertItem: (values: Record<string, unknown>): number =>
      Number(insertItem.run(nameParam ? { ...values, nameKey: normalizeItemName(String(values[nameParam])) } : values).lastInsertRowid),
    /** The main item of that name in the department (a sub-item hangs under it). */
    parentByName: (departmentId: number, name: string): number | null => (parentByName.get(departmentId, name) as { id: number } | undefined)?.id ?? null,
    setParent: (itemId: number, parentId: number) => void stmt('UPDATE items SET parent_id = ?, main_item_name = NULL WHERE id = ?').run(parentId, itemId),
    /** Sub-items written before their main item (they name it in main_item_name) hang under it now. */
    adoptSubItems: (departmentId: number, mainName: string, parentId: number) =>
      void stmt(
        'UPDATE items SET parent_id = ?, main_item_name = NULL WHERE department_id = ? AND main_item_name = ? AND parent_id IS NULL AND removed_at IS NULL AND id <> ?',
      ).run(parentId, departmentId, mainName, parentId),
    itemRow: <Row>(itemId: number): Row => stmt('SELECT * FROM items WHERE id = ?').get(itemId) as Row,
    /** Sets the given columns (by parameter name) and bumps the version. */
    updateColumns(itemId: number, values: Record<string, unknown>): void {
      const names = Object.keys(values);
      stmt(`UPDATE items SET ${names.map((k) => `${columns[k]} = @${k}`).join(', ')}, ${ITEM_CHANGED_SQL} WHERE id = @id`).run({
        ...values,
        id: itemId,
      });
      if (nameParam && typeof values[nameParam] === 'string') setNameKey(db, itemId, values[nameParam]);
    },
    bumpVersion: (itemId: number) => void bump.run(itemId),
    insertCitation: (itemId: number, seq: number, c: CitationToStore) =>
      void insertCitation.run(itemId, seq, c.instrumentId, c.title, c.article, c.documentNumber, c.role, c.tag, c.quotedText),
    /** An item's citations as compared (all, or the setting ones only). */
    citationsOf: (itemId: number, settingOnly: boolean) =>
      stmt(`SELECT title, article, role FROM citations WHERE item_id = ?${settingOnly ? " AND role = 'setting'" : ''} ORDER BY seq`).all(itemId),
    deleteCitations: (itemId: number, settingOnly: boolean) => void stmt(`DELETE FROM citations WHERE item_id = ?${settingOnly ? " AND role = 'setting'" : ''}`).run(itemId),
  };
}
