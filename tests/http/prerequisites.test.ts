// Prerequisites over HTTP: a sheet's 前置事项 column and the item form store them; loops across
// departments show on the item page (SVG and list) and on the legal office's analysis page and its
// JSON twin; the legal office cuts and restores an edge; who may see and do what.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { tempDir, writeWorkbook } from '../support/sheets.js';
import { itemFormOf } from '../support/forms.js';
import { importSettled, uploadSheet } from '../support/imports.js';

let server: TestServer;
let dir: string;
const clients: Record<string, TestClient> = {};

beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(tempDir('uploads-'), 'uploads') });
  dir = tempDir();
  for (const user of ['legal', 'admin', 'supervisor', 'expert', 'dept-xzsp', 'dept-jt']) {
    clients[user] = server.client();
    await clients[user].login(user);
  }
});
afterAll(() => server.close());

const sql = (q: string, ...params: unknown[]) => server.db.$client.prepare(q).all(...params) as Record<string, any>[];
const codeOf = (name: string) => (server.db.$client.prepare('SELECT code FROM items WHERE name = ?').pluck().get(name) as string | undefined)!;
const enc = encodeURIComponent;

const upload = async (client: TestClient, path: string, fields: Record<string, string>) => (await uploadSheet(server, client, path, fields)).body;
const settled = importSettled;

interface CycleJson {
  cycles: { items: { code: string; name: string; department: { code: string; name: string } }[]; edges: { id: number; from: { code: string }; to: { code: string }; cut: boolean }[] }[];
  cutEdges: { id: number; cutReason: string }[];
  unresolved: { item: { code: string }; writtenAs: string; problem: string }[];
}
const cycles = async (who = 'legal') => (await clients[who]!.get('/api/v1/prerequisite-cycles')).json<CycleJson>();

