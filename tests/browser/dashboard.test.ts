// The dashboard in Chromium for the demo district: every chart's table holds the numbers of
// /api/v1/stats (mapped here from the JSON field by field, not through the code that builds the
// tables), every bar of every SVG chart carries its table cell's value with a length proportional
// to it, and the target lines stand at the seeds' targets. For the legal office on the working
// catalogue, one department through the selectors, and the public on a published version on a phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext, clickMenu } from '../support/browser.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { ruleCatalogue } from '../../server/checks/engine.js';
import { formatValue, type ValueKind } from '../../server/analysis/charts.js';
import { CATEGORIES, DISPOSITIONS } from '../../server/domain/vocabulary.js';
import type { Figures, Stats } from '../../server/analysis/stats.js';
import { overOf, shortOf } from '../../server/analysis/stats.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(demoDb()), launchBrowser()]);
  // Two decisions of the legal office, finalised, so the disposition chart has bars.
  const sqlite = server.db.$client;
  for (const [dept, disposition] of [['XZSPJ', 'retain'], ['RSJ', 'cancel']] as const) {
    const d = sqlite.prepare('SELECT id FROM departments WHERE code = ?').pluck().get(dept) as number;
    const item = sqlite.prepare('SELECT id, name FROM items WHERE department_id = ? ORDER BY id LIMIT 1').get(d) as { id: number; name: string };
    const s = sqlite.prepare("INSERT INTO submissions (department_id, source, state, created_by) VALUES (?, 'form', 'final', 'legal')").run(d).lastInsertRowid;
    sqlite
      .prepare("INSERT INTO submission_items (submission_id, item_id, kind, name, state, disposition, finalised_at) VALUES (?, ?, 'change', ?, 'final', ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))")
      .run(s, item.id, item.name, disposition);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Row {
  key: string;
  label: string;
  values: (number | null)[];
}

const RULE_TITLES = new Map(ruleCatalogue().map((r) => [r.code as string, r.title]));

/** What each table must hold, read off the API's JSON; with the columns charted and the target line. */
function expectedFigures(api: Stats) {
  const units: { key: string; label: string; f: Figures }[] = [
    ...(api.scope.department ? [] : [{ key: '', label: '合计', f: api as Figures }]),
    ...api.byDepartment.map((d) => ({ key: d.code, label: d.name, f: d as Figures })),
  ];
  const per = (pick: (f: Figures) => (number | null)[]): Row[] => units.map((u) => ({ key: u.key, label: u.label, values: pick(u.f) }));
  const t = api.targets;
  const figures: Record<string, { rows: Row[]; kinds: ValueKind[]; charted: number[]; target: number | null }> = {
    targets: {
      rows: [
        { key: 'timeCut', label: '承诺时限较法定时限压缩', values: [t.timeCut.target, t.timeCut.actual, shortOf(t.timeCut.gap), overOf(t.timeCut.gap), t.timeCut.met ? 1 : 0] },
        { key: 'shortened', label: '缩短办结时限的限时事项占比', values: [t.shortened.target, t.shortened.actual, shortOf(t.shortened.gap), overOf(t.shortened.gap), t.shortened.met ? 1 : 0] },
        { key: 'instantGain', label: '即办件占比较基线提高（百分点）', values: [t.instantGain.target, t.instantGain.actual, shortOf(t.instantGain.gap), overOf(t.instantGain.gap), t.instantGain.met ? 1 : 0] },
      ],
      kinds: ['percent', 'percent', 'percent', 'percent', 'yesno'],
      charted: [],
      target: null,
    },
    category: {
      rows: Object.entries(api.byCategory).map(([k, n]) => ({ key: k, label: CATEGORIES[k as keyof typeof CATEGORIES], values: [n] })),
      kinds: ['count'],
      charted: [0],
      target: null,
    },
    disposition: {
      rows: Object.entries(api.byDisposition).map(([k, n]) => ({ key: k, label: DISPOSITIONS[k as keyof typeof DISPOSITIONS], values: [n] })),
      kinds: ['count'],
      charted: [0],
      target: null,
    },
    reduction: { rows: per((f) => [f.reduction.previous, f.reduction.current, f.reduction.rate]), kinds: ['count', 'count', 'percent'], charted: [2], target: null },
    limits: { rows: per((f) => [f.timeLimits.timeLimited, f.timeLimits.avgStatutory, f.timeLimits.avgPromised]), kinds: ['count', 'days', 'days'], charted: [1, 2], target: null },
    timeCut: { rows: per((f) => [f.timeLimits.avgStatutory, f.timeLimits.avgPromised, f.timeLimits.cut]), kinds: ['days', 'days', 'percent'], charted: [2], target: 0.3 },
    shortened: { rows: per((f) => [f.timeLimits.timeLimited, f.timeLimits.shortened, f.timeLimits.shortenedShare]), kinds: ['count', 'count', 'percent'], charted: [2], target: 1 / 3 },
    instant: {
      rows: per((f) => [f.instant.handled, f.instant.instant, f.instant.share, f.instant.baselineShare, f.instant.gain]),
      kinds: ['count', 'count', 'percent', 'percent', 'points'],
      charted: [4],
      target: 0.15,
    },
  };
  if (api.flags) {
    figures.flags = {
      rows: Object.entries(api.flags.byRule).map(([rule, n]) => ({ key: rule, label: RULE_TITLES.get(rule) ?? rule, values: [n] })),
      kinds: ['count'],
      charted: [0],
      target: null,
    };
  }
  return figures;
}

/** Each figure section as the browser shows it: the table's rows and cells, the chart's bars and target line. */
function readFigures(page: Page) {
  return page.$$eval('section.figure', (sections) =>
    sections.map((s) => ({
      id: s.getAttribute('data-figure')!,
      headers: [...s.querySelectorAll('thead th')].map((th) => th.textContent!.trim()),
      rows: [...s.querySelectorAll('tbody tr[data-key]')].map((tr) => ({
        key: tr.getAttribute('data-key')!,
        label: tr.querySelector('th')!.textContent!.trim(),
        cells: [...tr.querySelectorAll('td')].map((td) => ({ value: td.getAttribute('data-value')!, text: td.textContent!.trim() })),
      })),
      hasChart: s.querySelector('svg.chart') !== null,
      bars: [...s.querySelectorAll('svg rect.bar')].map((r) => ({
        label: r.getAttribute('data-label')!,
        series: r.getAttribute('data-series')!,
        value: r.getAttribute('data-value')!,
        width: Number(r.getAttribute('width')),
      })),
      target: s.querySelector('svg line.target-line')?.getAttribute('data-value') ?? null,
    })),
  );
}

async function checkDashboard(page: Page, api: Stats) {
  const expected = expectedFigures(api);
  const shown = await readFigures(page);
  expect(shown.map((f) => f.id)).toEqual(Object.keys(expected));
  for (const fig of shown) {
    const want = expected[fig.id]!;
    // The table holds the API's numbers, each shown as the number formatted.
    expect(
      fig.rows.map((r) => ({ key: r.key, label: r.label, values: r.cells.map((c) => (c.value === '' ? null : Number(c.value))) })),
      `table ${fig.id}`,
    ).toEqual(want.rows);
    for (const [i, r] of fig.rows.entries()) {
      r.cells.forEach((c, j) => {
        const kind = fig.id === 'targets' && r.key === 'instantGain' && j < 4 ? 'points' : want.kinds[j]!;
        expect(c.text, `${fig.id} ${r.label} column ${j}`).toBe(formatValue(kind, want.rows[i]!.values[j]!));
      });
    }
    // The chart's bars: one per charted cell that has a value, carrying that cell's value.
    expect(fig.hasChart, `chart ${fig.id}`).toBe(want.charted.length > 0);
    const fromTable = fig.rows.flatMap((r) =>
      want.charted.filter((j) => r.cells[j]!.value !== '').map((j) => ({ label: r.label, series: fig.headers[j + 1]!, value: r.cells[j]!.value })),
    );
    expect(fig.bars.map(({ label, series, value }) => ({ label, series, value })), `bars of ${fig.id}`).toEqual(fromTable);
    // …and their lengths are proportional to the values.
    const scaled = fig.bars.filter((b) => Number(b.value) !== 0).map((b) => b.width / Math.abs(Number(b.value)));
    for (const s of scaled) expect(s / scaled[0]!, `bar lengths of ${fig.id}`).toBeCloseTo(1, 2);
    expect(fig.target === null ? null : Number(fig.target), `target line of ${fig.id}`).toBe(want.target);
  }
}

async function apiOf(page: Page, path: string): Promise<Stats> {
  const reply = await page.request.get(path);
  expect(reply.status()).toBe(200);
  return (await reply.json()) as Stats;
}

describe('the dashboard in the browser', () => {
  it('for the legal office: the working catalogue and then one department, every table and chart as in the API', async () => {
    const { context, page, blocked } = await newTestContext(browser, server.url);
    await loginThroughForm(page, 'legal');
    await Promise.all([page.waitForURL(/\/dashboard$/), clickMenu(page, '统计看板')]);
    const api = await apiOf(page, '/api/v1/stats');
    expect(api.items).toBe(1135);
    expect(api.flags).not.toBeNull();
    expect(await page.textContent('#scope')).toBe('工作目录（尚未发布）');
    await checkDashboard(page, api);

    await page.selectOption('#d-department', 'XZSPJ');
    await Promise.all([page.waitForURL(/department=XZSPJ/), page.click('#dashboard-filters button[type="submit"]')]);
    const one = await apiOf(page, '/api/v1/stats?department=XZSPJ');
    expect(one.byDepartment.map((d) => d.code)).toEqual(['XZSPJ']);
    await checkDashboard(page, one);
    expect(blocked).toEqual([]);
    await context.close();
  });

  it('for the public on a phone: the latest published version, without findings, fitting the screen', async () => {
    publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（第1版）', effectiveOn: '2026-01-01' });
    const { context, page, blocked } = await newTestContext(browser, server.url, { viewport: { width: 375, height: 700 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await page.goto('/dashboard');
    expect(new URL(page.url()).search).toBe('?version=1');
    const api = await apiOf(page, '/api/v1/stats?version=1');
    expect(api.flags).toBeNull();
    expect(api.byDisposition).toEqual({ retain: 1, cancel: 1 });
    await checkDashboard(page, api);
    expect(await page.$$eval('#d-version option', (o) => o.map((x) => x.textContent))).toEqual(['第 1 版：某区行政权力清单（第1版）']);
    const size = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      chartWidths: [...document.querySelectorAll('svg.chart')].map((s) => s.getBoundingClientRect().width),
    }));
    expect(size.innerWidth).toBe(375);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
    for (const w of size.chartWidths) expect(w).toBeLessThanOrEqual(375);
    expect(blocked).toEqual([]);
    await context.close();
  });
});
