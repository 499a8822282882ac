import { describe, it, expect } from 'vitest';
import { eq } from '../../../server/views/helpers/eq.js';
import { join } from '../../../server/views/helpers/join.js';
import { lines } from '../../../server/views/helpers/lines.js';
import { ruleTitle } from '../../../server/views/helpers/rule-title.js';
import { chart } from '../../../server/views/helpers/chart.js';
import { renderChartSvg } from '../../../server/analysis/charts.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { createViewEngine } from '../../../server/views/engine.js';

describe('template helpers', () => {
  it('eq compares strictly', () => {
    expect(eq('1', '1')).toBe(true);
    expect(eq('1', 1)).toBe(false);
  });
  it('join joins a list with the given separator and ignores non-lists', () => {
    expect(join(['自然人', '企业法人'], '、')).toBe('自然人、企业法人');
    expect(join('x', '、')).toBe('');
  });
  it('ruleTitle names a rule by its Chinese title, never its code', () => {
    expect(ruleTitle('NO_BASIS')).toBe('无设定依据');
    expect(ruleTitle(undefined)).toBe('');
  });
  it('lines splits text into trimmed non-empty lines', () => {
    expect(lines('1. 申请表\r\n\n 2. 身份证明 ')).toEqual(['1. 申请表', '2. 身份证明']);
  });
  it('chart outputs only a chart the chart renderer made; any other text is output as nothing', () => {
    const svg = renderChartSvg({ id: 'c', title: '<b>标题</b>', kind: 'count', valueAxis: '事项', categoryAxis: '部门', series: ['事项'], rows: [{ label: '<script>', values: [3] }], target: null });
    const out = String(chart(svg));
    expect(out.startsWith('<svg')).toBe(true);
    expect(out).not.toContain('<script>');
    expect(chart('<script>alert(1)</script>')).toBe('');
  });
  it('no template outputs text unescaped with {{{ }}}, except the layout placing the rendered page', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = joinPath(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.name.endsWith('.hbs')) for (const m of readFileSync(path, 'utf8').matchAll(/\{\{\{\s*([^}]*)\}\}\}/g)) if (m[1]!.trim() !== 'body') found.push(`${path}: ${m[0]}`);
      }
    };
    walk(joinPath(__dirname, '../../../views'));
    expect(found).toEqual([]);
  });
  it('user text is escaped in every page (no script can be injected through an item name)', () => {
    const views = createViewEngine();
    const html = views.render('error', { status: 400, message: '<script>alert(1)</script>', nav: {} }, null);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
  });
});
