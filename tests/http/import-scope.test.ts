// What an upload proposes beyond its rows: a complete list proposes cancelling what it lacks (only after
// an explicit confirmation), a partial one nothing; 处理意见 becomes the proposal's disposition; a stale
// pre-filled template does not undo later decisions unless ticked, and does not bring back a cancelled
// item unnoticed; the preview runs every rule with the whole catalogue as context.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Database from 'better-sqlite3';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';
import { importSettled, uploadSheet } from '../support/imports.js';
import { prerequisiteWriter } from '../../server/analysis/prerequisites.js';
import { TEMPLATE_SHEET } from '../../exports/template.js';
import { main } from '../../server/cli.js';
import { ruleCatalogue } from '../../server/checks/engine.js';
import { PROPOSAL_OF_SI } from '../../db/queries/review/proposal.js';

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(tempDir('uploads-'), 'uploads') });
  dir = tempDir();
});
afterAll(() => server.close());

const sql = (q: string, ...params: unknown[]) => server.db.$client.prepare(q).all(...params) as Record<string, any>[];
const one = (q: string, ...params: unknown[]) => server.db.$client.prepare(q).get(...params) as Record<string, any>;
const department = (code: string) => one('SELECT id, name FROM departments WHERE code = ?', code) as { id: number; name: string };
const ownItems = (code: string) => sql("SELECT i.id, i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = ? AND i.removed_at IS NULL ORDER BY i.id", code);
const catalogue = () => one('SELECT (SELECT count(*) FROM items WHERE removed_at IS NULL) AS items, (SELECT group_concat(row_version) FROM items) AS versions');

async function deptClient(username = 'dept-jt'): Promise<TestClient> {
  const client = server.client();
  await client.login(username);
  return client;
}

/** A few rows of changes to the department's own items (codes and names as the catalogue has them). */
async function changesSheet(rows: (string | number)[][]): Promise<string> {
  return writeWorkbook(join(dir, `changes-${Date.now()}-${Math.random()}.xlsx`), [{ rows: [HEADER, ...rows] }]);
}

async function confirm(client: TestClient, importId: number, fields: Record<string, string> = {}) {
  return client.postForm(`/workspace/imports/${importId}/confirm`, fields, { csrf: await client.csrfToken() });
}

const submissionItems = (importId: number) =>
  sql(`SELECT si.kind, si.item_id, ${PROPOSAL_OF_SI} AS proposal, si.changes, si.flags, si.proposed_disposition, si.proposed_reason FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.import_id = ? ORDER BY si.id`, importId);

/** The department's pre-filled template, as its clerk downloads it. */
async function downloadTemplate(client: TestClient, name: string): Promise<string> {
  const res = await fetch(`${server.url}/workspace/template.xlsx?prefill=1`, { headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  expect(res.status).toBe(200);
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await res.arrayBuffer()));
  return path;
}

/** Edits cells of the template's item sheet as a clerk does in Excel (by item code and column header). */
async function editTemplate(path: string, edits: { code: string; column: string; value: string }[]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet(TEMPLATE_SHEET)!;
  const header = sheet.getRow(2).values as unknown[];
  for (const e of edits) {
    const col = header.indexOf(e.column);
    expect(col).toBeGreaterThan(0);
    let done = false;
    sheet.eachRow((row) => {
      if (row.getCell(2).value === e.code) {
        row.getCell(col).value = e.value;
        done = true;
      }
    });
    expect(done).toBe(true);
  }
  const out = path.replace(/\.xlsx$/, '-edited.xlsx');
  await workbook.xlsx.writeFile(out);
  return out;
}

