// Prerequisite loops (互为前置) in the working catalogue: found over all departments at once, looked
// up by the checks (PREREQUISITE_CYCLE), and kept in step in item_flags whenever the graph changes.
import type { Db } from '../../db/client.js';
import { activeItemByCode, createCycleFlagWrites, itemLabels, loadPrerequisiteEdges, requiredBy, requiring, storedCycleFlags, type ItemLabel } from '../../db/queries/prerequisites.js';
import { cycleFinding } from '../checks/rules/prerequisite-cycle.js';
import type { PrerequisiteLoop } from '../checks/types.js';
import type { StateChange } from '../checks/store.js';
import { buildGraph, cyclicComponents, loopsThroughEach, stronglyConnected, subgraph, type Graph } from './graph.js';

export interface CycleAnalysis {
  /** Items and counted edges (resolved, not cut, both ends in the catalogue). */
  items: number;
  edges: number;
  /** Each strongly connected group holding a loop: its item ids, ascending. */
  groups: number[][];
  /** Item id → the loop through it (item ids in order, each requiring the next). */
  loops: Map<number, number[]>;
  /** Item id → its group's index in `groups`. */
  groupOf: Map<number, number>;
  labels: Map<number, ItemLabel>;
  /** Milliseconds per step, for the benchmark. */
  timings: { load: number; components: number; loops: number; labels: number };
}

/** The loops of a group's subgraph (members ascending) as item ids. */
function groupLoops(sub: Graph, members: ArrayLike<number>, idOf: (member: number) => number, into: Map<number, number[]>): void {
  const loops = loopsThroughEach(sub);
  for (let i = 0; i < loops.length; i++) into.set(idOf(members[i]!), loops[i]!.map((local) => idOf(members[local]!)));
}

/** Finds every loop of prerequisites across all departments. */
export function analysePrerequisites(db: Db): CycleAnalysis {
  const t0 = performance.now();
  const edges = loadPrerequisiteEdges(db);
  const t1 = performance.now();
  // Nodes are item ids: members of a component come out in id order.
  const g = buildGraph(edges.nodeCount, edges.from, edges.to, edges.edgeCount, { sorted: false });
  const components = cyclicComponents(g, stronglyConnected(g));
  const t2 = performance.now();
  const loops = new Map<number, number[]>();
  const groupOf = new Map<number, number>();
  const groups: number[][] = [];
  for (const members of components) {
    const ids = Array.from(members);
    for (const id of ids) groupOf.set(id, groups.length);
    groups.push(ids);
    groupLoops(subgraph(g, members), members, (v) => v, loops);
  }
  const t3 = performance.now();
  const labels = itemLabels(db, loops.keys());
  const t4 = performance.now();
  return { items: edges.items, edges: edges.edgeCount, groups, loops, groupOf, labels, timings: { load: t1 - t0, components: t2 - t1, loops: t3 - t2, labels: t4 - t3 } };
}

const toLoop = (ids: number[], groupSize: number, labels: Map<number, ItemLabel>): PrerequisiteLoop => ({
  items: ids.map((id) => {
    const l = labels.get(id)!;
    return { code: l.code, name: l.name, departmentName: l.departmentName };
  }),
  groupSize,
});

/** The loop through an item of the analysis, worded for the checks. */
export function loopOf(a: CycleAnalysis, itemId: number): PrerequisiteLoop | null {
  const ids = a.loops.get(itemId);
  return ids ? toLoop(ids, a.groups[a.groupOf.get(itemId)!]!.length, a.labels) : null;
}

/** Above this many items reached around one item, its group is taken from the whole-catalogue analysis. */
const LOCAL_LIMIT = 5_000;

/**
 * The strongly connected group around one item, read from its neighbourhood only, ascending; empty
 * when it lies on no loop; null when the neighbourhood is too large to walk this way. The group is
 * what the item reaches that also reaches it: both ways are walked in step until one is complete,
 * then the other is walked only inside it.
 */
