// The legal basis in the item form: citation rows (registry instrument or free title, article /
// paragraph / item, role, quoted text) and fee-basis rows; a department touches only its own items; a
// refused form changes nothing and says why in Chinese; every change is audited and re-checked; a
// returned proposal is corrected in the form and resubmitted without an answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { itemFormOf } from '../support/forms.js';
import { verifyAuditLog } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { rowOfCitation } from '../../server/catalogue/citation-rows.js';

let server: TestServer;
let own: string;
let other: string;
let oldLaw: number;
let newLaw: number;
const sql = <T>(q: string, ...args: unknown[]) => server.db.$client.prepare(q).get(...args) as T;
const all = <T>(q: string, ...args: unknown[]) => server.db.$client.prepare(q).all(...args) as T[];

beforeAll(async () => {
  server = await startTestServer(demoDb());
  const first = (dept: string) => sql<{ code: string }>('SELECT i.code FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = ? AND i.removed_at IS NULL ORDER BY i.id LIMIT 1', dept).code;
  own = first('XZSPJ');
  other = first('RSJ');
  oldLaw = sql<{ id: number }>("SELECT id FROM legal_instruments WHERE title = '中华人民共和国执业医师法'").id;
  newLaw = sql<{ id: number }>("SELECT id FROM legal_instruments WHERE title = '中华人民共和国医师法'").id;
});
afterAll(() => server.close());

/** The working catalogue's item, as staff read it (visitors get the published version). */
let staff: ReturnType<TestServer['client']> | undefined;
const item = async (c: string) => {
  if (!staff) {
    staff = server.client();
    await staff.login('legal');
  }
  return (await staff.get(`/api/v1/items/${encodeURIComponent(c)}`)).json<Record<string, any>>();
};
const citationsOf = (c: string) =>
  all<{ title: string; article: string | null; role: string; instrument_id: number | null; quoted_text: string | null }>(
    'SELECT c.title, c.article, c.role, c.instrument_id, c.quoted_text FROM citations c JOIN items i ON i.id = c.item_id WHERE i.code = ? ORDER BY c.seq, c.id',
    c,
  );
const auditCount = () => sql<{ n: number }>('SELECT count(*) AS n FROM audit_log').n;
const edit = (c: string) => `/workspace/items/${encodeURIComponent(c)}`;

/** The form's rows as a browser posts them: one value of each cell per row. */
function rows(list: { instrumentId?: string; title?: string; article?: string; paragraph?: string; item?: string; role?: string; quote?: string }[], prefix = 'basis') {
  const col = (k: string, d = '') => list.map((r) => (r as Record<string, string | undefined>)[k] ?? d);
  const fields: Record<string, string[] | string> = {
    [`${prefix}Rows`]: '1',
    [`${prefix}InstrumentId`]: col('instrumentId'),
    [`${prefix}Title`]: col('title'),
    [`${prefix}Article`]: col('article'),
    [`${prefix}Paragraph`]: col('paragraph'),
    [`${prefix}Item`]: col('item'),
    [`${prefix}Quote`]: col('quote'),
  };
  if (prefix === 'basis') fields.basisRole = col('role', 'setting');
  return fields;
}

describe('the registry looked up as a title is typed', () => {
  it('typing 医师法 offers the law in force first, with its status in Chinese', async () => {
    const reply = await server.client().get('/api/v1/instrument-suggestions?q=医师法');
    expect(reply.status).toBe(200);
    const hits = reply.json<{ instruments: { id: number; title: string; statusName: string }[] }>().instruments;
    expect(hits[0]).toMatchObject({ id: newLaw, title: '中华人民共和国医师法', statusName: '有效' });
    expect(hits.find((h) => h.id === oldLaw)).toMatchObject({ statusName: '已废止' });
  });
});

