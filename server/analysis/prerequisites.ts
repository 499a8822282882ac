// Storing items' prerequisites (imports, review proposals, the item form), resolving the written
// names to items, and the legal office marking which edge of a loop to cut. Every write runs in the
// caller's transaction; cuts and restores keep the loop findings in step in the same transaction.
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import {
  createItemSearch,
  createPrerequisiteWrites,
  edgeById,
  hasCycleFlag,
  itemLabels,
  setEdgeCut,
  unresolvedPrerequisites,
  writtenPrerequisites,
} from '../../db/queries/prerequisites.js';
import { errors } from '../errors.js';
import { afterCutInGroup, analysePrerequisites, syncCycleFlags } from './cycles.js';
import type { StateChange } from '../checks/store.js';
import { cleanPrerequisites, prerequisiteKey, resolvePrerequisite, type Candidate, type ItemLookups } from '../domain/prerequisite-names.js';

export interface NamedItem {
  id: number;
  code: string;
  name: string;
  departmentId: number;
}

/**
 * The catalogue searched by code and exact name through the indexes, and by normalised name through
 * an index of all names built on first need (and told of items created or renamed since).
 */
export function catalogueLookups(db: Db): ItemLookups & { named(item: NamedItem): void } {
  const search = createItemSearch(db);
  let index: Map<string, Candidate[]> | null = null;
  const add = (key: string, c: Candidate) => {
    const list = index!.get(key);
    if (!list) index!.set(key, [c]);
    else if (!list.some((x) => x.id === c.id)) list.push(c);
  };
  const build = () => {
    index = new Map();
    for (const [id, name, departmentId] of search.all()) {
      add(prerequisiteKey(name), { id, departmentId });
    }
    return index;
  };
  return {
    byCode: (code) => search.byCode(code),
    byName: (name) => search.byName(name),
    byKey: (key) => {
      // Entries can be stale (renamed or removed since): keep those whose current name still has the key.
      const list = (index ?? build()).get(key) ?? [];
      return list.filter((c) => {
        const name = search.currentName(c.id);
        return name !== undefined && prerequisiteKey(name) === key;
      });
    },
    named: (item) => {
      if (index) add(prerequisiteKey(item.name), { id: item.id, departmentId: item.departmentId });
    },
  };
}

interface PendingRow {
  id: number;
  itemId: number;
  departmentId: number;
  writtenAs: string;
}

/** Prepared once per transaction: applying thousands of proposals reuses the statements and the name index. */
export function prerequisiteWriter(db: Db) {
  const look = catalogueLookups(db);
  const edges = createPrerequisiteWrites(db);
  // Unresolved rows by the key of what they say, loaded when the first item is created or renamed.
  let pending: Map<string, PendingRow[]> | null = null;
  const remember = (row: PendingRow) => {
    const key = prerequisiteKey(row.writtenAs);
    const list = pending!.get(key);
    if (list) list.push(row);
    else pending!.set(key, [row]);
  };
  const loadPending = () => {
    pending = new Map();
    for (const r of edges.unresolvedRows()) remember(r);
    return pending;
  };

  return {
    /**
     * Replaces an item's prerequisites with the written list, each resolved to an item where it can
     * be. A cut stays on an edge that is written again and still means the same item. Returns the
     * lists before and after, or null when nothing changed.
     */
    replace(owner: { id: number; departmentId: number }, written: readonly string[]): { before: string[]; after: string[] } | null {
      const after = cleanPrerequisites(written);
      const rows = edges.rowsOf(owner.id);
      const before = rows.map((r) => r.written_as);
      if (before.length === after.length && before.every((w, i) => w === after[i])) return null;
      const cuts = new Map(rows.filter((r) => r.cut === 1).map((r) => [r.written_as, r]));
      edges.removeAllOf(owner.id);
      for (const w of after) {
        const r = resolvePrerequisite(w, owner, look);
        const cut = cuts.get(w);
        const keepCut = cut !== undefined && cut.prerequisite_item_id === r.itemId;
        const id = edges.insert(owner.id, r.itemId, w, keepCut, keepCut ? cut.cut_reason : null);
        if (r.itemId === null && pending) remember({ id, itemId: owner.id, departmentId: owner.departmentId, writtenAs: w });
      }
      return { before, after };
    },

    /** An item joined the catalogue or was renamed: unresolved prerequisites naming it now point at it. Returns how many. */
    named(item: NamedItem): number {
      look.named(item);
      const waiting = pending ?? loadPending();
      let resolved = 0;
      for (const key of new Set([prerequisiteKey(item.code), prerequisiteKey(item.name)])) {
        const rows = waiting.get(key);
        if (!rows) continue;
        const still = rows.filter((row) => {
          const r = resolvePrerequisite(row.writtenAs, { id: row.itemId, departmentId: row.departmentId }, look);
          if (r.itemId === null) return true;
          resolved += edges.resolve(row.id, r.itemId);
          return false;
        });
        if (still.length) waiting.set(key, still);
        else waiting.delete(key);
      }
      return resolved;
    },
  };
}