describe('complete or partial list', () => {
  it('a partial upload proposes no cancellations for what it lacks', async () => {
    const client = await deptClient();
    const [a] = ownItems('JTYSJ');
    const path = await changesSheet([[1, a!.code, a!.name, '', '行政许可', '', '《中华人民共和国行政许可法》第十二条', '', '', '不收费', '', '部分']]);
    const { body } = await uploadSheet(server, client, path, { scope: 'partial' });
    const done = await importSettled(client, body.importId);
    expect(done.report).toMatchObject({ complete: false, missing: 0 });
    const page = (await client.get(`/workspace/imports/${body.importId}`)).text;
    expect(page).not.toContain('id="missing"');
    expect(page).not.toContain('拟取消”提交审核');
    // The preview names the scope once, then what it means.
    expect(page).toContain('id="scope">部分事项：只申报文件中的事项');
    expect((await confirm(client, body.importId)).status).toBe(303);
    expect(submissionItems(body.importId).filter((r) => r.kind === 'remove')).toEqual([]);
  });

  it('the upload form requires the choice between complete list and partial; a post that does not say is partial', async () => {
    const client = await deptClient();
    const page = (await client.get('/workspace/imports')).text;
    expect(page).toMatch(/<input type="radio" name="scope" value="complete" required> 完整清单/);
    expect(page).toMatch(/<input type="radio" name="scope" value="partial" required> 部分事项/);
    const [a] = ownItems('JTYSJ');
    const path = await changesSheet([[1, a!.code, a!.name, '', '行政许可', '', '', '', '', '', '', '']]);
    const { readFileSync } = await import('node:fs');
    const posted = await client.postMultipart('/workspace/imports', {}, { name: 'x.xlsx', bytes: new Uint8Array(readFileSync(path)) });
    expect(posted.status).toBe(303);
    const importId = Number(/(\d+)$/.exec(posted.location!)![1]);
    expect(await importSettled(client, importId)).toMatchObject({ complete: false, report: { complete: false, missing: 0 } });
  });

  it('a complete upload lists the missing items first, in a warning box, and needs the confirmation', async () => {
    const client = await deptClient();
    const items = ownItems('JTYSJ');
    const [a] = items;
    const path = await changesSheet([[1, a!.code, a!.name, '', '行政许可', '', '《中华人民共和国行政许可法》第十二条', '', '', '不收费', '', '完整']]);
    const { body } = await uploadSheet(server, client, path, { scope: 'complete' });
    const done = await importSettled(client, body.importId);
    expect(done.report).toMatchObject({ complete: true, missing: items.length - 1 });
    const page = (await client.get(`/workspace/imports/${body.importId}`)).text;
    // First: the warning box with the count and the items, before the summary of counts.
    expect(page.indexOf('id="missing"')).toBeGreaterThan(0);
    expect(page.indexOf('id="missing"')).toBeLessThan(page.indexOf('id="summary"'));
    expect(page).toContain(`完整清单中没有、目录中有的事项 ${items.length - 1} 项`);
    expect(page).toContain(items[1]!.name);
    expect(page).toMatch(/<input type="checkbox" name="confirmCancellations" value="1" form="confirm-form" required>/);

    // Without the confirmation nothing is submitted (the server refuses, whatever the browser did).
    const before = catalogue();
    const refused = await confirm(client, body.importId);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('请先勾选确认');
    expect(submissionItems(body.importId)).toEqual([]);
    expect(one('SELECT status FROM imports WHERE id = ?', body.importId).status).toBe('ready');

    expect((await confirm(client, body.importId, { confirmCancellations: '1' })).status).toBe(303);
    const audit = one("SELECT after FROM audit_log WHERE action = 'import.confirm' AND entity_id = ? ORDER BY seq DESC LIMIT 1", String(body.importId));
    expect(JSON.parse(audit.after)).toMatchObject({ complete: true, confirmedCancellations: true });
    const removals = submissionItems(body.importId).filter((r) => r.kind === 'remove');
    expect(removals).toHaveLength(items.length - 1);
    expect(removals[0]).toMatchObject({ proposed_disposition: 'cancel', proposed_reason: '部门上报的完整清单中没有该事项' });
    expect(catalogue()).toEqual(before);
  });
});

