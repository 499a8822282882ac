// What the working catalogue's search index (server/catalogue/working-index.ts) is fed from: live items
// as the index's rows, the items changed since a moment (every write stamps updated_at), and the list
// rows of a page of items by id.
import type { Db } from '../client.js';

/** An item as the index takes it: id, code, name, category, department code and name, level, parent code, has basis, cited titles (as published), removed at, updated at, service objects (JSON text). */
export type WorkingRow = [id: number, code: string, name: string, category: string, departmentCode: string, departmentName: string, level: string | null, parentCode: string | null, hasBasis: number, basisTitles: string | null, removedAt: string | null, updatedAt: string, serviceObjects: string];

const ROW_COLUMNS = `i.id, i.code, i.name, i.category, d.code, d.name, i.level, p.code,
  EXISTS (SELECT 1 FROM citations c WHERE c.item_id = i.id AND c.role = 'setting'),
  (SELECT group_concat(c.title, char(10)) FROM citations c WHERE c.item_id = i.id),
  i.removed_at, i.updated_at, i.service_objects`;
const ROW_FROM = 'FROM items i JOIN departments d ON d.id = i.department_id LEFT JOIN items p ON p.id = i.parent_id';

/** Every live item, by id. */
export const liveItemRows = (db: Db): IterableIterator<WorkingRow> => liveItemRowsOf(db.$client);

/** The same, from a connection of its own (a read-only one the index is built from in the background). */
export const liveItemRowsOf = (sqlite: Db['$client']): IterableIterator<WorkingRow> =>
  sqlite.prepare(`SELECT ${ROW_COLUMNS} ${ROW_FROM} WHERE i.removed_at IS NULL ORDER BY i.id`).raw().iterate() as IterableIterator<WorkingRow>;

/** Items written at or after a moment (removed ones too), by their updated_at index. */
export const itemRowsChangedSince = (db: Db, at: string): WorkingRow[] =>
  db.$client.prepare(`SELECT ${ROW_COLUMNS} ${ROW_FROM} WHERE i.updated_at >= ? ORDER BY i.updated_at, i.id`).raw().all(at) as WorkingRow[];

/** The latest updated_at of any item ('' when there is none): one step down items_updated_idx. */
export const lastItemWrite = (db: Db): string => (db.$client.prepare('SELECT max(updated_at) FROM items').pluck().get() as string | null) ?? '';
