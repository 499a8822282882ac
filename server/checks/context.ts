// The one check context: what the catalogue-wide rules compare an item with (other departments'
// claims, confirmed higher-level lists, the cancellation register, prerequisite loops). The import
// preview, a submission, the finalise, the item page and the full check all build it here, so a flag
// raised in one is raised the same in the others.
import type { Db } from '../../db/client.js';
import { activeItemByCode } from '../../db/queries/prerequisites.js';
import { createChecksRepository, type CancelledRow, type ChecksRepository, type ConfirmedMatchRow, type NamedItemTuple } from '../../db/queries/checks.js';
import { analysePrerequisites, localLoop, loopOf, proposedLoop, type CycleAnalysis } from '../analysis/cycles.js';
import { catalogueLookups } from '../analysis/prerequisites.js';
import { createPrerequisiteWrites } from '../../db/queries/prerequisites.js';
import { prerequisiteKey, resolvePrerequisite } from '../domain/prerequisite-names.js';
import { NameIndex, normalizeItemName } from './similarity.js';
import type { CancelledAboveMatch, CancelledEarlierMatch, CheckContext, CheckedItem, DuplicateClaim, PrerequisiteLoop, StandardName } from './types.js';

const none = (): readonly never[] => [];

/** A context with nothing to compare against, for tests of single rules; override what you have. */
export function createCheckContext(asOf: string, lookups: Partial<Omit<CheckContext, 'asOf'>> = {}): CheckContext {
  return {
    asOf,
    cancelledAbove: none,
    cancelledEarlier: none,
    duplicatesOf: none,
    standardName: () => null,
    memo: {},
    ...lookups,
  };
}

export interface CheckDeps {
  db: Db;
  checks: ChecksRepository;
}

export const checkDeps = (db: Db): CheckDeps => ({ db, checks: createChecksRepository(db) });

/**
 * 'catalogue': many items (a full check, an import preview) — lookups are answered from indexes
 * loaded once. 'items': a few items (a submission, a finalise, the item page) — lookups query per
 * item where an index on the database serves. The answers are the same.
 */
export type CheckScope = 'catalogue' | 'items';

export interface BuiltCheckContext extends CheckContext {
  prerequisiteLoop: NonNullable<CheckContext['prerequisiteLoop']>;
  /** The whole catalogue's prerequisite loops, analysed on first need and then kept with the context. */
  prerequisiteAnalysis(): CycleAnalysis;
}

/** How alike a new name must be to a cancelled one to raise RECREATED_AFTER_CANCEL. */
export const RECREATED_MIN_SCORE = 0.75;

const today = () => new Date().toISOString().slice(0, 10);

export function buildCheckContext(deps: CheckDeps, options: { asOf?: string; scope: CheckScope }): BuiltCheckContext {
  let analysis: CycleAnalysis | null = null;
  const prerequisiteAnalysis = () => (analysis ??= analysePrerequisites(deps.db));
  return {
    ...createCheckContext(options.asOf ?? today()),
    ...confirmedMatchLookups(deps.checks, options.scope),
    cancelledEarlier: registerLookup(deps.checks),
    duplicatesOf: duplicateLookup(deps.checks, options.scope),
    prerequisiteLoop: loopLookup(deps.db, options.scope, () => analysis, prerequisiteAnalysis),
    prerequisiteAnalysis,
  };
}

/** The order claims are listed in (that of items_department_idx): by department, category, then id. */
const byDepartmentOrder = (a: NamedItemTuple, b: NamedItemTuple) => a[3] - b[3] || (a[4] < b[4] ? -1 : a[4] > b[4] ? 1 : 0) || a[0] - b[0];

/** A catalogue of more items than this looks each proposal's name up in its index instead (see duplicateLookup). */
const LIVE_KEYS_KEPT = 200_000;

/** A row's name key: stored, or (not yet filled) normalised here. */
const keyOf = (r: NamedItemTuple): string => r[5] ?? normalizeItemName(r[2]);

