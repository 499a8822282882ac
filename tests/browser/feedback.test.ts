// A feedback round trip in the browser: a citizen leaves a correction from the guide, the legal office
// answers it on its feedback page and makes the answer public, and the citizen finds it under the guide,
// without the contact they gave. Screenshots (SCREENSHOT_DIR) of the form and the legal office's page at
// 1366 and 390 px.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext } from '../support/browser.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';

let server: TestServer;
let browser: Browser;
let code: string;
beforeAll(async () => {
  server = await startTestServer(demoDb());
  code = server.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）', effectiveOn: '2026-01-01' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const shots = process.env.SCREENSHOT_DIR;
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const QUESTION = '办理时间写的是周六也办理，实际周六不开放，请更正。';
const ANSWER = '感谢指正，已核实并更正办理时间：周六不办理。';

describe('public feedback in the browser', () => {
  it('citizen → legal office page → public answer under the guide', async () => {
    // The citizen, on a phone, from the published guide.
    const citizen = await newTestContext(browser, server.url, { viewport: { width: 390, height: 844 } });
    await citizen.page.goto(`/versions/1/items/${encodeURIComponent(code)}`);
    expect(await citizen.page.locator('#feedback').innerText()).toContain('暂无公开答复');
    await citizen.page.getByRole('link', { name: '对本事项留言、纠错或投诉' }).click();
    await citizen.page.getByLabel('内容纠错').check();
    await citizen.page.getByLabel('留言内容').fill(QUESTION);
    await citizen.page.getByLabel('联系方式（选填，不公开）').fill('13912345678');
    // The honeypot is out of sight (off the page) and out of the tab order.
    const trap = await citizen.page.locator('#f-website').boundingBox();
    expect(trap!.x + trap!.width).toBeLessThanOrEqual(0);
    expect(await citizen.page.locator('#f-website').getAttribute('tabindex')).toBe('-1');
    expect(await overflow(citizen.page)).toBeLessThanOrEqual(0);
    if (shots) await citizen.page.screenshot({ path: join(shots, 'feedback-form-390.png'), fullPage: true });
    await citizen.page.getByRole('button', { name: '提交留言' }).click();
    expect(await citizen.page.locator('#feedback-sent').innerText()).toContain('您的留言已收到');

    // The legal office answers and makes the answer public.
    for (const width of [1366, 390]) {
      const office = await newTestContext(browser, server.url, { viewport: { width, height: 900 } });
      await loginThroughForm(office.page, 'legal');
      await office.page.getByRole('link', { name: '公众留言' }).first().click();
      // At 1366 px the open message is answered; at 390 px the answered one is looked at.
      if (width === 390) await office.page.getByRole('link', { name: '已答复' }).click();
      const entry = office.page.locator('.feedback-entry', { hasText: QUESTION });
      expect(await entry.innerText()).toContain('13912345678');
      if (width === 1366) {
        await entry.getByLabel('答复', { exact: true }).fill(ANSWER);
        await entry.getByLabel(/公开答复/).check();
        await entry.getByRole('button', { name: '保存答复' }).click();
        await office.page.getByRole('link', { name: '已答复' }).click();
        expect(await office.page.locator('.feedback-entry', { hasText: QUESTION }).innerText()).toContain('答复已公开');
      }
      expect(await overflow(office.page)).toBeLessThanOrEqual(0);
      if (shots) await office.page.screenshot({ path: join(shots, `feedback-office-${width}.png`), fullPage: true });
      await office.context.close();
    }

    // Back on the guide: the question and the answer, never the contact.
    await citizen.page.goto(`/versions/1/items/${encodeURIComponent(code)}`);
    const section = await citizen.page.locator('#feedback').innerText();
    expect(section).toContain(QUESTION);
    expect(section).toContain(ANSWER);
    expect(await citizen.page.content()).not.toContain('13912345678');
    if (shots) await citizen.page.locator('#feedback').screenshot({ path: join(shots, 'guide-feedback-390.png') });
    expect(citizen.blocked).toEqual([]);
    await citizen.context.close();

    // The form at desktop width, for the screenshot.
    if (shots) {
      const desk = await newTestContext(browser, server.url, { viewport: { width: 1366, height: 900 } });
      await desk.page.goto(`/items/${encodeURIComponent(code)}/feedback`);
      await desk.page.screenshot({ path: join(shots, 'feedback-form-1366.png'), fullPage: true });
      await desk.context.close();
    }
  });
});
