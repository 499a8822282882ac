// Walks every route of the app with every role (and no login) and asserts who is let in.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createApp } from '../../server/app.js';
import { defaultConfig } from '../../server/config.js';
import { demoDb } from '../support/db.js';
import { listRoutes } from '../support/routes.js';
import { startTestServer, TestClient, type TestServer } from '../support/http.js';
import { join } from 'node:path';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';
import { importSettled, uploadSheet } from '../support/imports.js';

type Who = 'anonymous' | 'department' | 'legal_office' | 'expert' | 'supervisor' | 'admin';
const EVERYONE: Who[] = ['anonymous', 'department', 'legal_office', 'expert', 'supervisor', 'admin'];
const SIGNED_IN: Who[] = ['department', 'legal_office', 'expert', 'supervisor', 'admin'];
const USERNAMES: Record<Exclude<Who, 'anonymous'>, string> = {
  department: 'dept-xzsp',
  legal_office: 'legal',
  expert: 'expert',
  supervisor: 'supervisor',
  admin: 'admin',
};

/** Who may use each route. `:code` is an item of the department user's own department. */
const ACCESS: Record<string, Who[]> = {
  'GET /analysis/prerequisites': ['department', 'legal_office', 'supervisor', 'admin'],
  'GET /api/v1/prerequisite-cycles': ['department', 'legal_office', 'supervisor', 'admin'],
  'POST /analysis/prerequisites/edges/:id/cut': ['legal_office', 'admin'],
  'POST /analysis/prerequisites/edges/:id/restore': ['legal_office', 'admin'],
  'POST /api/v1/prerequisite-edges/:id/cut': ['legal_office', 'admin'],
  'POST /api/v1/prerequisite-edges/:id/restore': ['legal_office', 'admin'],
  'POST /analysis/prerequisites/resolve': ['legal_office', 'admin'],
  'GET /dashboard': EVERYONE,
  'GET /dashboard.xlsx': SIGNED_IN,
  'GET /api/v1/stats': SIGNED_IN,
  'GET /api/v1/openapi.json': EVERYONE,
  'GET /api': EVERYONE,
  'GET /': EVERYONE,
  'GET /items': EVERYONE,
  'GET /items/:code': EVERYONE,
  'GET /departments': EVERYONE,
  'GET /instruments': EVERYONE,
  'GET /instruments/:id': EVERYONE,
  'GET /login': EVERYONE,
  'POST /login': EVERYONE,
  'POST /logout': EVERYONE,
  'GET /api/v1/items': EVERYONE,
  'GET /api/v1/items/:code': EVERYONE,
  'GET /api/v1/departments': EVERYONE,
  'GET /api/v1/instruments': EVERYONE,
  'GET /api/v1/instruments/:id': EVERYONE,
  'GET /api/v1/instrument-suggestions': EVERYONE,
  'GET /versions': EVERYONE,
  'GET /api/v1/versions': EVERYONE,
  'GET /versions/:n': EVERYONE,
  'GET /api/v1/versions/:n/items': EVERYONE,
  'GET /versions/:n/items/:code': EVERYONE,
  'GET /api/v1/versions/:n/items/:code': EVERYONE,
  'GET /versions/:a/diff/:b': EVERYONE,
  'GET /versions/:n/download/:format': EVERYONE,
  'GET /workspace/publish': ['legal_office', 'admin'],
  'POST /workspace/publish': ['legal_office', 'admin'],
  'POST /api/v1/versions': ['legal_office', 'admin'],
  'GET /api/v1/versions/:a/diff/:b': EVERYONE,
  'PUT /api/v1/items/:code': ['department', 'admin'],
  'GET /workspace': SIGNED_IN,
  'GET /api/v1/inbox': SIGNED_IN,
  'GET /workspace/items/:code/edit': ['department', 'admin'],
  'POST /workspace/items/:code': ['department', 'admin'],
  'GET /api/v1/suggest': EVERYONE,
  'GET /workspace/search-synonyms': ['legal_office', 'admin'],
  'POST /workspace/search-synonyms': ['legal_office', 'admin'],
  'POST /workspace/search-synonyms/:id/delete': ['legal_office', 'admin'],
  'GET /admin/departments': ['admin'],
  'POST /admin/departments': ['admin'],
  'GET /admin/users': ['admin'],
  'POST /admin/users': ['admin'],
  'GET /admin/users/:username': ['admin'],
  'POST /admin/users/:username': ['admin'],
  'POST /admin/users/:username/disable': ['admin'],
  'POST /admin/users/:username/enable': ['admin'],
  'POST /admin/users/:username/reset-password': ['admin'],
  'GET /account/password': SIGNED_IN,
  'POST /account/password': SIGNED_IN,
  'GET /audit.xlsx': ['legal_office', 'supervisor', 'admin'],
  'GET /audit': ['legal_office', 'supervisor', 'admin'],
  'GET /workspace/imports': ['department', 'legal_office', 'supervisor', 'admin'],
  'POST /workspace/imports': ['department', 'legal_office', 'admin'],
  'POST /api/v1/imports': ['department', 'legal_office', 'admin'],
  'GET /workspace/imports/:id': ['department', 'legal_office', 'supervisor', 'admin'],
  'GET /api/v1/imports/:id': ['department', 'legal_office', 'supervisor', 'admin'],
  'POST /workspace/imports/:id/confirm': ['department', 'legal_office', 'admin'],
  'POST /workspace/imports/:id/discard': ['department', 'legal_office', 'admin'],
  'POST /api/v1/imports/:id/confirm': ['department', 'legal_office', 'admin'],
  'POST /api/v1/imports/:id/discard': ['department', 'legal_office', 'admin'],
  'POST /workspace/imports/:id/mapping': ['department', 'legal_office', 'admin'],
  'GET /workspace/mappings': ['department', 'legal_office', 'admin'],
  'GET /api/v1/mappings': ['department', 'legal_office', 'admin'],
  'POST /workspace/mappings/:id': ['department', 'legal_office', 'admin'],
  'POST /workspace/mappings/:id/delete': ['department', 'legal_office', 'admin'],
  'POST /api/v1/imports/:id/mapping': ['department', 'legal_office', 'admin'],
  'GET /workspace/template.xlsx': ['department', 'legal_office', 'admin'],
  'POST /instruments/:id': ['legal_office', 'admin'],
  'PUT /api/v1/instruments/:id': ['legal_office', 'admin'],
  'GET /registry/import': ['legal_office', 'admin'],
  'POST /registry/import': ['legal_office', 'admin'],
  'POST /api/v1/registry/imports': ['legal_office', 'admin'],
  'GET /registry/import/:id': ['legal_office', 'admin'],
  'GET /api/v1/registry/imports/:id': ['legal_office', 'admin'],
  'POST /registry/import/:id/confirm': ['legal_office', 'admin'],
  'POST /api/v1/registry/imports/:id/confirm': ['legal_office', 'admin'],
  'POST /registry/import/:id/discard': ['legal_office', 'admin'],
  'GET /registry/export.xlsx': ['legal_office', 'admin'],
  'GET /registry/export.csv': ['legal_office', 'admin'],
  'GET /workspace/flags': ['legal_office', 'supervisor', 'admin'],
  'GET /api/v1/flags': ['legal_office', 'supervisor', 'admin'],
  'GET /workspace/flags.xlsx': ['legal_office', 'supervisor', 'admin'],
  'POST /workspace/flags/recheck': ['legal_office', 'admin'],
  'GET /review/campaigns': SIGNED_IN,
  'GET /api/v1/campaigns': SIGNED_IN,
  'POST /review/campaigns': ['legal_office', 'admin'],
  'POST /api/v1/campaigns': ['legal_office', 'admin'],
  'GET /review/campaigns/:id': SIGNED_IN,
  'GET /api/v1/campaigns/:id': SIGNED_IN,
  'POST /review/campaigns/:id/deadlines': ['legal_office', 'admin'],
  'POST /api/v1/campaigns/:id/deadlines': ['legal_office', 'admin'],
  'POST /review/campaigns/:id/close': ['legal_office', 'admin'],
  'GET /review/submissions': ['department', 'legal_office', 'supervisor', 'admin'],
  'GET /api/v1/submissions': ['department', 'legal_office', 'supervisor', 'admin'],
  'GET /review/submissions/:id': ['department', 'legal_office', 'supervisor', 'admin'],
  'GET /api/v1/submissions/:id': ['department', 'legal_office', 'supervisor', 'admin'],
  'POST /review/submissions/:id/withdraw': ['department'],
  'POST /api/v1/submissions/:id/withdraw': ['department'],
  'POST /review/submissions/:id/submit': ['department'],
  'POST /api/v1/submissions/:id/submit': ['department'],
  'POST /review/submissions/:id/discard': ['department'],
  'POST /api/v1/submissions/:id/discard': ['department'],
  'GET /review/queue': SIGNED_IN,
  'GET /api/v1/review/queue': SIGNED_IN,
  'POST /review/queue/actions': ['legal_office', 'admin'],
  'POST /api/v1/review/actions': ['legal_office', 'admin'],
  'GET /review/items/:id': SIGNED_IN,
  'GET /api/v1/review/items/:id': SIGNED_IN,
  'POST /review/opinions/:id/handling': ['legal_office', 'admin'],
  'POST /api/v1/review/opinions/:id/handling': ['legal_office', 'admin'],
  'POST /review/items/:id/decide': ['legal_office', 'admin'],
  'POST /api/v1/review/items/:id/decide': ['legal_office', 'admin'],
  'POST /review/items/:id/return': ['legal_office', 'admin'],
  'POST /api/v1/review/items/:id/return': ['legal_office', 'admin'],
  'POST /review/items/:id/answer': ['department'],
  'POST /api/v1/review/items/:id/answer': ['department'],
  'POST /review/items/:id/override': ['legal_office', 'admin'],
  'POST /api/v1/review/items/:id/override': ['legal_office', 'admin'],
  'POST /review/items/:id/experts': ['legal_office', 'admin'],
  'POST /api/v1/review/items/:id/experts': ['legal_office', 'admin'],
  'POST /review/items/:id/close-experts': ['legal_office', 'admin'],
  'POST /api/v1/review/items/:id/close-experts': ['legal_office', 'admin'],
  'POST /review/items/:id/finalise': ['legal_office', 'admin'],
  'POST /api/v1/review/items/:id/finalise': ['legal_office', 'admin'],
  'POST /review/items/:id/reopen': ['legal_office', 'admin'],
  'POST /api/v1/review/items/:id/reopen': ['legal_office', 'admin'],
  'POST /review/items/:id/opinion': ['expert'],
  'POST /api/v1/review/items/:id/opinion': ['expert'],
  'GET /registry/instruments/new': ['legal_office', 'admin'],
  'GET /api/v1/registry/unregistered': ['legal_office', 'admin'],
  'POST /registry/instruments': ['legal_office', 'admin'],
  'POST /api/v1/instruments': ['legal_office', 'admin'],
  'GET /registry/lists': ['legal_office', 'supervisor', 'admin'],
  'GET /api/v1/reference-lists': ['legal_office', 'supervisor', 'admin'],
  'POST /registry/lists': ['legal_office', 'admin'],
  'POST /api/v1/reference-lists': ['legal_office', 'admin'],
  'GET /registry/lists/:id': ['legal_office', 'supervisor', 'admin'],
  'GET /api/v1/reference-lists/:id': ['legal_office', 'supervisor', 'admin'],
  'POST /registry/lists/:id/decisions': ['legal_office', 'admin'],
  'POST /api/v1/reference-lists/:id/decisions': ['legal_office', 'admin'],
  'POST /registry/lists/:id/confirm-near': ['legal_office', 'admin'],
  'POST /registry/lists/:id/rematch': ['legal_office', 'admin'],
  'POST /registry/lists/:id/delete': ['legal_office', 'admin'],
  'GET /review/campaigns/:id/filing': ['legal_office', 'supervisor', 'admin'],
  'GET /api/v1/campaigns/:id/filing': ['legal_office', 'supervisor', 'admin'],
  'GET /review/campaigns/:id/filing.xlsx': ['legal_office', 'supervisor', 'admin'],
  'GET /review/register': ['legal_office', 'supervisor', 'admin'],
  'GET /api/v1/register': ['legal_office', 'supervisor', 'admin'],
  'GET /workspace/jobs': ['department', 'legal_office', 'supervisor', 'admin'],
  'GET /api/v1/jobs': ['department', 'legal_office', 'supervisor', 'admin'],
  'GET /workspace/jobs/:id': ['department', 'legal_office', 'supervisor', 'admin'],
  'GET /api/v1/jobs/:id': ['department', 'legal_office', 'supervisor', 'admin'],
  // The service guide and public feedback (issue 17.4–17.5).
  'GET /scripts/print.js': EVERYONE,
  'GET /items/:code/feedback': EVERYONE,
  'POST /items/:code/feedback': EVERYONE,
  'GET /feedback': ['legal_office', 'supervisor', 'admin'],
  'GET /api/v1/feedback': ['legal_office', 'supervisor', 'admin'],
  'POST /feedback/:id/answer': ['legal_office', 'admin'],
  // Themes the legal office tags by hand (issue 17.3).
  'POST /workspace/items/:code/themes': ['legal_office', 'admin'],
  'POST /workspace/items/:code/themes/:theme/remove': ['legal_office', 'admin'],
  'GET /api/v1/items/:code/themes': ['legal_office', 'admin'],
  'POST /api/v1/items/:code/themes': ['legal_office', 'admin'],
  'POST /api/v1/items/:code/themes/:theme/remove': ['legal_office', 'admin'],
};

