// Public pages: catalogue list with filters, item service guide, departments, legal-instrument registry.
import { guideFeedback } from '../feedback/public.js';
import { Router, type Request } from 'express';
import { getInstrument, listInstruments } from '../../db/queries/instruments.js';
import { latestVersion } from '../../db/queries/publication/versions.js';
import { seesWorkingCatalogue } from '../publication/public-catalogue.js';
import { PUBLIC_CATALOGUE_LABELS, localTime } from '../domain/labels.js';
import { errors } from '../errors.js';
import { renderPage } from '../http/render.js';
import { instrumentQuerySchema, itemQuerySchema } from '../catalogue/queries.js';
import { can } from '../auth/policy.js';
import { findingsOfItem } from '../checks/load.js';
import { itemPrerequisiteGraph } from '../analysis/item-graph.js';
import { instrumentFormModel } from './registry.js';
import { ruleCatalogue } from '../checks/engine.js';
import { SEVERITIES, SUGGESTED_DISPOSITIONS } from '../checks/types.js';

const ruleTitles = new Map(ruleCatalogue().map((r) => [r.code, r.title]));
import { CATEGORIES } from '../domain/vocabulary.js';
import { urls } from '../urls.js';
import { queryAlternatives } from '../publication/search.js';
import {
  itemFiltersModel,
  departmentRow,
  instrumentDetailModel,
  instrumentRow,
  itemGuideModel,
  itemListModel,
  pager,
  rankOptions,
  statusOptions,
} from '../views/models.js';
import type { RouteDeps } from './deps.js';
import { facetPanelModel, homeBrowseModel } from '../views/facets-model.js';
import { itemThemesModel } from '../views/item-themes-model.js';
import { browseThemes, itemThemes } from '../catalogue/theme-tags.js';

/**
 * The item page's data (the service guide; for staff also the checks' findings and, for the legal office,
 * the 主题 block): one function, so a refused theme tag re-renders the same page with its message.
 */
export function itemPage({ db, publicCatalogue }: Pick<RouteDeps, 'db' | 'publicCatalogue'>, req: Request, code: string) {
  const item = publicCatalogue(req.ctx.user).getItem(code);
  if (!item) throw errors.notFound('事项');
  const guide = itemGuideModel(item);
  const user = req.ctx.user;
  // Check findings are for the people who work on the catalogue, not the public service guide.
  const findings = user && can(user, 'view:workspace') ? findingsOfItem(db, item.code) : null;
  const flags = findings
    ? findings.map((f) => ({
        ...f,
        severityName: SEVERITIES[f.severity],
        dispositionName: SUGGESTED_DISPOSITIONS[f.suggestion],
        title: ruleTitles.get(f.rule) ?? f.rule,
      }))
    : null;
  return {
    title: item.name,
    jsonUrl: guide.jsonUrl,
    model: {
      item: guide,
      flags,
      editUrl: can(user, 'update:item', { departmentId: item.departmentId }) ? urls.editItem(item.code) : null,
      prerequisiteGraph: itemPrerequisiteGraph(db, item.code, urls.item),
      feedback: guideFeedback(db, item.code),
      prerequisitesUrl: can(user, 'read:prerequisite') ? urls.prerequisites() : null,
      themes: can(user, 'manage:item_theme') ? itemThemesModel(itemThemes(db, item.code, item.name), item.code, req.query) : null,
      browseThemes: browseThemes(db, item.code, item.name, (theme) => urls.items({ theme })),
    },
  };
}