/**
 * Resolves again every prerequisite that points at no item (or at one that left the catalogue):
 * names of items added or renamed since now find them. Returns how many now resolve and how many not.
 */
export function resolvePrerequisites(db: Db): { resolved: number; unresolved: number } {
  const look = catalogueLookups(db);
  const edges = createPrerequisiteWrites(db);
  let resolved = 0;
  let unresolved = 0;
  edges.transaction(() => {
    for (const row of unresolvedPrerequisites(db).rows) {
      const r = resolvePrerequisite(row.writtenAs, { id: row.itemId, departmentId: row.departmentId }, look);
      if (r.itemId === null) {
        unresolved++;
        if (row.targetRemoved) edges.setTarget(row.id, null);
        continue;
      }
      edges.setTarget(row.id, r.itemId);
      resolved++;
    }
  });
  return { resolved, unresolved };
}

export const MAX_CUT_REASON = 500;

function loadEdgeForChange(db: Db, edgeId: number) {
  const edge = Number.isSafeInteger(edgeId) ? edgeById(db, edgeId) : null;
  const labels = edge ? itemLabels(db, [edge.itemId, ...(edge.prerequisiteItemId ? [edge.prerequisiteItemId] : [])]) : null;
  if (!edge || !labels?.has(edge.itemId) || edge.prerequisiteItemId === null) throw errors.missing('找不到该前置关系，可能已被修改，请刷新页面。');
  return { edge, from: labels.get(edge.itemId)!, to: labels.get(edge.prerequisiteItemId)! };
}

/**
 * The legal office marks the edge of a loop where approval is to start: the item no longer waits for
 * that prerequisite. Only an edge on a loop can be cut, and only with a reason.
 */
export function cutPrerequisite(db: Db, actor: Actor, edgeId: number, input: { reason?: unknown }): { changed: StateChange[] } {
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '') throw errors.invalid('请填写断开该前置关系的理由。', { reason: '请填写理由' });
  if (reason.length > MAX_CUT_REASON) throw errors.invalid(`理由不能超过 ${MAX_CUT_REASON} 个字符。`, { reason: `不能超过 ${MAX_CUT_REASON} 个字符` });
  return withTransaction(db, () => {
    const { edge, from, to } = loadEdgeForChange(db, edgeId);
    if (edge.cut) throw errors.conflict('该前置关系已经断开。');
    const analysis = analysePrerequisites(db);
    const group = analysis.groupOf.get(edge.itemId);
    if (group === undefined || group !== analysis.groupOf.get(edge.prerequisiteItemId!)) {
      throw errors.invalid(`“${from.name}”与“${to.name}”之间的前置关系不在循环中，无需断开。`);
    }
    setEdgeCut(db, edge.id, { reason });
    const after = afterCutInGroup(db, analysis, group);
    appendAudit(db, actor, {
      action: 'prerequisite.cut',
      entityType: 'item',
      entityId: from.code,
      before: { prerequisite: to.code, writtenAs: edge.writtenAs, cut: false },
      after: { prerequisite: to.code, writtenAs: edge.writtenAs, cut: true, reason },
    });
    return { changed: syncCycleFlags(db, after).changed };
  });
}

/** Undoes a cut: the item waits for that prerequisite again (and the loop, if still there, is flagged again). */
export function restorePrerequisite(db: Db, actor: Actor, edgeId: number): { changed: StateChange[] } {
  return withTransaction(db, () => {
    const { edge, from, to } = loadEdgeForChange(db, edgeId);
    if (!edge.cut) throw errors.conflict('该前置关系没有断开。');
    setEdgeCut(db, edge.id, null);
    appendAudit(db, actor, {
      action: 'prerequisite.restore',
      entityType: 'item',
      entityId: from.code,
      before: { prerequisite: to.code, writtenAs: edge.writtenAs, cut: true, reason: edge.cutReason },
      after: { prerequisite: to.code, writtenAs: edge.writtenAs, cut: false },
    });
    return { changed: syncCycleFlags(db).changed };
  });
}

/** What an item-form save does to the prerequisites: the lists before and after, or null when unchanged or not given. */
export function prerequisiteEdit(db: Db, itemId: number, written: readonly string[] | undefined): { before: string[]; after: string[] } | null {
  if (written === undefined) return null;
  const before = writtenPrerequisites(db, itemId);
  const after = cleanPrerequisites(written);
  return before.length === after.length && before.every((w, i) => w === after[i]) ? null : { before, after };
}

/**
 * A direct edit of an item (admin) reached the catalogue: store its new prerequisites, let names
 * waiting for its new name find it, and bring the loop findings in line at once (the loop may run
 * through other departments' items).
 */
export function saveItemPrerequisites(db: Db, item: NamedItem, edit: { after: string[] } | null, renamed: boolean): void {
  const writer = prerequisiteWriter(db);
  let graphChanged = false;
  if (edit) graphChanged = writer.replace(item, edit.after) !== null;
  if (renamed) {
    graphChanged = writer.named(item) > 0 || graphChanged;
    // The item's name is part of the loop's wording on every item of the loop.
    graphChanged ||= hasCycleFlag(db, item.id);
  }
  if (graphChanged) syncCycleFlags(db);
}
