// The registry in bulk from the web: export, upload a changed file, see the preview's diff, confirm; the
// change is audited and the items citing the changed instrument are re-checked by a job.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';

let server: TestServer;
let law: { id: number; title: string; n: number };
beforeAll(async () => {
  server = await startTestServer(demoDb());
  // An in-force law that is the only setting basis of several items.
  law = server.db.$client
    .prepare(
      `SELECT l.id, l.title, count(DISTINCT c.item_id) AS n FROM legal_instruments l JOIN citations c ON c.instrument_id = l.id AND c.role = 'setting'
        WHERE l.status = 'in_force' AND NOT EXISTS (SELECT 1 FROM citations c2 WHERE c2.item_id = c.item_id AND c2.role = 'setting' AND c2.instrument_id != l.id)
        GROUP BY l.id ORDER BY n DESC LIMIT 1`,
    )
    .get() as typeof law;
});
afterAll(() => server.close());

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const repealedFlags = () =>
  (server.db.$client
    .prepare(`SELECT count(DISTINCT f.item_id) AS n FROM item_flags f JOIN citations c ON c.item_id = f.item_id AND c.instrument_id = ? WHERE f.rule = 'BASIS_REPEALED'`)
    .get(law.id) as { n: number }).n;

describe('registry import from the web', () => {
  it('an exported registry imported again shows every instrument unchanged', async () => {
    const c = server.client();
    await c.login('legal');
    const csv = await c.get('/registry/export.csv');
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]!.replace(/^\ufeff/, '')).toBe('编号,标题,效力位阶,制定机关,地区,文号,公布日期,施行日期,废止日期,状态,现行版本');
    const up = await c.postMultipart('/api/v1/registry/imports', {}, { name: '法规库.csv', bytes: bytes(csv.text) });
    expect(up.status).toBe(201);
    const total = (server.db.$client.prepare('SELECT count(*) AS n FROM legal_instruments').get() as { n: number }).n;
    expect(up.json()).toMatchObject({ added: [], changed: [], unchanged: total });
  });

  it('a file marking a law repealed and adding a rule is previewed field by field, confirmed, audited, and the citing items re-checked by a job', async () => {
    expect(law.n).toBeGreaterThan(1);
    expect(repealedFlags()).toBe(0);
    const c = server.client();
    await c.login('legal');
    const file = [
      '标题,效力位阶,发布机关,文号,公布日期,状态,编号',
      `${law.title},法律,,,${(server.db.$client.prepare('SELECT published_on FROM legal_instruments WHERE id = ?').get(law.id) as { published_on: string }).published_on},已废止,${law.id}`,
      '城市公厕管理办法,部门规章,建设部,建设部令第9号,1990-12-31,有效,',
    ].join('\n');
    const up = await c.postMultipart('/registry/import', {}, { name: 'changes.csv', bytes: bytes(file) });
    expect(up.status).toBe(303);
    const page = await c.get(up.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('新增 <strong>1</strong> 条，有变化 <strong>1</strong> 条');
    expect(page.text).toMatch(/<td>状态<\/td><td>有效<\/td><td>已废止<\/td>/);
    expect(page.text).toContain('城市公厕管理办法');
    // Nothing is written before the confirm.
    expect(server.db.$client.prepare('SELECT status FROM legal_instruments WHERE id = ?').get(law.id)).toEqual({ status: 'in_force' });

    const id = Number(/\/registry\/import\/(\d+)/.exec(up.location!)![1]);
    const csrf = await c.csrfToken(up.location!);
    const confirmed = await c.sendJson('POST', `/api/v1/registry/imports/${id}/confirm`, {}, csrf);
    expect(confirmed.status).toBe(200);
    expect(confirmed.json()).toMatchObject({ added: 1, changed: 1, recheck: { items: expect.any(Number) } });
    expect(confirmed.json().recheck.items).toBeGreaterThanOrEqual(law.n);
    expect(repealedFlags()).toBe(law.n);
    const row = server.db.$client.prepare('SELECT status, edited_by FROM legal_instruments WHERE id = ?').get(law.id);
    expect(row).toEqual({ status: 'repealed', edited_by: 'legal' });
    const added = server.db.$client.prepare("SELECT rank, document_number, source FROM legal_instruments WHERE title = '城市公厕管理办法'").get();
    expect(added).toEqual({ rank: 'department_rule', document_number: '建设部令第9号', source: 'import' });
    const audit = server.db.$client.prepare("SELECT actor, after FROM audit_log WHERE action = 'registry.import' ORDER BY seq DESC LIMIT 1").get() as { actor: string; after: string };
    expect(audit.actor).toBe('legal');
    expect(JSON.parse(audit.after)).toMatchObject({ file: 'changes.csv', added: 1, changed: 1, changes: [{ id: law.id, before: { status: 'in_force' }, after: { status: 'repealed' } }] });
    const job = server.db.$client.prepare("SELECT kind, state FROM jobs WHERE kind = 'registry_recheck' ORDER BY started_at DESC LIMIT 1").get();
    expect(job).toEqual({ kind: 'registry_recheck', state: 'done' });
    // The instrument's page says who changed it, and that an upgrade of the shipped registry leaves it alone.
    expect((await c.get(`/instruments/${law.id}`)).text).toContain('legal 修改过（随系统更新法规库时不会覆盖）');
    // Confirming twice is refused.
    expect((await c.sendJson('POST', `/api/v1/registry/imports/${id}/confirm`, {}, csrf)).status).toBe(409);
  });

  it('a bad file is refused in Chinese, naming its rows, and changes nothing', async () => {
    const c = server.client();
    await c.login('legal');
    const before = server.db.$client.prepare('SELECT (SELECT count(*) FROM legal_instruments) AS l, (SELECT count(*) FROM registry_imports) AS r, (SELECT count(*) FROM audit_log) AS a').get();
    const bad = await c.postMultipart('/api/v1/registry/imports', {}, { name: 'bad.csv', bytes: bytes('标题,效力位阶,公布日期\n某某办法,部门文件,2020-01-01\n另一办法,部门规章,去年\n') });
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toContain('第2行：效力位阶“部门文件”无法识别');
    expect(bad.json().error.message).toContain('第3行：公布日期“去年”不是日期');
    const noHeader = await c.postMultipart('/api/v1/registry/imports', {}, { name: 'x.csv', bytes: bytes('名称,备注\n某某,无\n') });
    expect(noHeader.status).toBe(400);
    expect(noHeader.json().error.message).toContain('找不到表头');
    expect(server.db.$client.prepare('SELECT (SELECT count(*) FROM legal_instruments) AS l, (SELECT count(*) FROM registry_imports) AS r, (SELECT count(*) FROM audit_log) AS a').get()).toEqual(before);
  });

  it('a department user cannot import or export the registry', async () => {
    const c = server.client();
    await c.login('dept-jt');
    expect((await c.get('/registry/import')).status).toBe(403);
    expect((await c.get('/registry/export.xlsx')).status).toBe(403);
  });
});
