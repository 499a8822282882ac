// The prerequisite picture: a layered layout (prerequisites left, the item in the middle, dependants
// right), loops red, cut edges dashed, and every label escaped when the template draws it.
import { describe, expect, it } from 'vitest';
import { layoutPrerequisiteGraph, shorten, LABEL_CHARS, type GraphEdge, type GraphNode } from '../../../server/analysis/prerequisite-svg.js';
import { createViewEngine } from '../../../server/views/engine.js';

const node = (id: number, level: number, name = `事项${id}`, extra: Partial<GraphNode> = {}): GraphNode => ({
  id,
  name,
  department: `部门${id}`,
  url: `/items/I-${id}`,
  level,
  ...extra,
});

describe('the prerequisite graph layout', () => {
  it('puts what must come first left of the item and what waits for it right, one column per level', () => {
    const nodes = [node(1, 0, '本事项', { center: true }), node(2, -1), node(3, -2), node(4, 1), node(5, 1)];
    const edges: GraphEdge[] = [
      { from: 1, to: 2 },
      { from: 2, to: 3 },
      { from: 4, to: 1 },
      { from: 5, to: 1 },
    ];
    const drawing = layoutPrerequisiteGraph(nodes, edges);
    const x = (label: string) => drawing.nodes.find((n) => n.label === label)!.x;
    expect(x('事项3')).toBeLessThan(x('事项2'));
    expect(x('事项2')).toBeLessThan(x('本事项'));
    expect(x('本事项')).toBeLessThan(x('事项4'));
    expect(x('事项4')).toBe(x('事项5'));
    const ys = drawing.nodes.filter((n) => n.x === x('事项4')).map((n) => n.y);
    expect(new Set(ys).size).toBe(2);
    for (const n of drawing.nodes) {
      expect(n.x + n.width).toBeLessThanOrEqual(drawing.width);
      expect(n.y + n.height).toBeLessThanOrEqual(drawing.height);
    }
    expect(drawing.edges).toHaveLength(4);
    expect(drawing.edges.every((e) => e.marker === 'arrow' && e.dash === null)).toBe(true);
  });

  it('draws loop edges red (also the one back against the flow, under the columns) and cut edges dashed', () => {
    const nodes = [node(1, 0, '甲', { center: true, onLoop: true }), node(2, -1, '乙', { onLoop: true }), node(3, 1, '丙')];
    const drawing = layoutPrerequisiteGraph(nodes, [
      { from: 1, to: 2, loop: true },
      { from: 2, to: 1, loop: true },
      { from: 3, to: 1, cut: true },
    ]);
    const [forward, back, cut] = drawing.edges;
    expect(forward!.stroke).toBe(back!.stroke);
    expect(forward!.marker).toBe('arrow-loop');
    expect(back!.d).toMatch(/^M\d/);
    // The way back arcs below every box.
    const lowest = Math.max(...drawing.nodes.map((n) => n.y + n.height));
    expect(Math.max(...back!.d.match(/-?\d+(\.\d+)?/g)!.map(Number).filter((_, i) => i % 2 === 1))).toBeGreaterThan(lowest);
    expect(cut!.dash).toBe('6 4');
    expect(cut!.marker).toBe('arrow-cut');
    expect(cut!.title).toContain('已断开');
    expect(drawing.nodes.find((n) => n.label === '乙')!.stroke).toBe(forward!.stroke);
  });

  it('shortens long names to whole characters with an ellipsis, keeping the whole name for the tooltip', () => {
    const long = '建设项目环境影响评价文件审批（含辐射类）';
    expect(Array.from(shorten(long))).toHaveLength(LABEL_CHARS);
    expect(shorten(long).endsWith('…')).toBe(true);
    expect(shorten('𠮷'.repeat(20))).toBe(`${'𠮷'.repeat(LABEL_CHARS - 1)}…`);
    const drawing = layoutPrerequisiteGraph([node(1, 0, long, { center: true })], []);
    expect(drawing.nodes[0]!.title).toBe(`${long}（部门1）`);
  });
});

describe('the SVG drawn from the layout', () => {
  it('escapes every name, department and link (no markup from item data reaches the page)', () => {
    const evil = '<script>alert("x")</script>&\'';
    const nodes = [node(1, 0, evil, { center: true, department: '</text><image href=x onerror=alert(1)>' }), node(2, -1, '"><svg onload=alert(2)>')];
    const drawing = layoutPrerequisiteGraph(nodes, [{ from: 1, to: 2 }]);
    const html = createViewEngine().render(
      'partials/analysis/prerequisite-graph',
      {
        graph: {
          drawing,
          prerequisites: [{ name: evil, department: '<b>部门</b>', url: '/items/%3Cx%3E', loop: false, cut: true, cutReason: '<i>理由</i>', unresolved: null, children: [] }],
          dependants: [],
          onLoop: false,
          notDrawn: 0,
        },
      },
      null,
    );
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<image|<svg onload|<b>|<i>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;/text&gt;&lt;image href&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).toContain('&lt;i&gt;理由&lt;/i&gt;');
    // Every element the template opens inside the SVG is closed: the item data added no tags.
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
    const opened = (svg.match(/<(?!\/)[a-z]+[^>]*[^/]>|<[a-z]+>/g) ?? []).length;
    const closed = (svg.match(/<\/[a-z]+>/g) ?? []).length;
    expect(opened).toBe(closed);
  });
});
