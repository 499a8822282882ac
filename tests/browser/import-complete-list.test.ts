// A department uploads a short file as its complete list: the preview shows first, in a warning box, the
// items the file lacks, and the confirm goes through only once the person ticks the confirmation.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext, clickMenu } from '../support/browser.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(tempDir('uploads-'), 'u') });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a complete list in the browser', () => {
  it('lists the missing items first and confirms their cancellation only once ticked', async () => {
    const { context, page, blocked } = await newTestContext(browser, server.url);
    await loginThroughForm(page, 'dept-jt');
    const items = server.db.$client
      .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'JTYSJ' AND i.removed_at IS NULL ORDER BY i.id")
      .all() as { code: string; name: string }[];
    const [kept] = items;
    const path = await writeWorkbook(join(tempDir('browser-complete-'), 'complete.xlsx'), [
      { rows: [HEADER, [1, kept!.code, kept!.name, '', '行政许可', '', '《中华人民共和国行政许可法》第十二条', '', '', '不收费', '', '']] },
    ]);
    await clickMenu(page, '导入清单');
    await page.check('input[name="scope"][value="complete"]');
    await page.setInputFiles('#i-file', path);
    await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('#upload-form button[type="submit"]')]);
    await page.waitForSelector('#summary', { timeout: 20_000 });

    // The warning box comes before everything else of the report.
    const firstSection = await page.evaluate(() => document.querySelector('#missing, #summary')!.id);
    expect(firstSection).toBe('missing');
    expect(await page.textContent('#missing h2')).toContain(`${items.length - 1} 项`);
    expect(await page.locator('#missing-items li').count()).toBe(Math.min(200, items.length - 1));

    // Without the tick the browser does not send the form.
    await page.click('text=确认并提交申报');
    expect(await page.evaluate(() => (document.querySelector('input[name="confirmCancellations"]') as HTMLInputElement).validity.valueMissing)).toBe(true);
    await page.waitForTimeout(500);
    expect(server.db.$client.prepare("SELECT count(*) AS n FROM submissions WHERE source = 'upload'").get()).toEqual({ n: 0 });

    await page.check('input[name="confirmCancellations"]');
    await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('text=确认并提交申报')]);
    expect(await page.textContent('[role="status"]')).toContain('已作为申报');
    expect(server.db.$client.prepare("SELECT count(*) AS n FROM submission_items WHERE kind = 'remove' AND proposed_disposition = 'cancel'").get()).toEqual({
      n: items.length - 1,
    });
    expect(blocked).toEqual([]);
    await context.close();
  }, 60_000);
});
