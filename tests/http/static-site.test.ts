// `npx catalogue export-site`: a published version as static files that any web server, or file://,
// serves without this program. Every item has its page, every link resolves inside the folder, user
// text is escaped, the lists match the live version's, and the search runs in the browser.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import ExcelJS from 'exceljs';
import { inject } from 'vitest';
import { main, type Io } from '../../server/cli.js';
import { openDatabase } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { getVersion } from '../../server/publication/reader.js';
import { versionItemSchema, versionItemsPageSchema } from '../../server/publication/api-schemas.js';
import { exportStaticSite, fileName } from '../../exports/static-site.js';
import { createViewEngine } from '../../server/views/engine.js';
import { AppError } from '../../server/errors.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser } from '../support/browser.js';
import { testServices } from '../support/services.js';

const HOSTILE_NAME = '<script>alert("x")</script>设立许可&审批';
const HOSTILE_REMARK = '<img src=x onerror=alert(1)> 备注 "引号" \'单引号\'';

let work: string;
let site: string;
let dbPath: string;
let live: TestServer;
let cliOut: string;
let codes: string[];
let hostileCode: string;
let orphan: { code: string; parentName: string };

/** Every file under a folder, as paths relative to it with forward slashes. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path).map((p) => `${name}/${p}`) : [name];
  });
}

const decodeEntities = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'");

/** The href, src and action targets of a page. */
const linksOf = (html: string) => [...html.matchAll(/\s(?:href|src|action)="([^"]*)"/g)].map((m) => decodeEntities(m[1]!));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'static-site-'));
  dbPath = join(work, 'catalogue.db');
  copyFileSync(inject('demoDbPath'), dbPath);
  const db = openDatabase(dbPath);
  hostileCode = db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL AND parent_id IS NULL ORDER BY id LIMIT 1 OFFSET 7').pluck().get() as string;
  db.$client.prepare('UPDATE items SET name = ?, remarks = ? WHERE code = ?').run(HOSTILE_NAME, HOSTILE_REMARK, hostileCode);
  // A main item that left the catalogue while one of its sub-items stays.
  orphan = db.$client
    .prepare(
      `SELECT c.code, p.name AS parentName FROM items c JOIN items p ON p.id = c.parent_id
        WHERE c.removed_at IS NULL AND p.removed_at IS NULL AND p.code <> ? ORDER BY c.id LIMIT 1`,
    )
    .get(hostileCode) as { code: string; parentName: string };
  db.$client.prepare("UPDATE items SET removed_at = '2025-12-01T00:00:00.000Z' WHERE id = (SELECT parent_id FROM items WHERE code = ?)").run(orphan.code);
  publishVersion(testServices(db), SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）', effectiveOn: '2026-01-01' });
  codes = db.$client.prepare('SELECT code FROM revision_spans WHERE from_version <= 1 AND (to_version IS NULL OR to_version > 1) ORDER BY code').pluck().all() as string[];
  db.$client.close();

  site = join(work, 'site');
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l), readStdin: async () => '' };
  const code = await main(['export-site', '--version', 'latest', '--out', site, '--db', dbPath], io, {});
  cliOut = out.join('\n');
  expect(code, cliOut).toBe(0);
  live = await startTestServer(openDatabase(dbPath));
});
afterAll(async () => {
  await live?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('export-site', () => {
  it('prints what it wrote and how long it took', () => {
    expect(cliOut).toMatch(/已导出第 1 版静态网站到 .+：1134 项事项、34 个部门、\d+ 个事项类型，\d+ 个页面，共 \d+ 个文件（[\d.]+ MB），用时 [\d.]+ 秒/);
  });

  it('writes a service-guide page and a JSON twin for every item of the version, the JSON as the API answers it', async () => {
    expect(codes).toHaveLength(1134); // the demo's 1,135 less the main item removed above
    const pages = readdirSync(join(site, 'items'));
    expect(pages.sort()).toEqual(codes.map((c) => `${fileName(c)}.html`).sort());
    for (const code of codes) {
      const page = readFileSync(join(site, 'items', `${fileName(code)}.html`), 'utf8');
      expect(page).toContain(`<dt>事项编码</dt><dd class="code">${code}</dd>`);
      versionItemSchema.parse(JSON.parse(readFileSync(join(site, 'data', 'items', `${fileName(code)}.json`), 'utf8')));
    }
    for (const code of codes.filter((_, i) => i % 97 === 0).concat(hostileCode)) {
      const api = (await live.client().get(`/api/v1/versions/1/items/${encodeURIComponent(code)}`)).json();
      expect(JSON.parse(readFileSync(join(site, 'data', 'items', `${fileName(code)}.json`), 'utf8')), code).toEqual(api);
    }
  });

  it('every href, src and action is relative and resolves to a file in the folder; every item is reachable from index.html', () => {
    const files = new Set(walk(site));
    const html = [...files].filter((f) => f.endsWith('.html'));
    expect(html.length).toBeGreaterThan(1134 + 34);
    const targets = new Map<string, string[]>();
    for (const page of html) {
      const found: string[] = [];
      for (const link of linksOf(readFileSync(join(site, page), 'utf8'))) {
        if (link.startsWith('tel:')) continue; // a phone number to dial, not a file
        expect(link, `${page}: ${link}`).not.toMatch(/^(\/|[a-z][a-z0-9+.-]*:)/i);
        const path = link.split(/[?#]/)[0]!;
        if (path === '') continue; // a fragment of the same page
        const target = posix.normalize(posix.join(posix.dirname(page), decodeURIComponent(path)));
        expect(files.has(target), `${page} links to ${link}, which is not in the folder`).toBe(true);
        found.push(target);
      }
      targets.set(page, found);
    }
    const reached = new Set(['index.html']);
    const queue = ['index.html'];
    while (queue.length) {
      for (const t of targets.get(queue.shift()!) ?? []) {
        if (!reached.has(t)) {
          reached.add(t);
          if (t.endsWith('.html')) queue.push(t);
        }
      }
    }
    for (const code of codes) expect(reached.has(`items/${fileName(code)}.html`), code).toBe(true);
    for (const f of ['app.css', 'search.js', 'data/version.json', 'downloads/catalogue-v1.xlsx', 'downloads/catalogue-v1.csv', 'downloads/catalogue-v1.json', 'downloads/catalogue-v1.jsonld']) {
      expect(reached.has(f), f).toBe(true);
    }
  });

  it('every HTML page links its JSON twin, which is in the folder (the search page, whose results are made in the browser, aside)', () => {
    for (const page of walk(site).filter((f) => f.endsWith('.html') && f !== 'search.html')) {
      const text = readFileSync(join(site, page), 'utf8');
      const m = /<a href="([^"]+)">本页数据（JSON）<\/a>/.exec(text);
      expect(m, page).not.toBeNull();
      JSON.parse(readFileSync(join(site, dirname(page), m![1]!), 'utf8'));
    }
  });

  it('a sub-item whose main item left the catalogue names it without a link', () => {
    const page = readFileSync(join(site, 'items', `${fileName(orphan.code)}.html`), 'utf8');
    expect(decodeEntities(page)).toContain(`<dt>所属主项</dt><dd>${orphan.parentName}</dd>`);
  });

  it('escapes user text: a name and remark holding markup show as text', () => {
    const page = readFileSync(join(site, 'items', `${fileName(hostileCode)}.html`), 'utf8');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;设立许可&amp;审批');
    expect(page).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    for (const f of walk(site).filter((p) => p.endsWith('.html'))) {
      const text = readFileSync(join(site, f), 'utf8');
      expect([...text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).every((tag) => /^<script src="(\.\.\/)*(search|print)\.js"( defer)?><\/?/.test(`${tag}<`)), f).toBe(true);
    }
  });

  it('the list pages hold the items of the live version pages, in the same order, department by department', async () => {
    const c = live.client();
    const total = (await c.get('/api/v1/versions/1/items')).json<{ total: number; pageSize: number }>();
    const pages = Math.ceil(total.total / total.pageSize);
    for (const page of [1, 2, pages]) {
      const api = (await c.get(`/api/v1/versions/1/items?page=${page}`)).json<{ items: { code: string }[] }>();
      const file = versionItemsPageSchema.parse(JSON.parse(readFileSync(join(site, 'data', 'list', `page-${page}.json`), 'utf8')));
      expect(file.items.map((i) => i.code), `page ${page}`).toEqual(api.items.map((i) => i.code));
      const html = readFileSync(join(site, 'list', `page-${page}.html`), 'utf8');
      expect([...html.matchAll(/<div class="code">([^<]+)<\/div>/g)].map((m) => m[1])).toEqual(api.items.map((i) => i.code));
    }
    expect(existsSync(join(site, 'list', `page-${pages + 1}.html`))).toBe(false);
    const rsj = (await c.get('/api/v1/versions/1/items?department=RSJ')).json<{ total: number; items: { code: string }[] }>();
    const file = JSON.parse(readFileSync(join(site, 'data', 'departments', 'RSJ', 'page-1.json'), 'utf8')) as { total: number; items: { code: string }[] };
    expect(file.total).toBe(rsj.total);
    expect(file.items.map((i) => i.code).sort()).toEqual(rsj.items.map((i) => i.code).sort());
  });

  it('browsing by theme and by 服务对象: the home page links a list per theme and per audience, holding the items the live version lists for that filter', async () => {
    const home = decodeEntities(readFileSync(join(site, 'index.html'), 'utf8'));
    const themeLinks = [...home.matchAll(/<a href="(themes\/[^"]+)" data-theme="([^"]+)">[^<]*<span class="facet-count"[^>]*>(\d+)</g)];
    const audienceLinks = [...home.matchAll(/<a href="(audiences\/[^"]+)" data-audience="([^"]+)">/g)];
    expect(themeLinks.length).toBeGreaterThan(20);
    expect(audienceLinks.map((m) => m[2])).toEqual(['individual', 'legal']);
    const codesOfList = (first: string) => {
      const out: string[] = [];
      for (let page = 1; ; page++) {
        const file = join(site, first.replace(/page-1\.html$/, `page-${page}.html`));
        if (!existsSync(file)) return out;
        out.push(...[...readFileSync(file, 'utf8').matchAll(/<div class="code">([^<]+)<\/div>/g)].map((m) => m[1]!));
      }
    };
    const liveCodes = async (query: string) => {
      const out: string[] = [];
      for (let page = 1; ; page++) {
        const body = (await live.client().get(`/api/v1/versions/1/items?${query}&page=${page}`)).json<{ total: number; pageSize: number; items: { code: string }[] }>();
        out.push(...body.items.map((i) => i.code));
        if (page * body.pageSize >= body.total) return out;
      }
    };
    for (const [, href, theme, count] of themeLinks.filter((_, i) => i % 5 === 0)) {
      const listed = codesOfList(href!);
      expect(listed.length, theme).toBe(Number(count));
      expect([...listed].sort(), theme).toEqual((await liveCodes(`theme=${theme}`)).sort());
    }
    for (const [, href, audience] of audienceLinks) {
      expect([...codesOfList(href!)].sort(), audience).toEqual((await liveCodes(`audience=${audience}`)).sort());
    }
  });

  it('served by express.static, the folder answers its pages, JSON and downloads (the xlsx and csv hold every item)', async () => {
    const app = express();
    app.use(express.static(site));
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('某区行政权力清单（2026年第1版）');
      const item = await fetch(`${base}/items/${encodeURIComponent(fileName(codes[0]!))}.html`);
      expect(item.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await item.text()).toContain('<h2 class="guide-title">办事指南</h2>');
      const json = await fetch(`${base}/data/version.json`);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await json.json()) as object).toMatchObject({ version: { number: 1, itemCount: 1134 } });
      const csv = Buffer.from(await (await fetch(`${base}/downloads/catalogue-v1.csv`)).arrayBuffer());
      expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csv.toString('utf8').trim().split('\r\n')).toHaveLength(1 + 1134);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await (await fetch(`${base}/downloads/catalogue-v1.xlsx`)).arrayBuffer());
      const codesInXlsx = wb.worksheets[0]!.getSheetValues().slice(2).map((r) => (r as unknown[])[1]);
      expect(codesInXlsx.sort()).toEqual([...codes].sort());
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a folder that holds other files and leaves it alone; replaces an earlier export', async () => {
    const db = openDatabase(dbPath);
    const version = getVersion(db, 1)!;
    const other = join(work, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'keep.txt'), '别删');
    await expect(exportStaticSite(testServices(db), version, other, createViewEngine(), { pageSize: 50 })).rejects.toBeInstanceOf(AppError);
    expect(readdirSync(other)).toEqual(['keep.txt']);
    const again = join(work, 'again');
    await exportStaticSite(testServices(db), version, again, createViewEngine(), { pageSize: 500 });
    writeFileSync(join(again, 'items', 'stale.html'), 'old');
    const result = await exportStaticSite(testServices(db), version, again, createViewEngine(), { pageSize: 500 });
    expect(result.items).toBe(1134);
    expect(existsSync(join(again, 'items', 'stale.html'))).toBe(false);
    expect(existsSync(join(again, 'list', 'page-3.html'))).toBe(true);
    expect(existsSync(join(again, 'list', 'page-4.html'))).toBe(false);
    db.$client.close();
  }, 180_000);
});

