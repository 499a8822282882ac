// Browser tests: Debian's Chromium driven by playwright-core. One browser per test file, a fresh
// context (cookies, storage) per test. Contexts only ever reach the test server on 127.0.0.1; any
// other request is aborted and recorded so a test can assert that none happened.
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/bootstrap.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface TestContext {
  context: BrowserContext;
  page: Page;
  /** Requests to anything but the test server, which were aborted. */
  blocked: string[];
}

/** A fresh context confined to `baseURL` (the test server), and a page in it. */
export async function newTestContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<TestContext> {
  const context = await browser.newContext({ baseURL, locale: 'zh-CN', ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const origin = new URL(baseURL).origin;
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url === origin) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  return { context, page, blocked };
}

/**
 * Closes the contexts a test opened, after checking that none of them asked for anything but the test
 * server (no CDN, no third-party script); empties the list.
 */
export async function closeContexts(open: TestContext[]): Promise<void> {
  for (const t of open.splice(0)) {
    expect(t.blocked, 'requests to anything but the test server').toEqual([]);
    await t.context.close();
  }
}

/** Sign in through the login form, as a person would; resolves once the next page has loaded. */
export async function loginThroughForm(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.click('main form button[type="submit"]')]);
}

/**
 * Follow an entry of the staff menu by its text, as a person would: open its group (目录 / 清理 / 发布 /
 * 管理) when the entry is not already on screen, then click it.
 */
export async function clickMenu(page: Page, text: string): Promise<void> {
  const link = page.locator(`nav.main-nav a:text-is("${text}")`);
  if (!(await link.isVisible())) await page.locator('nav.main-nav details', { has: page.locator(`a:text-is("${text}")`) }).locator('summary').click();
  await link.click();
}
