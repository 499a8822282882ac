// Mapping by hand over HTTP: a file whose columns nobody listed is not refused, the person maps its
// columns and values, the archived upload is read again, the choice is remembered per department and
// header set; departments the catalogue does not know come first and block confirming until mapped.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { tempDir, writeWorkbook } from '../support/sheets.js';
import { importSettled, uploadSheet } from '../support/imports.js';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(tempDir('uploads-'), 'uploads') });
  dir = tempDir();
});
afterAll(() => server.close());

/** A platform export: its item column (清单项目) and department column (主办处室) are names nobody listed. */
const PLATFORM_HEADER = ['平台编号', '清单项目', '权力类型', '主办处室', '监管电话'];
const platformSheet = (name: string, rows: string[][]) => writeWorkbook(join(dir, name), [{ name: '权责清单', rows: [['某区权责清单'], PLATFORM_HEADER, ...rows] }]);
const ROWS = [
  ['u1', '公路超限运输许可（映射测试）', '行政许可', '区交通运输局', '12345'],
  ['u2', '道路运输违法行为的处罚（映射测试）', '行政审查', '区交通运输局', '12345'],
  ['u3', '出租汽车经营资格证核发（映射测试）', '行政审查', '区交通运输局', '12345'],
];
const catalogue = () => server.db.$client.prepare('SELECT (SELECT count(*) FROM items) AS items, (SELECT group_concat(row_version) FROM items) AS versions').get();
const staged = (importId: number) =>
  server.db.$client.prepare("SELECT name, kind, json_extract(proposal, '$.fields.category') AS category FROM import_rows WHERE import_id = ? ORDER BY row_number").all(importId);

async function readyPage(client: ReturnType<TestServer['client']>, importId: number) {
  const done = await importSettled(client, importId);
  expect(done.status).toBe('ready');
  return { done, page: (await client.get(`/workspace/imports/${importId}`)).text };
}

