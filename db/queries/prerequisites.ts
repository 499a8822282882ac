// Reading the prerequisite graph: the whole edge list as typed arrays (the cycle analysis), the
// neighbourhood of one item (its page), item labels, cut edges and the names that resolved to nothing.
import type { Db } from '../client.js';
import { preparedOnce } from '../prepared.js';

export interface ItemLabel {
  id: number;
  code: string;
  name: string;
  departmentCode: string;
  departmentName: string;
}

/** Edges of the working catalogue as the analysis takes them: each item is the node numbered by its id. */
export interface PrerequisiteEdges {
  /** Highest item id + 1 (ids of removed items and gaps are nodes without edges). */
  nodeCount: number;
  /** Items in the working catalogue. */
  items: number;
  from: Int32Array;
  to: Int32Array;
  edgeCount: number;
}

/** Both ends of an edge packed into one integer, exact while the highest id stays below this. */
const PACKABLE_IDS = 94_000_000;

/**
 * Every resolved edge that is not cut between items still in the catalogue, from the item to the
 * item it requires first. Both ends are read packed into one integer column: no row objects for
 * 300,000 edges.
 */
export function loadPrerequisiteEdges(db: Db): PrerequisiteEdges {
  const sqlite = db.$client;
  const maxId = (sqlite.prepare('SELECT coalesce(max(id), 0) FROM items').pluck().get() as number);
  const items = sqlite.prepare('SELECT count(*) FROM items WHERE removed_at IS NULL').pluck().get() as number;
  const removed = new Uint8Array(maxId + 1);
  for (const id of sqlite.prepare('SELECT id FROM items WHERE removed_at IS NOT NULL').pluck().all() as number[]) removed[id] = 1;
  const counted = 'FROM item_prerequisites WHERE cut = 0 AND prerequisite_item_id IS NOT NULL';
  let owners: ArrayLike<number>;
  let targets: ArrayLike<number>;
  const factor = maxId + 1;
  if (maxId < PACKABLE_IDS) {
    const packed = sqlite.prepare(`SELECT item_id * ${factor} + prerequisite_item_id ${counted}`).pluck().all() as number[];
    const a = new Int32Array(packed.length);
    const b = new Int32Array(packed.length);
    for (let e = 0; e < packed.length; e++) {
      const v = packed[e]!;
      const owner = Math.floor(v / factor);
      a[e] = owner;
      b[e] = v - owner * factor;
    }
    owners = a;
    targets = b;
  } else {
    owners = sqlite.prepare(`SELECT item_id ${counted} ORDER BY id`).pluck().all() as number[];
    targets = sqlite.prepare(`SELECT prerequisite_item_id ${counted} ORDER BY id`).pluck().all() as number[];
  }
  const from = new Int32Array(owners.length);
  const to = new Int32Array(owners.length);
  let m = 0;
  for (let e = 0; e < owners.length; e++) {
    const a = owners[e]!;
    const b = targets[e]!;
    if (a > maxId || b > maxId || removed[a] || removed[b]) continue; // an end left the catalogue
    from[m] = a;
    to[m++] = b;
  }
  return { nodeCount: maxId + 1, items, from, to, edgeCount: m };
}

const LABEL_SQL = `SELECT i.id, i.code, i.name, d.code AS departmentCode, d.name AS departmentName
   FROM items i JOIN departments d ON d.id = i.department_id WHERE i.id IN `;

/** Code, name and department of the given items (any number of ids); `activeOnly` leaves out items no longer in the catalogue. */
export function itemLabels(db: Db, ids: Iterable<number>, options: { activeOnly?: boolean } = {}): Map<number, ItemLabel> {
  const all = [...new Set(ids)];
  const out = new Map<number, ItemLabel>();
  const active = options.activeOnly ? ' AND i.removed_at IS NULL' : '';
  for (let i = 0; i < all.length; i += 500) {
    const chunk = all.slice(i, i + 500);
    for (const r of db.$client.prepare(`${LABEL_SQL}(${chunk.map(() => '?').join(',')})${active}`).all(...chunk) as ItemLabel[]) out.set(r.id, r);
  }
  return out;
}

