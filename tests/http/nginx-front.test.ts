// deploy/nginx.conf, run by real nginx on a loopback port in front of the server: anonymous visitors get
// the static export of the latest version (pages, JSON twins, downloads, the search running in the
// browser); a signed-in visitor, /login, forms and the API reach the Node server through it.
// Skipped (saying why) where nginx is not installed; .ci/run installs Debian's nginx.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, TestClient, type TestServer } from '../support/http.js';
import { testServices } from '../support/services.js';
import { launchBrowser } from '../support/browser.js';
import { NGINX, nginxInstalled, startNginx, type RunningNginx } from '../support/nginx.js';
import { publishVersion } from '../../server/publication/publish.js';
import { getVersion } from '../../server/publication/reader.js';
import { exportStaticSite, fileName } from '../../exports/static-site.js';
import { createViewEngine } from '../../server/views/engine.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { DEMO_PASSWORD } from '../../server/bootstrap.js';

const available = nginxInstalled();
if (!available) console.warn(`nginx-front: skipped, ${NGINX} is not installed (apt-get install -y nginx; .ci/run does).`);

describe.skipIf(!available)('nginx in front of the server (deploy/nginx.conf)', () => {
  let server: TestServer;
  let nginx: RunningNginx;
  let base: string;
  let itemCode: string;
  let itemName: string;

  beforeAll(async () => {
    server = await startTestServer(demoDb(), { trustProxy: 'loopback' });
    publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（第1版）', effectiveOn: '2026-12-01' });
    const row = server.db.$client.prepare("SELECT code, name FROM item_revisions WHERE name LIKE '%许可%' ORDER BY code LIMIT 1").get() as { code: string; name: string };
    itemCode = row.code;
    itemName = row.name;

    const site = join(mkdtempSync(join(tmpdir(), 'nginx-front-')), 'site');
    await exportStaticSite(testServices(server.db), getVersion(server.db, 1)!, site, createViewEngine(), { pageSize: 50 });
    chmodSync(dirname(site), 0o755); // nginx's workers read it as an unprivileged user
    nginx = await startNginx(site, new URL(server.url).host);
    base = nginx.url;
  }, 120_000);

  afterAll(async () => {
    await nginx?.stop();
    await server?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers, redirect: 'manual' });
  /** The static layout's footer: the page came from the export's files, not from the server. */
  const STATIC = '静态版，公布后不再更改';

  it('an anonymous visitor gets the static export: home, lists, departments and the item guide', async () => {
    for (const path of ['/', '/list/page-1.html', '/departments/', `/items/${fileName(itemCode)}.html`]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      const html = await res.text();
      expect(html, path).toContain(STATIC);
      expect(res.headers.get('set-cookie'), path).toBeNull(); // no Node: no CSRF cookie
    }
    expect(await (await get(`/items/${fileName(itemCode)}.html`)).text()).toContain(itemName);
  });

  it('the JSON twins come from the export too, as JSON', async () => {
    const res = await get(`/data/items/${fileName(itemCode)}.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const twin = (await res.json()) as { version: number; item: { code: string; name: string } };
    expect(twin).toMatchObject({ version: 1, item: { code: itemCode, name: itemName } });
    expect((await (await get('/data/version.json')).json()).version.number).toBe(1);
  });

  it('the downloads are served with their types, and whole', async () => {
    const csv = await get('/downloads/catalogue-v1.csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    expect(text).toContain(itemName);
    const live = await (await fetch(`${server.url}/versions/1/download/csv`)).text();
    expect(text).toBe(live);
    const xlsx = await get('/downloads/catalogue-v1.xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it("the export's search runs in the browser through nginx; the server's search answers through it too", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/search.html?q=${encodeURIComponent('許可')}`);
      await page.waitForFunction(() => /共找到|没有找到/.test(document.getElementById('search-status')?.textContent ?? ''));
      expect(await page.locator('#search-status').textContent()).toMatch(/共找到/);
      expect(await page.locator('#search-results tbody tr a').count()).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
    const api = await get(`/api/v1/versions/1/items?q=${encodeURIComponent('许可')}`);
    expect(api.status).toBe(200);
    expect(((await api.json()) as { total: number }).total).toBeGreaterThan(0);
  });

  it('paths the export does not hold, the API and /login reach the server', async () => {
    const login = await get('/login');
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('name="csrf-token"');
    expect((await get('/api/v1/versions')).headers.get('content-type')).toMatch(/^application\/json/);
    const registry = await get('/instruments');
    expect(registry.status).toBe(200);
    expect(await registry.text()).not.toContain(STATIC);
  });

  it('a clerk signs in through nginx with the form, and then every page comes from the server', async () => {
    const clerk = new TestClient(base);
    const login = await clerk.postForm('/login', { username: 'admin', password: DEMO_PASSWORD }, { from: '/login' });
    expect(login.status).toBe(303);
    expect(clerk.cookies.has('catalogue_sid')).toBe(true);
    const home = await clerk.get('/');
    expect(home.text).not.toContain(STATIC);
    expect(home.text).toContain('退出');
    expect(home.headers.get('cache-control')).toBe('no-store');
    const workspace = await clerk.get('/workspace');
    expect(workspace.status).toBe(200);
    expect((await clerk.postForm('/logout', {}, { from: '/workspace' })).status).toBe(303);
    expect((await clerk.get('/')).text).toContain(STATIC);
  });
});
