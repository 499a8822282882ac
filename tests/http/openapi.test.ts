// The open API's OpenAPI 3.1 document: generated from the zod schemas the routes parse with, covering
// every public version route, and describing what the routes really answer.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { z } from 'zod';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { listRoutes } from '../support/routes.js';
import { createApp } from '../../server/app.js';
import { defaultConfig } from '../../server/config.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { itemQuerySchema } from '../../server/catalogue/queries.js';
import {
  PARAMETER_DOCS,
  errorSchema,
  statsSchema,
  versionDiffSchema,
  versionItemSchema,
  versionItemsPageSchema,
  versionItemsQuerySchema,
  versionsListSchema,
} from '../../server/publication/api-schemas.js';

interface Operation {
  operationId: string;
  summary: string;
  parameters: { name: string; in: string; required: boolean; description: string; schema: Record<string, unknown> }[];
  responses: Record<string, { description: string; content?: { 'application/json': { schema: { $ref: string } } } }>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

let server: TestServer;
let doc: Doc;
let changedCode: string;
let removedCode: string;

beforeAll(async () => {
  server = await startTestServer(demoDb());
  const sqlite = server.db.$client;
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）', effectiveOn: '2026-01-01' });
  // A second version with one item changed and one removed, so the diff has something in each list.
  [changedCode, removedCode] = sqlite.prepare('SELECT code FROM items WHERE removed_at IS NULL AND parent_id IS NULL ORDER BY id LIMIT 2').pluck().all() as [string, string];
  const now = new Date().toISOString();
  sqlite.prepare("UPDATE items SET remarks = '自 2026 年起网上办理', statutory_limit_days = 15, updated_at = ? WHERE code = ?").run(now, changedCode);
  sqlite.prepare('UPDATE items SET removed_at = ?, updated_at = ? WHERE code = ?').run(now, now, removedCode);
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第2版）', effectiveOn: '2026-07-01' });
  const reply = await server.client().get('/api/v1/openapi.json');
  expect(reply.status).toBe(200);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  doc = reply.json<Doc>();
});
afterAll(() => server.close());

/** The document's own JSON Schema for a component, as a zod schema (so answers are checked against the document too). */
const documented = (ref: string) =>
  z.fromJSONSchema({ $ref: ref.replace('#/components/schemas/', '#/$defs/'), $defs: JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/')) });

/** An answer fits its zod schema with nothing left over, and fits the document's schema for that operation. */
async function checkAnswer(path: string, docPath: string, schema: z.ZodType, status = 200) {
  const reply = await server.client().get(path);
  expect(reply.status, path).toBe(status);
  const body = reply.json();
  expect(schema.parse(body), `${path}: every field of the answer is in the schema`).toEqual(body);
  const ref = doc.paths[docPath]!.get!.responses[String(status)]!.content!['application/json'].schema.$ref;
  const check = documented(ref).safeParse(body);
  expect(check.success, `${path}: ${check.error?.message}`).toBe(true);
  return body;
}

describe('the OpenAPI document', () => {
  it('has the shape of an OpenAPI 3.1 document: operations with parameters, and JSON responses whose schemas resolve', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\/v1\//);
      for (const [method, op] of Object.entries(item)) {
        expect(method).toBe('get');
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        expect(op.summary).toBeTruthy();
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name).sort()).toEqual(templated.sort());
        for (const p of op.parameters) {
          expect(['path', 'query']).toContain(p.in);
          if (p.in === 'path') expect(p.required).toBe(true);
          expect(typeof p.schema.type === 'string' || Array.isArray(p.schema.anyOf), `${path} ${p.name}`).toBe(true);
        }
        expect(op.responses['200']!.content!['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(response.description).toBeTruthy();
        }
      }
    }
    // Every $ref anywhere in the document names a component schema that exists.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(doc.components.schemas, r).toHaveProperty(r);
    for (const schema of Object.values(doc.components.schemas)) {
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
  });

  it('documents every public GET route of the API for versions and the statistics, and no path the app does not answer', () => {
    const routes = listRoutes(createApp({ db: demoDb(), config: defaultConfig() }))
      .filter((r) => r.startsWith('GET /api/v1/versions') || r === 'GET /api/v1/stats')
      .map((r) => r.slice(4).replace(/:(\w+)/g, '{$1}'));
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(routes)].sort());
  });

