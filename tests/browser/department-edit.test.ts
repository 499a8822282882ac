// A department user in a real browser: signs in through the form, edits one of its own items in the
// workspace (a proposal in its draft submission, which it submits for review; the public page is
// unchanged until the review finalises it), cannot edit another department's item by any route the
// page offers (link, edit URL, crafted POST with a valid CSRF token, JSON API), and the proposal
// appears in the audit log for the supervisor.
//
// The tests run in order and share one database: the audit test reads the change the edit test made.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoDb } from '../support/db.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { closeContexts, launchBrowser, loginThroughForm, newTestContext, type TestContext } from '../support/browser.js';

interface ItemJson {
  code: string;
  name: string;
  category: string;
  level: string | null;
  department: { code: string; name: string };
  rowVersion: number;
  statutoryLimitDays: number | null;
  promisedLimitDays: number | null;
  instant: boolean;
  materials: string | null;
  updatedAt: string;
}

const OWN = { username: 'dept-xzsp', departmentCode: 'XZSPJ', departmentName: '区行政审批局', displayName: '行政审批局经办人' };
const OTHER_DEPARTMENT = 'RSJ';
const NEW_MATERIALS = ['1. 申请表（浏览器测试修订版）', '2. 申请人身份证明', '3. 场所使用证明'];

let server: TestServer;
let browser: Browser;
let open: TestContext[] = [];

/** The change the edit test made, read by the audit test. */
let edited: { code: string; before: ItemJson; after: ItemJson; promised: number; submissionId: number } | null = null;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(demoDb()), launchBrowser()]);
  // The public pages show the latest published version (the working catalogue is for signed-in staff).
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => closeContexts(open));

async function visit() {
  const t = await newTestContext(browser, server.url);
  open.push(t);
  return t;
}

async function apiItem(code: string): Promise<ItemJson> {
  const res = await fetch(`${server.url}/api/v1/items/${encodeURIComponent(code)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ItemJson;
}

async function apiItems(department: string): Promise<{ code: string; name: string }[]> {
  const res = await fetch(`${server.url}/api/v1/items?department=${department}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { code: string; name: string }[] }).items;
}

const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();

