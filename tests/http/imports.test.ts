// The department's import flow over HTTP: upload, preview, confirm or discard; safety and scope.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';
import { importSettled, uploadSheet } from '../support/imports.js';

let server: TestServer;
let dir: string;
let own: { code: string; name: string; category: string; promised_limit_days: number | null }[];
let otherCode: string;

beforeAll(async () => {
  const db = demoDb();
  server = await startTestServer(db, { uploadsDir: join(tempDir('uploads-'), 'uploads') });
  dir = tempDir();
  own = db.$client
    .prepare("SELECT i.code, i.name, i.category, i.promised_limit_days FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'JTYSJ' ORDER BY i.id LIMIT 3")
    .all() as typeof own;
  otherCode = (db.$client.prepare("SELECT i.code FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'RSJ' LIMIT 1").get() as { code: string }).code;
});
afterAll(() => server.close());

const counts = () =>
  server.db.$client
    .prepare('SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM citations) AS citations, (SELECT group_concat(row_version) FROM items) AS versions')
    .get();

const upload = (client: TestClient, path: string, fields: Record<string, string> = {}) => uploadSheet(server, client, path, fields);
const settled = importSettled;

function departmentSheet() {
  const [a, b, c] = own;
  return writeWorkbook(join(dir, `jt-${Date.now()}.xlsx`), [
    {
      name: '交通运输局',
      rows: [
        ['区交通运输局行政权力清单'],
        [],
        HEADER,
        [1, a!.code, a!.name, null, '行政许可', '区交通运输局', '《中华人民共和国道路运输条例》第二十四条', '20个工作日', '3个工作日', '不收费', '1、申请表\n2、身份证明', null],
        [2, b!.code, b!.name, null, '行政许可', '区交通运输局', '《中华人民共和国道路运输条例》第二十四条', '20个工作日', '3个工作日', '不收费', null, null],
        [3, null, '出租汽车驾驶员从业资格注册', '（一）初次注册', '许可', '区人社局', null, '即办', null, '免费', null, null],
        [4, null, '出租汽车驾驶员从业资格注册', '（二）延续注册', '01', '区人社局', null, '即办', null, '免费', null, null],
        [5, otherCode, '别人家的事项', null, '行政许可', null, '《中华人民共和国社会保险法》第八条', null, null, null, null, null],
        [6, null, null, null, '行政许可', null, null, null, null, null, null, null],
        ['注：本表由区交通运输局填报。'],
      ],
      merges: ['C6:C7'],
    },
  ]);
  void c;
}

