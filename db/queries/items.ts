// Writing one item of the working catalogue from its form: read the row as stored, write the changed
// columns only if nobody else wrote it since (row_version).
import type { Db } from '../client.js';
import { ITEM_CHANGED_SQL } from './item-stamps.js';
import { normalizeItemName } from '../../server/domain/item-names.js';

/** An item row as stored, still in the catalogue. */
/** A row of the items table as read whole (SELECT *): the columns every caller relies on, the rest by name. */
export type ItemRow = Record<string, unknown> & { id: number; department_id: number; row_version: number; code: string; name: string; main_item_name: string | null };

export const activeItemRow = <Row>(db: Db, code: string): Row | null =>
  (db.$client.prepare('SELECT * FROM items WHERE code = ? AND removed_at IS NULL').get(code) as Row | undefined) ?? null;

/**
 * Sets the given columns (already in their stored shape) and bumps the version, if the row is still at
 * `rowVersion`; returns whether it was. Column names come from the caller's fixed map, never from input.
 */
export function updateItemColumns(db: Db, id: number, rowVersion: number, columns: Record<string, unknown>): boolean {
  const names = Object.keys(columns);
  const sets = names.map((c, i) => `${c} = @v${i}, `).join('');
  const values = Object.fromEntries(names.map((c, i) => [`v${i}`, columns[c]]));
  const done =
    db.$client
      .prepare(`UPDATE items SET ${sets}${ITEM_CHANGED_SQL} WHERE id = @id AND row_version = @rowVersion`)
      .run({ ...values, id, rowVersion }).changes === 1;
  if (done && typeof columns.name === 'string') setNameKey(db, id, columns.name);
  return done;
}

/**
 * Writes the key of an item's new name (after the rename: the items_name_key_stale trigger clears a key
 * the renaming statement left as it was). Every JS write of a name goes through here or writes the key.
 */
export const setNameKey = (db: Db, id: number, name: string): void =>
  void db.$client.prepare('UPDATE items SET name_key = ? WHERE id = ?').run(normalizeItemName(name), id);

/**
 * Fills the keys the JS writers did not write (rows from before the key, or written with the sqlite3
 * shell); cheap when there are none (items_name_key_idx). Returns how many it filled.
 */
export function fillNameKeys(db: Db): number {
  const sqlite = db.$client;
  const rows = sqlite.prepare('SELECT id, name FROM items WHERE name_key IS NULL').raw().all() as [number, string][];
  if (rows.length === 0) return 0;
  const set = sqlite.prepare('UPDATE items SET name_key = ? WHERE id = ?');
  sqlite.transaction(() => {
    for (const [id, name] of rows) set.run(normalizeItemName(name), id);
  })();
  return rows.length;
}