describe('an admin corrects the legal basis directly', () => {
  it('rows replace the citations (a free title matched to the registry, 第十二条第一款第三项 from three cells), the fee basis is written from its rows, audited and re-checked', async () => {
    const admin = server.client();
    await admin.login('admin');
    const before = await item(own);
    const reply = await admin.postForm(edit(own), {
      ...itemFormOf(before, { feeStandard: '每件 10 元' }),
      feeCharged: 'on',
      ...rows([
        { title: '《中华人民共和国执业医师法》', article: '12', paragraph: '1', item: '3', role: 'setting', quote: '医师执业应当经注册。' },
        { title: '某区卫生健康工作规定', article: '第五条', role: 'implementing' },
      ]),
      ...rows([{ instrumentId: String(newLaw), article: '9' }], 'fee'),
    });
    expect(reply.status).toBe(303);
    expect(citationsOf(own)).toEqual([
      { title: '中华人民共和国执业医师法', article: '第十二条第一款第三项', role: 'setting', instrument_id: oldLaw, quoted_text: '医师执业应当经注册。' },
      { title: '某区卫生健康工作规定', article: '第五条', role: 'implementing', instrument_id: null, quoted_text: null },
    ]);
    expect((await item(own)).feeBasis).toBe('《中华人民共和国医师法》第九条');
    const entry = sql<{ action: string; before: string; after: string }>("SELECT action, before, after FROM audit_log WHERE entity_id = ? ORDER BY seq DESC LIMIT 1", own);
    expect(entry.action).toBe('item.update');
    expect(JSON.parse(entry.after).citations).toEqual([
      { title: '中华人民共和国执业医师法', article: '第十二条第一款第三项', role: 'setting' },
      { title: '某区卫生健康工作规定', article: '第五条', role: 'implementing' },
    ]);
    expect(JSON.parse(entry.before).citations.length).toBeGreaterThan(0);
    // Re-checked on save: the repealed law is flagged, and the form shows it beside the rows.
    expect(all<{ rule: string }>('SELECT f.rule FROM item_flags f JOIN items i ON i.id = f.item_id WHERE i.code = ?', own).map((f) => f.rule)).toContain('BASIS_REPEALED');
    const form = await admin.get(`${edit(own)}/edit`);
    expect(form.text).toMatch(/id="basis-findings"[\s\S]*设定依据已废止/);
    expect(form.text).toMatch(/name="basisArticle" value="12"/);
    expect(verifyAuditLog(server.db).ok).toBe(true);
  });
});

