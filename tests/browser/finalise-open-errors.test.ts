// In Chromium, as the legal office: an item kept with an open error (无设定依据) cannot be finalised
// without a written reason — the form asks for one, the server refuses without it and nothing changes;
// with it the item is finalised and the set-aside is shown with the reason. Screenshots at 1366 and 390 px
// go to SHOTS_DIR when it is set.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext } from '../support/browser.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';

let server: TestServer;
let browser: Browser;
const dir = tempDir('finalise-browser-');
let itemId: number;
let name: string;

const shot = async (page: Page, file: string) => {
  const out = process.env.SHOTS_DIR;
  if (!out) return;
  mkdirSync(out, { recursive: true });
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(out, `${file}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 900 });
};

beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(dir, 'uploads') });
  browser = await launchBrowser();
  const legal = server.client();
  await legal.login('legal');
  const dept = server.client();
  await dept.login('dept-xzsp');
  const existing = server.db.$client
    .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL AND i.parent_id IS NULL ORDER BY i.id LIMIT 1")
    .get() as { code: string; name: string };
  name = existing.name;
  expect((await legal.postForm('/review/campaigns', { name: '2026年清理', startsOn: '2026-11-01' })).status).toBe(303);
  // The department proposes the item with no legal basis at all: 无设定依据, an error.
  const sheet = await writeWorkbook(join(dir, 'x.xlsx'), [{ rows: [HEADER, [1, existing.code, existing.name, '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', '']] }]);
  const upload = await dept.postMultipart('/workspace/imports', { scope: 'partial' }, { name: 'x.xlsx', bytes: readFileSync(sheet) });
  const importId = Number(/(\d+)$/.exec(upload.location!)![1]);
  for (let i = 0; i < 200; i++) {
    if ((await dept.get(`/api/v1/imports/${importId}`)).json().status !== 'reading') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect((await dept.postForm(`/workspace/imports/${importId}/confirm`, {})).status).toBe(303);
  const row = () => server.db.$client.prepare('SELECT id, row_version AS v FROM submission_items WHERE name = ?').get(name) as { id: number; v: number };
  itemId = row().id;
  const expertId = server.db.$client.prepare("SELECT id FROM users WHERE username = 'expert'").pluck().get() as number;
  expect((await legal.postForm(`/review/items/${itemId}/decide`, { rowVersion: String(row().v), disposition: 'retain', reason: '保留' })).status).toBe(303);
  expect((await legal.postForm(`/review/items/${itemId}/experts`, { rowVersion: String(row().v), expert: String(expertId) })).status).toBe(303);
  expect((await legal.postForm(`/review/items/${itemId}/close-experts`, { rowVersion: String(row().v), reason: '专家逾期未答复' })).status).toBe(303);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('finalising in the browser', () => {
  it('the legal office cannot finalise an item with an open error without a reason; with one it is finalised and the set-aside shown', async () => {
    const { context, page, blocked } = await newTestContext(browser, server.url);
    await loginThroughForm(page, 'legal');
    await page.goto(`/review/items/${itemId}`);
    expect(await page.textContent('#finalise-open-errors')).toContain('无设定依据');
    await shot(page, 'review-item-open-error');
    // The form will not go without a reason; and sent without one (the browser's check lifted), the server refuses.
    await page.click('#finalise-form button[type="submit"]');
    expect(await page.evaluate(() => (document.querySelector('#f-set-aside') as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    await page.evaluate(() => document.querySelector('#f-set-aside')!.removeAttribute('required'));
    await Promise.all([page.waitForLoadState('load'), page.click('#finalise-form button[type="submit"]')]);
    expect(await page.textContent('[role="alert"]')).toContain('不能定稿');
    expect(await page.textContent('#item-state')).not.toBe('已定稿');
    expect(server.db.$client.prepare('SELECT state FROM submission_items WHERE id = ?').pluck().get(itemId)).toBe('in_expert_review');
    await shot(page, 'review-item-refused');
    await page.goto(`/review/items/${itemId}`);
    await page.fill('#f-set-aside', '依据正在修订，经集体研究先行保留');
    await Promise.all([page.waitForURL(/done=finalise/), page.click('#finalise-form button[type="submit"]')]);
    expect(await page.textContent('#item-state')).toBe('已定稿');
    expect(await page.textContent('#flags')).toContain('已排除：依据正在修订，经集体研究先行保留');
    expect(blocked).toEqual([]);
    await context.close();
  });
});
