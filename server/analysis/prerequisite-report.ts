// What the legal office works from: every prerequisite loop with its items in order and its edges
// (cut ones marked), the edges cut so far, and the written prerequisites that match no item. One data
// function for the page and /api/v1/prerequisite-cycles; a department sees what touches its items.
import type { Db } from '../../db/client.js';
import { cutEdges, departmentCodeOf, edgesAmong, itemLabels, unresolvedPrerequisites, type EdgeRow, type ItemLabel } from '../../db/queries/prerequisites.js';
import { departmentScope, type Subject } from '../auth/policy.js';
import { analysePrerequisites } from './cycles.js';
import { catalogueLookups } from './prerequisites.js';
import { RESOLUTION_PROBLEMS, resolvePrerequisite, type ResolutionProblem } from '../domain/prerequisite-names.js';

export interface ItemRef {
  code: string;
  name: string;
  department: { code: string; name: string };
}

export interface EdgeView {
  id: number;
  /** The item that requires … */
  from: ItemRef;
  /** … this one first. */
  to: ItemRef;
  writtenAs: string;
  cut: boolean;
  cutReason: string | null;
}

export interface CycleView {
  /** The loop in order: each item requires the next, the last requires the first. */
  items: ItemRef[];
  /** Items of the same group that this loop does not pass (loops that overlap). */
  otherItems: ItemRef[];
  /** Every edge between the group's items, cut or not. */
  edges: EdgeView[];
}

export interface UnresolvedView {
  id: number;
  item: ItemRef;
  writtenAs: string;
  /** 'resolvable': an item added since matches it; the next re-match (catalogue check) links it. */
  problem: ResolutionProblem | 'removed' | 'resolvable';
  problemText: string;
}

export interface PrerequisiteReport {
  items: number;
  edges: number;
  cycles: CycleView[];
  cutEdges: EdgeView[];
  unresolved: UnresolvedView[];
  unresolvedTotal: number;
}

/** At most this many unresolved rows are listed (the total is always given). */
export const UNRESOLVED_LISTED = 1000;

const ref = (l: ItemLabel): ItemRef => ({ code: l.code, name: l.name, department: { code: l.departmentCode, name: l.departmentName } });

export function prerequisiteReport(db: Db, viewer: Subject): PrerequisiteReport {
  const analysis = analysePrerequisites(db);
  const ownDepartment = departmentScope(viewer, 'read:prerequisite');
  const departmentCode =
    ownDepartment === null ? null : departmentCodeOf(db, ownDepartment);
  const sees = (labels: ItemLabel[]) => departmentCode === null || labels.some((l) => l.departmentCode === departmentCode);

  const groupEdges = analysis.groups.map((members) => edgesAmong(db, members));
  const cut = cutEdges(db);
  const labels = new Map(analysis.labels);
  for (const [id, l] of itemLabels(db, [...groupEdges.flat(), ...cut].flatMap((e) => [e.itemId, e.prerequisiteItemId!]).filter((id) => !labels.has(id)))) labels.set(id, l);
  const edgeView = (e: EdgeRow): EdgeView => ({ id: e.id, from: ref(labels.get(e.itemId)!), to: ref(labels.get(e.prerequisiteItemId!)!), writtenAs: e.writtenAs, cut: e.cut, cutReason: e.cutReason });

  const cycles: CycleView[] = [];
  analysis.groups.forEach((members, g) => {
    if (!sees(members.map((id) => labels.get(id)!))) return;
    const loop = analysis.loops.get(members[0]!)!;
    const inLoop = new Set(loop);
    cycles.push({
      items: loop.map((id) => ref(labels.get(id)!)),
      otherItems: members.filter((id) => !inLoop.has(id)).map((id) => ref(labels.get(id)!)),
      edges: groupEdges[g]!.filter((e) => labels.has(e.prerequisiteItemId!)).map(edgeView),
    });
  });

  const cutViews = cut.filter((e) => labels.has(e.itemId) && labels.has(e.prerequisiteItemId!) && sees([labels.get(e.itemId)!, labels.get(e.prerequisiteItemId!)!])).map(edgeView);

  const open = unresolvedPrerequisites(db, { departmentId: ownDepartment, limit: UNRESOLVED_LISTED });
  const owners = itemLabels(db, open.rows.map((r) => r.itemId));
  const look = catalogueLookups(db);
  const unresolved = open.rows.map((r): UnresolvedView => {
    const now = resolvePrerequisite(r.writtenAs, { id: r.itemId, departmentId: r.departmentId }, look);
    const problem = now.problem ?? 'resolvable';
    const problemText = problem === 'resolvable' ? '目录中已有此事项，重新匹配后即可对应' : r.targetRemoved && problem === 'unknown' ? RESOLUTION_PROBLEMS.removed : RESOLUTION_PROBLEMS[problem];
    return { id: r.id, item: ref(owners.get(r.itemId)!), writtenAs: r.writtenAs, problem: r.targetRemoved && problem === 'unknown' ? 'removed' : problem, problemText };
  });

  return { items: analysis.items, edges: analysis.edges, cycles, cutEdges: cutViews, unresolved, unresolvedTotal: open.total };
}
