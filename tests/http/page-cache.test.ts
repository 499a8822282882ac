// The cache of rendered published pages: anonymous visitors get the page as a fresh render would be,
// with their own CSRF token; signed-in visitors never share it; memory stays bounded; ETag / 304 holds;
// the working catalogue is never kept.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { demoDb } from '../support/db.js';
import { startTestServer, TestClient, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { CSRF_COOKIE, loadVisitor, securityHeaders } from '../../server/http/security.js';
import { CACHED_PATHS, PageStore, pageCache } from '../../server/http/page-cache.js';
import { defaultConfig } from '../../server/config.js';

let server: TestServer;
let code: string;
const itemPage = () => `/versions/1/items/${encodeURIComponent(code)}`;
const metaToken = (html: string) => /<meta name="csrf-token" content="([^"]+)">/.exec(html)![1]!;

/** Changes a published revision behind the program's back, so a page read from the cache shows the old name. */
function tamperPublishedName(name: string) {
  const sqlite = server.db.$client;
  const guard = sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'item_revisions_no_update'").pluck().get() as string;
  sqlite.exec('DROP TRIGGER item_revisions_no_update');
  sqlite.prepare("UPDATE item_revisions SET content = json_set(content, '$.name', ?), name = ? WHERE code = ? AND from_version = 1").run(name, name, code);
  sqlite.exec(guard);
}

beforeAll(async () => {
  server = await startTestServer(demoDb());
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）', effectiveOn: '2026-01-01' });
  code = server.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
});
afterAll(() => server.close());