let server: TestServer;
let ownCode: string;
let otherCode: string;
const clients = new Map<Who, TestClient>();

beforeAll(async () => {
  const db = demoDb();
  server = await startTestServer(db);
  const code = (dept: string) =>
    (db.$client.prepare('SELECT i.code FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = ? LIMIT 1').get(dept) as { code: string })
      .code;
  ownCode = code('XZSPJ');
  otherCode = code('RSJ');
  for (const who of EVERYONE) {
    const client = server.client();
    if (who !== 'anonymous') await client.login(USERNAMES[who]);
    else await client.get('/login'); // picks up the anonymous CSRF cookie, as a browser would
    clients.set(who, client);
  }
});
afterAll(() => server.close());

async function call(client: TestClient, route: string, code: string) {
  const [method, pattern] = route.split(' ') as [string, string];
  const path = pattern.replace(':code', encodeURIComponent(code)).replace(':id', '1');
  const csrf = await client.csrfToken();
  if (method === 'GET') return client.get(path);
  if (method === 'PUT') return client.sendJson('PUT', path, { name: '' }, csrf);
  // An invalid form: a let-in request fails validation (400) and changes nothing.
  const fields: Record<string, string> = route === 'POST /login' ? { username: 'nobody', password: 'x' } : { name: '' };
  return client.postForm(path, fields, { csrf });
}