  it('the items query documented is the catalogue query the routes parse, every parameter explained in Chinese', () => {
    expect(versionItemsQuerySchema).toBe(itemQuerySchema);
    const items = doc.paths['/api/v1/versions/{n}/items']!.get!;
    expect(items.parameters.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual([...Object.keys(itemQuerySchema.shape), 'facets'].sort());
    for (const op of Object.values(doc.paths).map((i) => i.get!)) {
      for (const p of op.parameters) {
        expect(PARAMETER_DOCS[p.name], `${op.operationId} ${p.name}`).toBeTruthy();
        expect(p.description).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('each documented filter of the items list works as documented', async () => {
    const c = server.client();
    const get = async (q: string) => (await c.get(`/api/v1/versions/1/items${q}`)).json<z.output<typeof versionItemsPageSchema>>();
    const all = await get('');
    const byCategory = await get('?category=permit');
    expect(byCategory.total).toBeGreaterThan(0);
    expect(byCategory.total).toBeLessThan(all.total);
    expect(byCategory.items.every((i) => i.category === 'permit')).toBe(true);
    const byDepartment = await get('?department=RSJ');
    expect(byDepartment.items.every((i) => i.department.code === 'RSJ')).toBe(true);
    const noBasis = await get('?basis=no');
    expect(noBasis.items.every((i) => !i.hasBasis)).toBe(true);
    const page2 = await get('?page=2');
    expect(page2.page).toBe(2);
    expect(page2.items[0]!.code).not.toBe(all.items[0]!.code);
    const name = all.items[0]!.name;
    const byQ = await get(`?q=${encodeURIComponent(name)}`);
    expect(byQ.items.map((i) => i.name)).toContain(name);
  });
});

describe('real answers fit the response schemas and the document', () => {
  it('GET /api/v1/versions, with and without a date', async () => {
    const list = (await checkAnswer('/api/v1/versions', '/api/v1/versions', versionsListSchema)) as { versions: unknown[] };
    expect(list.versions).toHaveLength(2);
    const on = (await checkAnswer('/api/v1/versions?date=2026-03-01', '/api/v1/versions', versionsListSchema)) as { version: { number: number } };
    expect(on.version.number).toBe(1);
  });

  it('GET /api/v1/versions/{n}/items, filtered and paged', async () => {
    for (const q of ['', '?page=3', '?department=RSJ&category=permit', '?level=district&basis=yes', '?theme=transport&audience=legal&facets=1']) {
      const page = (await checkAnswer(`/api/v1/versions/2/items${q}`, '/api/v1/versions/{n}/items', versionItemsPageSchema)) as { items: unknown[] };
      expect(page.items.length, q).toBeGreaterThan(0);
    }
  });

  it('GET /api/v1/versions/{n}/items/{code}, for a changed item with its history', async () => {
    const sub = server.db.$client.prepare('SELECT code FROM items WHERE parent_id IS NOT NULL AND removed_at IS NULL LIMIT 1').pluck().get() as string;
    for (const code of [changedCode, sub]) {
      const answer = (await checkAnswer(`/api/v1/versions/2/items/${encodeURIComponent(code)}`, '/api/v1/versions/{n}/items/{code}', versionItemSchema)) as { history: unknown[] };
      expect(answer.history.length).toBeGreaterThan(0);
    }
  });

  it('GET /api/v1/versions/{a}/diff/{b}, with a changed and a removed item', async () => {
    const diff = (await checkAnswer('/api/v1/versions/1/diff/2', '/api/v1/versions/{a}/diff/{b}', versionDiffSchema)) as { changed: { code: string }[]; removed: { code: string }[] };
    expect(diff.changed.map((e) => e.code)).toContain(changedCode);
    expect(diff.removed.map((e) => e.code)).toContain(removedCode);
  });

  it('GET /api/v1/stats, for a version and for one department of the latest', async () => {
    const all = (await checkAnswer('/api/v1/stats?version=2', '/api/v1/stats', statsSchema)) as { items: number };
    expect(all.items).toBe(1134);
    await checkAnswer('/api/v1/stats?version=latest&department=RSJ', '/api/v1/stats', statsSchema);
    await checkAnswer('/api/v1/stats', '/api/v1/stats', errorSchema, 401);
  });

  it('errors: an unknown version or item is a 404 and a malformed date a 400, as documented', async () => {
    await checkAnswer('/api/v1/versions/99/items', '/api/v1/versions/{n}/items', errorSchema, 404);
    await checkAnswer('/api/v1/versions/abc/items', '/api/v1/versions/{n}/items', errorSchema, 404);
    await checkAnswer('/api/v1/versions/1/items/NO-SUCH-CODE', '/api/v1/versions/{n}/items/{code}', errorSchema, 404);
    await checkAnswer('/api/v1/versions/1/diff/99', '/api/v1/versions/{a}/diff/{b}', errorSchema, 404);
    await checkAnswer('/api/v1/versions?date=2025-12-31', '/api/v1/versions', errorSchema, 404);
    const bad = await checkAnswer('/api/v1/versions?date=9', '/api/v1/versions', errorSchema, 400);
    expect(bad).toEqual({ error: { code: 'input.invalid', message: '日期格式应为 2026-12-31。', fields: {} } });
  });
});

describe('the /api page', () => {
  it('lists every endpoint of the document with its parameters in Chinese, and links the document', async () => {
    const page = await server.client().get('/api');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>开放接口</h1>');
    expect(page.text).toContain('href="/api/v1/openapi.json"');
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(page.text).toContain(`<code>GET ${path}</code>`);
      for (const p of item.get!.parameters) expect(page.text, `${path} ${p.name}`).toContain(`<td><code>${p.name}</code></td>`);
    }
    expect(page.text).toContain('href="/api/v1/versions/2/items"');
    expect(page.text).toContain('href="/api/v1/stats?version&#x3D;latest"');
  });
});
