// Mapping a file by hand in Chromium: upload a list whose columns nobody listed, map two columns and one
// value, confirm, upload again and see the mapping applied. Screenshots of the form at 1366 and 390 px
// go to SCREENSHOT_DIR when it is set (to look at them), and the form must fit a phone's width.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext } from '../support/browser.js';
import { tempDir, writeWorkbook } from '../support/sheets.js';
import { PROPOSAL_OF_SI } from '../../db/queries/review/proposal.js';

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

const HEADER = ['平台编号', '清单项目', '权力类型', '办理期限', '监管电话'];
const sheet = (name: string, rows: string[][]) => writeWorkbook(join(tempDir('browser-mapping-'), name), [{ name: '权责清单', rows: [['某区权责清单'], HEADER, ...rows] }]);

async function uploadAndWait(page: Page, path: string) {
  await page.goto('/workspace/imports');
  await page.setInputFiles('#i-file', path);
  // A few changed rows, not the department's whole list.
  await page.check('input[name="scope"][value="partial"]');
  await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('#upload-form button[type="submit"]')]);
  await page.waitForSelector('#mapping-form, #summary', { timeout: 20_000 });
}

/** The select of the column whose header is `header`. */
const columnSelect = (page: Page, header: string) => page.locator('#column-mapping tr', { has: page.locator(`strong:text-is("${header}")`) }).locator('select');

describe('mapping a file by hand in the browser', () => {
  it('upload, map two columns and one value, confirm, upload again and see the mapping applied', async () => {
    const { context, page, blocked } = await newTestContext(browser, server.url, { viewport: { width: 1366, height: 900 } });
    await loginThroughForm(page, 'dept-jt');
    await uploadAndWait(
      page,
      await sheet('first.xlsx', [
        ['u1', '公路超限运输许可（浏览器映射）', '行政许可', '5个工作日', '12345'],
        ['u2', '道路运输违法行为的处罚（浏览器映射）', '行政审查', '即办', '12345'],
      ]),
    );
    expect(await page.isVisible('#needs-mapping')).toBe(true);
    expect(await page.isDisabled('#confirm-form button[type="submit"]')).toBe(true);
    expect(await page.textContent('#confirm-blocked')).toContain('事项名称');

    const shots = process.env.SCREENSHOT_DIR;
    if (shots) await page.screenshot({ path: join(shots, 'import-mapping-1366.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // On a phone the form fits the screen's width: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    if (shots) await page.screenshot({ path: join(shots, 'import-mapping-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });

    // Two columns: the item name and the promised time limit.
    await columnSelect(page, '清单项目').selectOption({ label: '事项名称' });
    await columnSelect(page, '办理期限').selectOption({ label: '承诺时限' });
    await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('#mapping-form button[type="submit"]')]);
    await page.waitForSelector('#summary', { timeout: 20_000 });
    expect(await page.textContent('[data-count="rows"]')).toBe('2');

    if (shots) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('#mapping-form').screenshot({ path: join(shots, 'import-mapping-values-390.png') });
      await page.setViewportSize({ width: 1366, height: 900 });
    }
    // One value: 行政审查 is not a category the catalogue knows; the person says it is 行政处罚.
    const valueRow = page.locator('#value-mapping tr', { has: page.locator('strong:text-is("行政审查")') });
    expect(await valueRow.locator('td').nth(1).textContent()).toBe('1');
    await valueRow.locator('select').selectOption({ label: '行政处罚' });
    await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('#mapping-form button[type="submit"]')]);
    await page.waitForSelector('#summary', { timeout: 20_000 });
    expect(await page.textContent('#new-items')).toContain('行政处罚');

    await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('text=确认并提交申报')]);
    expect(await page.textContent('[role="status"]')).toContain('已作为申报');
    const importId = Number(page.url().split('/').pop());
    const proposals = server.db.$client
      .prepare(
        `SELECT json_extract(${PROPOSAL_OF_SI}, '$.fields.category') AS category, json_extract(${PROPOSAL_OF_SI}, '$.fields.promisedLimitDays') AS promised FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.import_id = ? AND si.kind = 'new' ORDER BY si.id`,
      )
      .all(importId);
    expect(proposals).toEqual([
      { category: 'permit', promised: 5 },
      { category: 'penalty', promised: 0 },
    ]);

    // The next file with the same header row from this department is read with the mapping at once.
    await uploadAndWait(page, await sheet('second.xlsx', [['u9', '出租汽车违规经营的处罚（浏览器映射）', '行政审查', '3个工作日', '']]));
    await page.waitForSelector('#summary');
    expect(await page.isVisible('#remembered-mapping')).toBe(true);
    expect(await page.textContent('[data-count="items"]')).toBe('1');
    expect(await page.textContent('#new-items')).toContain('行政处罚');
    expect(await columnSelect(page, '清单项目').inputValue()).toBe('name');
    expect(await page.isDisabled('#confirm-form button[type="submit"]')).toBe(false);

    // The clerk finds what was remembered from the upload page, and it fits a phone.
    await page.goto('/workspace/imports');
    await Promise.all([page.waitForURL(/\/workspace\/mappings$/), page.click('a:text-is("保存的表头对应")')]);
    expect(await page.textContent('main')).toContain('表头“清单项目”');
    if (shots) await page.screenshot({ path: join(shots, 'saved-mappings-1366.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    if (shots) await page.screenshot({ path: join(shots, 'saved-mappings-390.png'), fullPage: true });
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
    expect(blocked).toEqual([]);
    await context.close();
  }, 90_000);
});