/** An active item's id and department by code. */
export const activeItemByCode = (db: Db, code: string): { id: number; departmentId: number; name: string } | null =>
  (activeByCode(db).get(code) as
    | { id: number; departmentId: number; name: string }
    | undefined) ?? null;

// The checks ask once per proposal of a submission (100,000 at an import).
const activeByCode = preparedOnce('SELECT id, department_id AS departmentId, name FROM items WHERE code = ? AND removed_at IS NULL');

/** The prerequisites an item lists, as written, in order. */
export const writtenPrerequisites = (db: Db, itemId: number): string[] =>
  db.$client.prepare('SELECT written_as FROM item_prerequisites WHERE item_id = ? ORDER BY id').pluck().all(itemId) as string[];

export interface EdgeRow {
  id: number;
  itemId: number;
  prerequisiteItemId: number | null;
  writtenAs: string;
  cut: boolean;
  cutReason: string | null;
}

const EDGE_COLUMNS = 'ip.id, ip.item_id AS itemId, ip.prerequisite_item_id AS prerequisiteItemId, ip.written_as AS writtenAs, ip.cut, ip.cut_reason AS cutReason';
type RawEdge = Omit<EdgeRow, 'cut'> & { cut: number };
const toEdge = (r: RawEdge): EdgeRow => ({ ...r, cut: r.cut === 1 });

export const edgeById = (db: Db, id: number): EdgeRow | null => {
  const r = db.$client.prepare(`SELECT ${EDGE_COLUMNS} FROM item_prerequisites ip WHERE ip.id = ?`).get(id) as RawEdge | undefined;
  return r ? toEdge(r) : null;
};

/** Every edge (cut or not) between the given items. */
export function edgesAmong(db: Db, ids: readonly number[]): EdgeRow[] {
  if (ids.length === 0) return [];
  const out: EdgeRow[] = [];
  const stmt = db.$client.prepare(`SELECT ${EDGE_COLUMNS} FROM item_prerequisites ip WHERE ip.item_id = ? AND ip.prerequisite_item_id IS NOT NULL ORDER BY ip.id`);
  const members = new Set(ids);
  for (const id of ids) for (const r of stmt.all(id) as RawEdge[]) if (members.has(r.prerequisiteItemId!)) out.push(toEdge(r));
  return out;
}

/** One item's own rows: what it requires (resolved or not). */
export const edgesOf = (db: Db, itemId: number): EdgeRow[] =>
  (db.$client.prepare(`SELECT ${EDGE_COLUMNS} FROM item_prerequisites ip WHERE ip.item_id = ? ORDER BY ip.id`).all(itemId) as RawEdge[]).map(toEdge);

/** Rows of active items that require this one. */
export const edgesTo = (db: Db, itemId: number): EdgeRow[] =>
  (
    db.$client
      .prepare(`SELECT ${EDGE_COLUMNS} FROM item_prerequisites ip JOIN items o ON o.id = ip.item_id WHERE ip.prerequisite_item_id = ? AND o.removed_at IS NULL ORDER BY ip.id`)
      .all(itemId) as RawEdge[]
  ).map(toEdge);

/** The items an item requires over edges that count (resolved, not cut, still in the catalogue), ascending. */
export function requiredBy(db: Db) {
  const stmt = db.$client
    .prepare('SELECT ip.prerequisite_item_id FROM item_prerequisites ip JOIN items t ON t.id = ip.prerequisite_item_id WHERE ip.item_id = ? AND ip.cut = 0 AND t.removed_at IS NULL ORDER BY ip.prerequisite_item_id')
    .pluck();
  return (id: number) => stmt.all(id) as number[];
}

