// The published-page fast path (server/http/fast-path.ts): an anonymous visitor's request for a page the
// cache holds is answered ahead of Express with exactly what Express would send (headers and bytes), each
// visitor with their own CSRF token; everything else reaches Express.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { TestClient, type Reply } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { createApp } from '../../server/app.js';
import { defaultConfig } from '../../server/config.js';
import { createServices, type Services } from '../../server/services.js';
import { publishVersion } from '../../server/publication/publish.js';
import { publishedFastPath } from '../../server/http/fast-path.js';
import { CSRF_COOKIE } from '../../server/http/security.js';

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

let services: Services;
let servers: Server[] = [];
/** The Express app alone. */
let expressUrl: string;
/** The same app (same services, same cache) behind the fast path. */
let fastUrl: string;
/** URLs the fast path handed to Express. */
const fellThrough: string[] = [];
let code: string;
const itemPage = () => `/versions/1/items/${encodeURIComponent(code)}`;
const metaToken = (html: string) => /<meta name="csrf-token" content="([^"]+)">/.exec(html)![1]!;

async function startBoth(cookieSecure: boolean) {
  const db = demoDb();
  const config = defaultConfig({ port: 0, cookieSecure, uploadsDir: mkdtempSync(join(tmpdir(), 'test-uploads-')) });
  services = createServices(db, config);
  publishVersion(services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）', effectiveOn: '2026-01-01' });
  code = db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
  const app = createApp({ db, config, services });
  const plain = createServer(app);
  const fast = createServer(
    publishedFastPath(services, config, (req, res) => {
      fellThrough.push(`${req.method} ${req.url}`);
      app(req, res);
    }),
  );
  servers = [plain, fast];
  expressUrl = await listen(plain);
  fastUrl = await listen(fast);
}

/** Fetches without following redirects, with the given headers; no cookie jar. */
async function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const res = await fetch(base + path, { method, redirect: 'manual', headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text), location: res.headers.get('location') };
}

/** Every header but those the connection decides (date, keep-alive). */
const headersOf = (r: Reply) => [...r.headers].filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k));
const served = (path: string) => fellThrough.filter((u) => u.endsWith(` ${path}`)).length;

describe.each([false, true])('the fast path answers as Express does (COOKIE_SECURE=%s)', (cookieSecure) => {
  beforeAll(() => startBoth(cookieSecure));
  afterAll(async () => {
    for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  });

  const cases = () => [itemPage(), '/versions/1', '/versions/1?category=permit&page=1', '/api/v1/versions/1/items?page=2', `/api/v1/versions/1/items/${encodeURIComponent(code)}`];

  it('the same headers and bytes as the Express answer for the same URL, for a visitor with a CSRF cookie', async () => {
    const token = 'A'.repeat(43);
    for (const path of cases()) {
      await get(expressUrl, path); // fills the cache through Express
      const before = served(path);
      const viaExpress = await get(expressUrl, path, { cookie: `${CSRF_COOKIE}=${token}` });
      const viaFast = await get(fastUrl, path, { cookie: `${CSRF_COOKIE}=${token}` });
      expect(served(path)).toBe(before); // answered by the fast path, not Express
      expect(viaFast.status).toBe(200);
      expect(headersOf(viaFast)).toEqual(headersOf(viaExpress));
      expect(Buffer.from(viaFast.text)).toEqual(Buffer.from(viaExpress.text));
      if (!path.startsWith('/api/')) expect(metaToken(viaFast.text)).toBe(token);
    }
  });

  it('a new visitor (no cookie) gets the CSRF cookie as from Express, and the page carries that token', async () => {
    for (const path of cases()) {
      const viaExpress = await get(expressUrl, path);
      const viaFast = await get(fastUrl, path);
      const cookieOf = (r: Reply) => r.headers.getSetCookie().map((c) => c.replace(/=[A-Za-z0-9_-]{43};/, '=TOKEN;'));
      expect(cookieOf(viaFast)).toEqual(cookieOf(viaExpress));
      if (path.startsWith('/api/')) {
        expect(viaFast.headers.getSetCookie()).toEqual([]);
        expect(viaFast.text).toBe(viaExpress.text);
        continue;
      }
      expect(cookieOf(viaFast)).toEqual([`${CSRF_COOKIE}=TOKEN; Path=/; SameSite=Lax; HttpOnly${cookieSecure ? '; Secure' : ''}`]);
      const token = /=([^;]+);/.exec(viaFast.headers.getSetCookie()[0]!)![1]!;
      expect(metaToken(viaFast.text)).toBe(token);
      const strip = (r: Reply) => r.text.replace(metaToken(r.text), 'TOKEN');
      expect(strip(viaFast)).toBe(strip(viaExpress));
      const noCookie = (r: Reply) => headersOf(r).filter(([k]) => k !== 'set-cookie');
      expect(noCookie(viaFast)).toEqual(noCookie(viaExpress));
    }
  });

  it('answers an exact If-None-Match with 304 and the same headers as Express; HEAD like Express', async () => {
    for (const path of cases()) {
      const cookie = { cookie: `${CSRF_COOKIE}=${'B'.repeat(43)}` };
      const etag = (await get(expressUrl, path, cookie)).headers.get('etag')!;
      expect(etag).toBeTruthy();
      const before = served(path);
      const viaExpress = await get(expressUrl, path, { ...cookie, 'if-none-match': etag });
      const viaFast = await get(fastUrl, path, { ...cookie, 'if-none-match': etag });
      expect(served(path)).toBe(before);
      expect(viaFast.status).toBe(304);
      expect(viaFast.text).toBe('');
      expect(headersOf(viaFast)).toEqual(headersOf(viaExpress));
      const headExpress = await get(expressUrl, path, cookie, 'HEAD');
      const headFast = await get(fastUrl, path, cookie, 'HEAD');
      expect(headFast.status).toBe(200);
      expect(headersOf(headFast)).toEqual(headersOf(headExpress));
    }
  });
});