describe('department import over HTTP', () => {
  it('the preview shows a sub-item under its main item’s name, so that 新办 reads as 食品经营许可’s', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const main = `道路运输经营许可（子项测试${Date.now()}）`;
    const path = await writeWorkbook(join(dir, `sub-items-${Date.now()}.xlsx`), [
      {
        rows: [
          HEADER,
          [1, null, main, '新办', '行政许可', '区交通运输局', '《中华人民共和国道路运输条例》第二十四条', null, null, null, null, null],
          [2, null, main, '变更', '行政许可', '区交通运输局', '《中华人民共和国道路运输条例》第二十四条', null, null, null, null, null],
        ],
      },
    ]);
    const { body } = await upload(client, path);
    await settled(client, body.importId);
    const page = (await client.get(`/workspace/imports/${body.importId}`)).text;
    const cell = (name: string) => new RegExp(`<td>${name}(<div class="muted small">[^<]*</div>)?</td>`).exec(page)?.[1]?.replace(/<[^>]+>/g, '') ?? null;
    expect(cell('新办')).toBe(`${main} 的子项`);
    expect(cell('变更')).toBe(`${main} 的子项`);
  });

  it('the preview names a row by its sheet and its number when the file’s items are on several sheets, and by its number alone when on one', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const sheets = (names: string[]) =>
      names.map((name, i) => ({ name, rows: [HEADER, [1, null, `多表事项${i}（${Date.now()}）`, null, '行政许可', '区交通运输局', '《中华人民共和国道路运输条例》第二十四条', null, null, null, null, null]] }));
    const two = await upload(client, await writeWorkbook(join(dir, `two-sheets-${Date.now()}.xlsx`), sheets(['行政许可甲', '行政许可乙'])));
    await settled(client, two.body.importId);
    // The 行号 cell of each new item's row.
    const addedCells = (page: string) => [...page.matchAll(/<tr><td>([^]*?)<\/td><td>多表事项/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    expect(addedCells((await client.get(`/workspace/imports/${two.body.importId}`)).text)).toEqual(['行政许可甲 2', '行政许可乙 2']);
    const one = await upload(client, await writeWorkbook(join(dir, `one-sheet-${Date.now()}.xlsx`), sheets(['行政许可丙'])));
    await settled(client, one.body.importId);
    expect(addedCells((await client.get(`/workspace/imports/${one.body.importId}`)).text)).toEqual(['2']);
  });

  it('the preview’s 依据检查 says how many of a rule’s findings are errors and how many warnings: 无设定依据 counts the rows with no setting basis, those with only a general law are its warnings', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const path = await writeWorkbook(join(dir, `no-basis-${Date.now()}.xlsx`), [
      {
        rows: [
          HEADER,
          [1, null, '道路货物运输站场经营备案（无依据）', null, '行政许可', '区交通运输局', null, '20个工作日', null, null, null, null],
          [2, null, '机动车维修经营备案（无依据）', null, '行政许可', '区交通运输局', null, '20个工作日', null, null, null, null],
          [3, null, '道路运输从业人员管理（通用法）', null, '行政许可', '区交通运输局', '《中华人民共和国行政许可法》第十二条', '20个工作日', null, null, null, null],
        ],
      },
    ]);
    const { body } = await upload(client, path);
    const report = (await settled(client, body.importId)).report as { noBasis: number };
    expect(report.noBasis).toBe(2);
    const page = (await client.get(`/workspace/imports/${body.importId}`)).text;
    expect(page).toContain('无设定依据 <strong data-count="noBasis">2</strong>');
    const line = /<ul id="flag-summary">([^]*?)<\/ul>/.exec(page)![1]!.split('</li>').find((l) => l.includes('无设定依据'))!;
    expect(line.replace(/<[^>]+>/g, '')).toBe('无设定依据：3 项（错误 2，警告 1）');
  });

  it('a department uploads its list and sees new, changed field by field, missing items and row errors, with the catalogue untouched', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const before = counts();
    const path = await departmentSheet();
    const { status, body } = await upload(client, path, { scope: 'complete' });
    expect(status).toBe(202);
    const done = await settled(client, body.importId);
    expect(done.status).toBe('ready');
    // The two sub-items' main item has no row of its own: it is made from them (a third new item).
    expect(done.report).toMatchObject({ rows: 6, items: 5, new: 3, noBasis: 3 });
    expect(done.report.changed + done.report.unchanged).toBe(2);
    expect(done.report.missing).toBe(107 - 2);
    const messages = done.report.errors.map((e: any) => `${e.sheet}!${e.row} ${e.column}: ${e.message}`);
    expect(messages).toContain(`交通运输局!8 事项编码: 事项编码“${otherCode}”属于区人社局的事项，只能修改本部门的事项`);
    expect(messages).toContain('交通运输局!9 事项名称: 缺少事项名称');
    const page = (await client.get(`/workspace/imports/${body.importId}`)).text;
    expect(page).toContain('承诺时限');
    expect(page).toContain('（二）延续注册'.replace('（二）', ''));
    expect(page).toContain('交通运输局</td><td>8</td>');
    // The checks run on every proposal: the new main item and its two sub-items without a basis are flagged NO_BASIS.
    expect(page).toMatch(/没有保留依据的项目一律取消|\[无设定依据\]/);
    const flagged = server.db.$client
      .prepare("SELECT name FROM import_rows r, json_each(r.flags) f WHERE r.import_id = ? AND json_extract(f.value, '$.rule') = 'NO_BASIS' ORDER BY r.id")
      .all(body.importId)
      .map((r: any) => r.name);
    expect(flagged).toEqual(['出租汽车驾驶员从业资格注册', '初次注册', '延续注册']);
    expect(counts()).toEqual(before);
  });

  it('confirming turns the upload into a submission for review and still leaves the catalogue as it was', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const before = counts();
    const { body } = await upload(client, await departmentSheet(), { scope: 'complete' });
    await settled(client, body.importId);
    const csrf = await client.csrfToken();
    const confirmed = await client.postForm(`/workspace/imports/${body.importId}/confirm`, { confirmCancellations: '1' }, { csrf });
    expect(confirmed.status).toBe(303);
    const sub = server.db.$client.prepare('SELECT s.*, (SELECT count(*) FROM submission_items WHERE submission_id = s.id) AS n FROM submissions s WHERE import_id = ?').get(body.importId) as any;
    expect(sub).toMatchObject({ state: 'submitted', source: 'upload', created_by: 'dept-jt' });
    expect(sub.n).toBeGreaterThan(100);
    expect(counts()).toEqual(before);
    const audit = server.db.$client.prepare("SELECT action FROM audit_log WHERE entity_type IN ('import', 'submission') ORDER BY seq DESC LIMIT 3").all();
    expect(audit.map((a: any) => a.action).sort()).toEqual(['import.confirm', 'import.upload', 'submission.create']);
  });

  it('a file that is not a spreadsheet is refused with a Chinese message and nothing is kept', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const before = counts();
    const uploadsBefore = server.db.$client.prepare('SELECT count(*) AS n FROM uploads').get();
    const pdf = join(dir, 'list.xlsx');
    writeFileSync(pdf, '%PDF-1.7\n1 0 obj <<>> endobj\n');
    const { body } = await upload(client, pdf);
    const done = await settled(client, body.importId);
    expect(done.status).toBe('refused');
    expect(done.refusalMessage).toMatch(/PDF/);
    expect((await client.get(`/workspace/imports/${body.importId}`)).text).toContain('文件未被接受');
    expect(counts()).toEqual(before);
    expect(server.db.$client.prepare('SELECT count(*) AS n FROM uploads').get()).toEqual(uploadsBefore);
  });

  it('the same file uploaded twice is recognised, when and by whom said at a local time, not an ISO one', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const path = await departmentSheet();
    const first = await upload(client, path);
    await settled(client, first.body.importId);
    const second = await upload(client, path);
    const done = await settled(client, second.body.importId);
    expect(done.report.previousUpload).toMatchObject({ importId: first.body.importId, by: 'dept-jt' });
    const page = (await client.get(`/workspace/imports/${second.body.importId}`)).text;
    expect(page).toMatch(/同一文件已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 由 dept-jt 上传过/);
    expect(page).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it("a department cannot see or confirm another department's import", async () => {
    const jt = server.client();
    await jt.login('dept-jt');
    const { body } = await upload(jt, await departmentSheet());
    await settled(jt, body.importId);
    const rsj = server.client();
    await rsj.login('dept-rsj');
    expect((await rsj.get(`/workspace/imports/${body.importId}`)).status).toBe(404);
    const csrf = await rsj.csrfToken();
    expect((await rsj.postForm(`/workspace/imports/${body.importId}/confirm`, {}, { csrf })).status).toBe(404);
  });

  it('an upload without the CSRF token is refused before the file is read', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const form = new FormData();
    form.append('file', new Blob(['x']), 'a.csv');
    const res = await fetch(`${server.url}/workspace/imports`, {
      method: 'POST',
      body: form,
      headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json' },
    });
    expect(res.status).toBe(403);
  });

  it('the legal office imports a whole catalogue; unknown departments must be mapped before anything is saved', async () => {
    const client = server.client();
    await client.login('legal');
    const path = await writeWorkbook(join(dir, 'all.xlsx'), [
      {
        rows: [
          ['事项名称', '事项类型', '实施主体', '设定依据'],
          ['城市绿化工程设计方案审批', '行政许可', '区园林局', '《城市绿化条例》第十一条'],
          ['测试确认事项', '行政确认', '区人力资源和社会保障局', '《中华人民共和国社会保险法》第八条'],
        ],
      },
    ]);
    const { body } = await upload(client, path, { department: '', mode: 'baseline' });
    const done = await settled(client, body.importId);
    expect(done.report.unknownDepartments).toEqual(['区园林局']);
    const csrf = await client.csrfToken();
    const refused = await client.postForm(`/workspace/imports/${body.importId}/confirm`, {}, { csrf });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('区园林局');
    expect(server.db.$client.prepare("SELECT count(*) AS n FROM items WHERE name = '测试确认事项'").get()).toEqual({ n: 0 });
    const ok = await client.postForm(`/workspace/imports/${body.importId}/confirm`, { new_0: 'YLJ' }, { csrf });
    expect(ok.status).toBe(303);
    expect(server.db.$client.prepare("SELECT d.code FROM items i JOIN departments d ON d.id = i.department_id WHERE i.name = '城市绿化工程设计方案审批'").get()).toEqual({ code: 'YLJ' });
    expect(server.db.$client.prepare("SELECT d.code FROM items i JOIN departments d ON d.id = i.department_id WHERE i.name = '测试确认事项'").get()).toEqual({ code: 'RSJ' });
  });

  it('a list every row of which is an error cannot be confirmed: the button says why, and a confirm changes nothing', async () => {
    const client = server.client();
    await client.login('dept-jt');
    // A complete list: confirmed, it would have proposed cancelling every item only because every row erred.
    const path = await writeWorkbook(join(dir, `all-errors-${Date.now()}.xlsx`), [
      {
        rows: [
          ['事项编码', '事项名称', '事项类型', '设定依据'],
          [otherCode, '别人家的事项', '行政许可', '《中华人民共和国社会保险法》第八条'],
          [otherCode, '又一个别人家的事项', '行政许可', '《中华人民共和国社会保险法》第八条'],
        ],
      },
    ]);
    const { body } = await upload(client, path, { scope: 'complete' });
    const done = await settled(client, body.importId);
    expect(done.report).toMatchObject({ rows: 2, items: 0 });
    const page = (await client.get(`/workspace/imports/${body.importId}`)).text;
    expect(page).toContain('文件中没有可以申报的事项');
    expect(page).toMatch(/<button type="submit" disabled[^>]*>[^<]*（尚不能确认）/);
    const submissionsBefore = server.db.$client.prepare('SELECT count(*) AS n FROM submissions').get();
    const csrf = await client.csrfToken();
    const refused = await client.postForm(`/workspace/imports/${body.importId}/confirm`, { confirmCancellations: '1' }, { csrf });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('文件中没有可以申报的事项');
    expect(server.db.$client.prepare('SELECT count(*) AS n FROM submissions').get()).toEqual(submissionsBefore);
  });

  it('an item whose code a row with an error gives is not missing from a complete list: the row is to be corrected, not the item cancelled', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const [a, b] = own;
    const path = await writeWorkbook(join(dir, `complete-${Date.now()}.xlsx`), [
      {
        rows: [
          ['事项编码', '事项名称', '事项类型', '设定依据'],
          [a!.code, a!.name, '行政许可', '《中华人民共和国道路运输条例》第二十四条'],
          // The name left empty by mistake: an error on the row, and the item is still in the list.
          [b!.code, null, '行政许可', '《中华人民共和国道路运输条例》第二十四条'],
        ],
      },
    ]);
    const { body } = await upload(client, path, { scope: 'complete' });
    const done = await settled(client, body.importId);
    expect(done.report.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([[3, '事项名称']]);
    const active = server.db.$client.prepare("SELECT count(*) AS n FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'JTYSJ' AND i.removed_at IS NULL").get() as { n: number };
    expect(done.report.complete).toBe(true);
    expect(done.report.missing).toBe(active.n - 2);
    const csrf = await client.csrfToken();
    const confirmed = await client.postForm(`/workspace/imports/${body.importId}/confirm`, { confirmCancellations: '1' }, { csrf });
    expect(confirmed.status).toBe(303);
    const removals = server.db.$client
      .prepare("SELECT i.code FROM submission_items si JOIN submissions s ON s.id = si.submission_id JOIN items i ON i.id = si.item_id WHERE s.import_id = ? AND si.kind = 'remove'")
      .pluck()
      .all(body.importId) as string[];
    expect(removals).toHaveLength(active.n - 2);
    expect(removals).not.toContain(b!.code);
    expect(removals).not.toContain(a!.code);
  });

  it('a department may not load a list straight into the catalogue', async () => {
    const client = server.client();
    await client.login('dept-jt');
    const { body } = await upload(client, await departmentSheet(), { mode: 'baseline', department: '' });
    const done = await settled(client, body.importId);
    const imp = server.db.$client.prepare('SELECT mode, department_id FROM imports WHERE id = ?').get(body.importId) as any;
    expect(imp.mode).toBe('submission');
    expect(done.status).toBe('ready');
  });
});
