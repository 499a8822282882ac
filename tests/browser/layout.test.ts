// Staff pages on a phone and a desktop (issue 16.9): the review queue, an item under review and the inbox,
// as the legal office, a department and an expert, at 390 px and 1366 px. Nothing runs off the side of
// the screen (only a table may scroll, inside its own box), short cells do not wrap a word a character a
// line, and the grouped menu opens by keyboard and by touch. Screenshots go to /tmp/shots-inbox/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext } from '../support/browser.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-inbox';
const WIDTHS = [390, 1366];

let server: TestServer;
let browser: Browser;
let returnedId: number;
let expertItemId: number;

const sql = (text: string) => server.db.$client.prepare(text);
const item = (name: string) => sql('SELECT id, row_version AS rowVersion FROM submission_items WHERE name = ?').get(name) as { id: number; rowVersion: number };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const dir = tempDir('layout-');
  server = await startTestServer(demoDb(), { uploadsDir: join(dir, 'uploads') });
  browser = await launchBrowser();
  const legal: TestClient = server.client();
  await legal.login('legal');
  const dept: TestClient = server.client();
  await dept.login('dept-xzsp');
  expect((await legal.postForm('/review/campaigns', { name: '2026年行政权力清单清理', startsOn: '2026-11-01', dueOn: '2026-12-31' })).status).toBe(303);
  const existing = sql(
    "SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1",
  ).get() as { code: string; name: string };
  const sheet = await writeWorkbook(join(dir, 'xzsp.xlsx'), [
    {
      rows: [
        ['区行政审批局行政权力清单'],
        HEADER,
        [1, '', '新设的某某经营许可', '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', ''],
        [2, existing.code, existing.name, '', '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '15个工作日', '10个工作日', '不收费', '身份证', ''],
        [3, '', '另一个新设事项登记', '', '行政确认', '区行政审批局', '《中华人民共和国道路运输条例》第二十四条', '', '', '', '', ''],
      ],
    },
  ]);
  const upload = await dept.postMultipart('/workspace/imports', { scope: 'complete' }, { name: 'xzsp.xlsx', bytes: readFileSync(sheet) });
  expect(upload.status).toBe(303);
  const importId = Number(/(\d+)$/.exec(upload.location!)![1]);
  for (let i = 0; i < 200; i++) {
    if ((await dept.get(`/api/v1/imports/${importId}`)).json().status !== 'reading') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect((await dept.postForm(`/workspace/imports/${importId}/confirm`, { confirmCancellations: '1' })).status).toBe(303);
  // One returned to the department (已退回), one kept with a change and sent to the expert.
  const returned = item('另一个新设事项登记');
  returnedId = returned.id;
  expect((await legal.postForm(`/review/items/${returned.id}/return`, { rowVersion: String(returned.rowVersion), request: '请补充设定依据的条款项' })).status).toBe(303);
  const changed = item(existing.name);
  expertItemId = changed.id;
  expect((await legal.postForm(`/review/items/${changed.id}/decide`, { rowVersion: String(changed.rowVersion), disposition: 'retain', reason: '依据有效' })).status).toBe(303);
  const expertId = sql("SELECT id FROM users WHERE username = 'expert'").pluck().get() as number;
  expect((await legal.postForm(`/review/items/${changed.id}/experts`, { rowVersion: String(item(existing.name).rowVersion), expert: String(expertId) })).status).toBe(303);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What runs off the right edge of the screen: the page's own width, and elements not inside a box that scrolls. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    // Inside a box that scrolls (or clips) sideways: the box itself is checked as any other element.
    const scrollsInside = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const x = getComputedStyle(p).overflowX;
        if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (!el.checkVisibility()) continue; // a closed menu's entries are not on the screen
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > width + 0.5 && !scrollsInside(el)) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: width, offenders: out.slice(0, 10) };
  });
}

/** Cells whose text is broken a character a line: a cell of 2–6 characters taller than two lines. */
async function brokenWords(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('td, th'))
      .filter((c) => {
        const text = (c.textContent ?? '').trim();
        if (text.length < 2 || text.length > 6 || c.children.length > 0) return false;
        const lineHeight = parseFloat(getComputedStyle(c).lineHeight) || 24;
        const range = document.createRange();
        range.selectNodeContents(c);
        return range.getBoundingClientRect().height > lineHeight * 1.6;
      })
      .map((c) => (c.textContent ?? '').trim()),
  );
}

