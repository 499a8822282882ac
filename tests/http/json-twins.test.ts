// Every list has a JSON twin built from the same data function: both must show the same items.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => server.close());

const codesInTable = (html: string) => [...html.matchAll(/<div class="code">([^<]+)<\/div>/g)].map((m) => m[1]);
const decode = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'");

describe('JSON twins', () => {
  it('GET /api/v1/items answers the same items, in the same order, as the /items page for every filter', async () => {
    const c = server.client();
    for (const query of ['', '?page=3', '?department=RSJ', '?category=permit&page=2', '?basis=no', '?q=%E6%88%B7%E5%8F%A3', '?level=district&department=JTYSJ']) {
      const html = await c.get(`/items${query}`);
      const api = (await c.get(`/api/v1/items${query}`)).json<{ total: number; items: { code: string }[] }>();
      expect(html.status).toBe(200);
      expect(codesInTable(html.text), query).toEqual(api.items.map((i) => i.code));
      expect(html.text).toContain(`<strong id="total">${api.total}</strong>`);
    }
  });

  it('the demo catalogue holds 1,135 items in 34 departments, in the API and on the page', async () => {
    const c = server.client();
    const api = (await c.get('/api/v1/items')).json<{ total: number }>();
    const depts = (await c.get('/api/v1/departments')).json<{ departments: { code: string; name: string; itemCount: number }[] }>();
    expect(api.total).toBe(1135);
    expect(depts.departments).toHaveLength(34);
    expect(depts.departments.reduce((n, d) => n + d.itemCount, 0)).toBe(1135);
    const page = await c.get('/departments');
    for (const d of depts.departments) expect(page.text).toContain(`<td data-label="事项数" class="num">${d.itemCount}</td>`);
  });

  it('a department filter in the API counts what /api/v1/departments says that department has', async () => {
    const c = server.client();
    const depts = (await c.get('/api/v1/departments')).json<{ departments: { code: string; itemCount: number }[] }>();
    for (const d of depts.departments.slice(0, 5)) {
      expect((await c.get(`/api/v1/items?department=${d.code}`)).json<{ total: number }>().total).toBe(d.itemCount);
    }
  });

  it('GET /api/v1/items/:code carries what the item page shows: name, department and every citation', async () => {
    const c = server.client();
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
    const c = server.client();
    const page = await c.get('/items/NO-SUCH-CODE');
    expect(page.status).toBe(404);
    expect(page.text).toContain('找不到该事项');
    const api = await c.get('/api/v1/items/NO-SUCH-CODE');
    expect(api.status).toBe(404);
    expect(api.json()).toEqual({ error: { code: 'not_found', message: '找不到该事项。', fields: {} } });
  });

  it('the registry lists 3,183 instruments and its page and API agree', async () => {
    const c = server.client();
    const api = (await c.get('/api/v1/instruments?status=repealed')).json<{ total: number; instruments: { title: string }[] }>();
    expect((await c.get('/api/v1/instruments')).json<{ total: number }>().total).toBe(1272 + 1911);
    const page = decode((await c.get('/instruments?status=repealed')).text);
    for (const i of api.instruments) expect(page).toContain(i.title);
    expect(api.total).toBeGreaterThan(0);
  });
});
