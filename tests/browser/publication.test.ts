// Publication in Chromium: the admin publishes version 1, an item changes through review, version 2 is
// published, the public diff page shows the change with its reason, and the downloads of the version
// open with exceljs holding the same items as the version.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { launchBrowser, loginThroughForm, newTestContext, clickMenu } from '../support/browser.js';
import { tempDir } from '../support/sheets.js';
import { saveItemEdit, submitDraft } from '../../server/review/drafts.js';
import { assignExperts, decideItems, finaliseItems, recordOpinion, type Reviewer } from '../../server/review/service.js';
import { readFields } from '../../server/catalogue/items.js';
import { createReviewRepository } from '../../db/queries/review/index.js';

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

/** Screenshots at 1366 and 390 px into SHOTS_DIR, when it is set. */
async function shot(page: import('playwright-core').Page, file: string) {
  const out = process.env.SHOTS_DIR;
  if (!out) return;
  const { mkdirSync } = await import('node:fs');
  mkdirSync(out, { recursive: true });
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${out}/${file}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

const REASON = '压缩承诺时限至1个工作日，提高办事效率';

describe('publication in the browser', () => {
  it('publish v1 → change through review → publish v2 → the diff shows the change and its reason → downloads hold the same items', async () => {
    const db = server.db;
    const review = createReviewRepository(db);
    const { context, page, blocked } = await newTestContext(browser, server.url, { acceptDownloads: true });
    await loginThroughForm(page, 'admin');
    await clickMenu(page, '发布版本');
    await page.fill('#p-title', '某区行政权力清单（2026年第1版）');
    await page.fill('#p-effective', '2026-01-01');
    await page.fill('#p-confirm', '确认发布');
    await Promise.all([page.waitForURL(/\/versions\/1$/), page.click('#publish-form button[type="submit"]')]);

    // An item changes through review (department proposal → legal office → expert → finalised).
    const user = (u: string) => db.$client.prepare('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?').get(u) as Reviewer;
    const [dept, legal, expert] = [user('dept-xzsp'), user('legal'), user('expert')];
    const row = db.$client
      .prepare("SELECT i.* FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL AND i.instant = 0 ORDER BY i.id LIMIT 1")
      .get() as Record<string, unknown> & { code: string; name: string; row_version: number };
    const edit = saveItemEdit(review, { id: dept.id, name: dept.username }, { role: 'department', departmentId: dept.departmentId }, row.code, {
      ...readFields(row as never),
      rowVersion: row.row_version,
      promisedLimitDays: 1,
    });
    submitDraft(review, dept, edit.draft!.submissionId, { rowVersion: db.$client.prepare('SELECT row_version FROM submissions WHERE id = ?').pluck().get(edit.draft!.submissionId) });
    const item = () => db.$client.prepare('SELECT id, row_version AS rowVersion FROM submission_items WHERE id = ?').get(edit.draft!.submissionItemId) as { id: number; rowVersion: number };
    decideItems(review, legal, [item()], { disposition: 'retain', reason: REASON });
    assignExperts(review, legal, [item()], [expert.id!]);
    recordOpinion(review, expert, item().id, { opinion: 'agree' });
    finaliseItems(review, legal, [item()]);

    // The preflight: the change against version 1, and the errors still open by rule with links.
    await clickMenu(page, '发布版本');
    expect(await page.textContent('#changes #changed-count')).toBe('1');
    expect(await page.locator(`#changes section.change[data-code="${row.code}"] td.after`).first().textContent()).toBe('1');
    const openErrors = db.$client
      .prepare("SELECT f.rule, count(*) AS n FROM item_flags f JOIN items i ON i.id = f.item_id WHERE i.removed_at IS NULL AND f.severity = 'error' GROUP BY f.rule ORDER BY n DESC")
      .all() as { rule: string; n: number }[];
    expect(openErrors.length).toBeGreaterThan(0);
    const top = page.locator(`#open-errors-by-rule tr[data-rule="${openErrors[0]!.rule}"]`);
    expect(await top.locator('td.num').first().textContent()).toBe(String(openErrors[0]!.n));
    expect(await top.locator('th span').textContent()).not.toBe(openErrors[0]!.rule); // the rule's Chinese title
    expect(await top.locator('a').getAttribute('href')).toBe(`/workspace/flags?rule=${openErrors[0]!.rule}&severity=error`);
    expect(await page.textContent('main')).not.toContain('npx');
    await shot(page, 'publish-preflight');
    await page.fill('#p-title', '某区行政权力清单（2026年第2版）');
    await page.fill('#p-effective', '2026-07-01');
    // With errors open, publishing needs 确认发布 typed: without it the page says so and nothing is published.
    await page.fill('#p-confirm', '发布');
    await Promise.all([page.waitForLoadState('load'), page.click('#publish-form button[type="submit"]')]);
    expect(await page.textContent('[role="alert"]')).toContain('确认发布');
    expect(db.$client.prepare('SELECT count(*) FROM catalogue_versions').pluck().get()).toBe(1);
    await page.fill('#p-title', '某区行政权力清单（2026年第2版）');
    await page.fill('#p-confirm', '确认发布');
    await Promise.all([page.waitForURL(/\/versions\/2$/), page.click('#publish-form button[type="submit"]')]);
    // The version the publish ends on links its comparison with the one before.
    expect(await page.getAttribute('#version-diff-link a', 'href')).toBe('/versions/1/diff/2');

    // The public, signed out, compares the versions.
    const pub = await newTestContext(browser, server.url, { acceptDownloads: true });
    await pub.page.goto('/versions');
    await Promise.all([pub.page.waitForURL(/\/versions\/1\/diff\/2$/), pub.page.click('#versions a:has-text("变更")')]);
    expect(await pub.page.textContent('#changed-count')).toBe('1');
    await shot(pub.page, 'version-diff');
    const change = pub.page.locator(`section.change[data-code="${row.code}"]`);
    expect(await change.locator('h3 a').textContent()).toBe(row.name);
    expect(await change.locator('.reason').textContent()).toContain(REASON);
    expect(await change.locator('tbody th').first().textContent()).toBe('承诺时限');
    expect(await change.locator('td.after').first().textContent()).toBe('1');

    // Downloads of version 2 from its page.
    await pub.page.goto('/versions/2');
    const codes = db.$client.prepare('SELECT code FROM revision_spans WHERE from_version <= 2 AND (to_version IS NULL OR to_version > 2) ORDER BY code').pluck().all() as string[];
    const pageTotal = Number(await pub.page.textContent('.result-count strong'));
    expect(pageTotal).toBe(codes.length);
    const dir = tempDir('downloads-');
    for (const format of ['xlsx', 'csv'] as const) {
      const [download] = await Promise.all([pub.page.waitForEvent('download'), pub.page.click(`#downloads a[data-format="${format}"]`)]);
      const path = join(dir, `v2.${format}`);
      await download.saveAs(path);
      const wb = new ExcelJS.Workbook();
      const ws = format === 'xlsx' ? (await wb.xlsx.readFile(path), wb.getWorksheet('事项目录')!) : await wb.csv.readFile(path);
      const got: string[] = [];
      ws.eachRow((r, i) => {
        if (i > 1) got.push(String(r.getCell(1).value).replace(/^\uFEFF/, ''));
      });
      expect(got, format).toEqual(codes);
    }
    expect(blocked).toEqual([]);
    expect(pub.blocked).toEqual([]);
    await pub.context.close();
    await context.close();
  }, 120_000);
});
