// Keeping the checks' findings on the working catalogue current: re-check some items (or all) and
// replace their stored flags, reporting which items changed state. Used by `catalogue check` and at
// once when the registry changes an instrument those items cite.
import type { Db } from '../../db/client.js';
import { checkItem } from './engine.js';
import { catalogueCheckContext, checkedItems } from './load.js';
import { analysisFor, syncCycleFlags } from '../analysis/cycles.js';
import type { CheckContext } from './types.js';

export interface StateChange {
  code: string;
  name: string;
  department: string;
  added: string[];
  removed: string[];
}

/** Re-check the given items (all when `itemIds` is null) and store their flags; returns who changed. */
export function recheckItems(db: Db, itemIds: number[] | null, ctx: CheckContext = catalogueCheckContext(db)): { items: number; flags: number; changed: StateChange[] } {
  const sqlite = db.$client;
  const before = sqlite.prepare('SELECT rule FROM item_flags WHERE item_id = ?').pluck();
  const remove = sqlite.prepare('DELETE FROM item_flags WHERE item_id = ?');
  const insert = sqlite.prepare(
    'INSERT INTO item_flags (item_id, rule, severity, message, suggestion, suggestion_text, ground, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const now = new Date().toISOString();
  let items = 0;
  let flags = 0;
  const changed: StateChange[] = [];
  const batch: { id: number; code: string; name: string; department: string; findings: ReturnType<typeof checkItem> }[] = [];
  const flush = () => {
    sqlite.transaction(() => {
      for (const b of batch) {
        const old = new Set(before.all(b.id) as string[]);
        const now_ = new Set(b.findings.map((f) => f.rule as string));
        remove.run(b.id);
        for (const f of b.findings) insert.run(b.id, f.rule, f.severity, f.message, f.suggestion, f.suggestionText, f.ground, now);
        const added = [...now_].filter((r) => !old.has(r));
        const removed = [...old].filter((r) => !now_.has(r));
        if (added.length || removed.length) changed.push({ code: b.code, name: b.name, department: b.department, added, removed });
      }
    })();
    batch.length = 0;
  };
  for (const item of checkedItems(db, { ids: itemIds })) {
    items++;
    const findings = checkItem(item, ctx);
    flags += findings.length;
    batch.push({ id: item.id, code: item.key, name: item.name, department: item.departmentName, findings });
    if (batch.length >= 2000) flush();
  }
  flush();
  // A prerequisite loop reaches items outside this re-check (an edit closes or breaks it for all).
  if (itemIds !== null && ctx.prerequisiteLoop) {
    const seen = new Set(changed.map((c) => c.code));
    changed.push(...syncCycleFlags(db, analysisFor(db, ctx)).changed.filter((c) => !seen.has(c.code)));
  }
  return { items, flags, changed };
}

/** Items whose citations point at an instrument (the ones a registry change can affect). */
export const itemsCiting = (db: Db, instrumentId: number): number[] =>
  db.$client.prepare('SELECT DISTINCT c.item_id FROM citations c JOIN items i ON i.id = c.item_id WHERE c.instrument_id = ? AND i.removed_at IS NULL').pluck().all(instrumentId) as number[];
