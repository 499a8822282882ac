// Higher-level lists: the legal office uploads a cancellation list or the standard base catalogue,
// confirms or rejects each fuzzy match, and the item's checks follow at once.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { tempDir, writeWorkbook } from '../support/sheets.js';

let server: TestServer;
const dir = tempDir('lists-http-');
beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const itemId = (name: string) => (server.db.$client.prepare('SELECT id FROM items WHERE name = ?').get(name) as { id: number }).id;
const flagsOf = (id: number) => server.db.$client.prepare('SELECT rule FROM item_flags WHERE item_id = ? ORDER BY rule').pluck().all(id) as string[];
const matchesOf = (listId: number) =>
  server.db.$client
    .prepare('SELECT m.id, m.item_id AS itemId, m.status, m.score_permille AS score FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id WHERE e.list_id = ? ORDER BY m.score_permille DESC')
    .all(listId) as { id: number; itemId: number; status: string; score: number }[];
const listCount = () => (server.db.$client.prepare('SELECT count(*) AS n FROM reference_lists').get() as { n: number }).n;

describe('higher-level cancellation lists', () => {
  const sports = '举办高危险性体育赛事活动许可（县级）';
  let listId: number;

  it('a pasted list is matched fuzzily: the item named differently on the list is proposed with its score, nothing is flagged yet', async () => {
    const c = server.client();
    await c.login('legal');
    const reply = await c.postMultipart('/registry/lists', {
      kind: 'cancellation',
      title: '国务院关于取消一批行政许可事项的决定',
      decisionNumber: '国发〔2017〕46号',
      issuedBy: '国务院',
      issuedOn: '2017-09-22',
      text: '1、高危险性体育赛事活动许可\t国家体育总局\n2、一个目录里没有的事项名称',
    });
    expect(reply.status).toBe(303);
    listId = Number(/\/registry\/lists\/(\d+)/.exec(reply.location!)![1]);
    const matches = matchesOf(listId);
    expect(matches[0]).toMatchObject({ itemId: itemId(sports), status: 'proposed' });
    expect(matches[0]!.score).toBeGreaterThanOrEqual(900);
    expect(flagsOf(itemId(sports))).not.toContain('CANCELLED_ABOVE');
    const page = await c.get(reply.location!);
    expect(page.text).toContain('高危险性体育赛事活动许可');
    expect(page.text).toContain(sports);
    const unmatched = await c.get(`/registry/lists/${listId}?show=unmatched`);
    expect(unmatched.text).toContain('一个目录里没有的事项名称');
  });

  it('confirming the match raises CANCELLED_ABOVE on the item in the same request, naming the decision; it is audited', async () => {
    const c = server.client();
    await c.login('legal');
    const match = matchesOf(listId).find((m) => m.itemId === itemId(sports))!;
    const reply = await c.postForm(`/registry/lists/${listId}/decisions`, { match: [String(match.id)], decision: 'confirmed', reason: '同一事项' });
    expect(reply.status).toBe(303);
    expect(flagsOf(itemId(sports))).toContain('CANCELLED_ABOVE');
    const flag = server.db.$client.prepare("SELECT message, ground FROM item_flags WHERE item_id = ? AND rule = 'CANCELLED_ABOVE'").get(itemId(sports)) as { message: string; ground: string };
    expect(flag.ground).toContain('国发〔2017〕46号');
    const audit = server.db.$client.prepare("SELECT actor, after FROM audit_log WHERE action = 'reference_match.confirm' ORDER BY seq DESC LIMIT 1").get() as { actor: string; after: string };
    expect(audit.actor).toBe('legal');
    expect(JSON.parse(audit.after)).toMatchObject({ decision: 'confirmed', reason: '同一事项' });
    const code = (server.db.$client.prepare('SELECT code FROM items WHERE id = ?').get(itemId(sports)) as { code: string }).code;
    const itemPage = await c.get(`/items/${encodeURIComponent(code)}`);
    expect(itemPage.text).toContain('上级已取消');
  });

  it('rejecting it again clears the flag', async () => {
    const c = server.client();
    await c.login('legal');
    const match = matchesOf(listId).find((m) => m.itemId === itemId(sports))!;
    const reply = await c.sendJson('POST', `/api/v1/reference-lists/${listId}/decisions`, { matches: [match.id], decision: 'rejected', reason: '名称相近但不是同一事项' }, await c.csrfToken());
    expect(reply.status).toBe(200);
    expect(reply.json().changed[0].removed).toEqual(['CANCELLED_ABOVE']);
    expect(flagsOf(itemId(sports))).not.toContain('CANCELLED_ABOVE');
  });

  it('a match of another list cannot be decided through this list', async () => {
    const c = server.client();
    await c.login('legal');
    const other = await c.sendJson('POST', '/api/v1/reference-lists', { kind: 'delegation', title: '下放清单', text: '教师资格认定' }, await c.csrfToken());
    expect(other.status).toBe(201);
    const foreign = matchesOf(other.json().id)[0]!;
    const reply = await c.sendJson('POST', `/api/v1/reference-lists/${listId}/decisions`, { matches: [foreign.id], decision: 'confirmed' }, await c.csrfToken());
    expect(reply.status).toBe(404);
    expect(matchesOf(other.json().id)[0]!.status).toBe('proposed');
  });
});

