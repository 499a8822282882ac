// The item page's prerequisite section: two levels of prerequisites and of dependants around the item,
// loops through them highlighted and cut edges marked, as a picture and as a list for screen readers.
import type { Db } from '../../db/client.js';
import { activeItemByCode, edgesAmong, edgesOf, edgesTo, itemLabels, type EdgeRow, type ItemLabel } from '../../db/queries/prerequisites.js';
import { analysePrerequisites, groupAround } from './cycles.js';
import { buildGraph, cyclicComponents, stronglyConnected } from './graph.js';
import { catalogueLookups } from './prerequisites.js';
import { RESOLUTION_PROBLEMS, resolvePrerequisite } from '../domain/prerequisite-names.js';
import { layoutPrerequisiteGraph, type GraphDrawing, type GraphEdge, type GraphNode } from './prerequisite-svg.js';

/** Levels drawn on each side of the item, and items drawn per level. */
export const GRAPH_DEPTH = 2;
export const GRAPH_PER_LEVEL = 12;

export interface ListEntry {
  name: string;
  department: string;
  url: string | null;
  loop: boolean;
  cut: boolean;
  cutReason: string | null;
  /** Why a written prerequisite points at no item. */
  unresolved: string | null;
  children: ListEntry[];
}

export interface ItemPrerequisiteGraph {
  drawing: GraphDrawing | null;
  /** What the item requires first (level 1, each with what it requires in turn). */
  prerequisites: ListEntry[];
  /** What requires the item (level 1, each with what requires it in turn). */
  dependants: ListEntry[];
  onLoop: boolean;
  unresolved: number;
  /** Items reached but left out of the picture (too many on one level). */
  notDrawn: number;
}

/**
 * The section for an item of the working catalogue, or null when it has no prerequisites and nothing
 * requires it. `link` builds an item's URL.
 */
export function itemPrerequisiteGraph(db: Db, code: string, link: (code: string) => string): ItemPrerequisiteGraph | null {
  const center = activeItemByCode(db, code);
  if (!center) return null;
  const own = edgesOf(db, center.id);
  const waiting = edgesTo(db, center.id);
  if (own.length === 0 && waiting.length === 0) return null;

  // Walk out from the item, level by level, both ways.
  const level = new Map<number, number>([[center.id, 0]]);
  const outgoing = new Map<number, EdgeRow[]>([[center.id, own]]);
  const incoming = new Map<number, EdgeRow[]>([[center.id, waiting]]);
  let notDrawn = 0;
  const walk = (direction: -1 | 1) => {
    let frontier = [center.id];
    for (let depth = 1; depth <= GRAPH_DEPTH && frontier.length; depth++) {
      const next: number[] = [];
      for (const id of frontier) {
        const rows = direction < 0 ? (outgoing.get(id) ?? edgesOf(db, id)) : (incoming.get(id) ?? edgesTo(db, id));
        (direction < 0 ? outgoing : incoming).set(id, rows);
        for (const r of rows) {
          const other = direction < 0 ? r.prerequisiteItemId : r.itemId;
          if (other === null || level.has(other)) continue;
          if (next.length >= GRAPH_PER_LEVEL) {
            notDrawn++;
            continue;
          }
          level.set(other, direction * depth);
          next.push(other);
        }
      }
      frontier = next;
    }
  };
  walk(-1);
  walk(1);
  const labels = itemLabels(db, level.keys(), { activeOnly: true });
  for (const id of [...level.keys()]) if (!labels.has(id)) level.delete(id);
  const shown = [...level.keys()];
  const edges = edgesAmong(db, shown);

  // Loops: the item's own group (however long its loop), and any loop among the items drawn.
  const group = new Set(groupAround(db, center.id) ?? wholeGroup(db, center.id));
  const index = new Map(shown.map((id, i) => [id, i]));
  const counted = edges.filter((e) => !e.cut);
  const g = buildGraph(shown.length, counted.map((e) => index.get(e.itemId)!), counted.map((e) => index.get(e.prerequisiteItemId!)!));
  const components = stronglyConnected(g);
  const looped = new Set(cyclicComponents(g, components).map((members) => components.component[members[0]!]!));
  const onLoop = (id: number) => group.has(id) || looped.has(components.component[index.get(id)!]!);
  const loopEdge = (e: EdgeRow) =>
    !e.cut && ((group.has(e.itemId) && group.has(e.prerequisiteItemId!)) || (onLoop(e.itemId) && components.component[index.get(e.itemId)!] === components.component[index.get(e.prerequisiteItemId!)!]));

  const nodes: GraphNode[] = shown.map((id) => {
    const l = labels.get(id)!;
    return { id, name: l.name, department: l.departmentName, url: link(l.code), level: level.get(id)!, center: id === center.id, onLoop: onLoop(id) };
  });
  const drawnEdges: GraphEdge[] = edges.map((e) => ({ from: e.itemId, to: e.prerequisiteItemId!, cut: e.cut, loop: loopEdge(e) }));

  const look = catalogueLookups(db);
  const entry = (e: EdgeRow, other: number | null, label: ItemLabel | undefined, children: ListEntry[]): ListEntry => ({
    name: label?.name ?? e.writtenAs,
    department: label?.departmentName ?? '',
    url: label ? link(label.code) : null,
    loop: loopEdge(e),
    cut: e.cut,
    cutReason: e.cutReason,
    unresolved:
      other === null
        ? RESOLUTION_PROBLEMS[resolvePrerequisite(e.writtenAs, { id: e.itemId, departmentId: center.departmentId }, look).problem ?? 'unknown']
        : label
          ? null
          : RESOLUTION_PROBLEMS.removed,
    children,
  });
  const childLabels = (rows: EdgeRow[] | undefined, pick: (r: EdgeRow) => number | null) =>
    (rows ?? []).filter((r) => pick(r) !== null && labels.has(pick(r)!)).map((r) => entry(r, pick(r), labels.get(pick(r)!), []));
  const prerequisites = own.map((e) => entry(e, e.prerequisiteItemId, e.prerequisiteItemId === null ? undefined : labels.get(e.prerequisiteItemId), e.prerequisiteItemId === null ? [] : childLabels(outgoing.get(e.prerequisiteItemId), (r) => r.prerequisiteItemId)));
  const dependants = waiting.filter((e) => labels.has(e.itemId)).map((e) => entry(e, e.itemId, labels.get(e.itemId), childLabels(incoming.get(e.itemId), (r) => r.itemId)));

  return {
    drawing: nodes.length > 1 ? layoutPrerequisiteGraph(nodes, drawnEdges) : null,
    prerequisites,
    dependants,
    onLoop: group.has(center.id),
    unresolved: own.filter((e) => e.prerequisiteItemId === null || !labels.has(e.prerequisiteItemId)).length,
    notDrawn,
  };
}

function wholeGroup(db: Db, itemId: number): number[] {
  const a = analysePrerequisites(db);
  const g = a.groupOf.get(itemId);
  return g === undefined ? [] : a.groups[g]!;
}
