// The open API's description: the OpenAPI 3.1 document (GET /api/v1/openapi.json) and a short page in
// Chinese (/api) listing its endpoints, both from the one document built from the zod schemas.
import { Router } from 'express';
import { openApiDocument } from '../publication/api-schemas.js';
import { listVersions } from '../publication/reader.js';
import { renderPage } from '../http/render.js';
import { urls } from '../urls.js';
import type { RouteDeps } from './deps.js';

interface SchemaObject {
  type?: string | string[];
  const?: unknown;
  anyOf?: SchemaObject[];
  enum?: unknown[];
  minimum?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  $ref?: string;
}
interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description: string;
  schema: SchemaObject;
  example?: string;
}
interface Operation {
  operationId: string;
  summary: string;
  description: string;
  parameters: Parameter[];
  responses: Record<string, { description: string; content?: Record<string, { schema: SchemaObject }> }>;
}
interface Document {
  info: { title: string; description: string };
  paths: Record<string, { get: Operation }>;
}

/** A parameter's type as a person reads it. */
function typeText(s: SchemaObject): string {
  if (s.anyOf) return s.anyOf.map(typeText).join(' 或 ');
  if (s.const !== undefined) return String(s.const);
  if (s.enum) return `取值之一：${s.enum.join(' / ')}`;
  if (s.type === 'integer') return s.minimum !== undefined ? `整数（≥ ${s.minimum}）` : '整数';
  if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return '日期 YYYY-MM-DD';
  if (s.pattern) return `文本（格式 ${s.pattern}）`;
  if (s.type === 'string') return s.maxLength ? `文本（至多 ${s.maxLength} 字）` : '文本';
  return String(s.type ?? '');
}

const schemaName = (s: SchemaObject | undefined) => s?.$ref?.split('/').pop() ?? '';

/** The /api page's model: every path of the document with its parameters and answers. */
export function apiPageModel(doc: Document, exampleVersion: number | null) {
  return {
    info: doc.info,
    documentUrl: urls.api.openapi(),
    endpoints: Object.entries(doc.paths).map(([path, { get }]) => {
      // An example link for paths a visitor can open as they are: the latest version, the one before it.
      const query = get.parameters.filter((p) => p.in === 'query' && p.example !== undefined).map((p) => `${p.name}=${encodeURIComponent(p.example!)}`);
      const example =
        exampleVersion === null || path.includes('{code}')
          ? null
          : path.replace('{n}', String(exampleVersion)).replace('{a}', String(Math.max(1, exampleVersion - 1))).replace('{b}', String(exampleVersion)) + (query.length ? `?${query.join('&')}` : '');
      return {
        method: 'GET',
        path,
        summary: get.summary,
        description: get.description,
        exampleUrl: example,
        parameters: get.parameters.map((p) => ({
          name: p.name,
          where: p.in === 'path' ? '路径' : '查询',
          required: p.required ? '必填' : '可选',
          type: typeText(p.schema),
          description: p.description,
          default: p.schema.default === undefined ? null : String(p.schema.default),
        })),
        responses: Object.entries(get.responses).map(([status, r]) => ({
          status,
          description: r.description,
          schema: schemaName(r.content?.['application/json']?.schema),
        })),
      };
    }),
  };
}

export function apiDocsRoutes({ db, views }: RouteDeps): Router {
  const router = Router();

  router.get('/api/v1/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(openApiDocument());
  });

  router.get('/api', (req, res) => {
    const latest = listVersions(db)[0]?.number ?? null;
    renderPage(views, req, res, 'api', apiPageModel(openApiDocument() as Document, latest), { title: '开放接口', jsonUrl: urls.api.openapi() });
  });

  return router;
}
