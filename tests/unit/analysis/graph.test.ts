// The prerequisite graph's components and loops, on typed arrays, without recursion.
import { describe, expect, it } from 'vitest';
import { buildGraph, cyclicComponents, loopsThroughEach, PER_MEMBER_SEARCH_LIMIT, stronglyConnected, subgraph, type Graph } from '../../../server/analysis/graph.js';

const graph = (n: number, edges: [number, number][]) => buildGraph(n, edges.map((e) => e[0]), edges.map((e) => e[1]));
const groups = (g: Graph) => cyclicComponents(g, stronglyConnected(g)).map((m) => [...m]);

/** Reachability by brute force, to compare components with. */
function reachable(g: Graph, from: number): Set<number> {
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length) {
    const v = stack.pop()!;
    for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) {
      const w = g.targets[e]!;
      if (!seen.has(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return seen;
}

/** Follows a loop and says whether each step is an edge and it closes. */
function isLoop(g: Graph, loop: number[]): boolean {
  return loop.every((v, i) => {
    const w = loop[(i + 1) % loop.length]!;
    for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) if (g.targets[e] === w) return true;
    return false;
  });
}

describe('strongly connected components', () => {
  it('an acyclic graph has no loop', () => {
    expect(groups(graph(5, [[0, 1], [1, 2], [0, 2], [3, 4]]))).toEqual([]);
  });

  it('finds a three-item loop and a two-item loop in one graph, and a self-requiring item', () => {
    const g = graph(8, [[0, 1], [1, 2], [2, 0], [3, 4], [4, 3], [5, 5], [2, 6], [6, 7]]);
    expect(groups(g)).toEqual([[0, 1, 2], [3, 4], [5]]);
  });

  it('agrees with brute-force reachability on random graphs', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 30; round++) {
      const n = 5 + Math.floor(random() * 40);
      const edges: [number, number][] = [];
      for (let i = 0; i < n * 1.5; i++) edges.push([Math.floor(random() * n), Math.floor(random() * n)]);
      const g = graph(n, edges);
      const { component } = stronglyConnected(g);
      const reach = Array.from({ length: n }, (_, v) => reachable(g, v));
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
        if (a === b) continue;
        expect(component[a] === component[b]).toBe(reach[a]!.has(b) && reach[b]!.has(a));
      }
      const inLoop = new Set(groups(g).flat());
      for (let v = 0; v < n; v++) expect(inLoop.has(v)).toBe(reach[v]!.has(v));
    }
  });

  it('a chain of 200,000 items and one loop through all of them need no recursion', () => {
    const n = 200_000;
    const from = new Int32Array(n);
    const to = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      from[i] = i;
      to[i] = (i + 1) % n;
    }
    const chain = buildGraph(n, from, to, n - 1);
    expect(cyclicComponents(chain, stronglyConnected(chain))).toEqual([]);
    const ring = buildGraph(n, from, to, n);
    const found = cyclicComponents(ring, stronglyConnected(ring));
    expect(found).toHaveLength(1);
    expect(found[0]!.length).toBe(n);
  });
});

describe('the loop through each item of a group', () => {
  it('is the shortest loop, starting at the item, each requiring the next', () => {
    // 0 → 1 → 2 → 0 and a shortcut 0 → 2.
    const g = graph(3, [[0, 1], [1, 2], [2, 0], [0, 2]]);
    const loops = loopsThroughEach(g);
    expect(loops[0]).toEqual([0, 2]);
    expect(loops[1]).toEqual([1, 2, 0]);
    expect(loops[2]).toEqual([2, 0]);
    for (const loop of loops) expect(isLoop(g, loop)).toBe(true);
  });

  it('a self-requiring item is its own loop', () => {
    expect(loopsThroughEach(graph(1, [[0, 0]]))).toEqual([[0]]);
  });

  it('the subgraph of a component keeps only its edges, renumbered in order', () => {
    const g = graph(6, [[1, 3], [3, 5], [5, 1], [5, 0], [2, 4]]);
    const [members] = cyclicComponents(g, stronglyConnected(g));
    expect([...members!]).toEqual([1, 3, 5]);
    const sub = subgraph(g, members!);
    expect(loopsThroughEach(sub)).toEqual([[0, 1, 2], [1, 2, 0], [2, 0, 1]]);
  });

  it('a group larger than the per-item search limit still gets a closed loop through every item', () => {
    const n = PER_MEMBER_SEARCH_LIMIT + 500;
    const edges: [number, number][] = [];
    for (let i = 0; i < n; i++) edges.push([i, (i + 1) % n], [i, (i * 7 + 3) % n]);
    const g = graph(n, edges);
    const loops = loopsThroughEach(g);
    expect(loops).toHaveLength(n);
    for (let v = 0; v < n; v += 97) {
      expect(loops[v]![0]).toBe(v);
      expect(isLoop(g, loops[v]!)).toBe(true);
    }
  });
});
