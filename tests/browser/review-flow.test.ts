// The whole review path in Chromium with the demo accounts: a department uploads its sheet, the legal
// office cancels one item for NO_BASIS, returns one and retains one with a change; the department
// answers; an expert agrees to the change; the legal office finalises; the filing record lists it all.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext, clickMenu } from '../support/browser.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer(demoDb());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const NO_BASIS = '新设的某某经营许可';
const RETURNED = '另一个新设事项登记';

async function as(username: string, work: (page: Page) => Promise<void>) {
  const { context, page, blocked } = await newTestContext(browser, server.url);
  await loginThroughForm(page, username);
  await work(page);
  expect(blocked).toEqual([]);
  await context.close();
}

async function openInQueue(page: Page, name: string, query = '') {
  await page.goto(`/review/queue${query}`);
  await Promise.all([page.waitForURL(/\/review\/items\/\d+$/), page.click(`#queue a:text-is("${name}")`)]);
}

describe('the review path in the browser', () => {
  it('upload → cancel for NO_BASIS, return, retain with change → answer → expert agrees → finalise → filing record', async () => {
    const existing = server.db.$client
      .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1")
      .get() as { code: string; name: string };

    await as('legal', async (page) => {
      await page.goto('/review/campaigns');
      await page.fill('#c-name', '2026年行政权力清单清理');
      await page.fill('#c-start', '2026-11-01');
      await page.fill('#c-due', '2026-12-31');
      await Promise.all([page.waitForURL(/\/review\/campaigns\/\d+$/), page.click('#campaign-form button[type="submit"]')]);
      expect(await page.textContent('h1')).toBe('2026年行政权力清单清理');
    });

    const sheet = await writeWorkbook(join(tempDir('review-flow-'), 'xzsp.xlsx'), [
      {
        rows: [
          HEADER,
          [1, '', NO_BASIS, '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', ''],
          [2, existing.code, existing.name, '', '行政许可', '区行政审批局', '《中华人民共和国道路运输条例》第二十四条', '15个工作日', '10个工作日', '不收费', '身份证', ''],
          [3, '', RETURNED, '', '行政确认', '区行政审批局', '《中华人民共和国道路运输条例》第二十四条', '', '', '', '', ''],
        ],
      },
    ]);
    await as('dept-xzsp', async (page) => {
      await clickMenu(page, '导入清单');
      // The department's complete list: what it lacks is proposed for cancellation, once confirmed.
      await page.check('input[name="scope"][value="complete"]');
      await page.setInputFiles('#i-file', sheet);
      await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('#upload-form button[type="submit"]')]);
      await page.waitForSelector('#summary', { timeout: 20_000 });
      await page.check('input[name="confirmCancellations"]');
      await Promise.all([page.waitForURL(/\/workspace\/imports\/\d+$/), page.click('text=确认并提交申报')]);
      await clickMenu(page, '本部门申报');
      expect(await page.textContent('#campaign-notice')).toContain('2026-12-31');
    });
    expect(server.db.$client.prepare("SELECT kind, count(*) AS n FROM submission_items GROUP BY kind ORDER BY kind").all()).toEqual([
      { kind: 'change', n: 1 },
      { kind: 'new', n: 2 },
      { kind: 'remove', n: expect.any(Number) },
    ]);

    await as('legal', async (page) => {
      // Cancel the item without a basis.
      await page.goto('/review/queue?rule=NO_BASIS');
      await Promise.all([page.waitForURL(/\/review\/items\/\d+$/), page.click(`#queue a:text-is("${NO_BASIS}")`)]);
      expect(await page.textContent('#flags')).toContain('无设定依据');
      await page.selectOption('#r-disposition', 'cancel');
      await page.fill('#r-reason', '没有法律、法规依据，一律取消');
      await Promise.all([page.waitForURL(/done=decide/), page.click('#decide-form button[type="submit"]')]);
      expect(await page.textContent('#item-state')).toBe('已决定');

      // Return the other new item.
      await openInQueue(page, RETURNED);
      await page.fill('#t-request', '请写明设定依据的具体条款项');
      await Promise.all([page.waitForURL(/done=return/), page.click('#return-form button[type="submit"]')]);
      expect(await page.textContent('#item-state')).toBe('已退回');

      // Retain the changed item and send it to the expert.
      await openInQueue(page, existing.name);
      expect(await page.textContent('#changes')).toContain('承诺时限');
      await page.selectOption('#r-disposition', 'retain');
      await page.fill('#r-reason', '依据有效，同意缩短承诺时限');
      await Promise.all([page.waitForURL(/done=decide/), page.click('#decide-form button[type="submit"]')]);
      await page.check('#experts-form input[name="expert"]');
      await Promise.all([page.waitForURL(/done=experts/), page.click('#experts-form button[type="submit"]')]);
      expect(await page.textContent('#item-state')).toBe('专家评审中');
    });

    await as('dept-xzsp', async (page) => {
      await clickMenu(page, '本部门申报');
      await Promise.all([page.waitForURL(/\/review\/submissions\/\d+$/), page.click('#submissions a')]);
      await Promise.all([page.waitForURL(/\/review\/items\/\d+$/), page.click(`#submission-items a:text-is("${RETURNED}")`)]);
      expect(await page.textContent('#return-request')).toContain('请写明设定依据的具体条款项');
      await page.fill('#a-answer', '设定依据为道路运输条例第二十四条');
      await Promise.all([page.waitForURL(/done=answer/), page.click('#answer-form button[type="submit"]')]);
      expect(await page.textContent('#item-state')).toBe('已重新申报');
    });

    await as('expert', async (page) => {
      await clickMenu(page, '专家评审');
      expect(await page.locator('#queue tbody tr').count()).toBe(1);
      await Promise.all([page.waitForURL(/\/review\/items\/\d+$/), page.click(`#queue a:text-is("${existing.name}")`)]);
      await page.check('#opinion-form input[value="agree"]');
      await Promise.all([page.waitForURL(/done=opinion/), page.click('#opinion-form button[type="submit"]')]);
      expect(await page.textContent('#experts')).toContain('同意');
    });

    await as('legal', async (page) => {
      for (const [name, state] of [[NO_BASIS, 'decided'], [existing.name, 'in_expert_review']] as const) {
        await openInQueue(page, name, `?state=${state}`);
        await Promise.all([page.waitForURL(/done=finalise/), page.click('#finalise-form button[type="submit"]')]);
        expect(await page.textContent('#item-state')).toBe('已定稿');
      }
      const campaignId = server.db.$client.prepare('SELECT id FROM campaigns').pluck().get() as number;
      await page.goto(`/review/campaigns/${campaignId}/filing`);
      const text = (await page.textContent('main'))!;
      expect(text).toContain(NO_BASIS);
      expect(text).toContain('没有法律、法规依据，一律取消');
      expect(text).toContain(existing.name);
      expect(text).toContain('依据有效，同意缩短承诺时限');
      expect(text).toContain('同意');
      // Totals: two decisions (one cancel, one retain), both finalised; the returned item is still open.
      expect(await page.textContent('#filing-total')).toBe('2');
      expect(await page.textContent('#filing-final')).toBe('2');
      expect(await page.textContent('#filing-by-disposition [data-disposition="cancel"]')).toBe('1');
      expect(await page.textContent('#filing-by-disposition [data-disposition="retain"]')).toBe('1');
      expect(text).not.toContain(RETURNED);
    });
    expect(server.db.$client.prepare('SELECT promised_limit_days FROM items WHERE code = ?').pluck().get(existing.code)).toBe(10);
  }, 120_000);
});
