// Registry upkeep: marking an instrument repealed flags the items citing it within the same request,
// and un-marking clears them again.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';

let server: TestServer;
let law: { id: number; title: string; rank: string; status: string; n: number };
beforeAll(async () => {
  server = await startTestServer(demoDb());
  // The in-force law cited as the only setting basis by the most items.
  law = server.db.$client
    .prepare(
      `SELECT l.id, l.title, l.rank, l.status, count(DISTINCT c.item_id) AS n FROM legal_instruments l JOIN citations c ON c.instrument_id = l.id AND c.role = 'setting'
        WHERE l.status = 'in_force' AND NOT EXISTS (SELECT 1 FROM citations c2 WHERE c2.item_id = c.item_id AND c2.role = 'setting' AND c2.instrument_id != l.id)
        GROUP BY l.id ORDER BY n DESC LIMIT 1`,
    )
    .get() as typeof law;
});
afterAll(() => server.close());

const flagged = () =>
  (
    server.db.$client
      .prepare(
        `SELECT DISTINCT i.code FROM item_flags f JOIN items i ON i.id = f.item_id WHERE f.rule = 'BASIS_REPEALED'
          AND EXISTS (SELECT 1 FROM citations c WHERE c.item_id = i.id AND c.instrument_id = ?) ORDER BY i.code`,
      )
      .all(law.id) as { code: string }[]
  ).map((r) => r.code);

describe('registry upkeep', () => {
  it('marking a law repealed flags every item that rests on it in the same request, and shows which items changed state', async () => {
    expect(law.n).toBeGreaterThan(1);
    const c = server.client();
    await c.login('legal');
    const csrf = await c.csrfToken();
    const reply = await c.postForm(`/instruments/${law.id}`, { rank: law.rank, status: 'repealed', issuingBody: '', publishedOn: '', effectiveOn: '', replacedById: '' }, { csrf });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('id="changed-state"');
    expect(flagged()).toHaveLength(law.n);
    expect(reply.text).toContain('BASIS_REPEALED');
    const audit = server.db.$client.prepare("SELECT actor, before, after FROM audit_log WHERE action = 'instrument.update' ORDER BY seq DESC LIMIT 1").get() as {
      actor: string;
      before: string;
      after: string;
    };
    expect(audit.actor).toBe('legal');
    expect(JSON.parse(audit.before).status).toBe('in_force');
    expect(JSON.parse(audit.after)).toMatchObject({ status: 'repealed', itemsChangedState: law.n });
  });

  it('un-marking it clears the flags again', async () => {
    const c = server.client();
    await c.login('legal');
    const csrf = await c.csrfToken();
    const reply = await c.sendJson('PUT', `/api/v1/instruments/${law.id}`, { rank: law.rank, status: 'in_force' }, csrf);
    expect(reply.status).toBe(200);
    expect(reply.json().changed.every((ch: { removed: string[] }) => ch.removed.includes('BASIS_REPEALED'))).toBe(true);
    expect(flagged()).toEqual([]);
  });

  it('a department user cannot change the registry, and a bad date is refused with a Chinese message', async () => {
    const dept = server.client();
    await dept.login('dept-jt');
    expect((await dept.postForm(`/instruments/${law.id}`, { rank: 'law', status: 'repealed' })).status).toBe(403);
    const legal = server.client();
    await legal.login('legal');
    const bad = await legal.postForm(`/instruments/${law.id}`, { rank: law.rank, status: 'in_force', publishedOn: '2024/1/1' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('日期格式应为');
    expect(server.db.$client.prepare('SELECT status, published_on FROM legal_instruments WHERE id = ?').get(law.id)).toMatchObject({ status: 'in_force' });
  });
});
