// Every list has a JSON twin built from the same data function: both must show the same items.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => server.close());

/** The working catalogue is what signed-in staff see on the public pages (anonymous visitors get the published one). */
async function staffClient() {
  const c = server.client();
  await c.login('supervisor');
  return c;
}

const codesInTable = (html: string) => [...html.matchAll(/<div class="code">([^<]+)<\/div>/g)].map((m) => m[1]);
const decode = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'");

describe('JSON twins', () => {
  it('GET /api/v1/items answers the same items, in the same order, as the /items page for every filter', async () => {
    const c = await staffClient();
    for (const query of ['', '?page=3', '?department=RSJ', '?category=permit&page=2', '?basis=no', '?q=%E6%88%B7%E5%8F%A3', '?level=district&department=JTYSJ']) {
      const html = await c.get(`/items${query}`);
      const api = (await c.get(`/api/v1/items${query}`)).json<{ total: number; items: { code: string }[] }>();
      expect(html.status).toBe(200);
      expect(codesInTable(html.text), query).toEqual(api.items.map((i) => i.code));
      expect(html.text).toContain(`<strong id="total">${api.total}</strong>`);
    }
  });

  it('the demo catalogue holds 1,135 items in 34 departments, in the API and on the page', async () => {
    const c = await staffClient();
    const api = (await c.get('/api/v1/items')).json<{ total: number }>();
    const depts = (await c.get('/api/v1/departments')).json<{ departments: { code: string; name: string; itemCount: number }[] }>();
    expect(api.total).toBe(1135);
    expect(depts.departments).toHaveLength(34);
    expect(depts.departments.reduce((n, d) => n + d.itemCount, 0)).toBe(1135);
    const page = await c.get('/departments');
    for (const d of depts.departments) expect(page.text).toContain(`<td data-label="事项数" class="num">${d.itemCount}</td>`);
  });

  it('a department filter in the API counts what /api/v1/departments says that department has', async () => {
    const c = await staffClient();
    const depts = (await c.get('/api/v1/departments')).json<{ departments: { code: string; itemCount: number }[] }>();
    for (const d of depts.departments.slice(0, 5)) {
      expect((await c.get(`/api/v1/items?department=${d.code}`)).json<{ total: number }>().total).toBe(d.itemCount);
    }
  });

  it('GET /api/v1/items/:code carries what the item page shows: name, department and every citation', async () => {
    const c = await staffClient();
    const list = (await c.get('/api/v1/items?basis=yes')).json<{ items: { code: string }[] }>();
    for (const { code } of list.items.slice(0, 10)) {
      const item = (await c.get(`/api/v1/items/${encodeURIComponent(code)}`)).json<{
        name: string;
        department: { name: string };
        citations: { title: string; article: string | null }[];
      }>();
      const page = decode((await c.get(`/items/${encodeURIComponent(code)}`)).text);
      expect(page).toContain(`<h1>${item.name}</h1>`);
      expect(page).toContain(item.department.name);
      expect(item.citations.length).toBeGreaterThan(0);
      for (const cit of item.citations) {
        expect(page).toContain(cit.title);
        if (cit.article) expect(page).toContain(cit.article);
      }
      expect(page).toContain(`href="/api/v1/items/${encodeURIComponent(code)}"`);
    }
  });

  it('an unknown item is a 404 in both, with a Chinese message', async () => {
    const c = await staffClient();
    const page = await c.get('/items/NO-SUCH-CODE');
    expect(page.status).toBe(404);
    expect(page.text).toContain('找不到该事项');
    const api = await c.get('/api/v1/items/NO-SUCH-CODE');
    expect(api.status).toBe(404);
    expect(api.json()).toEqual({ error: { code: 'not_found', message: '找不到该事项。', fields: {} } });
  });

  it('the registry lists every shipped instrument and its page and API agree', async () => {
    const c = await staffClient();
    const api = (await c.get('/api/v1/instruments?status=repealed')).json<{ total: number; instruments: { title: string }[] }>();
    expect((await c.get('/api/v1/instruments')).json<{ total: number }>().total).toBe(1270 + 1915 + 127);
    const page = decode((await c.get('/instruments?status=repealed')).text);
    for (const i of api.instruments) expect(page).toContain(i.title);
    expect(api.total).toBeGreaterThan(0);
  });
});

describe('every public HTML page links its JSON twin', () => {
  let twins: TestServer;
  beforeAll(async () => {
    twins = await startTestServer(demoDb());
    const sqlite = twins.db.$client;
    publishVersion(twins.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）', effectiveOn: '2026-01-01' });
    const now = new Date().toISOString();
    sqlite.prepare("UPDATE items SET remarks = '网上办理', updated_at = ? WHERE id = (SELECT min(id) FROM items WHERE removed_at IS NULL)").run(now);
    publishVersion(twins.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第2版）', effectiveOn: '2026-07-01' });
  });
  afterAll(() => twins.close());

  it('home, catalogue, item, departments, instruments, versions, version, version item, diff, dashboard and API pages each link JSON that answers 200', async () => {
    const c = twins.client();
    const code = twins.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
    const instrument = twins.db.$client.prepare('SELECT min(id) FROM legal_instruments').pluck().get() as number;
    const pages = [
      '/',
      '/items',
      '/items?department=RSJ&page=2',
      `/items/${encodeURIComponent(code)}`,
      '/departments',
      '/instruments',
      '/instruments?status=repealed',
      `/instruments/${instrument}`,
      '/versions',
      '/versions/2',
      '/versions/1?department=RSJ&category=permit',
      `/versions/2/items/${encodeURIComponent(code)}`,
      '/versions/1/diff/2',
      '/dashboard?version=2',
      '/api',
    ];
    for (const path of pages) {
      const page = await c.get(path);
      expect(page.status, path).toBe(200);
      const links = [...page.text.matchAll(/<a href="([^"]+)">本页数据（JSON）<\/a>/g)].map((m) => decode(m[1]!));
      expect(links, `${path} links one JSON twin`).toHaveLength(1);
      expect(page.text, path).toContain(`<link rel="alternate" type="application/json" href="${page.text.match(/<a href="([^"]+)">本页数据（JSON）<\/a>/)![1]}">`);
      const twin = await c.get(links[0]!);
      expect(twin.status, `${path} → ${links[0]}`).toBe(200);
      expect(twin.headers.get('content-type'), links[0]).toMatch(/^application\/json/);
      expect(() => twin.json(), links[0]).not.toThrow();
    }
  });

  it("a version page's twin holds the page's items: the filters travel to the JSON", async () => {
    const c = twins.client();
    const page = await c.get('/versions/1?department=RSJ&category=permit');
    const twin = decode(/<a href="([^"]+)">本页数据（JSON）<\/a>/.exec(page.text)![1]!);
    expect(twin).toBe('/api/v1/versions/1/items?department=RSJ&category=permit&page=1&facets=1');
    const json = (await c.get(twin)).json<{ total: number; items: { code: string }[] }>();
    expect(codesInTable(page.text)).toEqual(json.items.map((i) => i.code));
    expect(page.text).toContain(`<strong id="total">${json.total}</strong>`);
  });
});