describe('department user editing in the browser', () => {
  it('a department user signs in, edits 承诺时限 and 申请材料 of an own item, and submits the proposal for review; the public page stays as it was until then', async () => {
    const { page } = await visit();
    await loginThroughForm(page, OWN.username);
    expect(await text(page, '.account .who')).toContain(OWN.displayName);

    await page.goto('/');
    await Promise.all([page.waitForURL('**/workspace'), page.click('nav.main-nav a:text-is("工作台")')]);
    expect(await text(page, 'h1')).toBe('工作台');
    expect(await text(page, 'main')).toContain(OWN.departmentName);

    // Own items only, each with a 修改 link to its edit form.
    const rows = page.locator('table.items tbody tr');
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    expect(new Set((await rows.locator('td[data-label="实施部门"]').allTextContents()).map((s) => s.trim()))).toEqual(new Set([OWN.departmentName]));
    const editLinks = rows.locator('td[data-label="操作"] a:text-is("修改")');
    expect(await editLinks.count()).toBe(count);

    // The first listed item that is not 即办 (for those the guide shows 即办 whatever the promised days).
    let row = -1;
    let before: ItemJson | null = null;
    for (let i = 0; i < count && row < 0; i++) {
      const code = (await rows.nth(i).locator('.code').textContent())!.trim();
      const item = await apiItem(code);
      if (!item.instant) [row, before] = [i, item];
    }
    expect(before, 'an own item that is not 即办').not.toBeNull();
    const code = before!.code;
    expect(before!.department.code).toBe(OWN.departmentCode);
    expect(await editLinks.nth(row).getAttribute('href')).toBe(`/workspace/items/${code}/edit`);

    await Promise.all([page.waitForURL(`**/workspace/items/${code}/edit`), editLinks.nth(row).click()]);
    expect(await text(page, 'h1')).toBe('修改事项');
    expect(await page.inputValue('#f-name')).toBe(before!.name);
    expect(await page.inputValue('#f-promised')).toBe(before!.promisedLimitDays == null ? '' : String(before!.promisedLimitDays));
    expect(await page.isChecked('input[name="instant"]')).toBe(false);

    const promised = before!.promisedLimitDays === 3 ? 2 : 3;
    await page.fill('#f-promised', String(promised));
    await page.fill('#f-materials', NEW_MATERIALS.join('\n'));
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/workspace/items/${code}/edit` && u.searchParams.get('saved') === '1'),
      page.click('form.item-form button[type="submit"]'),
    ]);
    const saved = await text(page, '.alert.ok[role="status"]');
    expect(saved).toContain('已保存');
    expect(saved).toContain('承诺时限');
    expect(saved).toContain('申请材料');
    expect(await page.locator('.alert.error').count()).toBe(0);
    // The form now shows what was saved.
    expect(await page.inputValue('#f-promised')).toBe(String(promised));
    expect((await page.inputValue('#f-materials')).split(/\r?\n/)).toEqual(NEW_MATERIALS);

    // The change is a proposal: the department submits its draft for review.
    await Promise.all([page.waitForURL(/\/review\/submissions\/\d+$/), page.click('#draft-link')]);
    expect(await text(page, '#submission-state')).toBe('草稿');
    expect(await text(page, '#submission-items')).toContain(before!.name);
    await Promise.all([page.waitForURL(/\/review\/submissions\/\d+$/), page.click('#submit-form button[type="submit"]')]);
    expect(await text(page, '#submission-state')).toBe('已申报');
    const submissionId = Number(page.url().split('/').pop());

    // Until the legal office finalises it, the public service guide and the API show the catalogue as it was.
    await page.goto(`/items/${code}`);
    expect(await text(page, 'h1')).toBe(before!.name);
    expect(await text(page, 'main')).not.toContain(NEW_MATERIALS[0]!);
    expect(await page.locator('a:text-is("修改本事项")').count()).toBe(1);
    const after = await apiItem(code);
    expect(after.promisedLimitDays).toBe(before!.promisedLimitDays);
    expect(after.materials).toBe(before!.materials);
    expect(after.rowVersion).toBe(before!.rowVersion);
    edited = { code, before: before!, after, promised, submissionId };
  });

  it('a department user has no way to edit another department’s item (no link, 403 form, crafted POST and API refused, item unchanged)', async () => {
    const [target] = await apiItems(OTHER_DEPARTMENT);
    expect(target, `an item of ${OTHER_DEPARTMENT}`).toBeDefined();
    const code = target!.code;
    const before = await apiItem(code);
    expect(before.department.code).toBe(OTHER_DEPARTMENT);

    const { page } = await visit();
    await loginThroughForm(page, OWN.username);

    // The public page, signed in: no 修改本事项 link.
    expect((await page.goto(`/items/${code}`))?.status()).toBe(200);
    expect(await text(page, 'h1')).toBe(before.name);
    expect(await text(page, '.account .who')).toContain(OWN.displayName);
    expect(await page.locator('a:text-is("修改本事项")').count()).toBe(0);
    expect(await page.locator(`a[href*="/workspace/items/"]`).count()).toBe(0);

    // The edit URL typed by hand: 403, with the reason.
    const edit = await page.goto(`/workspace/items/${code}/edit`);
    expect(edit?.status()).toBe(403);
    expect(await text(page, 'h1')).toBe('出错了（403）');
    expect(await text(page, '[role="alert"]')).toBe('只能修改本部门的事项。');
    expect(await page.locator('form.item-form').count()).toBe(0);

    // A crafted form POST from within a page, with the page's own CSRF token (from the logout form):
    // the token passes, the department check refuses.
    await page.goto(`/items/${code}`);
    const crafted = await page.evaluate(
      async ({ code, item }) => {
        const csrf = document.querySelector<HTMLInputElement>('form input[name="_csrf"]')?.value ?? '';
        const body = new URLSearchParams({
          _csrf: csrf,
          rowVersion: String(item.rowVersion),
          name: item.name,
          category: item.category,
          level: item.level ?? '',
          promisedLimitDays: '1',
          materials: '伪造的材料',
        });
        const res = await fetch(`/workspace/items/${encodeURIComponent(code)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          redirect: 'manual',
        });
        return { csrf, status: res.status, body: await res.text() };
      },
      { code, item: before },
    );
    expect(crafted.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(crafted.status).toBe(403);
    expect(crafted.body).toContain('只能修改本部门的事项。');
    expect(crafted.body).not.toContain('表单已过期或来源不明');

    // The same through the JSON API, with the token as a header.
    const viaApi = await page.evaluate(
      async ({ code, item }) => {
        const csrf = document.querySelector<HTMLInputElement>('form input[name="_csrf"]')?.value ?? '';
        const res = await fetch(`/api/v1/items/${encodeURIComponent(code)}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ rowVersion: item.rowVersion, name: item.name, category: item.category, level: item.level, promisedLimitDays: 1, materials: '伪造的材料' }),
        });
        return { status: res.status, json: (await res.json()) as { error?: { code: string } } };
      },
      { code, item: before },
    );
    expect(viaApi.status).toBe(403);
    expect(viaApi.json.error?.code).toBe('auth.forbidden');

    // Nothing changed.
    expect(await apiItem(code)).toEqual(before);
    const audit = server.db.$client.prepare(`SELECT count(*) AS n FROM audit_log WHERE entity_type = 'item' AND entity_id = ?`).get(code) as { n: number };
    expect(audit.n).toBe(0);
  });

  it('the supervisor sees the proposed edit in the audit log as 申报修改事项（待审核）, with old and new values and who made it', async () => {
    expect(edited, 'the edit test above must have saved a change').not.toBeNull();
    const { code, before, promised, submissionId } = edited!;

    const { page } = await visit();
    await loginThroughForm(page, 'supervisor');
    const response = await page.goto(`/audit?entityType=item&entityId=${encodeURIComponent(code)}`);
    expect(response?.status()).toBe(200);
    expect(await text(page, 'h1')).toBe('审计日志');

    const rows = page.locator('table.audit tbody tr');
    expect(await rows.count()).toBe(1);
    const cells = (await rows.first().locator('td').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
    const [, at, actor, action, entity] = cells;
    expect(action).toBe('申报修改事项（待审核）');
    expect(actor).toBe(`${OWN.displayName}部门`); // the person's name and role, not the username
    expect(at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/); // local time, not an ISO timestamp
    expect(entity).toBe(`${before.name}${code}`);
    expect(await rows.first().locator(`a[href="/items/${code}"]`).count()).toBe(1);

    // Exactly the fields changed, in Chinese, before → after in words.
    const changes = Object.fromEntries(
      await rows
        .first()
        .locator('td.changes > div')
        .evaluateAll((divs) => divs.map((d) => [d.querySelector('.muted')?.textContent ?? '', (d.textContent ?? '').slice((d.querySelector('.muted')?.textContent ?? '').length + 1).replace(/\s+/g, ' ').trim()])),
    ) as Record<string, string>;
    const days = (n: number | null) => (n === null ? '（空）' : `${n} 个工作日`);
    expect(changes).toEqual({
      承诺时限: `${days(before.promisedLimitDays)} → ${days(promised)}`,
      申请材料: `${(before.materials ?? '（空）').replace(/\s+/g, ' ').trim()} → ${NEW_MATERIALS.join(' ')}`,
      申报: `（空） → ${submissionId}`,
    });
  });
});
