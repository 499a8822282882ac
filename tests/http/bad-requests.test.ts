// Bad requests: every one is answered with a 4xx in Chinese (a page, or JSON for /api and JSON callers),
// never a 500 and never a stack trace, as `npm start` runs the server (NODE_ENV unset).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Request, Response } from 'express';
import { connect } from 'node:net';
import { demoDb } from '../support/db.js';
import { listRoutes } from '../support/routes.js';
import { startTestServer, type Reply, type TestClient, type TestServer } from '../support/http.js';
import { createApp } from '../../server/app.js';
import { defaultConfig } from '../../server/config.js';
import { errorHandler } from '../../server/http/errors.js';
import type { ViewEngine } from '../../server/views/engine.js';

let server: TestServer;
let savedEnv: string | undefined;
beforeAll(async () => {
  savedEnv = process.env.NODE_ENV;
  delete process.env.NODE_ENV; // express shows stack traces unless NODE_ENV=production; npm start leaves it unset
  server = await startTestServer(demoDb());
});
afterAll(async () => {
  await server.close();
  if (savedEnv !== undefined) process.env.NODE_ENV = savedEnv;
});

const CHINESE = /[\u4e00-\u9fff]/;
const STACK = /\bat [\w.<>]+ \(|node_modules|\.ts:\d+:\d+|\.js:\d+:\d+|Error:|TypeError|<pre>/;

/** The message a refusal shows: the page's alert, or the JSON error's message. */
function messageOf(reply: Reply): string {
  if ((reply.headers.get('content-type') ?? '').startsWith('application/json')) return String(reply.json().error?.message ?? '');
  // The error page's alert, or the alert above a form re-rendered with what went wrong.
  return /role="alert"[^>]*>([^<]+)</.exec(reply.text)?.[1] ?? '';
}

function expectChineseRefusal(reply: Reply, status?: number): void {
  if (status !== undefined) expect(reply.status).toBe(status);
  expect(reply.status).toBeGreaterThanOrEqual(400);
  expect(reply.status).toBeLessThan(500);
  expect(reply.text).not.toMatch(STACK);
  expect(messageOf(reply)).toMatch(CHINESE);
}

const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function signedIn(username: string): Promise<{ c: TestClient; csrf: string }> {
  const c = server.client();
  await c.login(username);
  return { c, csrf: await c.csrfToken('/workspace') };
}

describe('bad requests are answered in Chinese, without a stack trace and never with 500', () => {
  it('a missing static file answers a Chinese 404 page (the visitor is not loaded for static files)', async () => {
    const reply = await server.client().get('/static/no-such-file.css');
    expectChineseRefusal(reply, 404);
    expect(reply.text).toContain('lang="zh-CN"');
    expectChineseRefusal(await server.client().get('/static'), 404);
    expectChineseRefusal(await server.client().get('/static/..%2f..%2fpackage.json'), 403);
    expectChineseRefusal(await server.client().get('/static/app.css%00'), 400);
  });

  it('a bad %-encoding in the path answers 400 in Chinese, as a page and as JSON', async () => {
    const c = server.client();
    expectChineseRefusal(await c.get('/items/%FF%FE'), 400);
    expectChineseRefusal(await c.get('/api/v1/items/%FF%FE'), 400);
    expectChineseRefusal(await c.get('/versions/1/items/%E0%A4%A'), 400);
  });

  it('a form over 200 KB answers 413 in Chinese (the login form too)', async () => {
    const c = server.client();
    const token = await c.csrfToken('/login');
    const reply = await c.request('POST', '/login', { body: formBody({ _csrf: token, username: 'admin', password: 'x'.repeat(210 * 1024) }), headers: FORM });
    expectChineseRefusal(reply, 413);
    expect(messageOf(reply)).toContain('200 KB');
  });

  it('a form with more than 200 fields answers 400 in Chinese (the login form too)', async () => {
    const c = server.client();
    const token = await c.csrfToken('/login');
    const fields: Record<string, string> = { _csrf: token, username: 'admin', password: 'x' };
    for (let i = 0; i < 250; i++) fields[`f${i}`] = '1';
    const reply = await c.request('POST', '/login', { body: formBody(fields), headers: FORM });
    expectChineseRefusal(reply, 400);
    expect(messageOf(reply)).toContain('200');
  });

  it('a refused body is told on the signed-in visitor\'s own page (the visitor is loaded before the body)', async () => {
    const { c, csrf } = await signedIn('admin');
    const reply = await c.request('POST', '/admin/departments', { body: formBody({ _csrf: csrf, name: 'x'.repeat(210 * 1024) }), headers: FORM });
    expectChineseRefusal(reply, 413);
    expect(reply.text).toContain('系统管理员');
  });

  it('an unsupported JSON charset answers 415 in Chinese', async () => {
    const { c, csrf } = await signedIn('legal');
    const reply = await c.request('PUT', '/api/v1/instruments/1', {
      body: '{}',
      headers: { 'content-type': 'application/json; charset=latin9', accept: 'application/json', 'x-csrf-token': csrf },
    });
    expectChineseRefusal(reply, 415);
    const form = await c.request('POST', '/login', { body: 'username=a', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=koi8-r' } });
    expectChineseRefusal(form, 415);
  });

  it('malformed, deep and huge JSON answer 400/413 in Chinese', async () => {
    const { c, csrf } = await signedIn('legal');
    const send = (body: string) =>
      c.request('PUT', '/api/v1/instruments/1', { body, headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf } });
    expectChineseRefusal(await send('{"title": '), 400);
    expectChineseRefusal(await send('{"a":' + '['.repeat(5_000) + ']'.repeat(5_000) + '}'), 400);
    expectChineseRefusal(await send(JSON.stringify({ title: 'x'.repeat(300 * 1024) })), 413);
    // Deep JSON before the CSRF check, on a page route: refused the same way, in JSON since JSON was sent.
    const anon = server.client();
    const deep = await anon.request('POST', '/login', { body: '['.repeat(50_000) + ']'.repeat(50_000), headers: { 'content-type': 'application/json' } });
    expectChineseRefusal(deep, 400);
    expect(deep.json().error.code).toBe('input.too_deep');
  });

  it('a compressed body in an unsupported encoding answers 415 in Chinese', async () => {
    const reply = await server.client().request('POST', '/login', { body: 'x', headers: { 'content-type': 'application/json', 'content-encoding': 'br2' } });
    expectChineseRefusal(reply, 415);
  });

  it('unknown ids on every GET route with a parameter answer 4xx in Chinese', async () => {
    const app = createApp({ db: server.db, config: defaultConfig(), services: server.services });
    const routes = listRoutes(app).filter((r) => r.startsWith('GET ') && r.includes(':'));
    expect(routes.length).toBeGreaterThan(15);
    const { c } = await signedIn('admin');
    const failures: string[] = [];
    for (const route of routes) {
      for (const junk of ['999999', '0', '-1', 'abc', '1e999', '99999999999999999999999', '%E4%B8%AD', '..%2F..%2Fetc', '%FF']) {
        const path = route.slice(4).replace(/:[a-zA-Z]+/g, junk);
        const reply = await c.get(path, { accept: path.startsWith('/api/') ? 'application/json' : 'text/html' });
        if (reply.status < 400) continue; // some parameters take any value (a search, a format's default)
        const ok = reply.status < 500 && !STACK.test(reply.text) && CHINESE.test(messageOf(reply));
        if (!ok) failures.push(`${path} → ${reply.status} ${messageOf(reply).slice(0, 60)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('unknown ids on every POST route with a parameter answer 4xx in Chinese and change nothing', async () => {
    const app = createApp({ db: server.db, config: defaultConfig(), services: server.services });
    const routes = listRoutes(app).filter((r) => r.startsWith('POST ') && r.includes(':'));
    expect(routes.length).toBeGreaterThan(10);
    const { c, csrf } = await signedIn('admin');
    const auditBefore = server.db.$client.prepare('SELECT count(*) AS n FROM audit_log').get();
    const failures: string[] = [];
    for (const route of routes) {
      for (const junk of ['999999', 'abc', '-1', '%FF']) {
        const path = route.slice(5).replace(/:[a-zA-Z]+/g, junk);
        const json = path.startsWith('/api/');
        const reply = json
          ? await c.request('POST', path, { body: '{}', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf } })
          : await c.request('POST', path, { body: formBody({ _csrf: csrf }), headers: FORM });
        const ok = reply.status >= 400 && reply.status < 500 && !STACK.test(reply.text) && CHINESE.test(messageOf(reply));
        if (!ok) failures.push(`${path} → ${reply.status} ${messageOf(reply).slice(0, 60)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(server.db.$client.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual(auditBefore);
  });
});

/** What the server answers to raw bytes, as text. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('requests node itself cannot parse', () => {
  it('headers over 16 KB answer 431 in Chinese, a broken request line 400 in Chinese', async () => {
    const big = await rawExchange(`GET / HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(big).toMatch(/Cookie/);
    expect(big).toMatch(CHINESE);
    const broken = await rawExchange('NOT A REQUEST\r\n\r\n');
    expect(broken).toMatch(/^HTTP\/1\.1 400 /);
    expect(broken).toMatch(CHINESE);
    expect(broken).not.toMatch(STACK);
  });
});

describe('the error path cannot itself fail', () => {
  it('when the error page cannot be rendered, a plain Chinese page answers instead', () => {
    const broken = { render: () => { throw new Error('template fault'); } } as unknown as ViewEngine;
    const sent: { status?: number; body?: string } = {};
    const res = {
      headersSent: false,
      status(s: number) { sent.status = s; return this; },
      type() { return this; },
      send(b: string) { sent.body = b; return this; },
      json(b: unknown) { sent.body = JSON.stringify(b); return this; },
      destroy() { sent.body = 'destroyed'; },
    } as unknown as Response;
    const req = { path: '/items/x', originalUrl: '/items/x', method: 'GET', headers: {} } as unknown as Request;
    const original = console.error;
    console.error = () => {};
    try {
      errorHandler(broken)(Object.assign(new Error('boom'), {}), req, res, () => {});
    } finally {
      console.error = original;
    }
    expect(sent.status).toBe(500);
    expect(sent.body).toMatch(CHINESE);
    expect(sent.body).not.toMatch(/boom|at .*:\d+/);
  });
});
