// One item re-checked after a save, its findings stored, so the form that saved it shows them at once.
import type { Db } from '../../db/client.js';
import { activeItemRow, type ItemRow } from '../../db/queries/items.js';
import { checkDeps } from './context.js';
import { recheckItems } from './store.js';

export function recheckItemByCode(db: Db, code: string): void {
  const row = activeItemRow<ItemRow>(db, code);
  if (row) recheckItems(checkDeps(db), [row.id]);
}
