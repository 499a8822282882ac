// Server-rendered SVG charts for the dashboard: horizontal bar charts (one or more series) with labelled
// axes and an optional dashed target line. Pure: data in, markup out; every piece of text is escaped,
// so the markup is safe to embed as it is. The viewBox lets the chart scale to any screen width.

export type ValueKind = 'count' | 'percent' | 'points' | 'days' | 'yesno';

/** A value as tables and charts show it; null is a dash. */
export function formatValue(kind: ValueKind, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  switch (kind) {
    case 'count':
      return String(v);
    case 'percent':
      return `${(v * 100).toFixed(1)}%`;
    case 'points':
      return `${v * 100 >= 0 ? '+' : ''}${(v * 100).toFixed(1)}`;
    case 'days':
      return v.toFixed(1);
    case 'yesno':
      return v ? '是' : '否';
  }
}

const trim = (v: number) => String(Number(v.toFixed(6)));

/** An axis tick's label: short, without a sign or trailing zeros. */
export function formatTick(kind: ValueKind, v: number): string {
  if (kind === 'percent') return `${trim(v * 100)}%`;
  if (kind === 'points') return trim(v * 100);
  return trim(v);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text and attribute values in SVG/HTML. */
export const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export interface BarChart {
  /** Unique on the page; used for element ids and data-chart. */
  id: string;
  title: string;
  /** The value axis's title, e.g. 精简率 or 事项数（项）. */
  valueAxis: string;
  /** The category axis's title, e.g. 部门. */
  categoryAxis: string;
  kind: ValueKind;
  /** Series names; a legend is drawn when there is more than one. */
  series: string[];
  rows: { label: string; values: (number | null)[] }[];
  target?: { value: number; label: string } | null;
}

/** Round, readable ticks covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const start = Math.floor(min / step + 1e-9) * step;
  const end = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

export const CHART_WIDTH = 640;
const LABEL_X = 166; // right edge of the category labels
const PLOT_X0 = 172;
const PLOT_X1 = CHART_WIDTH - 72; // room for the value labels
const TOP = 34;
const BAR = 14;
const GAP = 8;
const SERIES_FILLS = ['#3b6fd1', '#d08a1e', '#1a7f37'];
const MAX_LABEL = 11;

const n2 = (v: number) => Number(v.toFixed(2));

/** Chart markup that views may output as it is (see the `chart` template helper). */
export class ChartSvg {
  constructor(readonly markup: string) {}
}

/** renderBarChart's markup, marked for the `chart` template helper. */
export const renderChartSvg = (chart: BarChart): ChartSvg => new ChartSvg(renderBarChart(chart));

/** A horizontal bar chart as an <svg> element. */
export function renderBarChart(chart: BarChart): string {
  const id = escapeXml(chart.id);
  const k = Math.max(1, chart.series.length);
  const rowH = k * BAR + GAP;
  const values = chart.rows.flatMap((r) => r.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const targetValue = chart.target && Number.isFinite(chart.target.value) ? chart.target.value : null;
  const lo = Math.min(0, ...values, ...(targetValue !== null ? [targetValue] : []));
  const hi = Math.max(0, ...values, ...(targetValue !== null ? [targetValue] : []));
  const ticks = niceTicks(lo, hi === lo ? lo + (chart.kind === 'percent' || chart.kind === 'points' ? 0.1 : 1) : hi);
  const d0 = ticks[0]!;
  const d1 = ticks[ticks.length - 1]!;
  const x = (v: number) => PLOT_X0 + ((v - d0) / (d1 - d0)) * (PLOT_X1 - PLOT_X0);
  const plotTop = TOP;
  const plotBottom = TOP + Math.max(1, chart.rows.length) * rowH;
  const height = plotBottom + 46;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${id}" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" role="img" aria-labelledby="chart-${id}-title" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="chart-${id}-title">${escapeXml(chart.title)}</title>`,
  );
  // Value axis: grid lines and tick labels, then its title.
  out.push('<g class="axis value-axis" fill="#59636e">');
  for (const t of ticks) {
    const tx = n2(x(t));
    out.push(`<line x1="${tx}" x2="${tx}" y1="${plotTop}" y2="${plotBottom}" stroke="${t === 0 ? '#59636e' : '#d0d7de'}" stroke-width="1"/>`);
    out.push(`<text x="${tx}" y="${plotBottom + 15}" text-anchor="middle">${escapeXml(formatTick(chart.kind, t))}</text>`);
  }
  out.push(`<text class="axis-title" x="${n2((PLOT_X0 + PLOT_X1) / 2)}" y="${plotBottom + 36}" text-anchor="middle" fill="#1f2328">${escapeXml(chart.valueAxis)}</text>`);
  out.push('</g>');
  out.push(
    `<text class="axis-title category-axis" x="12" y="${n2((plotTop + plotBottom) / 2)}" text-anchor="middle" transform="rotate(-90 12 ${n2((plotTop + plotBottom) / 2)})" fill="#1f2328">${escapeXml(chart.categoryAxis)}</text>`,
  );
  if (k > 1) {
    out.push('<g class="legend">');
    chart.series.forEach((name, s) => {
      const lx = PLOT_X0 + s * 150;
      out.push(`<rect x="${lx}" y="6" width="12" height="12" fill="${SERIES_FILLS[s % SERIES_FILLS.length]}"/><text x="${lx + 16}" y="16">${escapeXml(name)}</text>`);
    });
    out.push('</g>');
  }
  if (chart.rows.length === 0) {
    out.push(`<text class="empty" x="${n2((PLOT_X0 + PLOT_X1) / 2)}" y="${plotTop + rowH / 2 + 4}" text-anchor="middle" fill="#59636e">暂无数据</text>`);
  }
  const zero = x(0);
  chart.rows.forEach((row, i) => {
    const y = plotTop + i * rowH + GAP / 2;
    const short = row.label.length > MAX_LABEL ? `${row.label.slice(0, MAX_LABEL - 1)}…` : row.label;
    out.push(`<g class="bar-row" data-label="${escapeXml(row.label)}"><title>${escapeXml(row.label)}</title>`);
    out.push(`<text class="label" x="${LABEL_X}" y="${n2(y + (k * BAR) / 2 + 4)}" text-anchor="end">${escapeXml(short)}</text>`);
    row.values.forEach((v, s) => {
      const by = y + s * BAR;
      const series = escapeXml(chart.series[s] ?? '');
      if (v === null || !Number.isFinite(v)) {
        out.push(`<text class="value missing" data-series="${series}" x="${n2(zero + 4)}" y="${n2(by + BAR - 3)}" fill="#59636e">—</text>`);
        return;
      }
      const bx = Math.min(zero, x(v));
      const width = Math.abs(x(v) - zero);
      out.push(
        `<rect class="bar" data-label="${escapeXml(row.label)}" data-series="${series}" data-value="${v}" x="${n2(bx)}" y="${n2(by + 1)}" width="${n2(width)}" height="${BAR - 2}" fill="${SERIES_FILLS[s % SERIES_FILLS.length]}"/>`,
      );
      out.push(`<text class="value" x="${n2(Math.max(zero, x(v)) + 4)}" y="${n2(by + BAR - 3)}">${escapeXml(formatValue(chart.kind, v))}</text>`);
    });
    out.push('</g>');
  });
  if (chart.target && targetValue !== null) {
    const tx = n2(x(targetValue));
    out.push(
      `<g class="target"><line class="target-line" data-value="${targetValue}" x1="${tx}" x2="${tx}" y1="${plotTop - 6}" y2="${plotBottom}" stroke="#cf222e" stroke-width="2" stroke-dasharray="6 4"/>`,
      `<text x="${tx}" y="${plotTop - 10}" text-anchor="middle" fill="#cf222e">${escapeXml(`${chart.target.label} ${formatValue(chart.kind, targetValue)}`)}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}