/**
 * The same power claimed by other departments: items whose names are the same once normalised, found by
 * the stored key (items.name_key, indexed). For a few items (a registry change's re-check, a finalise,
 * the item page) each key is one indexed query, so the cost follows the items checked, not the catalogue.
 * For the whole catalogue, the items whose key another item shares are read once (usually a few); a
 * catalogue item whose stored key is not among them has no namesake, and anything else (a proposal) is
 * looked up by its key.
 */
function duplicateLookup(checks: ChecksRepository, scope: CheckScope): CheckContext['duplicatesOf'] {
  let departments: Map<number, string> | null = null;
  let shared: Map<string, NamedItemTuple[]> | null = null;
  const byKey = (key: string): NamedItemTuple[] => checks.namedItemsByKey(key).filter((r) => keyOf(r) === key);
  const loadShared = () => {
    const index = new Map<string, NamedItemTuple[]>();
    const unfilled: string[] = [];
    for (const r of checks.namedItemsOfSharedKeys()) {
      const key = keyOf(r);
      if (r[5] === null) unfilled.push(key);
      const list = index.get(key);
      if (list) list.push(r);
      else index.set(key, [r]);
    }
    // An unfilled name may share its key with one filled item that the group count did not see.
    for (const key of new Set(unfilled)) index.set(key, byKey(key));
    for (const [key, list] of index) {
      if (list.length < 2) index.delete(key);
      else list.sort(byDepartmentOrder);
    }
    return index;
  };
  // The whole catalogue's name keys, up to LIVE_KEYS_KEPT: a proposal whose key no live item has has no
  // namesake, without a query (an upload's 100,000 proposals asked the index one by one).
  let liveKeys: Set<string> | null | undefined;
  const namesakes = (item: CheckedItem, key: string): NamedItemTuple[] | undefined => {
    if (scope === 'catalogue') {
      const found = (shared ??= loadShared()).get(key);
      if (found || typeof item.nameKey === 'string') return found;
      if (liveKeys === undefined) liveKeys = checks.liveNameKeys(LIVE_KEYS_KEPT);
      if (liveKeys && !liveKeys.has(key)) return undefined;
    }
    return byKey(key).sort(byDepartmentOrder);
  };
  return (item) => {
    const key = typeof item.nameKey === 'string' ? item.nameKey : normalizeItemName(item.name);
    const found = namesakes(item, key);
    if (!found || found.length === 0) return [];
    departments ??= checks.departmentNames();
    const claims: DuplicateClaim[] = [];
    for (const r of found) {
      const departmentName = departments.get(r[3])!;
      if (departmentName !== item.departmentName) claims.push({ key: r[1], name: r[2], departmentName });
    }
    return claims;
  };
}

/**
 * Confirmed matches on higher-level lists: cancellation lists raise CANCELLED_ABOVE, the standard
 * base catalogue gives NAME_NOT_STANDARD its name.
 */
function confirmedMatchLookups(checks: ChecksRepository, scope: CheckScope): Pick<CheckContext, 'cancelledAbove' | 'standardName'> {
  let byCode: Map<string, ConfirmedMatchRow[]> | null = null;
  const load = () => {
    const index = new Map<string, ConfirmedMatchRow[]>();
    for (const r of checks.confirmedMatches()) {
      const list = index.get(r.item_code);
      if (list) list.push(r);
      else index.set(r.item_code, [r]);
    }
    return index;
  };
  const rowsOf = (item: CheckedItem): ConfirmedMatchRow[] => {
    if (!item.code) return [];
    return scope === 'items' ? checks.confirmedMatchesOf(item.code) : ((byCode ??= load()).get(item.code) ?? []);
  };
  const toCancelled = (r: ConfirmedMatchRow): CancelledAboveMatch => ({
    listTitle: r.list_title,
    decisionNumber: r.entry_number ?? r.list_number,
    name: r.entry_name,
    score: r.score_permille / 1000,
  });
  return {
    cancelledAbove: (item) => rowsOf(item).filter((r) => r.kind === 'cancellation').map(toCancelled),
    standardName: (item): StandardName | null => {
      const best = rowsOf(item).filter((r) => r.kind === 'standard').sort((a, b) => b.score_permille - a.score_permille)[0];
      return best ? { name: best.entry_name, score: best.score_permille / 1000 } : null;
    },
  };
}

