// Browsing the published catalogue like a portal, in a real browser, on a phone (390 px) and a desktop
// (1366 px): the home page's themes by 个人 / 法人 with counts, a theme chosen, then a 服务对象, the counts
// and the filtered list agreeing, the chosen filters as chips that take a filter off, nothing wider than
// the screen. Screenshots go to /tmp/shots-facets/.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { closeContexts, launchBrowser, newTestContext, type TestContext } from '../support/browser.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { FACET_LABELS } from '../../server/domain/labels.js';
import { THEME_NAMES } from '../../server/domain/themes.js';

const SHOTS = '/tmp/shots-facets';
let server: TestServer;
let browser: Browser;
let open: TestContext[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([startTestServer(demoDb()), launchBrowser()]);
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => closeContexts(open));

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const total = async (page: Page) => Number(await page.textContent('#total'));
const number = (s: string | null) => Number(/\d+/.exec(s ?? '')?.[0]);

describe.each([390, 1366])('browsing by theme and 服务对象 at %i px', (width) => {
  it('a citizen picks a theme on the home page, then a 服务对象, and sees the counts and the filtered list', async () => {
    const t = await newTestContext(browser, server.url, { viewport: { width, height: 860 } });
    open.push(t);
    const { page } = t;

    await page.goto('/');
    expect(await page.textContent('#browse-themes h2')).toBe(FACET_LABELS.byTheme);
    expect(await page.textContent('#browse-themes h3[data-group="individual"]')).toBe(FACET_LABELS.themeGroups.individual);
    expect(await page.textContent('#browse-audience [data-audience="legal"] .tile-name')).toBe(FACET_LABELS.audienceEntries.legal);
    expect(await overflow(page), 'home page wider than the screen').toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/home-${width}.png`, fullPage: true });
    await page.locator('#browse-audience').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/home-browse-${width}.png` });

    // A theme of the 个人 group: its count on the home page is the list's total.
    const theme = page.locator('ul.theme-list[data-group="individual"] a[data-theme="transport"]');
    const themeCount = number(await theme.locator('.facet-count').textContent());
    expect(themeCount).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(/\/items\?/), theme.click()]);
    const url = new URL(page.url());
    expect(url.searchParams.get('theme')).toBe('transport');
    expect(url.searchParams.get('audience')).toBe('individual');
    expect(await total(page)).toBe(themeCount);
    const chips = page.locator('#facet-chips a.chip');
    expect(await chips.allTextContents()).toEqual([`${FACET_LABELS.dimensions.audience}：${FACET_LABELS.audiences.individual}×`, `${FACET_LABELS.dimensions.theme}：${THEME_NAMES.transport}×`]);
    await page.screenshot({ path: `${SHOTS}/list-theme-${width}.png` });

    // On a phone the long groups are collapsed (the 服务对象 group stays open); on a desktop all are open.
    const themeGroup = page.locator('details.facet[data-facet="theme"]');
    expect(await themeGroup.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(width >= 900);
    expect(await page.locator('details.facet[data-facet="audience"]').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    if (width < 900) expect(await themeGroup.locator('summary').textContent()).toContain(THEME_NAMES.transport);

    // Then 法人: the link's count is the new total, the list holds the filtered items.
    const legal = page.locator('details.facet[data-facet="audience"] a', { hasText: FACET_LABELS.audiences.legal });
    const legalCount = Number(await legal.getAttribute('data-count'));
    expect(legalCount).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(/audience=legal/), legal.click()]);
    expect(new URL(page.url()).searchParams.get('theme')).toBe('transport');
    expect(await total(page)).toBe(legalCount);
    expect(await page.locator('table.items tbody tr').count()).toBe(Math.min(legalCount, 50));
    expect(await page.locator('details.facet[data-facet="audience"] a.selected').textContent()).toContain(FACET_LABELS.audiences.legal);
    // On a phone the count is also beside the chips, where the thumb is (the list starts further down).
    expect(await page.locator('#facet-chips .chips-total').isVisible()).toBe(width < 900);
    if (width < 900) expect(await page.textContent('#facet-chips .chips-total')).toBe(FACET_LABELS.found(legalCount));
    expect(await overflow(page), 'list page wider than the screen').toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/list-theme-legal-${width}.png` });
    if (width < 900) {
      await themeGroup.locator('summary').click();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/list-theme-open-${width}.png`, fullPage: false });
    }

    // Taking the theme off by its chip keeps 法人.
    await Promise.all([page.waitForURL((u) => !u.searchParams.has('theme')), page.locator('#facet-chips a.chip', { hasText: THEME_NAMES.transport }).click()]);
    expect(new URL(page.url()).searchParams.get('audience')).toBe('legal');
    expect(await page.locator('#facet-chips a.chip').allTextContents()).toEqual([`${FACET_LABELS.dimensions.audience}：${FACET_LABELS.audiences.legal}×`]);
    expect(await total(page)).toBeGreaterThan(legalCount);
  });
});