describe('mapping a file by hand', () => {
  let firstImport: number;

  it('an upload whose item column nobody listed is not refused: the preview shows its header row, first rows and the mapping form', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const { body } = await uploadSheet(server, client, await platformSheet('platform-1.xlsx', ROWS));
    firstImport = body.importId;
    const { done, page } = await readyPage(client, body.importId);
    expect(done.report).toMatchObject({ needsMapping: true, rows: 0 });
    expect(page).toContain('id="mapping-form"');
    expect(page).toContain('id="needs-mapping"');
    expect(page).toContain('<strong>清单项目</strong>');
    expect(page).toContain('公路超限运输许可（映射测试）');
    expect(page).not.toContain('id="summary"');
    expect(page).toMatch(/<button type="submit" disabled[^>]*>确认并提交申报（尚不能确认）/);
  });

  it('posting the mapping reads the archived file again with it, and the catalogue is untouched', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const before = catalogue();
    const csrf = await client.csrfToken(`/workspace/imports/${firstImport}`);
    const res = await client.postForm(
      `/workspace/imports/${firstImport}/mapping`,
      { colh_0: '清单项目', col_0: 'name', colh_1: '主办处室', col_1: 'department', colh_2: '平台编号', col_2: 'ignore', valc_0: 'category', valv_0: '行政审查', val_0: 'penalty' },
      { csrf },
    );
    expect(res.status).toBe(303);
    const { done, page } = await readyPage(client, firstImport);
    expect(done.report).toMatchObject({ needsMapping: false, rows: 3, items: 3, errors: [] });
    expect(staged(firstImport)).toEqual([
      { name: '公路超限运输许可（映射测试）', kind: 'new', category: 'permit' },
      { name: '道路运输违法行为的处罚（映射测试）', kind: 'new', category: 'penalty' },
      { name: '出租汽车经营资格证核发（映射测试）', kind: 'new', category: 'penalty' },
    ]);
    expect(page).toContain('id="summary"');
    expect(page).toMatch(/<button type="submit">确认并提交申报<\/button>/);
    expect(catalogue()).toEqual(before);
    const audit = server.db.$client.prepare("SELECT action FROM audit_log WHERE action IN ('import.remap', 'mapping.remember') ORDER BY seq").pluck().all();
    expect(audit).toEqual(['mapping.remember', 'import.remap']);
  });

  it('the mapping is remembered per department and header set: offered, applied and changeable next time', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const { body } = await uploadSheet(server, client, await platformSheet('platform-2.xlsx', [...ROWS, ['u4', '另一事项（映射测试）', '行政审查', '区交通运输局', '']]));
    const { done, page } = await readyPage(client, body.importId);
    expect(done.report).toMatchObject({ needsMapping: false, rows: 4, items: 4 });
    expect(staged(body.importId).map((r: any) => r.category)).toEqual(['permit', 'penalty', 'penalty', 'penalty']);
    expect(page).toContain('id="remembered-mapping"');
    expect(page).toMatch(/<option value="name" selected>事项名称<\/option>/);
    expect(page).toMatch(/<option value="penalty" selected>行政处罚<\/option>/);

    // Changed on this upload: the new choice is read and remembered in its place.
    const csrf = await client.csrfToken(`/workspace/imports/${body.importId}`);
    await client.postForm(`/workspace/imports/${body.importId}/mapping`, { colh_0: '清单项目', col_0: 'name', valc_0: 'category', valv_0: '行政审查', val_0: 'inspection' }, { csrf });
    await readyPage(client, body.importId);
    expect(staged(body.importId).map((r: any) => r.category)).toEqual(['permit', 'inspection', 'inspection', 'inspection']);
    expect(server.db.$client.prepare('SELECT count(*) FROM upload_mappings').pluck().get()).toBe(1);

    // Set back to nothing: the value is read as written again, and no longer remembered; the column choice
    // this post leaves out stays remembered.
    await client.postForm(`/workspace/imports/${body.importId}/mapping`, { valc_0: 'category', valv_0: '行政审查', val_0: '' }, { csrf });
    const cleared = await readyPage(client, body.importId);
    // A value nobody maps keeps its row, as 待分类, for the legal office to settle.
    expect(cleared.done.report.items).toBe(4);
    expect(staged(body.importId).map((r: any) => r.category)).toEqual(['permit', 'unclassified', 'unclassified', 'unclassified']);
    expect(server.db.$client.prepare('SELECT "values" FROM upload_mappings').pluck().get()).toBe('{"category":{}}');
    expect(JSON.parse(server.db.$client.prepare('SELECT columns FROM upload_mappings').pluck().get() as string)).toMatchObject({ 清单项目: 'name' });

    // Another department uploading the same layout is not offered this department's mapping.
    const other = server.client();
    await other.login('dept-rsj');
    const upload = await uploadSheet(server, other, await platformSheet('platform-3.xlsx', ROWS));
    const theirs = await readyPage(other, upload.body.importId);
    expect(theirs.done.report.needsMapping).toBe(true);
    expect(theirs.page).not.toContain('id="remembered-mapping"');
  });

  it('a mapping naming a column that is not in the template is refused with the preview and its reason, and nothing is saved', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const { body } = await uploadSheet(server, client, await platformSheet('platform-4.xlsx', ROWS.slice(0, 1)));
    await readyPage(client, body.importId);
    const before = server.db.$client.prepare('SELECT (SELECT count(*) FROM audit_log) AS a, (SELECT group_concat(updated_at) FROM upload_mappings) AS m').get();
    const csrf = await client.csrfToken(`/workspace/imports/${body.importId}`);
    const res = await client.postForm(`/workspace/imports/${body.importId}/mapping`, { colh_0: '清单项目', col_0: '不存在的列' }, { csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('不是模板中的列名');
    expect(res.text).toContain('id="mapping-form"');
    expect(server.db.$client.prepare('SELECT (SELECT count(*) FROM audit_log) AS a, (SELECT group_concat(updated_at) FROM upload_mappings) AS m').get()).toEqual(before);
  });
});