/**
 * Items cancelled earlier (the cancellation register, in any campaign): the one with the item's own code
 * (a row that brings a cancelled item back as it was), then those found by name similarity; indexed on first use.
 */
function registerLookup(checks: ChecksRepository): CheckContext['cancelledEarlier'] {
  let index: NameIndex<CancelledRow> | null = null;
  let byCode: Map<string, CancelledRow> | null = null;
  const toMatch = (e: CancelledRow, score: number): CancelledEarlierMatch => ({ name: e.name, departmentName: e.department, cancelledOn: e.on, reason: e.reason, score });
  return (item): CancelledEarlierMatch[] => {
    if (!index) {
      const rows = checks.cancelledItems();
      index = new NameIndex(rows, (e) => e.name);
      byCode = new Map(rows.filter((e) => e.code).map((e) => [e.code!, e]));
    }
    if (index.size === 0) return [];
    const same = item.code ? byCode!.get(item.code) : undefined;
    const similar = index.search(item.name, { min: RECREATED_MIN_SCORE, limit: 3 }).filter((m) => m.candidate !== same);
    return [...(same ? [toMatch(same, 1)] : []), ...similar.map((m) => toMatch(m.candidate, m.score))].slice(0, 3);
  };
}

/**
 * The prerequisite loop through the catalogue item an item (or a proposal for it) has the code of.
 * For a few items the loop is walked around each (the same loop the whole analysis finds), unless
 * the whole analysis is already at hand.
 */
function loopLookup(db: Db, scope: CheckScope, analysed: () => CycleAnalysis | null, analyse: () => CycleAnalysis): BuiltCheckContext['prerequisiteLoop'] {
  let byCode: Map<string, number> | null = null;
  let byCodeOf: CycleAnalysis | null = null;
  const proposed = proposedLoopLookup(db);
  const stored = (item: CheckedItem): PrerequisiteLoop | null => {
    if (!item.code) return null;
    const a = scope === 'catalogue' ? analyse() : analysed();
    if (!a) {
      const found = activeItemByCode(db, item.code);
      return found ? localLoop(db, found.id) : null;
    }
    if (byCodeOf !== a) {
      byCode = new Map([...a.labels.values()].map((l) => [l.code, l.id]));
      byCodeOf = a;
    }
    const id = byCode!.get(item.code);
    return id === undefined ? null : loopOf(a, id);
  };
  // The catalogue's own loop first (the one the full check names); else the loop a proposal's 前置事项 would close.
  return (item) => stored(item) ?? (item.prerequisites?.length ? proposed(item) : null);
}

/** The loop a proposal's 前置事项 close with items already in the catalogue (see proposedLoop). */
function proposedLoopLookup(db: Db): (item: CheckedItem) => PrerequisiteLoop | null {
  let look: ReturnType<typeof catalogueLookups> | null = null;
  let pending: Map<string, number[]> | null = null;
  const requirersByName = (name: string): number[] => {
    if (!pending) {
      pending = new Map();
      for (const r of createPrerequisiteWrites(db).unresolvedRows()) {
        const key = prerequisiteKey(r.writtenAs);
        const list = pending.get(key);
        if (list) list.push(r.itemId);
        else pending.set(key, [r.itemId]);
      }
    }
    return pending.get(prerequisiteKey(name)) ?? [];
  };
  return (item) =>
    proposedLoop(
      db,
      { code: item.code, name: item.name, departmentName: item.departmentName, prerequisites: item.prerequisites ?? [] },
      (written, owner) => resolvePrerequisite(written, owner, (look ??= catalogueLookups(db))).itemId,
      requirersByName,
    );
}
