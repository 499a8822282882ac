// The legal office tags a theme on an item in a real browser (the item page's 主题 block), and an anonymous
// visitor then finds the item under that theme from the home page, at 1366 and 390 px. Screenshots of the
// block go to /tmp/shots-themes/.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { closeContexts, launchBrowser, loginThroughForm, newTestContext, type TestContext } from '../support/browser.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { THEME_TAG_LABELS } from '../../server/domain/labels.js';
import { THEME_NAMES, themesOfName } from '../../server/domain/themes.js';
import { normaliseText } from '../../server/domain/search-tables.js';

const SHOTS = '/tmp/shots-themes';
const THEME = 'birth'; // 生育收养, a theme of the 个人 entry points
let server: TestServer;
let browser: Browser;
let open: TestContext[] = [];
let candidates: { code: string; name: string }[];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([startTestServer(demoDb()), launchBrowser()]);
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
  // Items for 个人 that their names do not put under the theme (one per screen width), with a keyword theme.
  candidates = (server.db.$client.prepare("SELECT code, name FROM items WHERE removed_at IS NULL AND parent_id IS NULL AND service_objects LIKE '%citizens%' ORDER BY code").all() as { code: string; name: string }[])
    .filter((i) => {
      const themes = themesOfName(normaliseText(i.name));
      return !themes.includes(THEME) && themes.length > 0;
    });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => closeContexts(open));

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.each([[1366, 0], [390, 1]] as const)('tagging a theme at %i px', (width, which) => {
  it('the legal office tags a theme on an item, and a visitor then finds the item under that theme', async () => {
    const item = candidates[which * 7]!;
    const staff = await newTestContext(browser, server.url, { viewport: { width, height: 900 } });
    open.push(staff);
    await loginThroughForm(staff.page, 'legal');
    await staff.page.goto(`/items/${encodeURIComponent(item.code)}`);
    const block = staff.page.locator('#item-themes');
    expect(await block.locator('h2').textContent()).toBe(THEME_TAG_LABELS.title);
    // The name rule's themes, marked as such.
    const ruled = block.locator('li.theme-tag[data-source="rule"] .theme-source').first();
    expect(await ruled.textContent()).toBe(THEME_TAG_LABELS.sources.rule);
    await block.screenshot({ path: `${SHOTS}/item-themes-before-${width}.png` });

    await block.locator('select[name="theme"]').selectOption(THEME);
    await Promise.all([staff.page.waitForURL(/theme_added=/), block.locator('#item-theme-add button[type="submit"]').click()]);
    expect(await staff.page.textContent('#item-themes-done')).toBe(THEME_TAG_LABELS.added(THEME_NAMES[THEME]!));
    const tagged = staff.page.locator(`#item-themes li.theme-tag[data-theme="${THEME}"]`);
    expect(await tagged.getAttribute('data-source')).toBe('hand');
    expect(await tagged.locator('.theme-source').textContent()).toBe(THEME_TAG_LABELS.sources.hand);
    expect(await overflow(staff.page), 'item page wider than the screen').toBeLessThanOrEqual(0);
    await staff.page.locator('#item-themes').screenshot({ path: `${SHOTS}/item-themes-after-${width}.png` });
    await staff.page.screenshot({ path: `${SHOTS}/item-page-${width}.png` });

    // An anonymous visitor: the home page's theme, then the list, searched for the item within the theme.
    const visitor = await newTestContext(browser, server.url, { viewport: { width, height: 900 } });
    open.push(visitor);
    const { page } = visitor;
    await page.goto('/');
    await Promise.all([page.waitForURL(/\/items\?/), page.locator(`ul.theme-list[data-group="individual"] a[data-theme="${THEME}"]`).click()]);
    expect(new URL(page.url()).searchParams.get('theme')).toBe(THEME);
    await page.fill('input[name="q"]', item.code);
    await Promise.all([page.waitForURL(/q=/), page.locator('form.filters button[type="submit"]').click()]);
    expect(new URL(page.url()).searchParams.get('theme')).toBe(THEME);
    expect(Number(await page.textContent('#total'))).toBe(1);
    expect(await page.locator('table').textContent()).toContain(item.name);
    await page.screenshot({ path: `${SHOTS}/visitor-finds-${width}.png`, fullPage: true });
  });
});
