// The public pages show the latest published version to anonymous visitors and the working catalogue,
// labelled as unpublished, only to signed-in staff; before the first publish the public is told so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { PUBLIC_CATALOGUE_LABELS } from '../../server/domain/labels.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => server.close());

const codesInTable = (html: string) => [...html.matchAll(/<div class="code">([^<]+)<\/div>/g)].map((m) => m[1]);
const totalOf = (html: string) => Number(/<strong id="total">(\d+)<\/strong>/.exec(html)?.[1]);

describe('before the first publish', () => {
  it('an anonymous visitor is told that no catalogue has been published, on the home page and the lists', async () => {
    const c = server.client();
    const home = await c.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(PUBLIC_CATALOGUE_LABELS.unpublished);
    expect(home.text).not.toContain('共 1135 项事项');
    for (const path of ['/items', '/departments', '/items?q=许可']) {
      const page = await c.get(path);
      expect(page.status, path).toBe(404);
      expect(page.text, path).toContain(PUBLIC_CATALOGUE_LABELS.unpublished);
      expect(codesInTable(page.text), path).toEqual([]);
    }
    const api = await c.get('/api/v1/items');
    expect(api.status).toBe(404);
    expect(api.json<{ error: { code: string } }>().error.code).toBe('catalogue.unpublished');
  });

  it('signed-in staff see the working catalogue, labelled 工作目录（尚未发布）', async () => {
    const c = server.client();
    await c.login('legal');
    const items = await c.get('/items');
    expect(items.status).toBe(200);
    expect(items.text).toContain(`id="catalogue-label">${PUBLIC_CATALOGUE_LABELS.working}</p>`);
    expect(totalOf(items.text)).toBe(1135);
    expect((await c.get('/')).text).toContain(PUBLIC_CATALOGUE_LABELS.working);
  });
});

describe('after a publish', () => {
  let changed: string;
  beforeAll(() => {
    publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
    // A change in the working catalogue after the publish: the public must not see it.
    changed = server.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
    server.db.$client.prepare("UPDATE items SET name = '尚未发布的新名称', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE code = ?").run(changed);
  });

  it('anonymous / names the latest published version and its date', async () => {
    const home = (await server.client().get('/')).text;
    expect(home).toContain('某区行政权力清单（2026年版）');
    expect(home).toMatch(/第 1 版，\d{4}-\d{2}-\d{2} 发布，2026-03-01 起施行/);
    expect(home).toContain('共 1135 项事项');
    expect(home).not.toContain(PUBLIC_CATALOGUE_LABELS.working);
  });

  it('anonymous /items, /items/:code, /departments and the API read the published version, not the working catalogue', async () => {
    const c = server.client();
    const list = await c.get('/items');
    expect(list.text).toContain('某区行政权力清单（2026年版）（第 1 版，2026-03-01 起施行）');
    expect(list.text).not.toContain(PUBLIC_CATALOGUE_LABELS.working);
    expect(totalOf(list.text)).toBe(1135);
    const item = await c.get(`/items/${encodeURIComponent(changed)}`);
    expect(item.status).toBe(200);
    expect(item.text).not.toContain('尚未发布的新名称');
    expect((await c.get(`/api/v1/items/${encodeURIComponent(changed)}`)).json<{ name: string }>().name).not.toBe('尚未发布的新名称');
    expect((await c.get('/items?q=尚未发布的新名称')).text).not.toContain(changed);
    const departments = await c.get('/departments');
    expect(departments.text).toContain('第 1 版');
  });

  it('staff still see the working catalogue with the change, labelled as unpublished', async () => {
    const c = server.client();
    await c.login('legal');
    const item = await c.get(`/items/${encodeURIComponent(changed)}`);
    expect(item.text).toContain('尚未发布的新名称');
    const list = await c.get('/items?q=尚未发布的新名称');
    expect(list.text).toContain(PUBLIC_CATALOGUE_LABELS.working);
    expect(codesInTable(list.text)).toEqual([changed]);
  });

  it('the home search finds the same items for 許可 as for 许可', async () => {
    const c = server.client();
    const simplified = await c.get('/items?q=许可');
    const traditional = await c.get('/items?q=許可');
    expect(totalOf(simplified.text)).toBeGreaterThan(0);
    expect(totalOf(traditional.text)).toBe(totalOf(simplified.text));
    expect(codesInTable(traditional.text)).toEqual(codesInTable(simplified.text));
  });

  it('the next publish is what anonymous visitors read at once: its label, its names and its search', async () => {
    const c = server.client();
    expect((await c.get('/api/v1/items?q=尚未发布的新名称')).json<{ total: number }>().total).toBe(0);
    publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第二版）', effectiveOn: '2026-09-01' });
    await server.services.searchIndex.current(); // taken in (in memory: at once)
    const list = await c.get('/items');
    expect(list.text).toContain('某区行政权力清单（2026年第二版）（第 2 版，2026-09-01 起施行）');
    expect((await c.get(`/api/v1/items/${encodeURIComponent(changed)}`)).json<{ name: string }>().name).toBe('尚未发布的新名称');
    const found = (await c.get('/api/v1/items?q=尚未发布的新名称')).json<{ total: number; items: { code: string }[] }>();
    expect(found.items.map((i) => i.code)).toEqual([changed]);
  });
});
