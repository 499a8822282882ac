// The prerequisite graph as plain typed arrays: strongly connected components (an iterative Tarjan,
// no recursion, so a chain of 100,000 items is no problem) and, inside a component, the loop through
// each item. Pure: nodes are 0…n-1, edges run from an item to the item it requires first.

/** Compressed adjacency: the targets of node v are targets[offsets[v] … offsets[v+1]). */
export interface Graph {
  readonly nodeCount: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

/**
 * Builds the adjacency from edge lists (the first `edgeCount` entries of from/to). Each node's
 * targets are sorted ascending (unless told not to: components do not need it), so walks that take
 * the first way out are reproducible.
 */
export function buildGraph(nodeCount: number, from: ArrayLike<number>, to: ArrayLike<number>, edgeCount = from.length, options: { sorted?: boolean } = {}): Graph {
  const offsets = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) offsets[from[e]! + 1]!++;
  for (let v = 0; v < nodeCount; v++) offsets[v + 1]! += offsets[v]!;
  const fill = offsets.slice(0, nodeCount);
  const targets = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) targets[fill[from[e]!]!++] = to[e]!;
  if (options.sorted === false) return { nodeCount, offsets, targets };
  for (let v = 0; v < nodeCount; v++) {
    const a = offsets[v]!;
    const b = offsets[v + 1]!;
    if (b - a > 1) targets.subarray(a, b).sort();
  }
  return { nodeCount, offsets, targets };
}

export interface Components {
  /** The component of each node. */
  component: Int32Array;
  count: number;
}

/** Tarjan's strongly connected components, with explicit stacks instead of recursion. */
export function stronglyConnected(g: Graph): Components {
  const n = g.nodeCount;
  const { offsets, targets } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  let sp = 0;
  let counter = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let csp = 0;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    callNode[csp] = root;
    callEdge[csp++] = offsets[root]!;
    while (csp > 0) {
      const v = callNode[csp - 1]!;
      const e = callEdge[csp - 1]!;
      if (e < offsets[v + 1]!) {
        callEdge[csp - 1] = e + 1;
        const w = targets[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[csp] = w;
          callEdge[csp++] = offsets[w]!;
        } else if (onStack[w] && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      csp--;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          component[w] = count;
        } while (w !== v);
        count++;
      }
      if (csp > 0) {
        const u = callNode[csp - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
    }
  }
  return { component, count };
}

const hasSelfLoop = (g: Graph, v: number): boolean => {
  for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) if (g.targets[e] === v) return true;
  return false;
};

/** The components that hold a loop (two or more nodes, or one that requires itself), members ascending. */
export function cyclicComponents(g: Graph, c: Components): Int32Array[] {
  const size = new Int32Array(c.count);
  for (let v = 0; v < g.nodeCount; v++) size[c.component[v]!]!++;
  const members = new Map<number, Int32Array>();
  const filled = new Map<number, number>();
  for (let v = 0; v < g.nodeCount; v++) {
    const k = c.component[v]!;
    if (size[k]! < 2 && !hasSelfLoop(g, v)) continue;
    let list = members.get(k);
    if (!list) members.set(k, (list = new Int32Array(size[k]!)));
    const at = filled.get(k) ?? 0;
    list[at] = v;
    filled.set(k, at + 1);
  }
  return [...members.values()].sort((a, b) => a[0]! - b[0]!);
}

/**
 * The subgraph of a component alone: its members renumbered 0…k-1 in the order given (ascending in
 * the whole graph), with the edges between them. A component found in the whole catalogue and the
 * same component read around one item give the same subgraph, hence the same loops.
 */
export function subgraph(g: Graph, members: ArrayLike<number>): Graph {
  const local = new Map<number, number>();
  for (let i = 0; i < members.length; i++) local.set(members[i]!, i);
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < members.length; i++) {
    const v = members[i]!;
    for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) {
      const w = local.get(g.targets[e]!);
      if (w !== undefined) {
        from.push(i);
        to.push(w);
      }
    }
  }
  return buildGraph(members.length, from, to);
}

/** Above this many members, loops come from two search trees instead of one search per member. */
export const PER_MEMBER_SEARCH_LIMIT = 1000;

/**
 * For a strongly connected graph (a component's subgraph), a loop through every node: the nodes in
 * order starting with it, each requiring the next and the last requiring the first. Up to
 * PER_MEMBER_SEARCH_LIMIT nodes this is the shortest such loop (breadth-first, lowest node first);
 * above it, the way to node 0 and back, which may pass a node twice.
 */
export function loopsThroughEach(g: Graph): number[][] {
  const n = g.nodeCount;
  if (n === 0) return [];
  return n <= PER_MEMBER_SEARCH_LIMIT ? shortestLoops(g) : loopsViaFirst(g);
}

function shortestLoops(g: Graph): number[][] {
  const n = g.nodeCount;
  const parent = new Int32Array(n);
  const seen = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const out: number[][] = [];
  for (let start = 0; start < n; start++) {
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = start;
    let last = -1;
    search: while (head < tail) {
      const v = queue[head++]!;
      for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) {
        const w = g.targets[e]!;
        if (w === start) {
          last = v;
          break search;
        }
        if (seen[w] === start) continue;
        seen[w] = start;
        parent[w] = v;
        queue[tail++] = w;
      }
    }
    const loop: number[] = [];
    for (let v = last; v !== start && v !== -1; v = parent[v]!) loop.push(v);
    loop.push(start);
    out.push(loop.reverse());
  }
  return out;
}

/** Breadth-first tree from `root` over `g`: each node's parent (-1 for the root and the unreached). */
function searchTree(g: Graph, root: number): Int32Array {
  const parent = new Int32Array(g.nodeCount).fill(-1);
  const seen = new Uint8Array(g.nodeCount);
  const queue = new Int32Array(g.nodeCount);
  let head = 0;
  let tail = 0;
  queue[tail++] = root;
  seen[root] = 1;
  while (head < tail) {
    const v = queue[head++]!;
    for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) {
      const w = g.targets[e]!;
      if (seen[w]) continue;
      seen[w] = 1;
      parent[w] = v;
      queue[tail++] = w;
    }
  }
  return parent;
}

function reversed(g: Graph): Graph {
  const from: number[] = [];
  const to: number[] = [];
  for (let v = 0; v < g.nodeCount; v++) {
    for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) {
      from.push(g.targets[e]!);
      to.push(v);
    }
  }
  return buildGraph(g.nodeCount, from, to);
}

function loopsViaFirst(g: Graph): number[][] {
  // out[v]: the node before v on the way 0 → v; back[v]: the node after v on the way v → 0.
  const out = searchTree(g, 0);
  const back = searchTree(reversed(g), 0);
  const loops: number[][] = [loopThroughRoot(g, out)];
  for (let v = 1; v < g.nodeCount; v++) {
    const loop: number[] = [];
    for (let w = v; w !== 0; w = back[w]!) loop.push(w);
    loop.push(0);
    const there: number[] = [];
    for (let w = v; w !== 0; w = out[w]!) there.push(w);
    // 0 → … → v, without v itself (the loop starts there).
    for (let i = there.length - 1; i >= 1; i--) loop.push(there[i]!);
    loops.push(loop);
  }
  return loops;
}

function loopThroughRoot(g: Graph, out: Int32Array): number[] {
  for (let v = 0; v < g.nodeCount; v++) {
    for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) {
      if (g.targets[e] !== 0) continue;
      const path: number[] = [];
      for (let w = v; w !== 0 && w !== -1; w = out[w]!) path.push(w);
      return [0, ...path.reverse()];
    }
  }
  return [0];
}
