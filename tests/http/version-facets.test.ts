// A published version's page browses like /items: the facet panel (服务对象, theme, category, department
// with counts) and the chips, counted in that version and not in the working catalogue or another version,
// with links that stay on the version's page; its JSON twin gives the same counts with facets=1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { themesOfName } from '../../server/domain/themes.js';
import { normaliseText } from '../../server/domain/search-tables.js';

let server: TestServer;

/** The names of version n's items, read from the published revisions themselves. */
const namesOfVersion = (n: number): string[] =>
  server.db.$client
    .prepare('SELECT r.name FROM item_revisions r LEFT JOIN revision_closures c ON c.revision_id = r.id WHERE r.from_version <= ? AND (c.to_version IS NULL OR c.to_version > ?)')
    .pluck()
    .all(n, n) as string[];
const themeCount = (names: string[], theme: string) => names.filter((name) => themesOfName(normaliseText(name)).includes(theme)).length;

/** The count a facet link shows on a page, by the link's text. */
const facetLinks = (html: string, dimension: string) => {
  const group = new RegExp(`<details class="facet" data-facet="${dimension}"[\\s\\S]*?</details>`).exec(html)?.[0] ?? '';
  return [...group.matchAll(/<a href="([^"]+)" data-count="(\d+)"[^>]*>([^<]+)</g)].map((m) => ({ url: m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='), count: Number(m[2]), text: m[3]! }));
};

const rename = (count: number, suffix: string) => {
  const codes = server.db.$client.prepare("SELECT code FROM items WHERE name NOT LIKE '%客运%' AND parent_id IS NULL ORDER BY code LIMIT ?").pluck().all(count) as string[];
  for (const code of codes) {
    server.db.$client
      .prepare("UPDATE items SET name = name || ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now','+1 second') WHERE code = ?")
      .run(suffix, code);
  }
};

beforeAll(async () => {
  server = await startTestServer(demoDb());
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
  // Version 2 holds more 交通出行 items than version 1; the working catalogue more again.
  rename(7, '（客运）');
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第二版）', effectiveOn: '2026-06-01' });
  rename(20, '（货运）');
});
afterAll(() => server.close());

describe('the facet panel of a version page', () => {
  it('a version page shows the facet counts of that version, not those of the working catalogue or another version', async () => {
    const v1 = themeCount(namesOfVersion(1), 'transport');
    const v2 = themeCount(namesOfVersion(2), 'transport');
    const working = themeCount(server.db.$client.prepare('SELECT name FROM items WHERE removed_at IS NULL').pluck().all() as string[], 'transport');
    expect(new Set([v1, v2, working]).size).toBe(3);
    for (const [n, want] of [[1, v1], [2, v2]] as const) {
      const page = await server.client().get(`/versions/${n}`);
      expect(page.status).toBe(200);
      const transport = facetLinks(page.text, 'theme').find((l) => l.text === '交通出行');
      expect(transport?.count, `version ${n}`).toBe(want);
    }
  });

  it('a facet link on a version page stays on that version page, and following it filters the version with a chip to take it off', async () => {
    const page = await server.client().get('/versions/1');
    const transport = facetLinks(page.text, 'theme').find((l) => l.text === '交通出行')!;
    expect(transport.url).toBe('/versions/1?theme=transport');
    for (const d of ['audience', 'category', 'department']) for (const l of facetLinks(page.text, d)) expect(l.url.startsWith('/versions/1?'), l.url).toBe(true);
    const filtered = await server.client().get(transport.url);
    expect(Number(/<strong id="total">(\d+)<\/strong>/.exec(filtered.text)?.[1])).toBe(transport.count);
    expect(filtered.text).toContain('id="facet-chips"');
    // The chip takes the theme off again, on the same version's page; the search form keeps the theme.
    expect(filtered.text).toMatch(/<a class="chip" href="\/versions\/1"/);
    expect(filtered.text).toContain('<input type="hidden" name="theme" value="transport">');
  });

  it("the version list's JSON twin gives the same counts with facets=1", async () => {
    const body = (await server.client().get('/api/v1/versions/2/items?theme=transport&facets=1')).json<{ total: number; facets: { themes: { code: string; count: number }[] } }>();
    expect(body.total).toBe(themeCount(namesOfVersion(2), 'transport'));
    expect(body.facets.themes.find((t) => t.code === 'transport')?.count).toBe(body.total);
    const page = await server.client().get('/versions/2');
    expect(page.text).toContain('href="/api/v1/versions/2/items?page&#x3D;1&amp;facets&#x3D;1"');
  });
});