describe('what the fast path leaves to Express', () => {
  beforeAll(() => startBoth(false));
  afterAll(async () => {
    for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  });

  it('a cached page served by the fast path carries its own visitor\'s token, never another visitor\'s', async () => {
    const a = new TestClient(expressUrl);
    const pageA = await a.get(itemPage()); // rendered by Express with visitor A's token, and kept
    const tokenA = a.cookies.get(CSRF_COOKIE)!;
    expect(metaToken(pageA.text)).toBe(tokenA);
    const before = served(itemPage());
    const b = new TestClient(fastUrl);
    const pageB = await b.get(itemPage());
    const again = await b.get(itemPage());
    expect(served(itemPage())).toBe(before); // both from the fast path
    const tokenB = b.cookies.get(CSRF_COOKIE)!;
    expect(tokenB).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenB).not.toBe(tokenA);
    for (const page of [pageB, again]) {
      expect(page.text).not.toContain(tokenA);
      expect(metaToken(page.text)).toBe(tokenB);
      // The token appears only where the visitor's own token belongs (the page's meta and its forms).
      expect(page.text.split(tokenB).length - 1).toBe(pageA.text.split(tokenA).length - 1);
    }
  });

  it('a signed-in visitor (session cookie) always reaches Express and sees their own page', async () => {
    const anonymous = new TestClient(fastUrl);
    await anonymous.get('/versions/1?level=district');
    await anonymous.get('/versions/1?level=district');
    const legal = new TestClient(fastUrl);
    await legal.login('legal');
    const before = served('/versions/1?level=district');
    const page = await legal.get('/versions/1?level=district');
    expect(served('/versions/1?level=district')).toBe(before + 1);
    expect(page.text).toContain('退出');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('POST, URLs not in the cache, other conditions and requests with a body reach Express', async () => {
    const path = '/versions/1?page=3';
    await get(fastUrl, path); // kept now
    const count = () => served(path);
    let before = count();
    await get(fastUrl, path, { 'if-none-match': '"a", "b"' });
    await get(fastUrl, path, { 'if-modified-since': new Date().toUTCString() });
    await get(fastUrl, path, { cookie: 'catalogue_sid=whatever' });
    expect(count()).toBe(before + 3);
    before = fellThrough.length;
    await fetch(fastUrl + path, { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await get(fastUrl, '/versions/1?page=4');
    await get(fastUrl, '/items');
    expect(fellThrough.length).toBe(before + 3);
  });

  it('a page kept before a later publish is not served by the fast path', async () => {
    const path = itemPage();
    await get(fastUrl, path);
    const before = served(path);
    await get(fastUrl, path);
    expect(served(path)).toBe(before);
    services.db.$client.prepare('UPDATE items SET remarks = ?, updated_at = ? WHERE code = ?').run('第二版改了备注', new Date().toISOString(), code);
    publishVersion(services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第2版）', effectiveOn: '2026-07-01' });
    await get(fastUrl, path);
    expect(served(path)).toBe(before + 1);
  });
});
