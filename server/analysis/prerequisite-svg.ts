// The picture of an item's prerequisites and dependants: a layered layout (what must be done first on
// the left, the item in the middle, the items waiting for it on the right), as a drawing model the
// template turns into inline SVG (views/partials/analysis/prerequisite-graph.hbs), where Handlebars
// escapes every label. Pure: positions and paths from nodes and edges.

export interface GraphNode {
  id: number;
  name: string;
  department: string;
  url: string;
  /** 0 the item; -1, -2 … its prerequisites and theirs; 1, 2 … the items that require it. */
  level: number;
  center?: boolean;
  onLoop?: boolean;
}

export interface GraphEdge {
  /** The item that requires … */
  from: number;
  /** … this one first (the arrow points here). */
  to: number;
  cut?: boolean;
  loop?: boolean;
}

export interface DrawnNode {
  x: number;
  y: number;
  width: number;
  height: number;
  textX: number;
  labelY: number;
  sublabelY: number;
  label: string;
  sublabel: string;
  /** Full name and department, for the tooltip. */
  title: string;
  url: string;
  fill: string;
  stroke: string;
  strokeWidth: number;
}

export interface DrawnEdge {
  d: string;
  stroke: string;
  strokeWidth: number;
  dash: string | null;
  marker: 'arrow' | 'arrow-loop' | 'arrow-cut';
  title: string;
}

export interface GraphDrawing {
  width: number;
  height: number;
  nodes: DrawnNode[];
  edges: DrawnEdge[];
}

export const NODE_WIDTH = 176;
export const NODE_HEIGHT = 46;
const COLUMN_GAP = 70;
const ROW_GAP = 18;
const MARGIN = 16;
const ARC_STEP = 14;
/** Characters of a name shown in a box; the tooltip and the list beside give it whole. */
export const LABEL_CHARS = 12;

const COLOURS = {
  node: { fill: '#f4f6f8', stroke: '#5b6b7b' },
  center: { fill: '#fff4d6', stroke: '#a86200' },
  loop: '#c62828',
  edge: '#5b6b7b',
  cut: '#8a8a8a',
};

/** A label that fits its box: whole characters (not UTF-16 halves), an ellipsis when cut short. */
export function shorten(text: string, max = LABEL_CHARS): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function layoutPrerequisiteGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): GraphDrawing {
  const levels = [...new Set(nodes.map((n) => n.level))].sort((a, b) => a - b);
  const column = new Map(levels.map((l, i) => [l, i]));
  const byLevel = new Map<number, GraphNode[]>(levels.map((l) => [l, nodes.filter((n) => n.level === l)]));
  const neighbours = new Map<number, number[]>();
  for (const e of edges) {
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  // Order each column by where its neighbours nearer the item sit (outward from the item), then by name.
  const row = new Map<number, number>();
  const place = (level: number) => {
    const list = byLevel.get(level)!;
    const inner = level === 0 ? null : level < 0 ? level + 1 : level - 1;
    const score = (n: GraphNode) => {
      const near = (neighbours.get(n.id) ?? []).map((id) => (inner !== null && nodes.find((m) => m.id === id)?.level === inner ? row.get(id) : undefined)).filter((r): r is number => r !== undefined);
      return near.length ? near.reduce((a, b) => a + b, 0) / near.length : Number.MAX_SAFE_INTEGER;
    };
    const scored = list.map((n) => ({ n, s: score(n) }));
    scored.sort((a, b) => a.s - b.s || a.n.name.localeCompare(b.n.name, 'zh-CN') || a.n.id - b.n.id);
    scored.forEach(({ n }, i) => row.set(n.id, i));
  };
  if (byLevel.has(0)) place(0);
  for (const l of levels.filter((l) => l < 0).sort((a, b) => b - a)) place(l);
  for (const l of levels.filter((l) => l > 0)) place(l);

  const tallest = Math.max(1, ...[...byLevel.values()].map((l) => l.length));
  const columnHeight = (count: number) => count * NODE_HEIGHT + (count - 1) * ROW_GAP;
  const boxes = new Map<number, DrawnNode>();
  for (const n of nodes) {
    const count = byLevel.get(n.level)!.length;
    const top = MARGIN + (columnHeight(tallest) - columnHeight(count)) / 2;
    const x = MARGIN + column.get(n.level)! * (NODE_WIDTH + COLUMN_GAP);
    const y = top + row.get(n.id)! * (NODE_HEIGHT + ROW_GAP);
    const look = n.center ? COLOURS.center : COLOURS.node;
    boxes.set(n.id, {
      x,
      y,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      textX: x + NODE_WIDTH / 2,
      labelY: y + 19,
      sublabelY: y + 36,
      label: shorten(n.name),
      sublabel: shorten(n.department, LABEL_CHARS + 2),
      title: `${n.name}（${n.department}）`,
      url: n.url,
      fill: look.fill,
      stroke: n.onLoop ? COLOURS.loop : look.stroke,
      strokeWidth: n.center || n.onLoop ? 2 : 1,
    });
  }

  const bottom = MARGIN + columnHeight(tallest);
  let arcs = 0;
  const drawn: DrawnEdge[] = [];
  for (const e of edges) {
    const a = boxes.get(e.from);
    const b = boxes.get(e.to);
    if (!a || !b) continue;
    let d: string;
    if (e.from === e.to) {
      const x = a.x + a.width;
      d = `M${x} ${a.y + 12} C${x + 34} ${a.y - 8} ${x + 34} ${a.y + a.height + 8} ${x} ${a.y + a.height - 12}`;
    } else if (b.x < a.x) {
      const sx = a.x;
      const sy = a.y + a.height / 2;
      const ex = b.x + b.width;
      const ey = b.y + b.height / 2;
      const mid = (sx - ex) / 2;
      d = `M${sx} ${sy} C${sx - mid} ${sy} ${ex + mid} ${ey} ${ex} ${ey}`;
    } else if (b.x === a.x) {
      const x = a.x + a.width;
      const reach = 30 + ARC_STEP * arcs++;
      d = `M${x} ${a.y + a.height / 2} C${x + reach} ${a.y + a.height / 2} ${x + reach} ${b.y + b.height / 2} ${x} ${b.y + b.height / 2}`;
    } else {
      // Against the flow (a loop back to the right): under the columns.
      const depth = bottom + 24 + ARC_STEP * arcs++;
      d = `M${a.x + a.width / 2} ${a.y + a.height} C${a.x + a.width / 2} ${depth} ${b.x + b.width / 2} ${depth} ${b.x + b.width / 2} ${b.y + b.height}`;
    }
    drawn.push({
      d,
      stroke: e.cut ? COLOURS.cut : e.loop ? COLOURS.loop : COLOURS.edge,
      strokeWidth: e.loop ? 2 : 1.4,
      dash: e.cut ? '6 4' : null,
      marker: e.cut ? 'arrow-cut' : e.loop ? 'arrow-loop' : 'arrow',
      title: `${nodes.find((n) => n.id === e.from)!.name} 须先办 ${nodes.find((n) => n.id === e.to)!.name}${e.cut ? '（已断开）' : e.loop ? '（循环）' : ''}`,
    });
  }
  const columns = Math.max(1, levels.length);
  return {
    // Room on the right for loops drawn beside a column.
    width: MARGIN * 2 + columns * NODE_WIDTH + (columns - 1) * COLUMN_GAP + 40 + ARC_STEP * arcs,
    height: bottom + MARGIN + (arcs ? 24 + ARC_STEP * arcs : 0),
    nodes: [...boxes.values()],
    edges: drawn,
  };
}
