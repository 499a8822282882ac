// Registering an instrument the registry did not know: the unknown citations of the same title are
// linked to it and their items re-checked in the same request (UNKNOWN_INSTRUMENT goes).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';

let server: TestServer;
let unknown: { title: string; items: number };
beforeAll(async () => {
  server = await startTestServer(demoDb());
  unknown = server.db.$client
    .prepare(
      `SELECT c.title, count(DISTINCT c.item_id) AS items FROM citations c JOIN item_flags f ON f.item_id = c.item_id AND f.rule = 'UNKNOWN_INSTRUMENT'
        WHERE c.instrument_id IS NULL GROUP BY c.title ORDER BY items DESC LIMIT 1`,
    )
    .get() as typeof unknown;
});
/** The title as registered: without the 《》 the department wrote around it. */
const bare = () => unknown.title.replace(/^《|》$/g, '');
afterAll(() => server.close());

const unknownFlagged = () =>
  server.db.$client
    .prepare(
      `SELECT count(DISTINCT c.item_id) FROM citations c JOIN item_flags f ON f.item_id = c.item_id AND f.rule = 'UNKNOWN_INSTRUMENT'
        WHERE c.title = ? AND c.instrument_id IS NULL`,
    )
    .pluck()
    .get(unknown.title) as number;

describe('registering an unknown instrument', () => {
  it('the form lists the titles items cite but the registry lacks, with an inferred rank to confirm', async () => {
    expect(unknown).toBeDefined();
    const c = server.client();
    await c.login('legal');
    const page = await c.get('/registry/instruments/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="unregistered"');
    expect(page.text).toContain(bare());
    const prefilled = await c.get(`/registry/instruments/new?title=${encodeURIComponent('中华人民共和国某某法')}`);
    expect(prefilled.text).toMatch(/<option value="law" selected>/);
    expect(prefilled.text).toContain('推断');
  });

  it('registering it links the unknown citations and clears UNKNOWN_INSTRUMENT on their items in the same request, audited', async () => {
    expect(unknownFlagged()).toBe(unknown.items);
    const c = server.client();
    await c.login('legal');
    const reply = await c.postForm('/registry/instruments', { title: bare(), rank: 'department_rule', status: 'in_force', documentNumber: '' });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('id="created-result"');
    const id = server.db.$client.prepare("SELECT id FROM legal_instruments WHERE title = ? AND source = 'manual'").pluck().get(bare()) as number;
    expect(server.db.$client.prepare('SELECT count(DISTINCT item_id) FROM citations WHERE instrument_id = ?').pluck().get(id)).toBe(unknown.items);
    expect(unknownFlagged()).toBe(0);
    const stillFlagged = server.db.$client
      .prepare(`SELECT count(*) FROM item_flags f JOIN citations c ON c.item_id = f.item_id WHERE c.instrument_id = ? AND f.rule = 'UNKNOWN_INSTRUMENT'
                 AND NOT EXISTS (SELECT 1 FROM citations c2 WHERE c2.item_id = f.item_id AND c2.instrument_id IS NULL)`)
      .pluck()
      .get(id);
    expect(stillFlagged).toBe(0);
    const audit = server.db.$client.prepare("SELECT after FROM audit_log WHERE action = 'instrument.create' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    expect(JSON.parse(audit)).toMatchObject({ title: bare(), citationsLinked: expect.any(Number) });
  });

  it('the same title registered twice is refused, and a form without a rank is refused in Chinese; nothing is added', async () => {
    const c = server.client();
    await c.login('admin');
    const count = () => server.db.$client.prepare('SELECT count(*) FROM legal_instruments').pluck().get() as number;
    const before = count();
    const again = await c.sendJson('POST', '/api/v1/instruments', { title: unknown.title, rank: 'department_rule', status: 'in_force' }, await c.csrfToken());
    expect(again.status).toBe(409);
    expect(again.json().error.message).toContain('依据库中已有');
    const noRank = await c.postForm('/registry/instruments', { title: '某某办法', rank: '', status: 'in_force' });
    expect(noRank.status).toBe(400);
    expect(noRank.text).toContain('请选择效力位阶');
    expect(count()).toBe(before);
  });

  it('a department user cannot register instruments', async () => {
    const c = server.client();
    await c.login('dept-rsj');
    expect((await c.postForm('/registry/instruments', { title: '某某办法', rank: 'law', status: 'in_force' })).status).toBe(403);
  });
});
