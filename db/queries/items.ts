// Writing one item of the working catalogue from its form: read the row as stored, write the changed
// columns only if nobody else wrote it since (row_version).
import type { Db } from '../client.js';
import { ITEM_CHANGED_SQL } from './item-stamps.js';

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
  return (
    db.$client
      .prepare(`UPDATE items SET ${sets}${ITEM_CHANGED_SQL} WHERE id = @id AND row_version = @rowVersion`)
      .run({ ...values, id, rowVersion }).changes === 1
  );
}