describe('处理意见 in the file', () => {
  it('a row whose 处理意见 says 取消 becomes a cancel proposal with its reason, not a change', async () => {
    const client = await deptClient();
    const [a, b, c] = ownItems('JTYSJ').slice(3);
    const header = [...HEADER, '处理意见'];
    const path = await writeWorkbook(join(dir, 'disposition.xlsx'), [
      {
        rows: [
          header,
          // The reason after the keyword.
          [1, a!.code, a!.name, '', '行政许可', '', '', '', '', '', '', '', '取消：已被国发〔2015〕11号取消'],
          // The keyword alone: the reason is the row's 备注.
          [2, b!.code, b!.name, '', '行政许可', '', '', '', '', '', '', '上级已取消该审批', '取消'],
          // A change of management mode is a change with its disposition.
          [3, c!.code, c!.name, '', '行政许可', '', '', '', '', '', '', '', '改为备案（优化营商环境）'],
        ],
      },
    ]);
    const { body } = await uploadSheet(server, client, path, { scope: 'partial' });
    await importSettled(client, body.importId);
    const page = (await client.get(`/workspace/imports/${body.importId}`)).text;
    expect(page).toContain('处理意见：<strong>取消</strong>（已被国发〔2015〕11号取消）');
    expect((await confirm(client, body.importId)).status).toBe(303);
    const byItem = new Map(submissionItems(body.importId).map((r) => [r.item_id, r]));
    expect(byItem.get(a!.id)).toMatchObject({ kind: 'remove', proposal: null, proposed_disposition: 'cancel', proposed_reason: '已被国发〔2015〕11号取消' });
    expect(byItem.get(b!.id)).toMatchObject({ kind: 'remove', proposed_disposition: 'cancel', proposed_reason: '上级已取消该审批' });
    expect(byItem.get(c!.id)).toMatchObject({ kind: 'change', proposed_disposition: 'change_mode', proposed_reason: '优化营商环境' });
    // The legal office sees the department's 处理意见 on the item and finds it chosen in the decision form.
    const legal = server.client();
    await legal.login('legal');
    const itemId = one('SELECT si.id FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.import_id = ? AND si.item_id = ?', body.importId, a!.id).id;
    const reviewPage = (await legal.get(`/review/items/${itemId}`)).text;
    expect(reviewPage).toContain('<dd id="proposed-disposition">取消（已被国发〔2015〕11号取消）</dd>');
    expect(reviewPage).toContain('<option value="cancel" selected>取消</option>');
  });
});

describe('the preview of a changed item', () => {
  it('shows each changed value in words, never as its code (事项类型, 行使层级, 服务对象)', async () => {
    const client = await deptClient();
    const [a] = ownItems('JTYSJ').slice(8);
    server.db.$client.prepare("UPDATE items SET category = 'adjudication', level = 'district', service_objects = '[\"citizens\"]' WHERE id = ?").run(a!.id);
    const path = await writeWorkbook(join(dir, 'words.xlsx'), [
      { rows: [[...HEADER, '行使层级', '服务对象'], [1, a!.code, a!.name, '', '行政许可', '', '', '', '', '', '', '', '市级', '企业法人']] },
    ]);
    const { body } = await uploadSheet(server, client, path, { scope: 'partial' });
    await importSettled(client, body.importId);
    const page = (await client.get(`/workspace/imports/${body.importId}`)).text;
    for (const words of ['行政裁决', '行政许可', '区（县）级', '市级', '自然人', '企业法人']) expect(page).toContain(words);
    for (const code of ['adjudication', 'permit', 'district', 'citizens', 'enterprises']) expect(page).not.toMatch(new RegExp(`>\\s*${code}\\s*<`));
  });
});

describe('a 处理意见 the catalogue already records', () => {
  it('proposes nothing: the changed row is proposed as a change without it', async () => {
    const client = await deptClient();
    const [a] = ownItems('JTYSJ').slice(6);
    server.db.$client.prepare("UPDATE items SET disposition = 'retain' WHERE id = ?").run(a!.id);
    const path = await writeWorkbook(join(dir, 'kept.xlsx'), [{ rows: [[...HEADER, '处理意见'], [1, a!.code, a!.name, '', '行政许可', '', '', '', '', '', '', '备注改了', '保留']] }]);
    const { body } = await uploadSheet(server, client, path, { scope: 'partial' });
    await importSettled(client, body.importId);
    expect((await confirm(client, body.importId)).status).toBe(303);
    const [row] = submissionItems(body.importId);
    expect(row).toMatchObject({ kind: 'change', item_id: a!.id, proposed_disposition: null, proposed_reason: null });
    expect(JSON.parse(row!.proposal as string)).toMatchObject({ disposition: null, fields: { remarks: '备注改了' } });
  });
});

