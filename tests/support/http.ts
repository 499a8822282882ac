// In-process HTTP against createApp: the app listens on an ephemeral 127.0.0.1 port for the test file
// and closes after it. A small client keeps cookies and fills in CSRF tokens like a browser would.
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createApp } from '../../server/app.js';
import { answerClientError } from '../../server/http/errors.js';
import { createWebServer } from '../../server/http/fast-path.js';
import { defaultConfig, type Config } from '../../server/config.js';
import type { Db } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../server/bootstrap.js';
import { createServices, type Services } from '../../server/services.js';

export interface TestServer {
  url: string;
  db: Db;
  /** The app's per-database state: publish through it so the app sees what the publish kept. */
  services: Services;
  close: () => Promise<void>;
  client: () => TestClient;
}

export async function startTestServer(db: Db, overrides: Partial<Config> = {}): Promise<TestServer> {
  // Archived uploads go to a private temp folder, never into the repository's data/.
  const config = defaultConfig({ port: 0, uploadsDir: mkdtempSync(join(tmpdir(), 'test-uploads-')), ...overrides });
  const services = createServices(db, config);
  const app = createApp({ db, config, services });
  // As main.ts serves it: the published-page fast path in front of the app.
  const server: Server = await new Promise((resolve) => {
    const s = createWebServer(services, config, app).listen(0, '127.0.0.1', () => resolve(s));
  });
  server.on('clientError', answerClientError); // as main.ts does
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db,
    services,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    client: () => new TestClient(url),
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: <T = any>() => T;
  location: string | null;
}

export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text), location: res.headers.get('location') };
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, { headers });
  }

  /** The CSRF token a page's forms carry. */
  async csrfToken(path = '/'): Promise<string> {
    const page = await this.get(path);
    const m = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text);
    if (!m) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
    return m[1]!;
  }

  /** POST a form as a browser would, with this visitor's CSRF token unless one is given. */
  async postForm(path: string, fields: Record<string, string | string[]>, options: { csrf?: string | null; from?: string } = {}) {
    const token = options.csrf === undefined ? await this.csrfToken(options.from ?? '/') : options.csrf;
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    if (token !== null) body.append('_csrf', token);
    return this.request('POST', path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** POST multipart/form-data as a browser's upload form would (the CSRF field first, then the file). */
  async postMultipart(path: string, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array<ArrayBuffer> }, options: { csrf?: string | null } = {}) {
    const form = new FormData();
    const token = options.csrf === undefined ? await this.csrfToken() : options.csrf;
    if (token !== null) form.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append('file', new Blob([file.bytes]), file.name);
    const res = await fetch(this.base + path, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: this.cookieHeader() } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text), location: res.headers.get('location') } satisfies Reply;
  }

  async sendJson(method: string, path: string, data: unknown, csrf?: string) {
    return this.request(method, path, {
      body: JSON.stringify(data),
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    });
  }

  async login(username: string, password = DEMO_PASSWORD): Promise<Reply> {
    const reply = await this.postForm('/login', { username, password });
    if (reply.status !== 303) throw new Error(`login as ${username} failed: ${reply.status}`);
    return reply;
  }
}