describe('the static search', () => {
  it('runs in the browser from file:// without a server: finds an item by part of its name, in simplified or traditional characters, and shows markup as text', async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const searchPage = pathToFileURL(join(site, 'search.html')).href;

      await page.goto(`${searchPage}?q=${encodeURIComponent('设立许可&审批')}`);
      await page.waitForFunction(() => /共找到/.test(document.getElementById('search-status')?.textContent ?? ''));
      const first = page.locator('#search-results tbody tr a').first();
      expect(await first.textContent()).toBe(HOSTILE_NAME);
      await Promise.all([page.waitForURL(/items\/.+\.html$/), first.click()]);
      expect(await page.locator('h1').textContent()).toBe(HOSTILE_NAME);
      expect(dialogs).toEqual([]);

      // A query in traditional characters (設立許可&審批 for 设立许可&审批) finds the same item.
      await page.goto(`${searchPage}?q=${encodeURIComponent('設立許可&審批')}`);
      await page.waitForFunction(() => /共找到|没有找到/.test(document.getElementById('search-status')?.textContent ?? ''));
      expect(await page.locator('#search-results tbody tr a').first().textContent()).toBe(HOSTILE_NAME);

      // Two-character queries and a word of the department's name work too; the search box keeps the query.
      await page.goto(`${searchPage}?q=${encodeURIComponent('备案')}`);
      await page.waitForFunction(() => /共找到|没有找到/.test(document.getElementById('search-status')?.textContent ?? ''));
      expect(await page.inputValue('#q')).toBe('备案');
      const names = await page.locator('#search-results tbody tr td:first-child a').allTextContents();
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((n) => n.includes('备案'))).toBe(true);
      await page.goto(`${searchPage}?q=${encodeURIComponent('人社局 认定')}`);
      await page.waitForFunction(() => /共找到/.test(document.getElementById('search-status')?.textContent ?? ''));
      const departments = await page.locator('#search-results tbody tr td:nth-child(3)').allTextContents();
      expect(new Set(departments)).toEqual(new Set(['区人社局']));

      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