describe('departments in a whole-catalogue upload', () => {
  it('confirming with unmapped departments re-renders the preview with the reason; the unmatched departments come first, with a suggestion', async () => {
    const client = server.client();
    await client.login('legal');
    const path = await writeWorkbook(join(dir, 'whole.xlsx'), [
      {
        rows: [
          ['事项名称', '事项类型', '实施主体', '设定依据'],
          ['消防安全检查（部门测试）', '行政检查', '区消防救援大队', '《中华人民共和国消防法》第十五条'],
          ['公众聚集场所投入使用前消防安全检查（部门测试）', '行政许可', '区消防救援大队', '《中华人民共和国消防法》第十五条'],
          ['道路运输测试事项（部门测试）', '行政许可', 'JTYSJ', '《中华人民共和国道路运输条例》第二十四条'],
        ],
      },
    ]);
    const { body } = await uploadSheet(server, client, path, { department: '' });
    const { done, page } = await readyPage(client, body.importId);
    // A department written by its code is matched; a name close to a known one is only suggested.
    expect(done.report.unknownDepartments).toEqual(['区消防救援大队']);
    const departmentsAt = page.indexOf('id="unmatched-departments"');
    expect(departmentsAt).toBeGreaterThan(0);
    expect(departmentsAt).toBeLessThan(page.indexOf('id="summary"'));
    expect(page).toContain('建议：区消防大队（XFDD）');
    expect(page).not.toMatch(/<option value="XFDD" selected>/);
    expect(page).toContain('还有 1 个部门没有对应');
    expect(page).toMatch(/<button type="submit" disabled[^>]*>确认并提交申报（尚不能确认）/);

    const csrf = await client.csrfToken(`/workspace/imports/${body.importId}`);
    const refused = await client.postForm(`/workspace/imports/${body.importId}/confirm`, {}, { csrf });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain('出错了');
    expect(refused.text).toContain('还有 1 个部门没有对应（区消防救援大队）');
    expect(refused.text).toContain('id="unmatched-departments"');
    expect(server.db.$client.prepare('SELECT count(*) FROM submissions WHERE import_id = ?').pluck().get(body.importId)).toBe(0);

    // The person takes the suggestion: the file is read again with it and confirming works.
    await client.postForm(`/workspace/imports/${body.importId}/mapping`, { deptn_0: '区消防救援大队', dept_0: 'XFDD' }, { csrf });
    const after = await readyPage(client, body.importId);
    expect(after.done.report.unknownDepartments).toEqual([]);
    expect(after.page).not.toContain('id="unmatched-departments"');
    const ok = await client.postForm(`/workspace/imports/${body.importId}/confirm`, {}, { csrf });
    expect(ok.status).toBe(303);
    const departments = server.db.$client
      .prepare('SELECT d.code FROM submissions s JOIN departments d ON d.id = s.department_id WHERE s.import_id = ? ORDER BY d.code')
      .pluck()
      .all(body.importId);
    expect(departments).toEqual(['JTYSJ', 'XFDD']);
  });

  it('a new department chosen in the mapping form is kept for the import and created on confirmation', async () => {
    const client = server.client();
    await client.login('legal');
    const path = await writeWorkbook(join(dir, 'whole-new.xlsx'), [
      { rows: [['事项名称', '事项类型', '实施主体'], ['古树名木迁移审批（新部门测试）', '行政许可', '区园林绿化中心']] },
    ]);
    const { body } = await uploadSheet(server, client, path, { department: '' });
    await readyPage(client, body.importId);
    const csrf = await client.csrfToken(`/workspace/imports/${body.importId}`);
    const bad = await client.postForm(`/workspace/imports/${body.importId}/mapping`, { deptn_0: '区园林绿化中心', newdept_0: 'JTYSJ' }, { csrf });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('部门编码 JTYSJ 已存在');
    await client.postForm(`/workspace/imports/${body.importId}/mapping`, { deptn_0: '区园林绿化中心', newdept_0: 'ylzx' }, { csrf });
    const { page } = await readyPage(client, body.importId);
    expect(page).toContain('已对应：新建 YLZX');
    expect(page).toMatch(/<button type="submit">确认并提交申报<\/button>/);
    expect(server.db.$client.prepare("SELECT count(*) FROM departments WHERE code = 'YLZX'").pluck().get()).toBe(0);
    const ok = await client.postForm(`/workspace/imports/${body.importId}/confirm`, {}, { csrf });
    expect(ok.status).toBe(303);
    expect(server.db.$client.prepare("SELECT name FROM departments WHERE code = 'YLZX'").pluck().get()).toBe('区园林绿化中心');
  });
});

