// Service guides print: printed (Chromium's print media and PDF), a published item's guide shows the
// guide and the version it belongs to without the site's navigation, forms or history, in black on
// white, on one or two A4 pages.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, newTestContext } from '../support/browser.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { testServices } from '../support/services.js';

let server: TestServer;
let browser: Browser;
let code: string;
beforeAll(async () => {
  const db = demoDb();
  publishVersion(testServices(db), SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）' });
  // An item with a long guide: the most materials and conditions.
  code = db.$client
    .prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY length(coalesce(materials, \'\')) + length(coalesce(conditions, \'\')) DESC LIMIT 1')
    .pluck()
    .get() as string;
  server = await startTestServer(db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('printing a service guide', () => {
  it('prints the guide with its version and without navigation, forms or history, on at most two A4 pages', async () => {
    const { page, context } = await newTestContext(browser, server.url);
    await page.goto(`/versions/1/items/${encodeURIComponent(code)}`);
    await page.emulateMedia({ media: 'print' });
    const shown = async (selector: string) => page.locator(selector).first().isVisible();
    expect(await shown('.guide h1')).toBe(true);
    expect(await shown('.guide dl.facts')).toBe(true);
    expect(await shown('#version-banner')).toBe(true);
    expect(await page.locator('#version-banner').innerText()).toContain('第 1 版');
    for (const hidden of ['.site-header', '.site-footer', 'form', '#history']) expect(await shown(hidden), hidden).toBe(false);
    const colors = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
    expect(colors).toEqual(['rgb(255, 255, 255)', 'rgb(0, 0, 0)']);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    await context.close();
  });
});
