// A department downloads its pre-filled template, changes a row in it, uploads it, sees the change in
// the preview and confirms: the whole import flow in Chromium.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext, clickMenu } from '../support/browser.js';
import { tempDir } from '../support/sheets.js';

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

describe('department import in the browser', () => {
  it('downloads the pre-filled template, changes a row, uploads it, sees the change in the preview and confirms', async () => {
    const { context, page, blocked } = await newTestContext(browser, server.url, { acceptDownloads: true });
    await loginThroughForm(page, 'dept-jt');
    await clickMenu(page, '导入清单');
    expect(await page.textContent('h1')).toBe('导入事项清单');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=下载本部门现有事项')]);
    const dir = tempDir('browser-import-');
    const path = join(dir, 'template.xlsx');
    await download.saveAs(path);

    // The clerk edits the file as in Excel: the first item's promised time limit.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.getWorksheet('事项清单')!;
    const header = (ws.getRow(2).values as unknown[]).map((v) => String(v ?? ''));
    const nameCol = header.indexOf('事项名称');
    const subCol = header.indexOf('子项');
    const promisedCol = header.indexOf('承诺时限');
    const row = ws.getRow(3);
    const itemName = String(row.getCell(subCol).value || row.getCell(nameCol).value);
    row.getCell(promisedCol).value = '1个工作日';
    row.commit();
    const itemCount = ws.actualRowCount - 2;
    await wb.xlsx.writeFile(path);

    await page.check('input[name="scope"][value="partial"]');
    await page.setInputFiles('#i-file', path);
    await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('#upload-form button[type="submit"]')]);
    await page.waitForSelector('#summary', { timeout: 20_000 });
    expect(await page.textContent('[data-count="rows"]')).toBe(String(itemCount));
    expect(await page.textContent('[data-count="changed"]')).toBe('1');
    const change = page.locator('#changed-items section.change').first();
    expect(await change.locator('h3').textContent()).toContain(itemName);
    expect(await change.locator('td.after').first().textContent()).toBe('1');
    expect(await change.locator('td').first().textContent()).toBe('承诺时限');

    await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('text=确认并提交申报')]);
    expect(await page.textContent('[role="status"]')).toContain('已作为申报');
    const importId = Number(page.url().split('/').pop());
    const sub = server.db.$client.prepare("SELECT state FROM submissions WHERE import_id = ?").get(importId);
    expect(sub).toEqual({ state: 'submitted' });
    expect(blocked).toEqual([]);
    await context.close();
  }, 60_000);
});
