// Small leaks closed: an earlier upload of the same file is told only within a department; nothing sent to a
// signed-in visitor is kept by a cache; HTTPS deployments say HSTS; the JSON-LD export cannot close a script.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';
import { importSettled, uploadSheet } from '../support/imports.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(tempDir('uploads-'), 'uploads') });
});
afterAll(() => server.close());

describe("an earlier upload of the same file is told only within the uploader's department", () => {
  it('a department is not told that another department uploaded the same file, nor by whom', async () => {
    const sheet = await writeWorkbook(join(tempDir(), 'same.xlsx'), [
      { rows: [HEADER, [1, '', '某某新设登记', '', '行政确认', '', '', '', '', '', '', '']] },
    ]);
    const jt = server.client();
    await jt.login('dept-jt');
    const rsj = server.client();
    await rsj.login('dept-rsj');

    const first = await uploadSheet(server, jt, sheet);
    await importSettled(jt, first.body.importId);
    const other = await uploadSheet(server, rsj, sheet);
    const otherDone = await importSettled(rsj, other.body.importId);
    expect(otherDone.report.previousUpload).toBeNull();
    const page = (await rsj.get(`/workspace/imports/${other.body.importId}`)).text;
    expect(page).not.toContain('同一文件已于');
    expect(page).not.toContain('dept-jt');

    // Within the department the earlier upload is still told.
    const again = await uploadSheet(server, rsj, sheet);
    const againDone = await importSettled(rsj, again.body.importId);
    expect(againDone.report.previousUpload).toMatchObject({ importId: other.body.importId, by: 'dept-rsj' });
  });
});

describe('nothing sent to a signed-in visitor is kept by a cache', () => {
  it('pages, JSON, downloads and errors for a signed-in visitor say Cache-Control: no-store', async () => {
    const c = server.client();
    await c.login('legal');
    for (const path of ['/workspace', '/items', '/api/v1/items', '/api/v1/openapi.json', '/workspace/flags.xlsx', '/no-such-page', '/items/%FF']) {
      const reply = await c.get(path);
      expect(reply.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('the answers that start and end a session say no-store', async () => {
    const c = server.client();
    expect((await c.login('legal')).headers.get('cache-control')).toBe('no-store');
    expect((await c.postForm('/logout', {}, { from: '/workspace' })).headers.get('cache-control')).toBe('no-store');
  });

  it('anonymous public pages stay cacheable (no no-store)', async () => {
    const reply = await server.client().get('/api/v1/openapi.json');
    expect(reply.headers.get('cache-control')).not.toBe('no-store');
  });
});

describe('HSTS when cookies are Secure (behind HTTPS)', () => {
  it('with COOKIE_SECURE=1 every answer says Strict-Transport-Security; without, none does', async () => {
    const secure = await startTestServer(demoDb(), { cookieSecure: true });
    try {
      for (const path of ['/', '/login', '/static/app.css', '/no-such-page']) {
        expect((await secure.client().get(path)).headers.get('strict-transport-security'), path).toMatch(/max-age=\d{7,}/);
      }
    } finally {
      await secure.close();
    }
    expect((await server.client().get('/')).headers.get('strict-transport-security')).toBeNull();
  });
});

describe('the JSON-LD export cannot close a script element', () => {
  it('an item named with </script> is written with \\u003c, and reads back as the same name', async () => {
    const name = '</script><script>alert(1)</script> 许可 & 备案\u2028';
    const code = (server.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 1').get() as { code: string }).code;
    server.db.$client.prepare('UPDATE items SET name = ? WHERE code = ?').run(name, code);
    const { version } = publishVersion(server.services, SYSTEM_ACTOR, { title: '</SCRIPT> 版本', effectiveOn: '2026-12-01' });
    const reply = await server.client().get(`/versions/${version}/download/jsonld`);
    expect(reply.status).toBe(200);
    expect(reply.text).not.toMatch(/<\/script/i);
    expect(reply.text).not.toMatch(/[<>\u2028]/);
    const doc = reply.json<{ '@graph': { identifier: string; name: string }[]; 'dct:title': string }>();
    expect(doc['@graph'].find((s) => s.identifier === code)?.name).toBe(name);
    expect(doc['dct:title']).toBe('</SCRIPT> 版本');
  });
});