describe('import of a sheet with 前置事项', () => {
  it('stores the edges, resolving names of items later in the same sheet; unknown names stay unresolved and are reported', async () => {
    const legal = clients.legal!;
    const path = await writeWorkbook(join(dir, 'prereq.xlsx'), [
      {
        rows: [
          ['事项名称', '事项类型', '实施主体', '设定依据', '前置事项'],
          ['测试甲许可', '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '测试乙核准'],
          ['测试乙核准', '行政许可', '区人社局', '《中华人民共和国行政许可法》第十二条', '测试丙审批'],
          ['测试丙审批', '行政许可', '区住建局', '《中华人民共和国行政许可法》第十二条', '测试甲许可；并不存在的前置事项'],
          ['测试丁登记', '行政许可', '区住建局', '《中华人民共和国行政许可法》第十二条', '无'],
        ],
      },
    ]);
    const { importId } = await upload(legal, path, { department: '', mode: 'baseline' });
    expect((await settled(legal, importId)).status).toBe('ready');
    const ok = await legal.postForm(`/workspace/imports/${importId}/confirm`, {}, { csrf: await legal.csrfToken() });
    expect(ok.status).toBe(303);
    const edges = sql(
      `SELECT o.name AS owner, ip.written_as AS written, t.name AS target FROM item_prerequisites ip JOIN items o ON o.id = ip.item_id
         LEFT JOIN items t ON t.id = ip.prerequisite_item_id WHERE o.name LIKE '测试%' ORDER BY ip.id`,
    );
    expect(edges).toEqual([
      { owner: '测试甲许可', written: '测试乙核准', target: '测试乙核准' },
      { owner: '测试乙核准', written: '测试丙审批', target: '测试丙审批' },
      { owner: '测试丙审批', written: '测试甲许可', target: '测试甲许可' },
      { owner: '测试丙审批', written: '并不存在的前置事项', target: null },
    ]);
    const report = await cycles();
    expect(report.cycles).toHaveLength(1);
    expect(report.cycles[0]!.items.map((i) => `${i.name}（${i.department.name}）`)).toEqual(['测试甲许可（区行政审批局）', '测试乙核准（区人社局）', '测试丙审批（区住建局）']);
    expect(report.cycles[0]!.edges.map((e) => e.cut)).toEqual([false, false, false]);
    expect(report.unresolved).toEqual([expect.objectContaining({ item: expect.objectContaining({ code: codeOf('测试丙审批') }), writtenAs: '并不存在的前置事项', problem: 'unknown' })]);
  });

  it('a sheet whose only change is in 前置事项 changes the item; an empty 前置事项 cell clears them', async () => {
    const legal = clients.legal!;
    const uploadRow = async (file: string, prerequisites: string) => {
      const path = await writeWorkbook(join(dir, file), [
        { rows: [['事项名称', '事项类型', '实施主体', '设定依据', '前置事项'], ['测试丁登记', '行政许可', '区住建局', '《中华人民共和国行政许可法》第十二条', prerequisites]] },
      ]);
      const { importId } = await upload(legal, path, { department: '', mode: 'baseline' });
      expect((await settled(legal, importId)).status).toBe('ready');
      const [row] = sql('SELECT kind, changes FROM import_rows WHERE import_id = ?', importId);
      const ok = await legal.postForm(`/workspace/imports/${importId}/confirm`, {}, { csrf: await legal.csrfToken() });
      expect(ok.status).toBe(303);
      return { kind: row!.kind as string, changes: JSON.parse((row!.changes as string) ?? '[]') as { field: string; before: string; after: string }[] };
    };
    const written = () => sql("SELECT ip.written_as FROM item_prerequisites ip JOIN items o ON o.id = ip.item_id WHERE o.name = '测试丁登记' ORDER BY ip.id").map((r) => r.written_as);
    const added = await uploadRow('only-prereq.xlsx', '测试乙核准');
    expect(added.kind).toBe('changed');
    expect(added.changes).toEqual([{ field: 'prerequisites', label: '前置事项', before: '', after: '测试乙核准' }]);
    expect(written()).toEqual(['测试乙核准']);
    const again = await uploadRow('same-prereq.xlsx', ' 测试乙核准 ');
    expect(again.kind).toBe('unchanged');
    const cleared = await uploadRow('no-prereq.xlsx', '');
    expect(cleared.changes.map((c) => c.field)).toEqual(['prerequisites']);
    expect(written()).toEqual([]);
  });

  it('the item page shows the loop: the finding naming it, the picture with the loop in red, the list beside it', async () => {
    const page = await clients.legal!.get(`/items/${enc(codeOf('测试甲许可'))}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('PREREQUISITE_CYCLE');
    expect(page.text).toContain('测试甲许可（区行政审批局）→ 测试乙核准（区人社局）→ 测试丙审批（区住建局）→ 测试甲许可');
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('id="prerequisite-loop"');
    expect(page.text).toMatch(/<path class="graph-edge"[^>]*stroke="#c62828"/);
    expect(page.text).toContain(`href="/items/${enc(codeOf('测试乙核准'))}"`);
    expect(page.text).toContain('href="/analysis/prerequisites"');
    // The unresolved name shows on its item's page.
    const other = await clients['dept-jt']!.get(`/items/${enc(codeOf('测试丙审批'))}`);
    expect(other.text).toContain('未能对应到目录中的事项');
    expect(other.text).toContain('并不存在的前置事项');
    expect(other.text).not.toContain('PREREQUISITE_CYCLE'); // findings are for staff
  });

  it('the analysis page lists the loop with a cut form for the legal office, and says why when a reason is missing', async () => {
    const page = await clients.legal!.get('/analysis/prerequisites');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="cycle-1"');
    expect(page.text).toContain('在此断开');
    expect(page.text).toContain('href="/api/v1/prerequisite-cycles"');
    const edge = (await cycles()).cycles[0]!.edges[0]!;
    const refused = await clients.legal!.postForm(`/analysis/prerequisites/edges/${edge.id}/cut`, { reason: ' ' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('请填写断开该前置关系的理由');
    expect((await cycles()).cycles).toHaveLength(1);
    const noToken = await clients.legal!.postForm(`/analysis/prerequisites/edges/${edge.id}/cut`, { reason: '协商确定' }, { csrf: null });
    expect(noToken.status).toBe(403);
    expect(sql("SELECT 1 FROM audit_log WHERE action = 'prerequisite.cut'")).toEqual([]);
  });
});

describe('the legal office cuts an edge of a loop', () => {
  it('through the form: the loop is gone, its flags cleared, the cut listed with its reason and audited; the JSON twin restores it', async () => {
    const legal = clients.legal!;
    // The full re-check stores the loop's findings first.
    expect((await legal.postForm('/workspace/flags/recheck', {})).status).toBe(303);
    expect(sql("SELECT count(*) AS n FROM item_flags WHERE rule = 'PREREQUISITE_CYCLE'")).toEqual([{ n: 3 }]);
    const edge = (await cycles()).cycles[0]!.edges.find((e) => e.from.code === codeOf('测试丙审批'))!;
    const cut = await legal.postForm(`/analysis/prerequisites/edges/${edge.id}/cut`, { reason: '经协商以测试甲许可为审批起点' });
    expect(cut.status).toBe(303);
    expect(cut.location).toBe('/analysis/prerequisites?done=cut');
    const after = await cycles();
    expect(after.cycles).toEqual([]);
    expect(after.cutEdges.map((e) => [e.id, e.cutReason])).toEqual([[edge.id, '经协商以测试甲许可为审批起点']]);
    expect(sql("SELECT count(*) AS n FROM item_flags WHERE rule = 'PREREQUISITE_CYCLE'")).toEqual([{ n: 0 }]);
    expect(sql("SELECT actor, entity_id FROM audit_log WHERE action = 'prerequisite.cut'")).toEqual([{ actor: 'legal', entity_id: codeOf('测试丙审批') }]);
    const page = await legal.get(`/items/${enc(codeOf('测试甲许可'))}`);
    expect(page.text).not.toContain('PREREQUISITE_CYCLE');
    expect(page.text).toContain('stroke-dasharray="6 4"');
    const audit = await legal.get('/audit');
    expect(audit.text).toContain('断开前置关系');

    const csrf = await legal.csrfToken();
    const restored = await legal.sendJson('POST', `/api/v1/prerequisite-edges/${edge.id}/restore`, {}, csrf);
    expect(restored.status).toBe(200);
    expect(restored.json()).toMatchObject({ edge: edge.id, cut: false });
    expect(restored.json().changed.map((c: { code: string }) => c.code).sort()).toEqual([codeOf('测试甲许可'), codeOf('测试丙审批'), codeOf('测试乙核准')].sort());
    expect((await cycles()).cycles).toHaveLength(1);
    const again = await legal.sendJson('POST', `/api/v1/prerequisite-edges/${edge.id}/restore`, {}, csrf);
    expect(again.status).toBe(409);
    const noReason = await legal.sendJson('POST', `/api/v1/prerequisite-edges/${edge.id}/cut`, {}, csrf);
    expect(noReason.status).toBe(400);
    expect(noReason.json().error.fields.reason).toBeTruthy();
  });

  it('a supervisor, an expert or a department may not cut', async () => {
    const edge = (await cycles()).cycles[0]!.edges[0]!;
    for (const who of ['supervisor', 'expert', 'dept-xzsp']) {
      const reply = await clients[who]!.postForm(`/analysis/prerequisites/edges/${edge.id}/cut`, { reason: '理由' });
      expect(reply.status, who).toBe(403);
    }
    expect((await cycles()).cycles).toHaveLength(1);
  });
});

describe('who sees the prerequisite analysis', () => {
  it('the legal office, supervisor and admin see every loop; a department only loops touching its items; experts and the public none', async () => {
    for (const who of ['legal', 'supervisor', 'admin']) expect((await cycles(who)).cycles, who).toHaveLength(1);
    expect((await cycles('dept-xzsp')).cycles).toHaveLength(1);
    const jt = await cycles('dept-jt');
    expect(jt.cycles).toEqual([]);
    expect(jt.unresolved).toEqual([]);
    const deptPage = await clients['dept-jt']!.get('/analysis/prerequisites');
    expect(deptPage.status).toBe(200);
    expect(deptPage.text).toContain('只列出涉及本部门事项');
    expect(deptPage.text).not.toContain('在此断开');
    expect((await clients.expert!.get('/api/v1/prerequisite-cycles')).status).toBe(403);
    expect((await server.client().get('/api/v1/prerequisite-cycles')).status).toBe(401);
  });
});

describe('the item form’s 前置事项 field', () => {
  const formOf = itemFormOf;
  const itemJson = async (code: string) => (await clients.legal!.get(`/api/v1/items/${enc(code)}`)).json<Record<string, any>>();

  it('an admin saves 前置事项 by code or name, one per line or separated by 、; the form shows them again; unknown names are reported', async () => {
    const admin = clients.admin!;
    const code = codeOf('测试丁登记');
    const form = await admin.get(`/workspace/items/${enc(code)}/edit`);
    expect(form.text).toContain('name="prerequisites"');
    const reply = await admin.postForm(`/workspace/items/${enc(code)}`, formOf(await itemJson(code), { prerequisites: `${codeOf('测试甲许可')}\n测试乙核准、还没有的事项` }));
    expect(reply.status).toBe(303);
    expect(decodeURIComponent(reply.location!)).toContain('前置事项');
    expect(sql('SELECT ip.written_as, t.name FROM item_prerequisites ip LEFT JOIN items t ON t.id = ip.prerequisite_item_id WHERE ip.item_id = (SELECT id FROM items WHERE code = ?) ORDER BY ip.id', code)).toEqual([
      { written_as: codeOf('测试甲许可'), name: '测试甲许可' },
      { written_as: '测试乙核准', name: '测试乙核准' },
      { written_as: '还没有的事项', name: null },
    ]);
    const again = await admin.get(`/workspace/items/${enc(code)}/edit`);
    expect(again.text).toContain(`${codeOf('测试甲许可')}\n测试乙核准\n还没有的事项</textarea>`);
    const page = await admin.get(`/items/${enc(code)}`);
    expect(page.text).toContain('还没有的事项');
    expect(page.text).toContain('未能对应到目录中的事项');
    // A JSON body without 前置事项 leaves them; too many are refused with the field named.
    const json = await itemJson(code);
    const { prerequisites: _p, ...withoutPrerequisites } = json;
    const put = await admin.sendJson('PUT', `/api/v1/items/${enc(code)}`, { ...withoutPrerequisites, remarks: '改备注' }, await admin.csrfToken());
    expect(put.status).toBe(200);
    expect(sql('SELECT count(*) AS n FROM item_prerequisites WHERE item_id = (SELECT id FROM items WHERE code = ?)', code)).toEqual([{ n: 3 }]);
    const tooMany = await admin.postForm(`/workspace/items/${enc(code)}`, formOf(await itemJson(code), { prerequisites: Array.from({ length: 51 }, (_, i) => `事项${i}`).join('\n') }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('前置事项最多 50 个');
  });

  it("a department's 前置事项 go into its draft proposal, shown again in the form, with the change listed for review", async () => {
    const dept = clients['dept-xzsp']!;
    const code = codeOf('测试甲许可');
    const reply = await dept.postForm(`/workspace/items/${enc(code)}`, formOf(await itemJson(code), { prerequisites: '测试乙核准；测试丁登记' }));
    expect(reply.status).toBe(303);
    expect(sql('SELECT written_as FROM item_prerequisites WHERE item_id = (SELECT id FROM items WHERE code = ?)', code)).toEqual([{ written_as: '测试乙核准' }]);
    const draft = sql("SELECT si.proposal, si.changes FROM submission_items si JOIN items i ON i.id = si.item_id WHERE i.code = ? AND si.state = 'draft'", code)[0]!;
    expect(JSON.parse(draft.proposal)).toMatchObject({ prerequisites: ['测试乙核准', '测试丁登记'], prerequisitesPresent: true });
    expect(JSON.parse(draft.changes)).toEqual([{ field: 'prerequisites', label: '前置事项', before: '测试乙核准', after: '测试乙核准；测试丁登记' }]);
    const form = await dept.get(`/workspace/items/${enc(code)}/edit`);
    expect(form.text).toContain('测试乙核准\n测试丁登记</textarea>');
  });
});