const letIn = (r: { status: number; location: string | null }) =>
  r.status !== 401 && r.status !== 403 && !(r.status === 303 && (r.location ?? '').startsWith('/login'));

describe('access by role', () => {
  it('every route of the app has an access rule in this test', () => {
    const routes = listRoutes(createApp({ db: demoDb(), config: defaultConfig() }));
    expect(routes.filter((r) => !(r in ACCESS))).toEqual([]);
  });

  for (const [route, allowed] of Object.entries(ACCESS)) {
    it(`${route} lets in exactly ${allowed.join(', ')}`, async () => {
      for (const who of EVERYONE) {
        const client = route === 'POST /logout' ? server.client() : clients.get(who)!;
        if (route === 'POST /logout' && who !== 'anonymous') await client.login(USERNAMES[who]);
        const reply = await call(client, route, ownCode);
        expect(letIn(reply), `${who} → ${route} answered ${reply.status}`).toBe(allowed.includes(who));
      }
    });
  }

  it("a department user is refused every way of editing another department's item; an admin is not", async () => {
    const dept = clients.get('department')!;
    const csrf = await dept.csrfToken();
    expect((await dept.get(`/workspace/items/${encodeURIComponent(otherCode)}/edit`)).status).toBe(403);
    expect((await dept.postForm(`/workspace/items/${encodeURIComponent(otherCode)}`, { name: 'x', category: 'permit', rowVersion: '1' }, { csrf })).status).toBe(403);
    expect((await dept.sendJson('PUT', `/api/v1/items/${encodeURIComponent(otherCode)}`, { name: 'x', category: 'permit', rowVersion: 1 }, csrf)).status).toBe(403);
    const admin = clients.get('admin')!;
    expect((await admin.get(`/workspace/items/${encodeURIComponent(otherCode)}/edit`)).status).toBe(200);
  });

  it("a department reaches none of another department's imports, submissions, drafts or review items through any route", async () => {
    // The other department (人社局) has a draft made in the item form and an uploaded list.
    const rsj = server.client();
    await rsj.login('dept-rsj');
    const read = (await rsj.get(`/api/v1/items/${encodeURIComponent(otherCode)}`)).json<Record<string, unknown>>();
    const saved = await rsj.sendJson('PUT', `/api/v1/items/${encodeURIComponent(otherCode)}`, { ...read, remarks: '人社局的草稿' }, await rsj.csrfToken());
    expect(saved.status).toBe(200);
    const draft = saved.json<{ draft: { submissionId: number; submissionItemId: number } }>().draft;
    const dir = tempDir('access-');
    const sheet = await writeWorkbook(join(dir, 'rsj.xlsx'), [
      { name: '人社局', rows: [HEADER, [1, otherCode, String(read.name), null, '行政许可', '区人社局', '《中华人民共和国劳动法》第十条', '20个工作日', '5个工作日', '不收费', null, null]] },
    ]);
    const { body } = await uploadSheet(server, rsj, sheet);
    await importSettled(rsj, body.importId);
    const ids: [RegExp, number][] = [
      [/^\/(workspace|api\/v1)\/imports\/:id/, body.importId],
      [/^\/(review|api\/v1)\/submissions\/:id/, draft.submissionId],
      [/^\/(review|api\/v1\/review)\/items\/:id/, draft.submissionItemId],
    ];
    const before = server.db.$client.prepare('SELECT (SELECT group_concat(state) FROM submissions WHERE id = ?) || (SELECT status FROM imports WHERE id = ?)').pluck().get(draft.submissionId, body.importId);
    const dept = clients.get('department')!;
    let walked = 0;
    for (const route of Object.keys(ACCESS).filter((r) => r.includes(':id') && ACCESS[r]!.includes('department'))) {
      const [method, pattern] = route.split(' ') as [string, string];
      const id = ids.find(([re]) => re.test(pattern))?.[1];
      if (id === undefined) continue;
      const path = pattern.replace(':id', String(id));
      const csrf = await dept.csrfToken();
      const reply = method === 'GET' ? await dept.get(path) : await dept.postForm(path, { rowVersion: '1', answer: '答复', reason: '理由' }, { csrf });
      expect([403, 404], `${route} answered ${reply.status}`).toContain(reply.status);
      walked++;
    }
    expect(walked).toBeGreaterThanOrEqual(12);
    expect(server.db.$client.prepare('SELECT (SELECT group_concat(state) FROM submissions WHERE id = ?) || (SELECT status FROM imports WHERE id = ?)').pluck().get(draft.submissionId, body.importId)).toBe(before);
  });
});