/** The items that require an item over edges that count, ascending. */
export function requiring(db: Db) {
  const stmt = db.$client
    .prepare('SELECT ip.item_id FROM item_prerequisites ip JOIN items o ON o.id = ip.item_id WHERE ip.prerequisite_item_id = ? AND ip.cut = 0 AND o.removed_at IS NULL ORDER BY ip.item_id')
    .pluck();
  return (id: number) => stmt.all(id) as number[];
}

/** Every cut edge of active items, with the item's department (for filtering by department). */
export const cutEdges = (db: Db): EdgeRow[] =>
  (
    db.$client
      .prepare(`SELECT ${EDGE_COLUMNS} FROM item_prerequisites ip JOIN items o ON o.id = ip.item_id WHERE ip.cut = 1 AND o.removed_at IS NULL ORDER BY ip.id`)
      .all() as RawEdge[]
  ).map(toEdge);

export interface UnresolvedRow {
  id: number;
  itemId: number;
  departmentId: number;
  writtenAs: string;
  /** The item it once pointed at left the catalogue. */
  targetRemoved: boolean;
}

/** Rows of active items whose written name points at no item in the catalogue. */
export function unresolvedPrerequisites(db: Db, options: { departmentId?: number | null; limit?: number } = {}): { total: number; rows: UnresolvedRow[] } {
  const where = `FROM item_prerequisites ip JOIN items o ON o.id = ip.item_id LEFT JOIN items t ON t.id = ip.prerequisite_item_id
    WHERE o.removed_at IS NULL AND (ip.prerequisite_item_id IS NULL OR t.removed_at IS NOT NULL) AND (@department IS NULL OR o.department_id = @department)`;
  const params = { department: options.departmentId ?? null };
  const total = db.$client.prepare(`SELECT count(*) ${where}`).pluck().get(params) as number;
  const rows = (
    db.$client
      .prepare(`SELECT ip.id, ip.item_id AS itemId, o.department_id AS departmentId, ip.written_as AS writtenAs, ip.prerequisite_item_id IS NOT NULL AS targetRemoved ${where} ORDER BY ip.id LIMIT @limit`)
      .all({ ...params, limit: options.limit ?? -1 }) as (Omit<UnresolvedRow, 'targetRemoved'> & { targetRemoved: number })[]
  ).map((r) => ({ ...r, targetRemoved: r.targetRemoved === 1 }));
  return { total, rows };
}

/** Stored PREREQUISITE_CYCLE findings: item id → message. */
export const storedCycleFlags = (db: Db): Map<number, string> =>
  new Map(db.$client.prepare("SELECT item_id, message FROM item_flags WHERE rule = 'PREREQUISITE_CYCLE'").raw().all() as [number, string][]);

/** A department's code by id ('' when there is none). */
export const departmentCodeOf = (db: Db, departmentId: number): string =>
  (db.$client.prepare('SELECT code FROM departments WHERE id = ?').pluck().get(departmentId) as string | undefined) ?? '';

/** The searches that resolve a written prerequisite to an item still in the catalogue. */
export function createItemSearch(db: Db) {
  const sqlite = db.$client;
  const byCode = sqlite.prepare('SELECT id, department_id AS departmentId FROM items WHERE code = ? AND removed_at IS NULL');
  const byName = sqlite.prepare('SELECT id, department_id AS departmentId FROM items WHERE name = ? AND removed_at IS NULL ORDER BY id');
  const currentName = sqlite.prepare('SELECT name FROM items WHERE id = ? AND removed_at IS NULL').pluck();
  const all = sqlite.prepare('SELECT id, name, department_id FROM items WHERE removed_at IS NULL ORDER BY id').raw();
  return {
    byCode: (code: string) => (byCode.get(code) as { id: number; departmentId: number } | undefined) ?? null,
    byName: (name: string) => byName.all(name) as { id: number; departmentId: number }[],
    currentName: (id: number) => currentName.get(id) as string | undefined,
    /** Every item still in the catalogue as [id, name, departmentId], streamed in id order. */
    all: () => all.iterate() as IterableIterator<[number, string, number]>,
  };
}

