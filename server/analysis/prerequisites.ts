// Storing items' prerequisites (imports, review proposals, the item form), resolving the written
// names to items, and the legal office marking which edge of a loop to cut. Every write runs in the
// caller's transaction; cuts and restores keep the loop findings in step in the same transaction.
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { edgeById, itemLabels, unresolvedPrerequisites } from '../../db/queries/prerequisites.js';
import { errors } from '../errors.js';
import { afterCutInGroup, analysePrerequisites, syncCycleFlags } from './cycles.js';
import type { StateChange } from '../checks/store.js';
import { cleanPrerequisites, prerequisiteKey, resolvePrerequisite, type Candidate, type ItemLookups } from './prerequisite-names.js';

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
  const sqlite = db.$client;
  const byCode = sqlite.prepare('SELECT id, department_id AS departmentId FROM items WHERE code = ? AND removed_at IS NULL');
  const byName = sqlite.prepare('SELECT id, department_id AS departmentId FROM items WHERE name = ? AND removed_at IS NULL ORDER BY id');
  const current = sqlite.prepare('SELECT name FROM items WHERE id = ? AND removed_at IS NULL').pluck();
  let index: Map<string, Candidate[]> | null = null;
  const add = (key: string, c: Candidate) => {
    const list = index!.get(key);
    if (!list) index!.set(key, [c]);
    else if (!list.some((x) => x.id === c.id)) list.push(c);
  };
  const build = () => {
    index = new Map();
    for (const [id, name, departmentId] of sqlite.prepare('SELECT id, name, department_id FROM items WHERE removed_at IS NULL ORDER BY id').raw().iterate() as IterableIterator<[number, string, number]>) {
      add(prerequisiteKey(name), { id, departmentId });
    }
    return index;
  };
  return {
    byCode: (code) => (byCode.get(code) as Candidate | undefined) ?? null,
    byName: (name) => byName.all(name) as Candidate[],
    byKey: (key) => {
      // Entries can be stale (renamed or removed since): keep those whose current name still has the key.
      const list = (index ?? build()).get(key) ?? [];
      return list.filter((c) => {
        const name = current.get(c.id) as string | undefined;
        return name !== undefined && prerequisiteKey(name) === key;
      });
    },
    named: (item) => {
      if (index) add(prerequisiteKey(item.name), { id: item.id, departmentId: item.departmentId });
    },
  };
}

interface StoredRow {
  id: number;
  written_as: string;
  prerequisite_item_id: number | null;
  cut: number;
  cut_reason: string | null;
}

interface PendingRow {
  id: number;
  itemId: number;
  departmentId: number;
  writtenAs: string;
}

/** Prepared once per transaction: applying thousands of proposals reuses the statements and the name index. */
export function prerequisiteWriter(db: Db) {
  const sqlite = db.$client;
  const look = catalogueLookups(db);
  const current = sqlite.prepare('SELECT id, written_as, prerequisite_item_id, cut, cut_reason FROM item_prerequisites WHERE item_id = ? ORDER BY id');
  const removeAll = sqlite.prepare('DELETE FROM item_prerequisites WHERE item_id = ?');
  const insert = sqlite.prepare('INSERT INTO item_prerequisites (item_id, prerequisite_item_id, written_as, cut, cut_reason) VALUES (?, ?, ?, ?, ?)');
  const setTarget = sqlite.prepare('UPDATE item_prerequisites SET prerequisite_item_id = ? WHERE id = ? AND prerequisite_item_id IS NULL');
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
    const rows = sqlite
      .prepare(
        `SELECT ip.id, ip.item_id AS itemId, o.department_id AS departmentId, ip.written_as AS writtenAs
           FROM item_prerequisites ip JOIN items o ON o.id = ip.item_id WHERE ip.prerequisite_item_id IS NULL AND o.removed_at IS NULL`,
      )
      .all() as PendingRow[];
    for (const r of rows) remember(r);
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
      const rows = current.all(owner.id) as StoredRow[];
      const before = rows.map((r) => r.written_as);
      if (before.length === after.length && before.every((w, i) => w === after[i])) return null;
      const cuts = new Map(rows.filter((r) => r.cut === 1).map((r) => [r.written_as, r]));
      removeAll.run(owner.id);
      for (const w of after) {
        const r = resolvePrerequisite(w, owner, look);
        const cut = cuts.get(w);
        const keepCut = cut !== undefined && cut.prerequisite_item_id === r.itemId;
        const id = Number(insert.run(owner.id, r.itemId, w, keepCut ? 1 : 0, keepCut ? cut.cut_reason : null).lastInsertRowid);
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
          resolved += setTarget.run(r.itemId, row.id).changes;
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
  const sqlite = db.$client;
  const look = catalogueLookups(db);
  const set = sqlite.prepare('UPDATE item_prerequisites SET prerequisite_item_id = ? WHERE id = ?');
  let resolved = 0;
  let unresolved = 0;
  sqlite.transaction(() => {
    for (const row of unresolvedPrerequisites(db).rows) {
      const r = resolvePrerequisite(row.writtenAs, { id: row.itemId, departmentId: row.departmentId }, look);
      if (r.itemId === null) {
        unresolved++;
        if (row.targetRemoved) set.run(null, row.id);
        continue;
      }
      set.run(r.itemId, row.id);
      resolved++;
    }
  })();
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
    db.$client.prepare('UPDATE item_prerequisites SET cut = 1, cut_reason = ? WHERE id = ?').run(reason, edge.id);
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
    db.$client.prepare('UPDATE item_prerequisites SET cut = 0, cut_reason = NULL WHERE id = ?').run(edge.id);
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
  const before = db.$client.prepare('SELECT written_as FROM item_prerequisites WHERE item_id = ? ORDER BY id').pluck().all(itemId) as string[];
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
    graphChanged ||= db.$client.prepare("SELECT 1 FROM item_flags WHERE item_id = ? AND rule = 'PREREQUISITE_CYCLE'").get(item.id) !== undefined;
  }
  if (graphChanged) syncCycleFlags(db);
}
