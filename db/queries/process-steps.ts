// An item's stored process steps: replaced whenever its 办理流程 text is written, and the items still
// without any (for the backfill). Prepared once per writer: an import writes thousands.
import type { Db } from '../client.js';

export function createProcessStepsRepository(db: Db) {
  const sqlite = db.$client;
  const remove = sqlite.prepare('DELETE FROM process_steps WHERE item_id = ?');
  const insert = sqlite.prepare('INSERT INTO process_steps (item_id, seq, name, post, limit_days) VALUES (?, ?, ?, ?, ?)');
  const withoutSteps = sqlite.prepare(
    `SELECT i.id, i.process_text FROM items i
      WHERE i.id > ? AND i.process_text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM process_steps s WHERE s.item_id = i.id)
      ORDER BY i.id LIMIT 5000`,
  );
  return {
    replace(itemId: number, steps: readonly { name: string; post: string | null; limitDays: number | null }[]): void {
      remove.run(itemId);
      steps.forEach((s, i) => insert.run(itemId, i + 1, s.name, s.post, s.limitDays));
    },
    /** The next keyset page of items with a 办理流程 text and no stored steps. */
    itemsWithoutSteps: (after: number) => withoutSteps.all(after) as { id: number; process_text: string }[],
    transaction: (fn: () => void) => sqlite.transaction(fn)(),
  };
}
