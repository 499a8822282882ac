// The dashboard's SVG bar charts: bars proportional to their values from a zero line, the dashed target
// line where the target lies, labelled axes, every text escaped, and a viewBox so the chart scales.
import { describe, it, expect } from 'vitest';
import { escapeXml, formatValue, niceTicks, renderBarChart, type BarChart } from '../../../server/analysis/charts.js';

const chart = (over: Partial<BarChart> = {}): BarChart => ({
  id: 'cut',
  title: '承诺时限压缩率',
  valueAxis: '压缩率',
  categoryAxis: '部门',
  kind: 'percent',
  series: ['压缩率'],
  rows: [
    { label: '甲局', values: [0.1] },
    { label: '乙局', values: [0.2] },
    { label: '丙局', values: [0.4] },
  ],
  target: { value: 0.3, label: '目标' },
  ...over,
});

const attr = (tag: string, name: string) => Number(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)![1]);
const bars = (svg: string) => [...svg.matchAll(/<rect class="bar"[^>]*>/g)].map((m) => m[0]);
/** x of the zero line: the value axis's grid line drawn darker. */
const zeroX = (svg: string) => Number(/<line x1="([\d.]+)" x2="[\d.]+" y1="[\d.]+" y2="[\d.]+" stroke="#59636e"/.exec(svg)![1]);

describe('bar chart', () => {
  it('draws bars whose lengths are proportional to their values, starting at zero', () => {
    const svg = renderBarChart(chart());
    const rects = bars(svg);
    expect(rects.map((r) => attr(r, 'data-value'))).toEqual([0.1, 0.2, 0.4]);
    const widths = rects.map((r) => attr(r, 'width'));
    expect(widths[1]! / widths[0]!).toBeCloseTo(2, 1);
    expect(widths[2]! / widths[0]!).toBeCloseTo(4, 1);
    for (const r of rects) expect(attr(r, 'x')).toBeCloseTo(zeroX(svg), 1);
  });

  it('draws a negative value to the left of the zero line', () => {
    const svg = renderBarChart(chart({ rows: [{ label: '甲局', values: [-0.1] }, { label: '乙局', values: [0.2] }], target: null }));
    const [neg, pos] = bars(svg);
    expect(attr(neg!, 'x') + attr(neg!, 'width')).toBeCloseTo(zeroX(svg), 1);
    expect(attr(pos!, 'x')).toBeCloseTo(zeroX(svg), 1);
    expect(attr(pos!, 'width') / attr(neg!, 'width')).toBeCloseTo(2, 1);
  });

  it('draws the target as a dashed line at the target’s value, labelled with it', () => {
    const svg = renderBarChart(chart());
    const line = /<line class="target-line"[^>]*>/.exec(svg)![0];
    expect(line).toContain('stroke-dasharray');
    expect(attr(line, 'data-value')).toBe(0.3);
    const [tenth] = bars(svg);
    // The target line stands three bar-lengths of 0.1 right of zero.
    expect(attr(line, 'x1') - zeroX(svg)).toBeCloseTo(3 * attr(tenth!, 'width'), 0);
    expect(svg).toContain('目标 30.0%');
    expect(renderBarChart(chart({ target: null }))).not.toContain('target-line');
  });

  it('keeps the target on the axis when every bar is below it', () => {
    const svg = renderBarChart(chart({ rows: [{ label: '甲局', values: [0.05] }] }));
    const line = /<line class="target-line"[^>]*>/.exec(svg)![0];
    expect(attr(line, 'x1')).toBeLessThanOrEqual(640);
  });

  it('labels both axes and the ticks of the value axis', () => {
    const svg = renderBarChart(chart());
    expect(svg).toMatch(/class="axis-title"[^>]*>压缩率</);
    expect(svg).toMatch(/class="axis-title category-axis"[^>]*>部门</);
    expect(svg).toContain('>0%<');
    expect(svg).toContain('>40%<');
  });

  it('escapes every text it writes: labels, titles, axis names, series', () => {
    const evil = '<script>alert("x")</script>&\'';
    const svg = renderBarChart(chart({ id: 'a"b', title: evil, valueAxis: evil, categoryAxis: evil, series: [evil], rows: [{ label: evil, values: [0.5] }], target: { value: 0.3, label: evil } }));
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('"x"');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(svg).toContain('data-chart="a&quot;b"');
  });

  it('shortens a long label on the chart but keeps the whole of it in the row’s title', () => {
    const long = '区市场监督管理局食品药品安全科';
    const svg = renderBarChart(chart({ rows: [{ label: long, values: [0.2] }] }));
    expect(svg).toContain(`<title>${long}</title>`);
    expect(svg).toContain('>区市场监督管理局食品…<');
  });

  it('draws no bar for a missing value, a dash instead', () => {
    const svg = renderBarChart(chart({ rows: [{ label: '甲局', values: [null] }, { label: '乙局', values: [0.2] }] }));
    expect(bars(svg)).toHaveLength(1);
    expect(svg).toContain('class="value missing"');
  });

  it('draws one bar per series in each row, with a legend naming the series', () => {
    const svg = renderBarChart(chart({ kind: 'days', series: ['平均法定时限', '平均承诺时限'], rows: [{ label: '甲局', values: [20, 10] }], target: null }));
    const rects = bars(svg);
    expect(rects.map((r) => /data-series="([^"]*)"/.exec(r)![1])).toEqual(['平均法定时限', '平均承诺时限']);
    expect(attr(rects[0]!, 'width') / attr(rects[1]!, 'width')).toBeCloseTo(2, 1);
    expect(svg).toMatch(/class="legend"/);
  });

  it('scales with its container: a viewBox, no fixed pixel size', () => {
    const svg = renderBarChart(chart());
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* viewBox="0 0 640 \d+"/);
    expect(svg).toContain('width="100%"');
    expect(svg).not.toMatch(/<svg[^>]*height="\d/);
  });

  it('says so when there is nothing to draw', () => {
    expect(renderBarChart(chart({ rows: [], target: null }))).toContain('暂无数据');
  });
});

describe('chart helpers', () => {
  it('picks round ticks covering the range', () => {
    expect(niceTicks(0, 0.4)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(-0.15, 0.3)).toEqual([-0.2, -0.1, 0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 344)).toEqual([0, 100, 200, 300, 400]);
  });

  it('formats values as the tables show them', () => {
    expect(formatValue('percent', 0.12345)).toBe('12.3%');
    expect(formatValue('points', 0.0417)).toBe('+4.2');
    expect(formatValue('points', -0.0833)).toBe('-8.3');
    expect(formatValue('days', 11.75)).toBe('11.8');
    expect(formatValue('count', 1135)).toBe('1135');
    expect(formatValue('yesno', 1)).toBe('是');
    expect(formatValue('percent', null)).toBe('—');
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });
});
