// Browsing the published catalogue like a portal: facet links with counts for 服务对象 (个人 / 法人), theme,
// category and department on the public list, combinable with the search and with each other, carried in
// the URL, shown as removable chips; the home page's entry points by 服务对象 and by theme; the list's JSON
// twin with the same filters and counts. Counts are checked against the published texts themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { themesOfName, THEME_NAMES } from '../../server/domain/themes.js';
import { normaliseText } from '../../server/domain/search-tables.js';
import { FACET_LABELS } from '../../server/domain/labels.js';

let server: TestServer;

interface Published {
  code: string;
  name: string;
  category: string;
  department: string;
  individual: boolean;
  legal: boolean;
  themes: string[];
}
let published: Published[];

beforeAll(async () => {
  server = await startTestServer(demoDb());
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
  // What was published, read from the published texts: the oracle of every count below.
  published = (server.db.$client.prepare('SELECT content FROM item_revisions').pluck().all() as string[]).map((text) => {
    const p = JSON.parse(text) as { code: string; name: string; category: string; department: { code: string }; serviceObjects: string[] };
    return {
      code: p.code,
      name: p.name,
      category: p.category,
      department: p.department.code,
      individual: p.serviceObjects.includes('citizens'),
      legal: p.serviceObjects.includes('enterprises') || p.serviceObjects.includes('organisations'),
      themes: themesOfName(normaliseText(p.name)),
    };
  });
});
afterAll(() => server.close());

interface FacetsJson {
  total: number;
  items: { code: string }[];
  facets: {
    audiences: { code: string; name: string; count: number }[];
    themes: { code: string; name: string; count: number }[];
    categories: { code: string; count: number }[];
    departments: { code: string; name: string; count: number }[];
  };
}

const api = async (query: string) => {
  const r = await server.client().get(`/api/v1/items?${query}${query ? '&' : ''}facets=1`);
  expect(r.status).toBe(200);
  return r.json<FacetsJson>();
};
const countBy = <K extends string>(rows: Published[], keys: (p: Published) => K[]) => {
  const out: Record<string, number> = {};
  for (const p of rows) for (const k of keys(p)) out[k] = (out[k] ?? 0) + 1;
  return out;
};
const asRecord = (list: { code: string; count: number }[]) => Object.fromEntries(list.map((x) => [x.code, x.count]));
const audiencesOf = (p: Published) => [...(p.individual ? ['individual'] : []), ...(p.legal ? ['legal'] : [])];
const totalOf = (html: string) => Number(/<strong id="total">(\d+)<\/strong>/.exec(html)?.[1]);
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');

