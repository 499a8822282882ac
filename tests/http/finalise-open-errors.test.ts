// No unlawful item finalised unseen: an item the decision keeps in the catalogue while an error-severity
// finding is still open is finalised only with a written reason for setting it aside — on the item page
// and in bulk; refused otherwise with nothing changed; the set-aside is stored, audited and filed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';

let server: TestServer;
const dir = tempDir('finalise-errors-');
let legal: TestClient;
let dept: TestClient;
let campaignId: number;
let kept: { code: string; name: string };
let second: { code: string; name: string };

const row = (name: string) =>
  server.db.$client.prepare('SELECT id, state, row_version AS rowVersion, flags FROM submission_items WHERE name = ? ORDER BY id DESC LIMIT 1').get(name) as {
    id: number;
    state: string;
    rowVersion: number;
    flags: string;
  };
const overrides = (id: number) => server.db.$client.prepare('SELECT rule, reason, created_by AS createdBy, created_at AS createdAt FROM flag_overrides WHERE submission_item_id = ?').all(id);
const auditCount = () => server.db.$client.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;

/** Decides to keep the item, sends it to the expert and closes the expert review: it is ready to finalise. */
async function readyToFinalise(name: string) {
  const expertId = server.db.$client.prepare("SELECT id FROM users WHERE username = 'expert'").pluck().get() as number;
  expect((await legal.postForm(`/review/items/${row(name).id}/decide`, { rowVersion: String(row(name).rowVersion), disposition: 'retain', reason: '保留' })).status).toBe(303);
  expect((await legal.postForm(`/review/items/${row(name).id}/experts`, { rowVersion: String(row(name).rowVersion), expert: String(expertId) })).status).toBe(303);
  expect((await legal.postForm(`/review/items/${row(name).id}/close-experts`, { rowVersion: String(row(name).rowVersion), reason: '专家未在期限内答复' })).status).toBe(303);
  expect(row(name).state).toBe('in_expert_review');
}

beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(dir, 'uploads') });
  legal = server.client();
  await legal.login('legal');
  dept = server.client();
  await dept.login('dept-xzsp');
  const existing = server.db.$client
    .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL AND i.parent_id IS NULL ORDER BY i.id LIMIT 2")
    .all() as { code: string; name: string }[];
  [kept, second] = [existing[0]!, existing[1]!];
  expect((await legal.postForm('/review/campaigns', { name: '2026年清理', startsOn: '2026-11-01' })).status).toBe(303);
  campaignId = server.db.$client.prepare('SELECT id FROM campaigns').pluck().get() as number;
  // Both existing items proposed without any legal basis (an error: 无设定依据); a new one too.
  const sheet = await writeWorkbook(join(dir, 'xzsp.xlsx'), [
    {
      rows: [
        HEADER,
        [1, kept.code, kept.name, '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', ''],
        [2, second.code, second.name, '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', ''],
        [3, '', '新设的无依据许可', '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', ''],
      ],
    },
  ]);
  const upload = await dept.postMultipart('/workspace/imports', { scope: 'partial' }, { name: 'xzsp.xlsx', bytes: readFileSync(sheet) });
  expect(upload.status).toBe(303);
  const importId = Number(/(\d+)$/.exec(upload.location!)![1]);
  for (let i = 0; i < 200; i++) {
    if ((await dept.get(`/api/v1/imports/${importId}`)).json().status !== 'reading') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect((await dept.postForm(`/workspace/imports/${importId}/confirm`, {})).status).toBe(303);
  expect(JSON.parse(row(kept.name).flags).some((f: { rule: string; severity: string }) => f.rule === 'NO_BASIS' && f.severity === 'error')).toBe(true);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('finalising an item kept with an open error', () => {
  it('is refused without a reason, in Chinese, naming the item and the rule, and nothing changes', async () => {
    await readyToFinalise(kept.name);
    const before = row(kept.name);
    const audits = auditCount();
    const page = await legal.get(`/review/items/${before.id}`);
    expect(page.text).toContain('id="finalise-open-errors"');
    expect(page.text).toContain('name="setAsideReason"');
    const refused = await legal.postForm(`/review/items/${before.id}/finalise`, { rowVersion: String(before.rowVersion) });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('不能定稿');
    expect(refused.text).toContain(`“${kept.name}”（无设定依据）`);
    expect(row(kept.name)).toEqual(before);
    expect(overrides(before.id)).toEqual([]);
    expect(auditCount()).toBe(audits);
    // A blank reason is no reason.
    expect((await legal.postForm(`/review/items/${before.id}/finalise`, { rowVersion: String(before.rowVersion), setAsideReason: '   ' })).status).toBe(400);
    expect(row(kept.name).state).toBe('in_expert_review');
  });

  it('in bulk too: one such item in the selection refuses the whole selection', async () => {
    await readyToFinalise(second.name);
    const a = row(kept.name);
    const b = row(second.name);
    const refused = await legal.sendJson('POST', '/api/v1/review/actions', { action: 'finalise', items: [`${a.id}:${a.rowVersion}`, `${b.id}:${b.rowVersion}`] }, await legal.csrfToken());
    expect(refused.status).toBe(400);
    expect(refused.json().error.message).toContain(`“${second.name}”（无设定依据）`);
    expect([row(kept.name).state, row(second.name).state]).toEqual(['in_expert_review', 'in_expert_review']);
    // The bulk form's reason sets each item's open errors aside and finalises them.
    const done = await legal.postForm('/review/queue/actions', { action: 'finalise', item: [`${b.id}:${b.rowVersion}`], setAsideReason: '依据正在补正，先行保留' });
    expect(done.status).toBe(303);
    expect(row(second.name).state).toBe('final');
    expect(overrides(b.id)).toEqual([expect.objectContaining({ rule: 'NO_BASIS', reason: '依据正在补正，先行保留', createdBy: 'legal' })]);
  });

  it('with a written reason it is finalised; the set-aside (who, when, why) is stored, audited and in the filing record', async () => {
    const before = row(kept.name);
    const reply = await legal.postForm(`/review/items/${before.id}/finalise`, { rowVersion: String(before.rowVersion), setAsideReason: '上位法已修订，依据待登记' });
    expect(reply.status).toBe(303);
    expect(row(kept.name).state).toBe('final');
    const [o] = overrides(before.id) as { rule: string; reason: string; createdBy: string; createdAt: string }[];
    expect(o).toMatchObject({ rule: 'NO_BASIS', reason: '上位法已修订，依据待登记', createdBy: 'legal' });
    expect(o!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const audit = server.db.$client
      .prepare("SELECT actor, after FROM audit_log WHERE action = 'review.override' AND entity_type = 'submission_item' AND entity_id = ?")
      .all(String(before.id)) as { actor: string; after: string }[];
    expect(audit.map((a) => JSON.parse(a.after))).toEqual([{ rule: 'NO_BASIS', reason: '上位法已修订，依据待登记', atFinalise: true }]);
    const record = (await legal.get(`/api/v1/campaigns/${campaignId}/filing`)).json() as {
      entries: { itemName: string; overrides: { rule: string; severity: string; reason: string; createdBy: string; createdAt: string }[] }[];
      totals: { finalisedWithErrorsSetAside: number };
    };
    const entry = record.entries.find((e) => e.itemName === kept.name)!;
    expect(entry.overrides).toEqual([expect.objectContaining({ rule: 'NO_BASIS', severity: 'error', reason: '上位法已修订，依据待登记', createdBy: '区司法局（法制）审核员' })]);
    expect(record.totals.finalisedWithErrorsSetAside).toBe(2);
    const page = await legal.get(`/review/campaigns/${campaignId}/filing`);
    expect(page.text).toContain('上位法已修订，依据待登记');
    expect(page.text).toMatch(/id="filing-errors-set-aside">2</);
  });

  it('an item the decision takes out of the catalogue (cancelled) needs no set-aside', async () => {
    const fresh = row('新设的无依据许可');
    expect((await legal.postForm(`/review/items/${fresh.id}/decide`, { rowVersion: String(fresh.rowVersion), disposition: 'cancel', reason: '没有法律、法规依据' })).status).toBe(303);
    expect((await legal.postForm(`/review/items/${fresh.id}/finalise`, { rowVersion: String(row('新设的无依据许可').rowVersion) })).status).toBe(303);
    expect(row('新设的无依据许可').state).toBe('final');
    expect(overrides(fresh.id)).toEqual([]);
  });
});