describe('the pre-filled template', () => {
  it('a round trip of an unchanged template shows no changes and writes every title in one pair of 《》', async () => {
    const client = await deptClient();
    // A value the catalogue holds in full width (８) is written back unchanged by the file.
    const [a] = ownItems('JTYSJ');
    server.db.$client.prepare("UPDATE items SET contact_phone = '０２８-８７６５４３２１' WHERE id = ?").run(a!.id);
    const path = await downloadTemplate(client, 'roundtrip.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const texts: string[] = [];
    workbook.getWorksheet(TEMPLATE_SHEET)!.eachRow((row) => row.eachCell((cell) => void texts.push(String(cell.value))));
    expect(texts.some((t) => t.includes('《'))).toBe(true);
    expect(texts.filter((t) => t.includes('《《') || t.includes('》》'))).toEqual([]);

    const { body } = await uploadSheet(server, client, path, { scope: 'complete' });
    const done = await importSettled(client, body.importId);
    expect(done.report.errors).toEqual([]);
    expect(done.report).toMatchObject({ new: 0, changed: 0, missing: 0, reverts: 0, unchanged: ownItems('JTYSJ').length });
  });

  it('a stale template does not revert a later decision unless the row is ticked', async () => {
    const client = await deptClient();
    const [a] = ownItems('JTYSJ').slice(6);
    const path = await downloadTemplate(client, 'stale.xlsx');
    // After the download the legal office finalises a shorter statutory time limit for the item.
    const was = one('SELECT statutory_limit_days AS days FROM items WHERE id = ?', a!.id).days as number | null;
    const decided = was === 7 ? 8 : 7;
    server.db.$client.prepare('UPDATE items SET statutory_limit_days = ?, row_version = row_version + 1 WHERE id = ?').run(decided, a!.id);
    // The clerk, in the old file, changes the supervision phone of the same item and nothing else.
    const edited = await editTemplate(path, [{ code: a!.code, column: '监督电话', value: '028-12312312' }]);

    const upload = async () => {
      const { body } = await uploadSheet(server, client, edited, { scope: 'partial' });
      const done = await importSettled(client, body.importId);
      expect(done.report).toMatchObject({ reverts: 1, changed: 1 });
      return body.importId as number;
    };
    const first = await upload();
    const page = (await client.get(`/workspace/imports/${first}`)).text;
    expect(page).toContain('1 行会撤销下载模板之后作出的决定');
    const rowId = one('SELECT id FROM import_rows WHERE import_id = ? AND reverts IS NOT NULL', first).id as number;
    expect(page).toContain(`<input type="checkbox" name="revert_${rowId}" value="1" form="confirm-form">`);
    const api = (await client.get(`/api/v1/imports/${first}`)).json();
    expect(api.reverts).toMatchObject([{ id: rowId, code: a!.code, reverts: [{ field: 'statutoryLimitDays', before: decided, after: was }] }]);
    // Not ticked: only the clerk's own change is proposed; the decided limit stays.
    expect((await confirm(client, first)).status).toBe(303);
    const [kept] = submissionItems(first);
    expect(JSON.parse(kept!.changes).map((c: any) => c.field)).toEqual(['supervisionPhone']);
    expect(JSON.parse(kept!.proposal).present).not.toContain('statutoryLimitDays');

    // Ticked: the file's old value is proposed as well.
    const second = await upload();
    const secondRow = one('SELECT id FROM import_rows WHERE import_id = ? AND reverts IS NOT NULL', second).id as number;
    expect((await confirm(client, second, { [`revert_${secondRow}`]: '1' })).status).toBe(303);
    const [reverted] = submissionItems(second);
    expect(JSON.parse(reverted!.changes).map((c: any) => c.field).sort()).toEqual(['statutoryLimitDays', 'supervisionPhone']);
    expect(JSON.parse(reverted!.changes).find((c: any) => c.field === 'statutoryLimitDays')).toMatchObject({ before: decided, after: was });
  });

  it('on the command line a stale template lists its reverts row by row and proposes them only with --accept-reverts', async () => {
    const client = await deptClient();
    const [a] = ownItems('JTYSJ').slice(7);
    const path = await downloadTemplate(client, 'stale-cli.xlsx');
    const was = one('SELECT statutory_limit_days AS days FROM items WHERE id = ?', a!.id).days as number | null;
    const decided = was === 7 ? 8 : 7;
    server.db.$client.prepare('UPDATE items SET statutory_limit_days = ?, row_version = row_version + 1 WHERE id = ?').run(decided, a!.id);
    const edited = await editTemplate(path, [{ code: a!.code, column: '监督电话', value: '028-45645645' }]);
    // The command line works on a database file: this one, as it stands after the decision.
    const file = join(dir, 'stale-cli.db');
    writeFileSync(file, server.db.$client.serialize());
    const cli = async (...flags: string[]) => {
      const out: string[] = [];
      const code = await main(['import', edited, '--user', 'dept-jt', '--db', file, ...flags], { out: (l) => out.push(l), err: (l) => out.push(l), readStdin: async () => '' }, {});
      expect(code, out.join('\n')).toBe(0);
      return out.join('\n');
    };
    const proposedFields = () => {
      const db = new Database(file, { readonly: true });
      try {
        const row = db.prepare('SELECT si.changes FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.import_id = (SELECT max(id) FROM imports) ORDER BY si.id').get() as { changes: string };
        return JSON.parse(row.changes).map((c: any) => c.field).sort();
      } finally {
        db.close();
      }
    };

    const plain = await cli();
    expect(plain).toContain('1 行会撤销下载模板之后作出的决定');
    expect(plain).toContain(`“${a!.name}”：法定时限 目录中现在“${decided}”，文件中“${was ?? '（空）'}”`);
    expect(plain).toContain('--accept-reverts');
    expect(proposedFields()).toEqual(['supervisionPhone']);

    const accepted = await cli('--accept-reverts');
    expect(accepted).toContain('已按文件中的旧值申报 1 行');
    expect(proposedFields()).toEqual(['statutoryLimitDays', 'supervisionPhone']);
  });

  it('re-uploading a template that contains an item cancelled since raises RECREATED_AFTER_CANCEL in the preview', async () => {
    const client = await deptClient();
    const [a] = ownItems('JTYSJ').slice(8);
    const path = await downloadTemplate(client, 'cancelled.xlsx');
    // The legal office cancels the item after the download: it leaves the catalogue and enters the register.
    const d = department('JTYSJ');
    server.db.$client.prepare("UPDATE items SET removed_at = '2026-12-01T00:00:00.000Z', disposition = 'cancel', row_version = row_version + 1 WHERE id = ?").run(a!.id);
    server.db.$client
      .prepare(
        "INSERT INTO register_entries (item_id, item_code, item_name, department_id, disposition, reason, decided_by, effective_on) VALUES (?, ?, ?, ?, 'cancel', '无设定依据', 'legal', '2026-12-01')",
      )
      .run(a!.id, a!.code, a!.name, d.id);
    const { body } = await uploadSheet(server, client, path, { scope: 'partial' });
    await importSettled(client, body.importId);
    const row = one('SELECT kind, flags, warnings FROM import_rows WHERE import_id = ? AND item_code = ?', body.importId, a!.code);
    expect(row.kind).toBe('new');
    expect(JSON.parse(row.flags ?? '[]').map((f: any) => f.rule)).toContain('RECREATED_AFTER_CANCEL');
    expect(row.warnings).toContain('在下载模板之后已被取消');
    const page = (await client.get(`/workspace/imports/${body.importId}`)).text;
    // The clerk reads the rule by its Chinese title (the code is a tooltip for the legal office only).
    expect(page).toContain(ruleCatalogue().find((r) => r.code === 'RECREATED_AFTER_CANCEL')!.title);
    expect(page).not.toContain('RECREATED_AFTER_CANCEL');
  });
});

describe('full checks in the preview', () => {
  it('the preview finds a prerequisite loop a row closes with items already in the catalogue, as the legal office then sees it', async () => {
    const client = await deptClient();
    const own = department('JTYSJ');
    const other = department('RSJ');
    const add = (code: string, name: string, d: { id: number }) =>
      Number(server.db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES (?, ?, 'permit', ?)").run(code, name, d.id).lastInsertRowid);
    add('LOOP-A', '测试前置环甲许可', own);
    const b = add('LOOP-B', '测试前置环乙许可', other);
    // In the catalogue, 乙 already requires 甲; the file makes 甲 require 乙.
    prerequisiteWriter(server.db).replace({ id: b, departmentId: other.id }, ['测试前置环甲许可']);
    const path = await writeWorkbook(join(dir, 'loop.xlsx'), [
      {
        rows: [
          ['事项编码', '事项名称', '事项类型', '设定依据', '前置事项'],
          ['LOOP-A', '测试前置环甲许可', '行政许可', '《中华人民共和国行政许可法》第十二条', '测试前置环乙许可'],
        ],
      },
    ]);
    const { body } = await uploadSheet(server, client, path, { scope: 'partial' });
    await importSettled(client, body.importId);
    const flags = JSON.parse(one('SELECT flags FROM import_rows WHERE import_id = ?', body.importId).flags ?? '[]') as { rule: string; message: string }[];
    const loop = flags.filter((f) => f.rule === 'PREREQUISITE_CYCLE');
    expect(loop).toHaveLength(1);
    expect(loop[0]!.message).toContain(`测试前置环甲许可（${own.name}）→ 测试前置环乙许可（${other.name}）→ 测试前置环甲许可`);
    // The submission the legal office reviews carries the same finding.
    expect((await confirm(client, body.importId)).status).toBe(303);
    const [proposed] = submissionItems(body.importId);
    expect(JSON.parse(proposed!.flags).filter((f: any) => f.rule === 'PREREQUISITE_CYCLE').map((f: any) => f.message)).toEqual([loop[0]!.message]);
  });

  it('the preview finds the loop a new item closes with a catalogue item that already names it as its prerequisite', async () => {
    const client = await deptClient();
    const other = department('RSJ');
    const c = Number(server.db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES ('LOOP-C', '测试前置环丙许可', 'permit', ?)").run(other.id).lastInsertRowid);
    // 丙 names a prerequisite no item has yet: the new item the file brings.
    prerequisiteWriter(server.db).replace({ id: c, departmentId: other.id }, ['测试新设环丁许可']);
    const path = await writeWorkbook(join(dir, 'loop-new.xlsx'), [
      {
        rows: [
          ['事项名称', '事项类型', '设定依据', '前置事项'],
          ['测试新设环丁许可', '行政许可', '《中华人民共和国行政许可法》第十二条', '测试前置环丙许可'],
        ],
      },
    ]);
    const { body } = await uploadSheet(server, client, path, { scope: 'partial' });
    await importSettled(client, body.importId);
    const flags = JSON.parse(one('SELECT flags FROM import_rows WHERE import_id = ?', body.importId).flags ?? '[]') as { rule: string; message: string }[];
    expect(flags.filter((f) => f.rule === 'PREREQUISITE_CYCLE').map((f) => f.message)).toEqual([
      expect.stringContaining(`测试新设环丁许可（${department('JTYSJ').name}）→ 测试前置环丙许可（${other.name}）→ 测试新设环丁许可`),
    ]);
  });

  it('the preview finds a duplicate across departments as the full check does, however the file spaces the department’s name', async () => {
    const legal = server.client();
    await legal.login('legal');
    const own = department('RSJ');
    const other = department('JTYSJ');
    const add = (code: string, name: string, d: { id: number }) =>
      server.db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES (?, ?, 'permit', ?)").run(code, name, d.id);
    add('DUP-1', '测试跨部门重复核发', own);
    add('DUP-2', '测试跨部门重复核发', other);
    expect((await legal.postForm('/workspace/flags/recheck', {})).status).toBe(303);
    const full = sql("SELECT f.rule, f.message FROM item_flags f JOIN items i ON i.id = f.item_id WHERE i.code = 'DUP-1' AND f.rule = 'DUPLICATE_ACROSS_DEPARTMENTS'");
    expect(full).toHaveLength(1);
    // A whole-catalogue list writes the department with a space; the row is still the department's own item.
    const spaced = `${own.name.slice(0, 1)} ${own.name.slice(1)}`;
    const path = await writeWorkbook(join(dir, 'dup.xlsx'), [
      {
        rows: [
          ['事项编码', '事项名称', '事项类型', '实施主体', '设定依据'],
          ['DUP-1', '测试跨部门重复核发', '行政许可', spaced, '《中华人民共和国行政许可法》第十二条'],
        ],
      },
    ]);
    const { body } = await uploadSheet(server, legal, path, { scope: 'partial' });
    await importSettled(legal, body.importId);
    const flags = JSON.parse(one('SELECT flags FROM import_rows WHERE import_id = ?', body.importId).flags ?? '[]') as { rule: string; message: string }[];
    expect(flags.filter((f) => f.rule === 'DUPLICATE_ACROSS_DEPARTMENTS').map((f) => ({ rule: f.rule, message: f.message }))).toEqual(full);
  });
});
