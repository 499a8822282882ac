// Account upkeep in a real browser: the admin resets a clerk's password and reads the one-time
// password once; the clerk signs in with it, is sent to change it before anything else, and then works
// with their own. The audit page, as the supervisor reads it, fits a phone and a desktop.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { closeContexts, launchBrowser, loginThroughForm, newTestContext, type TestContext } from '../support/browser.js';

/** Screenshots for a person to look at; never committed. */
const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'catalogue-screenshots');

let server: TestServer;
let browser: Browser;
let open: TestContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(demoDb()), launchBrowser()]);
  // The public pages show the latest published version (the working catalogue is for signed-in staff).
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => closeContexts(open));
const visit = async (viewport = { width: 1366, height: 900 }) => {
  const t = await newTestContext(browser, server.url, { viewport });
  open.push(t);
  return t;
};

describe('account upkeep in the browser', () => {
  it('the admin resets a password; the clerk must change the one-time password at first login, then works with their own', async () => {
    const { page: adminPage } = await visit();
    await loginThroughForm(adminPage, 'admin');
    await adminPage.goto('/admin/users');
    await Promise.all([adminPage.waitForURL('**/admin/users/dept-jt'), adminPage.click('a[href="/admin/users/dept-jt"]')]);
    await Promise.all([adminPage.waitForLoadState('load'), adminPage.click('#reset-form button')]);
    const oneTime = (await adminPage.locator('#one-time-password code').textContent())!.trim();
    expect(oneTime).toMatch(/^[A-Za-z0-9]{14}$/);
    // Shown once: the account page, opened again, does not show it.
    await adminPage.goto('/admin/users/dept-jt');
    expect(await adminPage.locator('#one-time-password').count()).toBe(0);

    const { page } = await visit();
    await loginThroughForm(page, 'dept-jt', oneTime);
    expect(new URL(page.url()).pathname).toBe('/account/password');
    await expect.poll(() => page.locator('#must-change').isVisible()).toBe(true);
    // Any other page leads back here until the password is changed.
    await page.goto('/items');
    expect(new URL(page.url()).pathname).toBe('/account/password');
    await page.fill('#p-current', oneTime);
    await page.fill('#p-new', 'jt-clerk-own-password');
    await page.fill('#p-confirm', 'jt-clerk-own-password');
    await Promise.all([page.waitForURL('**/workspace'), page.click('#password-form button[type="submit"]')]);
    expect(await page.locator('h1').textContent()).toBe('工作台');

    const { page: later } = await visit();
    await loginThroughForm(later, 'dept-jt', 'jt-clerk-own-password');
    expect(new URL(later.url()).pathname).toBe('/workspace');
  });

  for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
    it(`the audit page fits ${viewport.width} px: long values wrap, the table scrolls inside its box, the page never wider than the screen`, async () => {
      const { page } = await visit(viewport);
      await loginThroughForm(page, 'supervisor');
      await page.goto('/audit');
      await expect.poll(() => page.locator('#audit-entries tbody tr').count()).toBeGreaterThan(5);
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
      expect(widths.page).toBeLessThanOrEqual(widths.screen);
      // No cell's text runs out of its cell.
      const overflowing = await page.locator('#audit-entries td').evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).length);
      expect(overflowing).toBe(0);
      await page.screenshot({ path: join(SHOTS, `audit-${viewport.width}.png`), fullPage: true });
    });
  }
});