/** The writes to the prerequisite edges, prepared once (applying thousands of proposals reuses them). */
export function createPrerequisiteWrites(db: Db) {
  const sqlite = db.$client;
  const current = sqlite.prepare('SELECT id, written_as, prerequisite_item_id, cut, cut_reason FROM item_prerequisites WHERE item_id = ? ORDER BY id');
  const removeAll = sqlite.prepare('DELETE FROM item_prerequisites WHERE item_id = ?');
  const insert = sqlite.prepare('INSERT INTO item_prerequisites (item_id, prerequisite_item_id, written_as, cut, cut_reason) VALUES (?, ?, ?, ?, ?)');
  const setTargetIfUnset = sqlite.prepare('UPDATE item_prerequisites SET prerequisite_item_id = ? WHERE id = ? AND prerequisite_item_id IS NULL');
  const setTarget = sqlite.prepare('UPDATE item_prerequisites SET prerequisite_item_id = ? WHERE id = ?');
  const pending = sqlite.prepare(
    `SELECT ip.id, ip.item_id AS itemId, o.department_id AS departmentId, ip.written_as AS writtenAs
       FROM item_prerequisites ip JOIN items o ON o.id = ip.item_id WHERE ip.prerequisite_item_id IS NULL AND o.removed_at IS NULL`,
  );
  return {
    /** An item's stored prerequisite rows, in order. */
    rowsOf: (itemId: number) => current.all(itemId) as { id: number; written_as: string; prerequisite_item_id: number | null; cut: number; cut_reason: string | null }[],
    removeAllOf: (itemId: number) => void removeAll.run(itemId),
    insert: (itemId: number, targetId: number | null, writtenAs: string, cut: boolean, cutReason: string | null): number =>
      Number(insert.run(itemId, targetId, writtenAs, cut ? 1 : 0, cutReason).lastInsertRowid),
    /** Points an unresolved row at an item; returns 1 when it was still unresolved. */
    resolve: (rowId: number, targetId: number): number => setTargetIfUnset.run(targetId, rowId).changes,
    setTarget: (rowId: number, targetId: number | null) => void setTarget.run(targetId, rowId),
    /** Unresolved rows of items still in the catalogue. */
    unresolvedRows: () => pending.all() as { id: number; itemId: number; departmentId: number; writtenAs: string }[],
    /** Runs `fn` in one transaction (nested: a savepoint). */
    transaction: (fn: () => void) => sqlite.transaction(fn)(),
  };
}

export function setEdgeCut(db: Db, edgeId: number, cut: { reason: string } | null): void {
  db.$client.prepare('UPDATE item_prerequisites SET cut = ?, cut_reason = ? WHERE id = ?').run(cut ? 1 : 0, cut?.reason ?? null, edgeId);
}

/** Whether an item carries a stored PREREQUISITE_CYCLE finding. */
export const hasCycleFlag = (db: Db, itemId: number): boolean =>
  db.$client.prepare("SELECT 1 FROM item_flags WHERE item_id = ? AND rule = 'PREREQUISITE_CYCLE'").get(itemId) !== undefined;

/** Replaces or removes items' stored PREREQUISITE_CYCLE findings (in the caller's transaction). */
export function createCycleFlagWrites(db: Db) {
  const sqlite = db.$client;
  const remove = sqlite.prepare("DELETE FROM item_flags WHERE item_id = ? AND rule = 'PREREQUISITE_CYCLE'");
  const insert = sqlite.prepare(
    'INSERT INTO item_flags (item_id, rule, severity, message, suggestion, suggestion_text, ground, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return {
    remove: (itemId: number) => void remove.run(itemId),
    insert: (itemId: number, f: { rule: string; severity: string; message: string; suggestion: string; suggestionText: string; ground: string }, checkedAt: string) =>
      void insert.run(itemId, f.rule, f.severity, f.message, f.suggestion, f.suggestionText, f.ground, checkedAt),
    transaction: (fn: () => void) => sqlite.transaction(fn)(),
  };
}
