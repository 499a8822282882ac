// The public search's JSON (GET /api/v1/items) answered ahead of Express (server/http/search-fast-path.ts):
// for an anonymous visitor on the latest published version, exactly Express's answer (status, headers in
// their order, bytes); anything unusual reaches Express.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { createApp } from '../../server/app.js';
import { defaultConfig } from '../../server/config.js';
import { createServices, type Services } from '../../server/services.js';
import { publishVersion } from '../../server/publication/publish.js';
import { publishedFastPath } from '../../server/http/fast-path.js';
import { CSRF_COOKIE } from '../../server/http/security.js';
import { TestClient } from '../support/http.js';

const listen = (server: Server): Promise<number> => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

interface Raw {
  status: number;
  /** The raw header lines in the order sent, the Date line's value left out (it is the clock's). */
  headers: string[];
  body: Buffer;
}

function raw(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { connection: 'close', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const lines: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${/^date$/i.test(res.rawHeaders[i]!) ? 'DATE' : res.rawHeaders[i + 1]}`);
        resolve({ status: res.statusCode!, headers: lines, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

let servers: Server[] = [];
let services: Services;
let expressPort: number;
let fastPort: number;
const fellThrough: string[] = [];

async function startBoth(cookieSecure: boolean, publish = true) {
  const db = demoDb();
  const config = defaultConfig({ port: 0, cookieSecure, uploadsDir: mkdtempSync(join(tmpdir(), 'test-uploads-')) });
  services = createServices(db, config);
  if (publish) publishVersion(services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）', effectiveOn: '2026-01-01' });
  const app = createApp({ db, config, services });
  const plain = createServer(app);
  const fast = createServer(
    publishedFastPath(services, config, (req, res) => {
      fellThrough.push(`${req.method} ${req.url}`);
      app(req, res);
    }),
  );
  servers = [plain, fast];
  expressPort = await listen(plain);
  fastPort = await listen(fast);
}
const stopBoth = async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
};

const enc = encodeURIComponent;
const SEARCHES = [
  `/api/v1/items?q=${enc('许可')}`,
  `/api/v1/items?q=${enc('经营许可')}&page=2`,
  `/api/v1/items?q=${enc('食品 经营')}`,
  `/api/v1/items?q=${enc('没有这样的事项名称')}`,
  `/api/v1/items?q=${enc('许可')}&category=permit&facets=1`,
  '/api/v1/items?level=district&page=3',
  '/api/v1/items?category=nonsense&page=abc', // bad values are dropped by the route's schema, as Express drops them
  '/api/v1/items',
];

describe.each([false, true])('the search JSON answered ahead of the app (COOKIE_SECURE=%s)', (cookieSecure) => {
  beforeAll(() => startBoth(cookieSecure));
  afterAll(stopBoth);

  it('the search JSON answered ahead of the app is byte for byte the app\'s answer: status, headers in order, body', async () => {
    for (const cookie of [{}, { cookie: `${CSRF_COOKIE}=${'A'.repeat(43)}` }] as Record<string, string>[]) {
      for (const path of SEARCHES) {
        for (const method of ['GET', 'HEAD']) {
          const before = fellThrough.length;
          const viaFast = await raw(fastPort, path, cookie, method);
          expect(fellThrough.length, `${method} ${path} reached Express`).toBe(before);
          const viaExpress = await raw(expressPort, path, cookie, method);
          expect(viaFast.status).toBe(200);
          expect(viaFast.headers).toEqual(viaExpress.headers);
          expect(viaFast.body.equals(viaExpress.body)).toBe(true);
        }
      }
    }
  });
});

describe('what the search fast path leaves to Express', () => {
  beforeAll(() => startBoth(false));
  afterAll(stopBoth);

  it('unknown or repeated parameters, conditions, other paths and methods, and signed-in visitors reach Express', async () => {
    const q = `q=${enc('许可')}`;
    const etag = (await raw(fastPort, `/api/v1/items?${q}`)).headers.find((h) => h.startsWith('ETag: '))!.slice(6);
    const cases: [string, Record<string, string>, string][] = [
      [`/api/v1/items?${q}&sort=name`, {}, 'GET'],
      [`/api/v1/items?${q}&q=${enc('备案')}`, {}, 'GET'],
      [`/api/v1/items/?${q}`, {}, 'GET'],
      [`/api/v1/items?${q}`, { 'if-none-match': etag }, 'GET'],
      [`/api/v1/items?${q}`, { 'if-modified-since': new Date().toUTCString() }, 'GET'],
      [`/api/v1/items?${q}`, { cookie: 'catalogue_sid=whatever' }, 'GET'],
      [`/api/v1/items?${q}`, {}, 'OPTIONS'],
    ];
    for (const [path, headers, method] of cases) {
      const before = fellThrough.length;
      const viaFast = await raw(fastPort, path, headers, method);
      expect(fellThrough.length, `${method} ${path} ${JSON.stringify(headers)}`).toBe(before + 1);
      const viaExpress = await raw(expressPort, path, headers, method);
      expect(viaFast.status).toBe(viaExpress.status);
    }
    // The conditional request is still judged as Express judges it.
    expect((await raw(fastPort, `/api/v1/items?${q}`, { 'if-none-match': etag })).status).toBe(304);
  });

  it('a signed-in member of staff searches the working catalogue through Express', async () => {
    const legal = new TestClient(`http://127.0.0.1:${fastPort}`);
    await legal.login('legal');
    const before = fellThrough.length;
    const r = await legal.get(`/api/v1/items?q=${enc('许可')}`);
    expect(r.status).toBe(200);
    expect(fellThrough.length).toBe(before + 1);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the search fast path before the first publish', () => {
  beforeAll(() => startBoth(false, false));
  afterAll(stopBoth);

  it('leaves the answer (Express\'s "nothing published yet") to Express', async () => {
    const before = fellThrough.length;
    const viaFast = await raw(fastPort, `/api/v1/items?q=${enc('许可')}`);
    expect(fellThrough.length).toBe(before + 1);
    expect(viaFast.status).toBe(404);
  });
});