describe('the standard base catalogue', () => {
  it('an xlsx base catalogue with a confirmed match raises NAME_NOT_STANDARD with the standard name as the suggestion', async () => {
    const c = server.client();
    await c.login('admin');
    const path = await writeWorkbook(join(dir, 'base.xlsx'), [
      { rows: [['四川省县级行政许可事项基本目录'], ['序号', '基本目录事项名称', '实施机关'], [1, '教师资格证认定', '教育行政部门']] },
    ]);
    const reply = await c.postMultipart('/registry/lists', { kind: 'standard', title: '四川省县级行政许可事项基本目录' }, { name: 'base.xlsx', bytes: readFileSync(path) });
    expect(reply.status).toBe(303);
    const listId = Number(/\/registry\/lists\/(\d+)/.exec(reply.location!)![1]);
    const teacher = itemId('教师资格认定');
    const match = matchesOf(listId).find((m) => m.itemId === teacher)!;
    expect(match).toBeDefined();
    await c.postForm(`/registry/lists/${listId}/decisions`, { match: [String(match.id)], decision: 'confirmed' });
    const flag = server.db.$client.prepare("SELECT suggestion_text AS s FROM item_flags WHERE item_id = ? AND rule = 'NAME_NOT_STANDARD'").get(teacher) as { s: string };
    expect(flag.s).toContain('教师资格证认定');

    // Deleting the list stops its confirmed matches from counting.
    expect((await c.postForm(`/registry/lists/${listId}/delete`, {})).status).toBe(303);
    expect(flagsOf(teacher)).not.toContain('NAME_NOT_STANDARD');
  });
});

describe('bad input and rights', () => {
  it('a list without a title or with a file that is not a spreadsheet is refused in Chinese and nothing is stored', async () => {
    const c = server.client();
    await c.login('legal');
    const before = listCount();
    const noTitle = await c.postMultipart('/registry/lists', { kind: 'cancellation', title: '', text: '某事项' });
    expect(noTitle.status).toBe(400);
    expect(noTitle.text).toContain('请填写清单名称');
    expect(noTitle.text).toContain('某事项'); // the pasted text is kept in the form
    const pdf = await c.postMultipart('/registry/lists', { kind: 'cancellation', title: '清单' }, { name: 'list.xlsx', bytes: Buffer.from('%PDF-1.4\n...') });
    expect(pdf.status).toBe(400);
    expect(pdf.text).toMatch(/PDF/);
    const nothing = await c.postMultipart('/registry/lists', { kind: 'cancellation', title: '清单' });
    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain('请上传清单文件');
    expect(listCount()).toBe(before);
  });

  it('a department cannot see or upload lists; the supervisor can read but not decide', async () => {
    const dept = server.client();
    await dept.login('dept-xzsp');
    expect((await dept.get('/registry/lists')).status).toBe(403);
    expect((await dept.postMultipart('/registry/lists', { kind: 'cancellation', title: 'x', text: 'y' })).status).toBe(403);
    const sup = server.client();
    await sup.login('supervisor');
    const page = await sup.get('/registry/lists/1');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('id="d-reason"');
  });
});
