// One search on every page: highlighted matches, suggestions as you type, and synonyms the legal office
// keeps (audited; a refused pair changes nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb());
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
});
afterAll(() => server.close());

const totalOf = (html: string) => Number(/<strong id="total">(\d+)<\/strong>/.exec(html)?.[1]);
const auditCount = (action: string) => server.db.$client.prepare('SELECT count(*) FROM audit_log WHERE action = ?').pluck().get(action) as number;

describe('search on the list pages', () => {
  it('marks the matched part of each name with <mark>, for a traditional query too, and escapes the name', async () => {
    const c = server.client();
    const page = await c.get('/items?q=許可');
    expect(page.text).toContain('<mark>许可</mark>');
    const code = server.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
    server.db.$client.prepare("UPDATE items SET name = '<许可>测试', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now','+1 second') WHERE code = ?").run(code);
    const staff = server.client();
    await staff.login('legal');
    const working = await staff.get('/items?q=许可测试');
    expect(working.text).toContain('&lt;<mark>许可&gt;测试</mark>');
    expect(working.text).not.toContain('<许可>');
  });

  it('suggests items as a person types, from the published version for the public', async () => {
    const c = server.client();
    const body = (await c.get('/api/v1/suggest?q=道路运')).json<{ suggestions: { name: string; url: string }[] }>();
    expect(body.suggestions.length).toBeGreaterThan(0);
    expect(body.suggestions.length).toBeLessThanOrEqual(8);
    for (const s of body.suggestions) expect(s.name).toContain('道路运');
    expect((await c.get('/api/v1/suggest?q=')).json<{ suggestions: unknown[] }>().suggestions).toEqual([]);
    const home = await c.get('/');
    expect(home.text).toContain('data-suggest="/api/v1/suggest"');
    expect(home.text).toContain('<script src="/static/suggest.js" defer></script>');
  });

  it('finds through the shipped synonyms: 出租车 finds every 出租汽车 item, 户口 every 户籍 item', async () => {
    const c = server.client();
    expect(totalOf((await c.get('/items?q=出租汽车')).text)).toBeGreaterThan(0);
    expect(totalOf((await c.get('/items?q=出租车')).text)).toBeGreaterThanOrEqual(totalOf((await c.get('/items?q=出租汽车')).text));
    expect(totalOf((await c.get('/items?q=户口')).text)).toBeGreaterThanOrEqual(totalOf((await c.get('/items?q=户籍')).text));
  });
});

describe('the legal office keeps the synonyms', () => {
  it('adds a pair (audited) that every search then uses, and removes it again (audited); shipped pairs stay', async () => {
    const c = server.client();
    await c.login('legal');
    const page = await c.get('/workspace/search-synonyms');
    expect(page.status).toBe(200);
    expect(page.text).toContain('出租汽车');
    const before = totalOf((await server.client().get('/items?q=跑腿证')).text);
    expect(before).toBe(0);
    const added = await c.postForm('/workspace/search-synonyms', { term: '跑腿证', synonym: '道路运输' });
    expect(added.status).toBe(303);
    expect(auditCount('search_synonym.add')).toBe(1);
    expect(totalOf((await server.client().get('/items?q=跑腿证')).text)).toBe(totalOf((await server.client().get('/items?q=道路运输')).text));
    const id = server.db.$client.prepare("SELECT id FROM search_synonyms WHERE term = '跑腿证'").pluck().get() as number;
    expect((await c.postForm(`/workspace/search-synonyms/${id}/delete`, {})).status).toBe(303);
    expect(auditCount('search_synonym.remove')).toBe(1);
    expect(totalOf((await server.client().get('/items?q=跑腿证')).text)).toBe(0);
    const shipped = server.db.$client.prepare("SELECT id FROM search_synonyms WHERE term = '出租车'").pluck().get() as number;
    expect((await c.postForm(`/workspace/search-synonyms/${shipped}/delete`, {})).status).toBe(400);
  });

  it('refuses an empty, punctuation-only, same or existing pair with a Chinese message, and changes nothing', async () => {
    const c = server.client();
    await c.login('legal');
    const count = () => server.db.$client.prepare('SELECT count(*) FROM search_synonyms').pluck().get();
    const audits = () => server.db.$client.prepare('SELECT count(*) FROM audit_log').pluck().get();
    const [n, a] = [count(), audits()];
    for (const [term, synonym, message] of [
      ['', '户籍', '请填写词语'],
      ['《》', '户籍', '词语不能只有标点或空格'],
      ['許可', '许可', '同一个词'],
      ['户籍', '户口', '已经是同义词'],
    ] as const) {
      const reply = await c.postForm('/workspace/search-synonyms', { term, synonym });
      expect(reply.status, term).toBe(400);
      expect(reply.text, term).toContain(message);
    }
    expect(count()).toBe(n);
    expect(audits()).toBe(a);
  });
});