describe('published pages for anonymous visitors', () => {
  it('a cached anonymous page equals a fresh render byte for byte, headers included', async () => {
    const c = server.client();
    const fresh = await c.get(itemPage());
    expect(fresh.status).toBe(200);
    const originalName = /<h1[^>]*>([^<]*)</.exec(fresh.text)![1]!;
    tamperPublishedName('篡改后的名称'); // a re-render would show this; the cached page must not
    const cached = await c.get(itemPage());
    expect(cached.text).not.toContain('篡改后的名称');
    expect(cached.text).toContain(originalName);
    expect(Buffer.from(cached.text)).toEqual(Buffer.from(fresh.text));
    const headers = (r: typeof fresh) => Object.fromEntries([...r.headers].filter(([k]) => !['date', 'set-cookie', 'connection', 'keep-alive'].includes(k)));
    expect(headers(cached)).toEqual(headers(fresh));
    expect(cached.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(cached.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(cached.headers.get('etag')).toBeTruthy();
  });

  it('each anonymous visitor gets their own CSRF token in a cached page, and a new visitor still gets the cookie', async () => {
    const a = server.client();
    const b = server.client();
    const pageA = await a.get('/versions/1?category=permit');
    const pageB = await b.get('/versions/1?category=permit');
    expect(metaToken(pageA.text)).toBe(a.cookies.get(CSRF_COOKIE));
    expect(metaToken(pageB.text)).toBe(b.cookies.get(CSRF_COOKIE));
    expect(metaToken(pageA.text)).not.toBe(metaToken(pageB.text));
    expect(pageB.text.replace(metaToken(pageB.text), 'TOKEN')).toBe(pageA.text.replace(metaToken(pageA.text), 'TOKEN'));
    // A visitor whose cookie was already set is not sent a new one.
    const again = await a.get('/versions/1?category=permit');
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(metaToken(again.text)).toBe(a.cookies.get(CSRF_COOKIE));
  });

  it('answers 304 from the cache when the ETag matches', async () => {
    const c = server.client();
    const first = await c.get('/versions/1?page=1');
    const second = await c.get('/versions/1?page=1'); // served from the cache
    const etag = second.headers.get('etag')!;
    expect(etag).toBe(first.headers.get('etag'));
    const revalidated = await c.get('/versions/1?page=1', { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect((await c.get('/versions/1?page=1', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('JSON twins are kept too and stay JSON', async () => {
    const c = server.client();
    const first = await c.get('/api/v1/versions/1/items?page=2');
    const second = await c.get('/api/v1/versions/1/items?page=2');
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(second.text).toBe(first.text);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
  });

  it('a page not found is not kept', async () => {
    const c = server.client();
    expect((await c.get('/versions/1/items/NO-SUCH-CODE')).status).toBe(404);
    expect((await c.get('/versions/1/items/NO-SUCH-CODE')).status).toBe(404);
  });
});

describe('signed-in visitors', () => {
  it('a signed-in user never gets the anonymous cached page', async () => {
    const anonymous = server.client();
    const cachedAnon = await anonymous.get('/versions/1?level=district');
    await anonymous.get('/versions/1?level=district');
    expect(cachedAnon.text).toContain('登录</a>');
    const legal = server.client();
    await legal.login('legal');
    const page = await legal.get('/versions/1?level=district');
    expect(page.text).toContain('法制办');
    expect(page.text).toContain('退出');
    expect(metaToken(page.text)).not.toBe(metaToken(cachedAnon.text));
  });

  it('an anonymous visitor never gets a page rendered for a signed-in user', async () => {
    const admin = server.client();
    await admin.login('admin');
    const mine = await admin.get('/versions/1?basis=yes');
    expect(mine.text).toContain('退出');
    const anonymous = server.client();
    const page = await anonymous.get('/versions/1?basis=yes');
    expect(page.text).not.toContain('退出');
    expect(page.text).not.toContain('管理员');
    expect(metaToken(page.text)).toBe(anonymous.cookies.get(CSRF_COOKIE));
  });
});

describe('what is never kept', () => {
  it('working-catalogue pages are rendered afresh every time', async () => {
    expect(CACHED_PATHS.test('/items')).toBe(false);
    expect(CACHED_PATHS.test(`/items/${code}`)).toBe(false);
    expect(CACHED_PATHS.test('/versions')).toBe(false);
    expect(CACHED_PATHS.test('/versions/1/download/xlsx')).toBe(false);
    const c = server.client();
    await c.login('supervisor'); // the working catalogue is for staff; anonymous visitors get the published version
    const working = server.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id DESC LIMIT 1').pluck().get() as string;
    await c.get(`/items/${encodeURIComponent(working)}`);
    server.db.$client.prepare('UPDATE items SET name = ? WHERE code = ?').run('工作目录中改过的名称', working);
    expect((await c.get(`/items/${encodeURIComponent(working)}`)).text).toContain('工作目录中改过的名称');
  });

  it('a version item page is rendered again once a later version is published (its history grows)', async () => {
    const c = server.client();
    const path = `/versions/1/items/${encodeURIComponent(code)}`;
    const before = await c.get(path);
    expect(before.text).not.toContain('/versions/2/items/');
    server.db.$client.prepare('UPDATE items SET remarks = ?, updated_at = ? WHERE code = ?').run('第二版改了备注', new Date().toISOString(), code);
    publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第2版）', effectiveOn: '2026-07-01' });
    expect((await c.get(path)).text).toContain(`/versions/2/items/${encodeURIComponent(code)}`);
  });
});

describe('the memory bound', () => {
  const entry = (bytes: number) => ({ parts: [Buffer.alloc(bytes)], status: 200, headers: [], generation: 1, bytes });

  it('evicts the least recently used pages once the bytes held pass the bound', () => {
    const store = new PageStore(1000);
    store.set('/a', entry(400));
    store.set('/b', entry(400));
    store.get('/a'); // /b is now the least recently used
    store.set('/c', entry(400));
    expect(store.get('/b')).toBeUndefined();
    expect(store.get('/a')).toBeDefined();
    expect(store.get('/c')).toBeDefined();
    expect(store.bytes).toBe(800);
    store.set('/huge', entry(2000)); // larger than the bound: never kept
    expect(store.get('/huge')).toBeUndefined();
    expect(store.bytes).toBe(800);
  });

  it('the middleware never holds more than its bound', async () => {
    const db = server.db;
    const store = new PageStore(8_000);
    const app = express();
    app.use(securityHeaders);
    app.use(loadVisitor(db, defaultConfig()));
    app.use(pageCache({ db, pages: store }));
    app.get(/^\/versions\/\d+$/, (req, res) => {
      res.setHeader('ETag', '"fixed"');
      res.type('html').send(`<meta name="csrf-token" content="${req.ctx.csrfToken}">${'页'.repeat(1000)}${req.originalUrl}`);
    });
    const listening: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const c = new TestClient(`http://127.0.0.1:${(listening.address() as AddressInfo).port}`);
      for (let p = 1; p <= 20; p++) await c.get(`/versions/1?page=${p}`);
      expect(store.bytes).toBeLessThanOrEqual(8_000);
      expect(store.size).toBeGreaterThan(0);
      expect(store.size).toBeLessThan(20);
      const last = await c.get('/versions/1?page=20');
      expect(metaToken(last.text)).toBe(c.cookies.get(CSRF_COOKIE));
    } finally {
      await new Promise<void>((resolve) => listening.close(() => resolve()));
    }
  });
});