export function groupAround(db: Db, itemId: number): number[] | null {
  const ways = [requiredBy(db), requiring(db)];
  const seen = [new Set<number>(), new Set<number>()];
  const queues = [[itemId], [itemId]];
  const heads = [0, 0];
  let done = -1;
  while (done < 0) {
    for (let side = 0; side < 2 && done < 0; side++) {
      if (heads[side]! >= queues[side]!.length) {
        done = side;
        break;
      }
      for (const w of ways[side]!(queues[side]![heads[side]!++]!)) {
        if (seen[side]!.has(w)) continue;
        seen[side]!.add(w);
        if (seen[side]!.size > LOCAL_LIMIT) return null;
        queues[side]!.push(w);
      }
    }
  }
  const complete = seen[done]!;
  if (!complete.has(itemId)) return [];
  // The other way, inside the complete side only: every item of the group lies in both.
  const other = 1 - done;
  const inside = new Set<number>();
  const queue = [itemId];
  for (let head = 0; head < queue.length; head++) {
    for (const w of ways[other]!(queue[head]!)) {
      if (!complete.has(w) || inside.has(w)) continue;
      inside.add(w);
      queue.push(w);
    }
  }
  return [...inside].sort((a, b) => a - b);
}

/** The loop through one item, computed around it (the item page): the same loop the whole analysis finds. */
export function localLoop(db: Db, itemId: number): PrerequisiteLoop | null {
  const group = groupAround(db, itemId);
  if (group === null) return loopOf(analysePrerequisites(db), itemId);
  if (group.length === 0) return null;
  const index = new Map(group.map((id, i) => [id, i]));
  const from: number[] = [];
  const to: number[] = [];
  const next = requiredBy(db);
  group.forEach((id, i) => {
    for (const w of next(id)) {
      const j = index.get(w);
      if (j !== undefined) {
        from.push(i);
        to.push(j);
      }
    }
  });
  const loops = new Map<number, number[]>();
  groupLoops(buildGraph(group.length, from, to), Int32Array.from(group.keys()), (i) => group[i]!, loops);
  return toLoop(loops.get(itemId)!, group.length, itemLabels(db, group));
}

/**
 * Brings the stored PREREQUISITE_CYCLE findings in line with the analysis: every item on a loop has
 * one naming its loop, no other item has one. Runs in the caller's transaction when there is one.
 */
export function syncCycleFlags(db: Db, analysis: CycleAnalysis = analysePrerequisites(db)): { flagged: number; changed: StateChange[] } {
  const stored = storedCycleFlags(db);
  const flags = createCycleFlagWrites(db);
  const now = new Date().toISOString();
  const added: number[] = [];
  const removed: number[] = [];
  flags.transaction(() => {
    for (const [id] of analysis.loops) {
      const f = cycleFinding(loopOf(analysis, id)!);
      const before = stored.get(id);
      if (before === f.message) continue;
      if (before !== undefined) flags.remove(id);
      else added.push(id);
      flags.insert(id, f, now);
    }
    for (const id of stored.keys()) {
      if (analysis.loops.has(id)) continue;
      flags.remove(id);
      removed.push(id);
    }
  });
  const labels = removed.length ? new Map([...analysis.labels, ...itemLabels(db, removed)]) : analysis.labels;
  const change = (id: number, rule: 'added' | 'removed'): StateChange => {
    const l = labels.get(id)!;
    return { code: l.code, name: l.name, department: l.departmentName, added: rule === 'added' ? ['PREREQUISITE_CYCLE'] : [], removed: rule === 'removed' ? ['PREREQUISITE_CYCLE'] : [] };
  };
  return { flagged: analysis.loops.size, changed: [...added.map((id) => change(id, 'added')), ...removed.filter((id) => labels.has(id)).map((id) => change(id, 'removed'))] };
}

