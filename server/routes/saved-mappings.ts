// The mappings remembered from earlier uploads (which header is which column, which file value is which
// catalogue value), per department and header row: listed for whoever may import for that department,
// each entry removable, a whole mapping deletable. The next upload with that header row reads without it.
import { Router, type Request } from 'express';
import { createImportRepository, type StoredMapping } from '../../db/queries/imports.js';
import { COLUMNS, type ColumnKey } from '../../imports/columns.js';
import { VALUE_COLUMNS } from '../../imports/mapping.js';
import { MAPPING_CHOICES, SAVED_MAPPINGS, localTime } from '../domain/labels.js';
import { displayNames } from '../../db/queries/accounts.js';
import { VALUE_TARGETS, editMapping, forgetMapping, keptMappings } from '../imports/mapping.js';
import { errors } from '../errors.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { wantsJson } from '../http/errors.js';
import { urls } from '../urls.js';
import type { RouteDeps } from './deps.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export function savedMappingRoutes({ db, views }: RouteDeps): Router {
  const router = Router();
  const deps = { db, importRepository: createImportRepository({ db }) };

  const modelOf = (m: StoredMapping, departments: Map<number, string>, codes: Map<string, string>, names: Map<string, string>) => {
    const departmentId = m.scope.startsWith('d:') ? Number(m.scope.slice(2)) : null;
    const columnName = (key: string) => (key === 'ignore' ? MAPPING_CHOICES.ignore : (COLUMNS[key as ColumnKey]?.label ?? key));
    const valueName = (column: string, code: string) =>
      column === 'department' ? (codes.get(code) ?? code) : ((VALUE_TARGETS as Record<string, Record<string, string>>)[column]?.[code] ?? code);
    return {
      id: m.id,
      scopeName: departmentId === null ? SAVED_MAPPINGS.allDepartments : (departments.get(departmentId) ?? SAVED_MAPPINGS.allDepartments),
      headers: m.headerKey.split('|').filter(Boolean).join('、'),
      updatedBy: names.get(m.updatedBy) ?? m.updatedBy,
      updatedAt: localTime(m.updatedAt),
      columns: Object.entries(m.columns).map(([header, key]) => ({ header, column: columnName(key), field: 'column', value: header })),
      values: VALUE_COLUMNS.flatMap((column) =>
        Object.entries(m.values[column] ?? {}).map(([from, to]) => ({ column: COLUMNS[column].label, from, to: valueName(column, to), value: `${column}:${from}` })),
      ),
      editAction: urls.savedMapping(m.id),
      deleteAction: urls.savedMappingDelete(m.id),
    };
  };

  const page = (req: Request) => {
    const departments = new Map(deps.importRepository.departmentNames().map((d) => [d.id, d.name]));
    const codes = new Map(deps.importRepository.departmentNames().map((d) => [d.code, d.name]));
    return keptMappings(deps, currentUser(req)).map((m) => modelOf(m, departments, codes, displayNames(db)));
  };

  router.get('/workspace/mappings', requirePermission('create:import'), (req, res) => {
    renderPage(views, req, res, 'saved-mappings', { mappings: page(req) }, { title: SAVED_MAPPINGS.title, jsonUrl: urls.api.savedMappings() });
  });
  router.get('/api/v1/mappings', requirePermission('create:import'), (req, res) => {
    res.json({ mappings: keptMappings(deps, currentUser(req)) });
  });

  const idOf = (req: Request) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw errors.notFound('保存的对应关系');
    return id;
  };
  const done = (req: Request, res: import('express').Response) => (wantsJson(req) ? res.json({ ok: true }) : res.redirect(303, urls.savedMappings()));

  /** Takes the ticked entries out (`drop` = header, or `column:file value`). */
  router.post('/workspace/mappings/:id', requirePermission('create:import'), (req, res) => {
    const drop = list((req.body ?? {}).drop);
    const columns: string[] = [];
    const values: [string, string][] = [];
    for (const d of drop) {
      const at = d.indexOf(':');
      const column = at > 0 ? d.slice(0, at) : '';
      if ((VALUE_COLUMNS as readonly string[]).includes(column)) values.push([column, d.slice(at + 1)]);
      else columns.push(d);
    }
    if (!columns.length && !values.length) throw errors.invalid(SAVED_MAPPINGS.nothingTicked);
    editMapping(deps, idOf(req), { columns, values }, actorOf(currentUser(req)), currentUser(req));
    done(req, res);
  });
  router.post('/workspace/mappings/:id/delete', requirePermission('create:import'), (req, res) => {
    forgetMapping(deps, idOf(req), actorOf(currentUser(req)), currentUser(req));
    done(req, res);
  });
  return router;
}
