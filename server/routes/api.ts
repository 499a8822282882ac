// The JSON API (/api/v1). Reads use the same data functions as the HTML pages; writes call the same
// use cases with the same checks (session + X-CSRF-Token header).
import { Router } from 'express';
import { can } from '../auth/policy.js';
import { findingsOfItem } from '../checks/load.js';
import type { ItemDetail } from '../../db/queries/catalogue.js';
import { getInstrument, listInstruments } from '../../db/queries/instruments.js';
import { errors } from '../errors.js';
import { instrumentQuerySchema, itemQuerySchema } from '../catalogue/queries.js';
import { saveItemEdit } from '../review/drafts.js';
import { createReviewRepository } from '../../db/queries/review/index.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { CATEGORIES } from '../domain/vocabulary.js';
import type { RouteDeps } from './deps.js';
import { itemsListJson } from '../catalogue/items-json.js';

function itemDetailJson(item: ItemDetail) {
  const { id: _id, departmentId: _departmentId, ...rest } = item;
  return { ...rest, categoryName: CATEGORIES[item.category] };
}

export function apiRoutes({ db, config, publicCatalogue }: RouteDeps): Router {
  const router = Router();
  const review = createReviewRepository(db);

  router.get('/items', (req, res) => {
    const query = itemQuerySchema.parse(req.query);
    // ?facets=1: also the counts the list page's facet panel shows (服务对象, theme, category, department).
    // An anonymous visitor's request is usually answered ahead of Express (server/http/search-fast-path.ts).
    res.json(itemsListJson(publicCatalogue(req.ctx.user), query, config.pageSize, req.query.facets === '1'));
  });

  router.get('/items/:code', (req, res) => {
    const item = publicCatalogue(req.ctx.user).getItem(req.params.code);
    if (!item) throw errors.notFound('事项');
    const user = req.ctx.user;
    // Staff also get the checks' findings, as on the item page; the public gets the service guide.
    const findings = user && can(user, 'view:workspace') ? findingsOfItem(db, item.code) : null;
    res.json(
      findings
        ? {
            ...itemDetailJson(item),
            flags: findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, suggestion: f.suggestion, suggestionText: f.suggestionText, ground: f.ground })),
          }
        : itemDetailJson(item),
    );
  });

  router.put('/items/:code', requirePermission('update:item'), (req, res) => {
    const user = currentUser(req);
    const change = saveItemEdit(review, actorOf(user), user, req.params.code as string, req.body);
    res.json(change);
  });

  router.get('/departments', (req, res) => {
    res.json({ departments: publicCatalogue(req.ctx.user).listDepartments() });
  });

  router.get('/instruments', (req, res) => {
    const query = instrumentQuerySchema.parse(req.query);
    const result = listInstruments(db, { ...query, pageSize: config.pageSize });
    res.json({ total: result.total, page: query.page, pageSize: config.pageSize, instruments: result.instruments });
  });

  router.get('/instruments/:id', (req, res) => {
    const id = Number(req.params.id);
    const instrument = Number.isSafeInteger(id) ? getInstrument(db, id) : null;
    if (!instrument) throw errors.notFound('法律依据');
    res.json(instrument);
  });

  router.use((_req, _res, next) => next(errors.notFound('接口')));
  return router;
}