describe('the saved mappings page', () => {
  it('lists a department’s remembered mappings in Chinese, only to whoever may import for that department', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const { body } = await uploadSheet(server, client, await platformSheet('platform-saved.xlsx', ROWS));
    await readyPage(client, body.importId);
    const csrf = await client.csrfToken(`/workspace/imports/${body.importId}`);
    await client.postForm(`/workspace/imports/${body.importId}/mapping`, { colh_0: '清单项目', col_0: 'name', colh_1: '平台编号', col_1: 'ignore', valc_0: 'category', valv_0: '行政审查', val_0: 'penalty' }, { csrf });
    await readyPage(client, body.importId);

    const page = (await client.get('/workspace/mappings')).text;
    expect(page).toContain('区交通运输局');
    expect(page).toContain('表头“清单项目”</td><td>事项名称');
    expect(page).toContain('表头“平台编号”</td><td>忽略');
    expect(page).toContain('事项类型“行政审查”</td><td>行政处罚');
    const other = server.client();
    await other.login('dept-xzsp');
    expect((await other.get('/workspace/mappings')).text).not.toContain('清单项目');
    const legal = server.client();
    await legal.login('legal');
    expect((await legal.get('/workspace/mappings')).text).toContain('清单项目');
  });

  it('a removed entry is no longer applied: the next file with that header row asks for that column again; another department cannot touch it', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const id = server.db.$client.prepare("SELECT id FROM upload_mappings WHERE columns LIKE '%清单项目%' ORDER BY id DESC").pluck().get() as number;
    const other = server.client();
    await other.login('dept-xzsp');
    const refused = await other.postForm(`/workspace/mappings/${id}`, { drop: '清单项目' }, { csrf: await other.csrfToken('/workspace/mappings') });
    expect(refused.status).toBe(404);
    const nothing = await client.postForm(`/workspace/mappings/${id}`, {}, { csrf: await client.csrfToken('/workspace/mappings') });
    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain('请先勾选要删除的对应');

    const res = await client.postForm(`/workspace/mappings/${id}`, { drop: '清单项目' }, { csrf: await client.csrfToken('/workspace/mappings') });
    expect(res.status).toBe(303);
    const { body } = await uploadSheet(server, client, await platformSheet('platform-after-edit.xlsx', ROWS));
    const { done } = await readyPage(client, body.importId);
    expect(done.report).toMatchObject({ needsMapping: true, rows: 0 });
    const audit = server.db.$client.prepare("SELECT action, before FROM audit_log WHERE action = 'mapping.edit' AND entity_id = ?").all(String(id)) as { before: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toContain('清单项目');

    const gone = await client.postForm(`/workspace/mappings/${id}/delete`, {}, { csrf: await client.csrfToken('/workspace/mappings') });
    expect(gone.status).toBe(303);
    expect(server.db.$client.prepare('SELECT count(*) FROM upload_mappings WHERE id = ?').pluck().get(id)).toBe(0);
    expect(server.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'mapping.forget'").pluck().get()).toBe(1);
  });
});
