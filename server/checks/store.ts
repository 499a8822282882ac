// Keeping the checks' findings on the working catalogue current: re-check some items (or all) and
// replace their stored flags, reporting which items changed state. Used by `catalogue check` and at
// once when the registry changes an instrument those items cite.
import { checkItem } from './engine.js';
import { checkedItems } from './load.js';
import { syncCycleFlags } from '../analysis/cycles.js';
import { buildCheckContext, type BuiltCheckContext, type CheckDeps } from './context.js';

export interface StateChange {
  code: string;
  name: string;
  department: string;
  added: string[];
  removed: string[];
}

/** Re-check the given items (all when `itemIds` is null) and store their flags; returns who changed. */
export function recheckItems(
  deps: CheckDeps,
  itemIds: number[] | null,
  ctx: BuiltCheckContext = buildCheckContext(deps, { scope: itemIds === null ? 'catalogue' : 'items' }),
  /** Told after each batch written: items checked so far. */
  onProgress: (done: number) => void = () => {},
  /**
   * What moved the re-check: 'prerequisites' (an item's edit, a finalise) may close or break a loop through
   * items outside it, so the whole catalogue's loops are synced after; 'registry' (an instrument or a
   * higher-level list changed) moves no prerequisite, so nothing outside the items needs to be read.
   */
  cause: 'prerequisites' | 'registry' = 'prerequisites',
): { items: number; flags: number; changed: StateChange[] } {
  const { checks } = deps;
  const now = new Date().toISOString();
  let items = 0;
  let flags = 0;
  const changed: StateChange[] = [];
  const batch: { id: number; code: string; name: string; department: string; findings: ReturnType<typeof checkItem> }[] = [];
  const flush = () => {
    checks.transaction(() => {
      for (const b of batch) {
        const old = new Set(checks.storedRules(b.id));
        const now_ = new Set(b.findings.map((f) => f.rule as string));
        checks.replaceFlags(b.id, b.findings, now);
        const added = [...now_].filter((r) => !old.has(r));
        const removed = [...old].filter((r) => !now_.has(r));
        if (added.length || removed.length) changed.push({ code: b.code, name: b.name, department: b.department, added, removed });
      }
    });
    batch.length = 0;
  };
  for (const item of checkedItems(checks, { ids: itemIds })) {
    items++;
    const findings = checkItem(item, ctx);
    flags += findings.length;
    batch.push({ id: item.id, code: item.key, name: item.name, department: item.departmentName, findings });
    if (batch.length >= 2000) {
      flush();
      onProgress(items);
    }
  }
  flush();
  // A prerequisite loop reaches items outside this re-check (an edit closes or breaks it for all).
  if (itemIds !== null && cause === 'prerequisites') {
    const seen = new Set(changed.map((c) => c.code));
    changed.push(...syncCycleFlags(deps.db, ctx.prerequisiteAnalysis()).changed.filter((c) => !seen.has(c.code)));
  }
  return { items, flags, changed };
}

/** Items whose citations point at an instrument (the ones a registry change can affect). */
export const itemsCiting = (deps: CheckDeps, instrumentId: number): number[] => deps.checks.itemsCiting(instrumentId);
