// The public catalogue in a real browser: home page, filtering the list by department, an item's
// service guide and its JSON twin, and the item page on a phone-sized screen.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { closeContexts, launchBrowser, newTestContext, type TestContext } from '../support/browser.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';

interface DepartmentJson {
  code: string;
  name: string;
  itemCount: number;
}

/** A department whose items fill more than one page of the list (page size 50). */
const DEPARTMENT_CODE = 'JTYSJ';

let server: TestServer;
let browser: Browser;
let open: TestContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(demoDb()), launchBrowser()]);
  // The public sees the latest published version (the working catalogue is for signed-in staff).
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => closeContexts(open));

async function visit(options: Parameters<typeof newTestContext>[2] = {}) {
  const t = await newTestContext(browser, server.url, options);
  open.push(t);
  return t;
}

async function departments(): Promise<DepartmentJson[]> {
  const res = await fetch(`${server.url}/api/v1/departments`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { departments: DepartmentJson[] }).departments;
}

describe('public catalogue in the browser', () => {
  it('home page shows the whole catalogue (1135 items) in Chinese', async () => {
    const { page } = await visit();
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await expect.poll(() => page.title()).toContain('行政权力清单');
    expect(await page.textContent('h1')).toBe('行政权力清单');
    const hero = (await page.textContent('.hero')) ?? '';
    expect(hero).toContain('共 1135 项事项');
    expect(hero).toContain('34 个实施部门');
    expect(await page.isVisible('nav.main-nav >> text=事项目录')).toBe(true);
    // The department tiles carry their item counts in Chinese.
    expect(await page.locator('.tiles .tile-count').first().textContent()).toMatch(/^\d+ 项$/);
  });

  it('anonymous home names the latest published version and its date, and its search finds the same items for 許可 as for 许可', async () => {
    const { page } = await visit();
    await page.goto('/');
    const latest = (await page.textContent('#latest-version')) ?? '';
    expect(latest).toContain('某区行政权力清单（2026年版）');
    expect(latest).toMatch(/第 1 版，\d{4}-\d{2}-\d{2} 发布，2026-03-01 起施行/);
    expect(await page.locator('.working-catalogue').count()).toBe(0);

    const searchFromHome = async (q: string) => {
      await page.goto('/');
      await page.fill('.hero form.search input[name="q"]', q);
      await Promise.all([page.waitForURL((u) => u.pathname === '/items' && u.searchParams.get('q') === q), page.press('.hero form.search input[name="q"]', 'Enter')]);
      return { total: await page.textContent('#total'), codes: await page.locator('table.items tbody .code').allTextContents() };
    };
    const simplified = await searchFromHome('许可');
    const traditional = await searchFromHome('許可');
    expect(Number(simplified.total)).toBeGreaterThan(0);
    expect(traditional).toEqual(simplified);
  });

  it('filtering the list by 实施部门 shows exactly that department’s items, as many as the API counts', async () => {
    const department = (await departments()).find((d) => d.code === DEPARTMENT_CODE);
    expect(department, `department ${DEPARTMENT_CODE} in /api/v1/departments`).toBeDefined();
    const { code, name, itemCount } = department!;
    expect(itemCount).toBeGreaterThan(50); // so the list has more than one page to walk

    const { page } = await visit();
    await page.goto('/');
    await Promise.all([page.waitForURL('**/items'), page.click('nav.main-nav a:text-is("事项目录")')]);
    expect(await page.textContent('#total')).toBe('1135');

    await page.selectOption('#filter-department', code);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/items' && u.searchParams.get('department') === code),
      page.click('form.filters button[type="submit"]'),
    ]);
    expect(await page.textContent('h1')).toBe(`事项目录：${name}`);
    expect(await page.textContent('#total')).toBe(String(itemCount));
    // The select keeps the chosen department.
    expect(await page.inputValue('#filter-department')).toBe(code);

    // Walk every page of the filtered list: every row is this department's, and the rows add up.
    let seen = 0;
    for (let pageNo = 1; ; pageNo++) {
      const cells = await page.locator('table.items tbody td[data-label="实施部门"]').allTextContents();
      expect(cells.length, `rows on page ${pageNo}`).toBeGreaterThan(0);
      expect(new Set(cells.map((c) => c.trim()))).toEqual(new Set([name]));
      seen += cells.length;
      const next = page.locator('nav.pager a[rel="next"]');
      if ((await next.count()) === 0) break;
      await Promise.all([page.waitForURL((u) => u.searchParams.get('page') === String(pageNo + 1)), next.click()]);
      expect(new URL(page.url()).searchParams.get('department')).toBe(code);
    }
    expect(seen).toBe(itemCount);
  });

  it('an item opened from the list shows its service guide, and its JSON twin has the same name', async () => {
    const { page } = await visit();
    await page.goto(`/items?department=${DEPARTMENT_CODE}`);
    const firstRow = page.locator('table.items tbody tr').first();
    const listedName = ((await firstRow.locator('td[data-label="事项名称"] > a').textContent()) ?? '').trim();
    const listedCode = ((await firstRow.locator('.code').textContent()) ?? '').trim();
    expect(listedName).not.toBe('');
    expect(listedCode).not.toBe('');

    await Promise.all([page.waitForURL(`**/items/${listedCode}`), firstRow.locator('td[data-label="事项名称"] > a').click()]);
    expect(await page.textContent('h1')).toBe(listedName);
    expect(await page.title()).toContain(listedName);
    expect(await page.textContent('h2.guide-title')).toBe('办事指南');
    // 事项编码 with this item's code.
    expect(await page.textContent('dl.facts dt:text-is("事项编码") + dd')).toBe(listedCode);
    expect(await page.textContent('dl.facts dt:text-is("实施部门") + dd')).toBe('区交通运输局');
    // The 设定依据 section: either its citations or the warning that there are none.
    const basis = page.locator('section:has(h3:text-is("设定依据"))');
    expect(await basis.count()).toBe(1);
    const citations = await basis.locator('ol.citations > li').count();
    const warning = await basis.locator('p.warn').count();
    expect(citations + warning).toBeGreaterThan(0);
    // Not signed in: no edit link.
    expect(await page.locator('a:text-is("修改本事项")').count()).toBe(0);

    // The page's JSON twin, linked from the page and announced in <head>.
    const twin = page.locator('a:text-is("本事项数据（JSON）")');
    const href = await twin.getAttribute('href');
    expect(href).toBe(`/api/v1/items/${listedCode}`);
    expect(await page.getAttribute('link[rel="alternate"][type="application/json"]', 'href')).toBe(href);
    const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === href), twin.click()]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^application\/json/);
    const json = (await response.json()) as { code: string; name: string; department: { code: string } };
    expect(json.name).toBe(listedName);
    expect(json.code).toBe(listedCode);
    expect(json.department.code).toBe(DEPARTMENT_CODE);
  });

  it('on a 375x700 phone the item page has no horizontal overflow', async () => {
    const list = (await (await fetch(`${server.url}/api/v1/items?department=XZSPJ`)).json()) as { items: { code: string; name: string }[] };
    // The item with the longest name among the first page: the hardest to fit.
    const item = [...list.items].sort((a, b) => b.name.length - a.name.length)[0]!;

    const { page } = await visit({ viewport: { width: 375, height: 700 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const response = await page.goto(`/items/${item.code}`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe(item.name);
    const size = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    // With mobile emulation, content wider than the screen widens the layout viewport itself (innerWidth
    // grows with it), so the width is also held to the phone's 375 px.
    expect(size.innerWidth, 'layout viewport width').toBe(375);
    expect(size.scrollWidth, `page is ${size.scrollWidth}px wide on a ${size.innerWidth}px screen`).toBeLessThanOrEqual(size.innerWidth);
  });
});
