// The demo tells the truth: over the generated demo district every page (public, signed-in, errors, and
// the static export) says which data is real and which is made up; over a real catalogue no page does,
// whatever CATALOGUE_DEMO says.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDb, emptyDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { publishVersion } from '../../server/publication/publish.js';
import { getVersion } from '../../server/publication/reader.js';
import { exportStaticSite } from '../../exports/static-site.js';
import { createViewEngine } from '../../server/views/engine.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { DEMO_NOTICE } from '../../server/domain/labels.js';
import type { Db } from '../../db/client.js';
import { testServices } from '../support/services.js';

const SKIP = /^\/(api\/|logout|static\/)|\.(xlsx|csv|json|jsonld|zip|svg|png)(\?|$)|\/download\//;
const shapeOf = (path: string) => path.replace(/\?.*$/, '').replace(/\/[^/?]*\d[^/?]*/g, '/#');
const hasNotice = (html: string) => html.includes('class="demo-notice"') && html.includes(DEMO_NOTICE.real) && html.includes(DEMO_NOTICE.invented);

/** The HTML pages reached by following links from these, one page per shape, at most `max`. */
async function pagesFrom(client: TestClient, starts: string[], max = 60): Promise<{ path: string; html: string }[]> {
  const queue = [...starts];
  const seen = new Set<string>();
  const shapes = new Set<string>();
  const pages: { path: string; html: string }[] = [];
  while (queue.length && pages.length < max) {
    const path = queue.shift()!;
    if (seen.has(path) || (shapes.has(shapeOf(path)) && !starts.includes(path))) continue;
    seen.add(path);
    shapes.add(shapeOf(path));
    const reply = await client.get(path);
    if (!(reply.headers.get('content-type') ?? '').includes('html')) continue;
    pages.push({ path, html: reply.text });
    for (const m of reply.text.matchAll(/<a\b[^>]*\bhref="([^"#]+)/g)) {
      const href = m[1]!.replace(/&amp;/g, '&');
      if (href.startsWith('/') && !href.startsWith('//') && !SKIP.test(href) && !seen.has(href)) queue.push(href);
    }
  }
  return pages;
}

/** A real (not demo) catalogue: one department, two items, published. */
function realCatalogue(): Db {
  const db = emptyDb();
  const dept = Number(db.$client.prepare("INSERT INTO departments (code, name) VALUES ('SCJGJ', '区市场监管局')").run().lastInsertRowid);
  for (const [code, name] of [['XK-001', '食品经营许可'], ['XK-002', '药品零售许可']]) {
    db.$client
      .prepare("INSERT INTO items (code, name, category, department_id, level, service_objects, instant, fee_charged) VALUES (?, ?, 'permit', ?, 'district', '[\"enterprise\"]', 0, 0)")
      .run(code, name, dept);
  }
  publishVersion(testServices(db), SYSTEM_ACTOR, { title: '第1版' });
  return db;
}

describe('over the demo district', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(demoDb());
    publishVersion(server.services, SYSTEM_ACTOR, { title: '演示第1版' });
  });
  afterAll(() => server.close());

  it('every page a visitor reaches carries the notice of what is real and what is made up, errors included', async () => {
    const pages = await pagesFrom(server.client(), ['/', '/versions/1', '/login', '/no-such-page']);
    expect(pages.length).toBeGreaterThan(8);
    expect(pages.filter((p) => !hasNotice(p.html)).map((p) => p.path)).toEqual([]);
  });

  it('every page a signed-in clerk reaches carries it too', async () => {
    const admin = server.client();
    await admin.login('admin');
    const pages = await pagesFrom(admin, ['/workspace', '/workspace/flags', '/review/queue', '/admin/users']);
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.filter((p) => !hasNotice(p.html)).map((p) => p.path)).toEqual([]);
  });

  it('the static export of a demo version carries it on its pages', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'demo-site-')), 'site');
    await exportStaticSite(testServices(server.db), getVersion(server.db, 1)!, dir, createViewEngine(), { pageSize: 50 });
    for (const page of ['index.html', 'search.html', 'list/page-1.html']) expect(hasNotice(readFileSync(join(dir, page), 'utf8')), page).toBe(true);
  });
});

describe('over a real catalogue', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(realCatalogue(), { demo: true });
  });
  afterAll(() => server.close());

  it('no page carries the notice, even with CATALOGUE_DEMO on', async () => {
    const pages = await pagesFrom(server.client(), ['/', '/versions/1', '/login', '/no-such-page']);
    expect(pages.length).toBeGreaterThan(4);
    expect(pages.filter((p) => p.html.includes('demo-notice') || p.html.includes(DEMO_NOTICE.invented)).map((p) => p.path)).toEqual([]);
  });

  it('nor does its static export', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'real-site-')), 'site');
    await exportStaticSite(testServices(server.db), getVersion(server.db, 1)!, dir, createViewEngine(), { pageSize: 50 });
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).not.toContain(DEMO_NOTICE.invented);
  });
});
