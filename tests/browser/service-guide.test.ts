// A citizen reads a service guide on a phone and on a desktop: phone numbers are links a phone dials,
// the print button prints, and nothing is wider than a 390 px screen. Screenshots (SCREENSHOT_DIR) at
// 1366 and 390 px.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext } from '../support/browser.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { testServices } from '../support/services.js';

let server: TestServer;
let browser: Browser;
let code: string;
beforeAll(async () => {
  const db = demoDb();
  code = db.$client
    .prepare("SELECT code FROM items WHERE removed_at IS NULL ORDER BY length(coalesce(materials, '')) + length(coalesce(conditions, '')) DESC LIMIT 1")
    .pluck()
    .get() as string;
  db.$client
    .prepare(
      `UPDATE items SET service_place = '区政务服务中心一楼综合受理窗口（人民路1号）', service_hours = '工作日 上午9:00—12:00，下午13:30—17:00（法定节假日除外）',
              on_site_visits = 1, online_depth = 'online_prereview', result_name = '准予许可决定书', contact_phone = '0826-2345678；0826-2345679', supervision_phone = '0826-12345'
        WHERE code = ?`,
    )
    .run(code);
  publishVersion(testServices(db), SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）' });
  server = await startTestServer(db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const shots = process.env.SCREENSHOT_DIR;

describe('a service guide in the browser', () => {
  it('has tel: links and a print button that prints, at 1366 and 390 px, nothing wider than the screen', async () => {
    for (const width of [1366, 390]) {
      const { page, context, blocked } = await newTestContext(browser, server.url, { viewport: { width, height: width === 390 ? 844 : 900 } });
      await page.addInitScript(() => {
        (window as unknown as { printed: number }).printed = 0;
        window.print = () => {
          (window as unknown as { printed: number }).printed++;
        };
      });
      await page.goto(`/versions/1/items/${encodeURIComponent(code)}`);
      const tel = page.locator('.guide a[href^="tel:"]');
      expect(await tel.count()).toBe(3);
      expect(await tel.first().getAttribute('href')).toBe('tel:08262345678');
      const button = page.getByRole('button', { name: '打印本指南' });
      expect(await button.isVisible()).toBe(true);
      await button.click();
      expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
      expect(await page.locator('#on-site-visits').innerText()).toBe('1 次（最多跑一次）');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `page wider than ${width} px`).toBeLessThanOrEqual(0);
      if (shots) await page.screenshot({ path: join(shots, `guide-${width}.png`), fullPage: true });
      // Printed, the button is left out.
      await page.emulateMedia({ media: 'print' });
      expect(await button.isVisible()).toBe(false);
      expect(blocked).toEqual([]);
      await context.close();
    }
  });

  it("the item form's guide fields: an admin picks 办件类型, 到现场次数 and 网上办理深度 and types the place; the guide shows them", async () => {
    const plain = server.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL AND code <> ? ORDER BY id LIMIT 1').pluck().get(code) as string;
    for (const width of [1366, 390]) {
      const { page, context } = await newTestContext(browser, server.url, { viewport: { width, height: 900 } });
      await loginThroughForm(page, 'admin');
      await page.goto(`/workspace/items/${encodeURIComponent(plain)}/edit`);
      const fields = page.locator('#guide-fields');
      if (width === 1366) {
        await fields.getByLabel('即办件（当场办结）').check();
        await fields.getByLabel('办理地点').fill('区政务服务中心二楼');
        await fields.getByLabel('到现场次数').selectOption({ label: '0 次（不用跑）' });
        await fields.getByLabel('网上办理深度').selectOption({ label: '四级：全程网办' });
        await fields.getByLabel('结果名称').fill('备案回执');
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      if (shots) await fields.screenshot({ path: join(shots, `item-form-guide-${width}.png`) });
      if (width === 1366) {
        await page.getByRole('button', { name: '保存修改' }).click();
        await page.goto(`/items/${encodeURIComponent(plain)}`);
        const facts = await page.locator('dl.facts').innerText();
        for (const text of ['即办件', '区政务服务中心二楼', '0 次（不用跑）', '四级：全程网办', '备案回执']) expect(facts).toContain(text);
      }
      await context.close();
    }
  });
});