export function publicRoutes({ db, config, views, services, publicCatalogue }: RouteDeps): Router {
  const router = Router();

  router.get('/', (req, res) => {
    const latest = latestVersion(db) ?? null;
    if (!latest && !seesWorkingCatalogue(req.ctx.user)) {
      renderPage(views, req, res, 'unpublished', { message: PUBLIC_CATALOGUE_LABELS.unpublished, versionsUrl: urls.versions() }, { title: PUBLIC_CATALOGUE_LABELS.unpublishedTitle });
      return;
    }
    const catalogue = publicCatalogue(req.ctx.user);
    const counts = catalogue.counts();
    const departments = catalogue.listDepartments();
    const browse = homeBrowseModel(catalogue.facets({}), { individual: catalogue.facets({ audience: 'individual' }), legal: catalogue.facets({ audience: 'legal' }) }, urls.items);
    renderPage(
      views,
      req,
      res,
      'home',
      {
        catalogueLabel: catalogue.label,
        workingCatalogue: !catalogue.published,
        staffHint: catalogue.published ? null : PUBLIC_CATALOGUE_LABELS.staffHint,
        totalItems: counts.items,
        totalDepartments: departments.length,
        categories: Object.entries(counts.byCategory)
          .sort((a, b) => b[1] - a[1])
          .map(([code, n]) => ({ name: CATEGORIES[code as keyof typeof CATEGORIES] ?? code, count: n, url: urls.items({ category: code }) })),
        departments: [...departments].sort((a, b) => b.itemCount - a.itemCount || (a.code < b.code ? -1 : 1)).slice(0, 12).map(departmentRow),
        allDepartmentsUrl: urls.departments(),
        browse,
        itemsUrl: urls.items(),
        suggestUrl: urls.api.suggest(),
        latestVersion: latest
          ? { ...latest, publishedOn: localTime(latest.publishedAt).slice(0, 10), url: urls.version(latest.number), versionsUrl: urls.versions() }
          : null,
      },
      { title: '行政权力清单', jsonUrl: urls.api.departments() },
    );
  });

  router.get('/items', (req, res) => {
    const query = itemQuerySchema.parse(req.query);
    const catalogue = publicCatalogue(req.ctx.user);
    const result = catalogue.listItems({ ...query, pageSize: config.pageSize });
    const departments = catalogue.listDepartments();
    const { page: _page, ...filters } = query;
    const facets = facetPanelModel(catalogue.facets(filters), filters, urls.items, (code) => departments.find((d) => d.code === code)?.name);
    renderPage(
      views,
      req,
      res,
      'items',
      {
        catalogueLabel: catalogue.label,
        workingCatalogue: !catalogue.published,
        suggestUrl: urls.api.suggest(),
        ...itemListModel(result, filters, undefined, queryAlternatives(query.q, services.synonyms.current())),
        ...itemFiltersModel(departments, query),
        facets,
        keep: { audience: query.audience ?? null, theme: query.theme ?? null },
      },
      { title: '事项目录', jsonUrl: urls.api.items({ ...filters, page: query.page, facets: 1 }) },
    );
  });

  router.get('/items/:code', (req, res) => {
    const page = itemPage({ db, publicCatalogue }, req, req.params.code);
    renderPage(views, req, res, 'item', page.model, { title: page.title, jsonUrl: page.jsonUrl });
  });

  router.get('/departments', (req, res) => {
    const catalogue = publicCatalogue(req.ctx.user);
    const departments = catalogue.listDepartments();
    renderPage(
      views,
      req,
      res,
      'departments',
      { departments: departments.map(departmentRow), total: departments.length, catalogueLabel: catalogue.label, workingCatalogue: !catalogue.published },
      { title: '实施部门', jsonUrl: urls.api.departments() },
    );
  });

  router.get('/instruments', (req, res) => {
    const query = instrumentQuerySchema.parse(req.query);
    const result = listInstruments(db, { ...query, pageSize: config.pageSize });
    const { page: _page, ...filters } = query;
    renderPage(
      views,
      req,
      res,
      'instruments',
      {
        rows: result.instruments.map(instrumentRow),
        pager: pager(result.total, query.page, config.pageSize, urls.instruments, filters),
        filters: { q: query.q ?? '', ranks: rankOptions(query.rank), statuses: statusOptions(query.status) },
        registerUrl: req.ctx.user && can(req.ctx.user, 'update:instrument') ? urls.registerInstrument() : null,
        importUrl: urls.registryImport(),
        exportUrl: urls.registryExport('xlsx'),
      },
      { title: '法律依据库', jsonUrl: urls.api.instruments({ ...filters, page: query.page }) },
    );
  });

  router.get('/instruments/:id', (req, res) => {
    const id = Number(req.params.id);
    const instrument = Number.isSafeInteger(id) ? getInstrument(db, id) : null;
    if (!instrument) throw errors.notFound('法律依据');
    const model = instrumentDetailModel(instrument);
    const editForm = req.ctx.user && can(req.ctx.user, 'update:instrument') ? instrumentFormModel(instrument.id, instrument) : null;
    renderPage(views, req, res, 'instrument', { instrument: model, editForm }, { title: instrument.title, jsonUrl: model.jsonUrl });
  });

  return router;
}