/**
 * The analysis after an edge inside one group was cut: only that group can change (split into
 * smaller loops or none), so only its items are read again. Saves a second pass over the catalogue.
 */
export function afterCutInGroup(db: Db, before: CycleAnalysis, group: number): CycleAnalysis {
  const members = before.groups[group]!;
  const index = new Map(members.map((id, i) => [id, i]));
  const from: number[] = [];
  const to: number[] = [];
  const next = requiredBy(db);
  members.forEach((id, i) => {
    for (const w of next(id)) {
      const j = index.get(w);
      if (j !== undefined) {
        from.push(i);
        to.push(j);
      }
    }
  });
  const g = buildGraph(members.length, from, to);
  const parts = cyclicComponents(g, stronglyConnected(g));
  const groups = before.groups.filter((_, i) => i !== group);
  const loops = new Map(before.loops);
  for (const id of members) loops.delete(id);
  for (const part of parts) {
    const ids = Array.from(part, (local) => members[local]!);
    groups.push(ids);
    groupLoops(subgraph(g, part), part, (local) => members[local]!, loops);
  }
  groups.sort((a, b) => a[0]! - b[0]!);
  const groupOf = new Map<number, number>();
  groups.forEach((ids, i) => ids.forEach((id) => groupOf.set(id, i)));
  return { ...before, edges: before.edges - 1, groups, loops, groupOf };
}

/** Above this many items walked from a proposal's prerequisites, the walk stops (the finalise still finds the loop). */
const PROPOSED_WALK_LIMIT = 20_000;

/**
 * The loop a proposal's 前置事项 would close with items already in the catalogue: the proposal's item
 * requires a listed item that, over the catalogue's own prerequisites, requires the proposal's item
 * again (for a new item: an item whose written prerequisite names it). Null when none does.
 */
export function proposedLoop(
  db: Db,
  proposal: { code: string | null; name: string; departmentName: string; prerequisites: readonly string[] },
  resolve: (written: string, owner: { id: number; departmentId: number }) => number | null,
  requirersByName: (name: string) => number[],
): PrerequisiteLoop | null {
  const owner = proposal.code ? activeItemByCode(db, proposal.code) : null;
  const self = owner ?? { id: -1, departmentId: -1 };
  const targets = new Set<number>(owner ? [owner.id] : requirersByName(proposal.name));
  if (targets.size === 0) return null;
  const starts: number[] = [];
  for (const written of proposal.prerequisites) {
    const id = resolve(written, self);
    if (id !== null && id !== self.id) starts.push(id);
  }
  // Breadth first over "requires", so the loop named is a shortest one.
  const next = requiredBy(db);
  const parent = new Map<number, number | null>();
  const queue: number[] = [];
  for (const s of starts) if (!parent.has(s)) (parent.set(s, null), queue.push(s));
  let hit: number | null = null;
  for (let head = 0; head < queue.length && parent.size < PROPOSED_WALK_LIMIT; head++) {
    const v = queue[head]!;
    // Reaching the item itself (or, for a new item, one that requires it) closes the loop.
    if (targets.has(v)) {
      hit = v;
      break;
    }
    for (const w of next(v)) {
      if (parent.has(w)) continue;
      parent.set(w, v);
      queue.push(w);
    }
  }
  if (hit === null) return null;
  const path: number[] = [];
  for (let v: number | null = hit; v !== null; v = parent.get(v) ?? null) path.unshift(v);
  // The item is listed first, as the proposal names it; the path ends where it closes the loop.
  const others = path.filter((id) => id !== self.id);
  const labels = itemLabels(db, others);
  return {
    items: [
      { code: proposal.code ?? '', name: proposal.name, departmentName: proposal.departmentName },
      ...others.map((id) => {
        const l = labels.get(id)!;
        return { code: l.code, name: l.name, departmentName: l.departmentName };
      }),
    ],
    groupSize: others.length + 1,
  };
}