const PAGES: { who: string; name: string; path: () => string }[] = [
  { who: 'legal', name: 'inbox', path: () => '/workspace' },
  { who: 'legal', name: 'queue', path: () => '/review/queue' },
  { who: 'legal', name: 'review-item', path: () => `/review/items/${returnedId}` },
  { who: 'dept-xzsp', name: 'inbox', path: () => '/workspace' },
  { who: 'dept-xzsp', name: 'queue', path: () => '/review/queue' },
  { who: 'dept-xzsp', name: 'review-item', path: () => `/review/items/${returnedId}` },
  { who: 'expert', name: 'inbox', path: () => '/workspace' },
  { who: 'expert', name: 'queue', path: () => '/review/queue' },
  { who: 'expert', name: 'review-item', path: () => `/review/items/${expertItemId}` },
];

describe('staff pages fit the screen', () => {
  for (const who of ['legal', 'dept-xzsp', 'expert']) {
    it(`as ${who}: the inbox, the queue and an item under review have nothing off the right edge at 390 and 1366 px, and no short cell broken a character a line`, async () => {
      for (const width of WIDTHS) {
        const { context, page, blocked } = await newTestContext(browser, server.url, { viewport: { width, height: 900 } });
        await loginThroughForm(page, who);
        for (const p of PAGES.filter((x) => x.who === who)) {
          const reply = await page.goto(p.path());
          expect(reply?.status(), p.path()).toBe(200);
          const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), 2200);
          await page.screenshot({ path: join(SHOTS, `${who}-${p.name}-${width}.png`), fullPage: true, clip: { x: 0, y: 0, width, height } });
          const o = await overflow(page);
          expect(o.scrollWidth, `${who} ${p.name} at ${width}: ${o.offenders.join(', ')}`).toBeLessThanOrEqual(o.innerWidth);
          expect(o.offenders, `${who} ${p.name} at ${width}`).toEqual([]);
          expect(await brokenWords(page), `${who} ${p.name} at ${width}`).toEqual([]);
        }
        // An open menu stays on the screen too.
        await page.goto('/workspace');
        const last = page.locator('nav.staff-nav details.menu > summary').last();
        await last.click();
        await page.screenshot({ path: join(SHOTS, `${who}-menu-open-${width}.png`) });
        const o = await overflow(page);
        expect(o.offenders, `${who} open menu at ${width}`).toEqual([]);
        expect(blocked).toEqual([]);
        await context.close();
      }
    });
  }
});

describe('the grouped menu', () => {
  it('opens by keyboard (Tab to its title, Enter), closes on Escape, and one group at a time', async () => {
    const { context, page } = await newTestContext(browser, server.url, { viewport: { width: 1366, height: 900 } });
    await loginThroughForm(page, 'legal');
    await page.goto('/workspace');
    const cleanup = page.locator('details[data-group="cleanup"]');
    await cleanup.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await cleanup.getAttribute('open')).not.toBeNull();
    expect(await page.isVisible('nav.main-nav a:text-is("申报审核")')).toBe(true);
    // The queue's badge is the inbox's count of work waiting in review.
    const inbox = (await (await page.request.get('/api/v1/inbox')).json()) as { items: { key: string; count: number | null }[] };
    const inReview = inbox.items.filter((i) => ['submitted', 'resubmitted', 'underReview', 'opinionsToHandle', 'readyToFinalise'].includes(i.key)).reduce((a, i) => a + (i.count ?? 0), 0);
    expect(inReview).toBeGreaterThan(0);
    expect((await page.locator('nav.main-nav li:has(a:text-is("申报审核")) .count').textContent())?.replace('待办', '')).toBe(inReview > 99 ? '99+' : String(inReview));
    // Opening another closes the first.
    await page.locator('details[data-group="manage"] > summary').click();
    expect(await cleanup.getAttribute('open')).toBeNull();
    await page.keyboard.press('Escape');
    expect(await page.locator('details[data-group="manage"]').getAttribute('open')).toBeNull();
    await context.close();
  });

  it('opens by touch on a phone and leads to the page', async () => {
    const { context, page } = await newTestContext(browser, server.url, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await loginThroughForm(page, 'expert');
    await page.goto('/workspace');
    await page.locator('details[data-group="cleanup"] > summary').tap();
    await Promise.all([page.waitForURL(/\/review\/queue$/), page.locator('nav.main-nav a:text-is("专家评审")').tap()]);
    expect(await page.textContent('h1')).toBe('待评审事项');
    await context.close();
  });
});