describe('facet counts of the published catalogue', () => {
  it('without a filter, the counts by 服务对象, theme, category and department are those of the published items', async () => {
    const body = await api('');
    expect(body.total).toBe(published.length);
    expect(asRecord(body.facets.audiences)).toEqual({ individual: published.filter((p) => p.individual).length, legal: published.filter((p) => p.legal).length });
    expect(asRecord(body.facets.themes)).toEqual(countBy(published, (p) => p.themes));
    expect(asRecord(body.facets.categories)).toEqual(countBy(published, (p) => [p.category]));
    expect(asRecord(body.facets.departments)).toEqual(countBy(published, (p) => [p.department]));
    // Every theme is named as the theme list names it.
    for (const t of body.facets.themes) expect(t.name).toBe(THEME_NAMES[t.code]);
    // Sanity: the demo district has items for both audiences and many themes.
    expect(body.facets.audiences.every((a) => a.count > 0)).toBe(true);
    expect(body.facets.themes.length).toBeGreaterThan(20);
  });

  it('filters combine with each other and with the query; each dimension is counted under all the other filters', async () => {
    const theme = 'transport';
    const q = '证';
    const matchesQ = (p: Published) => normaliseText(p.name).includes(q) || p.code.includes(q);
    const body = await api(`theme=${theme}&audience=individual&q=${encodeURIComponent(q)}`);
    const want = published.filter((p) => p.themes.includes(theme) && p.individual && matchesQ(p));
    expect(want.length).toBeGreaterThan(0);
    expect(body.total).toBe(want.length);
    expect(body.items.every((i) => want.some((p) => p.code === i.code))).toBe(true);
    // 服务对象 under the theme and the query; themes under 个人 and the query; categories and departments under all three.
    const underThemeQ = published.filter((p) => p.themes.includes(theme) && matchesQ(p));
    expect(asRecord(body.facets.audiences)).toEqual({ individual: underThemeQ.filter((p) => p.individual).length, legal: underThemeQ.filter((p) => p.legal).length });
    expect(asRecord(body.facets.themes)).toEqual(countBy(published.filter((p) => p.individual && matchesQ(p)), (p) => p.themes));
    expect(asRecord(body.facets.categories)).toEqual(countBy(want, (p) => [p.category]));
    expect(asRecord(body.facets.departments)).toEqual(countBy(want, (p) => [p.department]));
  });

  it('without a query too, every dimension is counted under all the other filters, whichever filters are chosen', async () => {
    const some = published.find((p) => p.legal && p.individual && p.themes.length > 0)!;
    const filters = { audience: 'legal', theme: some.themes[0]!, category: some.category, department: some.department };
    const passes = (p: Published, f: Partial<typeof filters>) =>
      (!f.audience || (f.audience === 'legal' ? p.legal : p.individual)) &&
      (!f.theme || p.themes.includes(f.theme)) &&
      (!f.category || p.category === f.category) &&
      (!f.department || p.department === f.department);
    // Every subset of the four filters, so each count is checked with and without each other filter.
    const keys = Object.keys(filters) as (keyof typeof filters)[];
    for (let mask = 1; mask < 16; mask++) {
      const f: Partial<typeof filters> = {};
      keys.forEach((k, i) => {
        if (mask & (1 << i)) f[k] = filters[k];
      });
      const body = await api(new URLSearchParams(f).toString());
      const without = (k: keyof typeof filters) => published.filter((p) => passes(p, { ...f, [k]: undefined }));
      const label = JSON.stringify(f);
      expect(body.total, label).toBe(published.filter((p) => passes(p, f)).length);
      expect(asRecord(body.facets.audiences), label).toEqual({ individual: without('audience').filter((p) => p.individual).length, legal: without('audience').filter((p) => p.legal).length });
      expect(asRecord(body.facets.themes), label).toEqual(countBy(without('theme'), (p) => p.themes));
      expect(asRecord(body.facets.categories), label).toEqual(countBy(without('category'), (p) => [p.category]));
      expect(asRecord(body.facets.departments), label).toEqual(countBy(without('department'), (p) => [p.department]));
    }
  });

  it('a list filtered by theme and 服务对象 keeps the catalogue’s order (department, then code) from page to page', async () => {
    const want = published
      .filter((p) => p.themes.includes('transport') && p.legal)
      .sort((a, b) => (a.department < b.department ? -1 : a.department > b.department ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((p) => p.code);
    const page = async (n: number) => (await server.client().get(`/api/v1/items?theme=transport&audience=legal&page=${n}`)).json<FacetsJson & { pageSize: number }>();
    const first = await page(1);
    expect(want.length).toBeGreaterThan(first.pageSize);
    expect([...first.items, ...(await page(2)).items].map((i) => i.code)).toEqual(want.slice(0, 2 * first.pageSize));
  });

  it('a category and a department filter narrow the list as the theme and 服务对象 do, and the page says the same total', async () => {
    const some = published.find((p) => p.legal && p.themes.length > 0)!;
    const [theme] = some.themes;
    const query = `audience=legal&theme=${theme}&category=${some.category}&department=${encodeURIComponent(some.department)}`;
    const want = published.filter((p) => p.legal && p.themes.includes(theme!) && p.category === some.category && p.department === some.department);
    expect((await api(query)).total).toBe(want.length);
    const page = await server.client().get(`/items?${query}`);
    expect(totalOf(page.text)).toBe(want.length);
  });
});

describe('the public list page', () => {
  it('shows facet links with counts that choose a value and keep the rest of the filter in the URL', async () => {
    const html = decode((await server.client().get('/items?theme=transport')).text);
    const underTheme = published.filter((p) => p.themes.includes('transport'));
    expect(totalOf(html)).toBe(underTheme.length);
    // The 服务对象 group: 个人 with its count under the theme, linking to the list with both filters.
    const link = new RegExp(`<a href="([^"]*audience=individual[^"]*)" data-count="(\\d+)">${FACET_LABELS.audiences.individual}<`).exec(html);
    expect(link, 'a 个人 facet link').not.toBeNull();
    expect(Number(link![2])).toBe(underTheme.filter((p) => p.individual).length);
    const url = new URL(link![1]!, 'http://x');
    expect(url.pathname).toBe('/items');
    expect(url.searchParams.get('theme')).toBe('transport');
    expect(url.searchParams.get('audience')).toBe('individual');
    // Following the link lists exactly that many items.
    expect(totalOf((await server.client().get(link![1]!)).text)).toBe(Number(link![2]));
  });

  it('each chosen filter is a chip whose link takes off that filter only', async () => {
    const html = (await server.client().get('/items?theme=transport&audience=legal&q=' + encodeURIComponent('许可'))).text;
    const chips = [...html.matchAll(/<a class="chip" href="([^"]*)"[^>]*data-chip="([^"]*)">/g)].map((m) => ({ url: new URL(decode(m[1]!), 'http://x'), label: m[2]! }));
    expect(chips.map((c) => c.label)).toEqual([FACET_LABELS.dimensions.q, FACET_LABELS.dimensions.audience, FACET_LABELS.dimensions.theme]);
    const params = (u: URL) => Object.fromEntries(u.searchParams);
    expect(params(chips[0]!.url)).toEqual({ audience: 'legal', theme: 'transport' });
    expect(params(chips[1]!.url)).toEqual({ q: '许可', theme: 'transport' });
    expect(params(chips[2]!.url)).toEqual({ q: '许可', audience: 'legal' });
    expect(html).toContain(`>${FACET_LABELS.dimensions.theme}：${THEME_NAMES.transport}<span class="chip-x"`);
    expect(html).toContain(`href="/items">${FACET_LABELS.clearAll}</a>`);
    // The search form keeps the facets when the query changes.
    expect(html).toContain('<input type="hidden" name="audience" value="legal">');
    expect(html).toContain('<input type="hidden" name="theme" value="transport">');
  });

  it('user text in the query is escaped in the chips and the links', async () => {
    const html = (await server.client().get('/items?q=' + encodeURIComponent('<script>x</script>"'))).text;
    expect(html).not.toContain('<script>x</script>');
    // The chip shows the query as text.
    expect(html).toMatch(/data-chip="[^"]+">[^<]*：&lt;script&gt;x&lt;\/script&gt;&quot;<span class="chip-x"/);
  });

  it('an unknown theme or 服务对象 is ignored rather than failing the page', async () => {
    const r = await server.client().get('/items?theme=nonsense&audience=martians');
    expect(r.status).toBe(200);
    expect(totalOf(r.text)).toBe(published.length);
    // No chip for what was ignored, and the facet panel offers the real values.
    expect(r.text).not.toContain('class="chip"');
    expect(r.text).toContain('data-facet="theme"');
  });
});

describe('the home page', () => {
  it('offers 个人办事 and 法人办事 with their counts, and the themes of each with counts, linking to the filtered list', async () => {
    const html = decode((await server.client().get('/')).text);
    for (const a of ['individual', 'legal'] as const) {
      const m = new RegExp(`<a href="/items\\?audience=${a}" data-audience="${a}"><span class="tile-name">${FACET_LABELS.audienceEntries[a]}</span><span class="tile-count">(\\d+) 项</span>`).exec(html);
      expect(m, a).not.toBeNull();
      expect(Number(m![1])).toBe(published.filter((p) => (a === 'individual' ? p.individual : p.legal)).length);
    }
    expect(html).toContain(FACET_LABELS.byTheme);
    const legal = /<ul class="theme-list" data-group="legal">([\s\S]*?)<\/ul>/.exec(html)![1]!;
    const links = [...legal.matchAll(/<a href="([^"]*)" data-theme="([^"]*)">[^<]*<span class="facet-count"[^>]*>(\d+)</g)];
    expect(links.length).toBeGreaterThan(5);
    for (const [, href, code, n] of links) {
      expect(Number(n)).toBe(published.filter((p) => p.legal && p.themes.includes(code!)).length);
      const r = await server.client().get(href!);
      expect(totalOf(r.text)).toBe(Number(n));
    }
  });
});

describe('published, not working', () => {
  it('the counts the public sees are the published version’s; staff see the working catalogue’s', async () => {
    const before = await api('audience=individual');
    // In the working catalogue an item stops serving 个人 (and 法人): the public counts stay, staff's change.
    const code = published.find((p) => p.individual)!.code;
    server.db.$client.prepare(`UPDATE items SET service_objects = '["government"]', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE code = ?`).run(code);
    const after = await api('audience=individual');
    expect(after.total).toBe(before.total);
    const staff = server.client();
    await staff.login('legal');
    const working = (await staff.get('/api/v1/items?audience=individual&facets=1')).json<FacetsJson>();
    expect(working.total).toBe(before.total - 1);
  });
});