describe('a department', () => {
  it('saving the form with its rows as shown leaves the citations as they are (《》 and 第（二）项 as written are the same citation)', async () => {
    const dept = server.client();
    await dept.login('dept-xzsp');
    const code = sql<{ code: string }>("SELECT i.code FROM items i JOIN citations c ON c.item_id = i.id JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND c.title LIKE '《%' AND c.article LIKE '%（%' LIMIT 1").code;
    const before = citationsOf(code);
    const stored = all<{ title: string; article: string | null; role: 'setting' | 'implementing'; quotedText: string | null; instrumentId: number | null }>(
      'SELECT c.title, c.article, c.role, c.quoted_text AS quotedText, c.instrument_id AS instrumentId FROM citations c JOIN items i ON i.id = c.item_id WHERE i.code = ? ORDER BY c.seq, c.id',
      code,
    );
    const count = auditCount();
    const reply = await dept.postForm(edit(code), { ...itemFormOf(await item(code)), ...rows(stored.map(rowOfCitation)) });
    expect(reply.status).toBe(303);
    expect(reply.location).toContain(`changed=${encodeURIComponent('无')}`);
    expect(citationsOf(code)).toEqual(before);
    expect(auditCount()).toBe(count);
  });

  it("cannot change another department's legal basis, by form or JSON; nothing changes and nothing is logged", async () => {
    const dept = server.client();
    await dept.login('dept-xzsp');
    const before = citationsOf(other);
    const count = auditCount();
    const theirs = await item(other);
    const form = await dept.postForm(edit(other), { ...itemFormOf(theirs), ...rows([{ instrumentId: String(newLaw), article: '1' }]) });
    expect(form.status).toBe(403);
    expect(form.text).toContain('只能修改本部门的事项');
    const json = await dept.sendJson('PUT', `/api/v1/items/${encodeURIComponent(other)}`, { ...itemFormOf(theirs), citations: [{ instrumentId: newLaw, article: '1', role: 'setting' }] }, await dept.csrfToken('/workspace'));
    expect(json.status).toBe(403);
    expect(json.json<{ error: { code: string } }>().error.code).not.toMatch(/csrf/);
    expect(citationsOf(other)).toEqual(before);
    expect(auditCount()).toBe(count);
    expect(sql<{ n: number }>("SELECT count(*) AS n FROM submission_items si JOIN items i ON i.id = si.item_id WHERE i.code = ?", other).n).toBe(0);
  });

  it('a refused form (a bad article number, an unknown role) changes nothing and says why in Chinese, naming the rows; the rows come back as typed', async () => {
    const dept = server.client();
    await dept.login('dept-xzsp');
    const before = await item(own);
    const citations = citationsOf(own);
    const count = auditCount();
    const reply = await dept.postForm(edit(own), {
      ...itemFormOf(before, { promisedLimitDays: '1' }),
      ...rows([
        { instrumentId: String(newLaw), article: '十二a' },
        { title: '中华人民共和国医师法', article: '3', role: 'licence' },
      ]),
    });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('请修正标出的字段后再保存');
    expect(reply.text).toContain('设定依据和实施依据第 1 行：“条”须写数字');
    expect(reply.text).toContain('第 2 行：依据类别只能是“设定依据”或“实施依据”');
    expect(reply.text).toMatch(/name="basisArticle" value="十二a"/);
    const json = await dept.sendJson('PUT', `/api/v1/items/${encodeURIComponent(own)}`, { ...itemFormOf(before), citations: [{ instrumentId: newLaw, article: '0', role: 'setting' }] }, await dept.csrfToken('/workspace'));
    expect(json.status).toBe(400);
    expect(json.json<{ error: { fields: Record<string, string> } }>().error.fields.citations).toContain('“条”须写数字');
    expect(await item(own)).toEqual(before);
    expect(citationsOf(own)).toEqual(citations);
    expect(auditCount()).toBe(count);
    expect(sql<{ n: number }>("SELECT count(*) AS n FROM submission_items si JOIN items i ON i.id = si.item_id WHERE i.code = ?", own).n).toBe(0);
  });

  it('"add a row" without JavaScript shows the form again with one more row, and saves nothing', async () => {
    const dept = server.client();
    await dept.login('dept-xzsp');
    const before = await item(own);
    const count = auditCount();
    const reply = await dept.postForm(edit(own), { ...itemFormOf(before), ...rows([{ instrumentId: String(oldLaw), article: '12' }]), 'rowAction:basis:add': '增加一行' });
    expect(reply.status).toBe(200);
    expect(reply.text.match(/name="basisTitle"/g)).toHaveLength(2);
    const moved = await dept.postForm(edit(own), { ...itemFormOf(before), ...rows([{ title: '甲法' }, { title: '乙法' }]), 'rowAction:basis:up:1': '上移' });
    expect(moved.text.indexOf('value="乙法"')).toBeLessThan(moved.text.indexOf('value="甲法"'));
    expect(auditCount()).toBe(count);
  });

  it('a returned proposal is corrected in the form: the citations in the proposal change, it is re-checked and audited, and goes back without an answer', async () => {
    const dept = server.client();
    await dept.login('dept-xzsp');
    const legal = server.client();
    await legal.login('legal');
    const before = await item(own);
    const current = citationsOf(own);
    // The department proposes a shorter promised limit, keeping the (repealed) basis; submits; the legal office returns it.
    expect((await dept.postForm(edit(own), itemFormOf(before, { promisedLimitDays: '1' }))).status).toBe(303);
    const draft = sql<{ id: number; submission_id: number }>("SELECT si.id, si.submission_id FROM submission_items si JOIN items i ON i.id = si.item_id WHERE i.code = ? AND si.state = 'draft'", own);
    const submission = sql<{ row_version: number }>('SELECT row_version FROM submissions WHERE id = ?', draft.submission_id);
    expect((await dept.postForm(`/review/submissions/${draft.submission_id}/submit`, { rowVersion: String(submission.row_version) })).status).toBe(303);
    const submitted = sql<{ row_version: number; flags: string }>('SELECT row_version, flags FROM submission_items WHERE id = ?', draft.id);
    expect(JSON.parse(submitted.flags).map((f: { rule: string }) => f.rule)).toContain('BASIS_REPEALED');
    expect((await legal.postForm(`/review/items/${draft.id}/return`, { rowVersion: String(submitted.row_version), request: '设定依据《执业医师法》已废止，请更正' })).status).toBe(303);

    // The form now edits the returned proposal and says why it came back.
    const form = await dept.get(`${edit(own)}/edit`);
    expect(form.text).toContain('id="returned-notice"');
    expect(form.text).toContain('设定依据《执业医师法》已废止，请更正');
    const version = Number(/name="proposalVersion" value="(\d+)"/.exec(form.text)![1]);
    const count = auditCount();
    const reply = await dept.postForm(edit(own), {
      ...itemFormOf(before, { promisedLimitDays: '1' }),
      ...rows([
        { instrumentId: String(newLaw), article: '13', role: 'setting' },
        { title: '某区卫生健康工作规定', article: '5', role: 'implementing' },
      ]),
      proposalVersion: String(version),
      resubmit: '1',
      answer: '',
    });
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`/review/items/${draft.id}?done=answer`);
    const after = sql<{ state: string; proposal: string; flags: string; department_answer: string | null }>('SELECT state, proposal, flags, department_answer FROM submission_items WHERE id = ?', draft.id);
    expect(after.state).toBe('resubmitted');
    expect(after.department_answer).toBeNull();
    const proposal = JSON.parse(after.proposal);
    expect(proposal.citations.map((c: { title: string; article: string; instrumentId: number | null }) => [c.title, c.article, c.instrumentId])).toEqual([
      ['中华人民共和国医师法', '第十三条', newLaw],
      ['某区卫生健康工作规定', '第五条', null],
    ]);
    expect(proposal.present).toEqual(expect.arrayContaining(['promisedLimitDays', 'citations', 'implementingCitations']));
    expect(JSON.parse(after.flags).map((f: { rule: string }) => f.rule)).not.toContain('BASIS_REPEALED');
    // The catalogue is unchanged until the legal office finalises; the correction and the resubmission are logged.
    expect(citationsOf(own)).toEqual(current);
    const entries = all<{ action: string; after: string }>('SELECT action, after FROM audit_log WHERE seq > (SELECT max(seq) FROM audit_log) - ? ORDER BY seq', auditCount() - count);
    expect(entries.map((e) => e.action)).toEqual(['review.correct', 'review.answer']);
    expect(JSON.parse(entries[0]!.after).proposedCitations[0]).toEqual({ title: '中华人民共和国医师法', article: '第十三条', role: 'setting' });
    expect(verifyAuditLog(server.db).ok).toBe(true);
  });
});

describe('a published guide', () => {
  it('shows a cited registered law with its registry status, not as unregistered', async () => {
    const admin = server.client();
    await admin.login('admin');
    const before = await item(other);
    expect((await admin.postForm(edit(other), { ...itemFormOf(before), ...rows([{ instrumentId: String(newLaw), article: '13' }, { title: '中华人民共和国执业医师法', article: '9' }]) })).status).toBe(303);
    const v = publishVersion(server.services, { id: null, name: 'system' }, { title: '测试版', effectiveOn: '2026-12-01' });
    const page = await server.client().get(`/versions/${v.version}/items/${encodeURIComponent(other)}`);
    expect(page.status).toBe(200);
    const law = /<li class="citation">[\s\S]*?<\/li>/g;
    const items = page.text.match(law)!;
    expect(items[0]).toContain('中华人民共和国医师法');
    expect(items[0]).toContain('有效');
    expect(items[0]).not.toContain('未登记');
    expect(items[1]).toContain('已废止');
  });
});
