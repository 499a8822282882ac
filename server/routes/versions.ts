// Published versions for the public: the list of versions, each version's catalogue and item pages at
// stable URLs, the catalogue as it stood on a date, and the comparison of two versions. Every page has
// its JSON twin. A version never changes, so its pages answer with an ETag and 304 when unchanged.
import { guideFeedback, guideFeedbackStamp } from '../feedback/public.js';
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { errors } from '../errors.js';
import { isIsoDate } from '../domain/schemas.js';
import { MESSAGES, PREFLIGHT_PROGRESS_MESSAGES, PUBLISH_MESSAGES } from '../domain/labels.js';
import { renderPage } from '../http/render.js';
import { itemQuerySchema } from '../catalogue/queries.js';
import { diffQuerySchema, versionItemsQuerySchema, versionNumberSchema, versionsQuerySchema } from '../publication/api-schemas.js';
import { CATEGORIES, DISPOSITIONS, LEVELS, SERVICE_OBJECTS, label } from '../domain/vocabulary.js';
import { ITEM_FIELD_LABELS } from '../domain/item-fields.js';
import { urls } from '../urls.js';
import { browseThemes } from '../catalogue/theme-tags.js';
import { queryAlternatives } from '../publication/search.js';
import { itemFiltersModel, itemGuideModel, itemListModel, type CatalogueLinks } from '../views/models.js';
import { getVersion, itemHistory, listVersions, publishedCatalogue, versionOn, type VersionInfo } from '../publication/reader.js';
import { versionComparisons } from '../publication/diff.js';
import { diffPageModel } from '../views/diff-model.js';
import { facetPanelModel, facetsJson } from '../views/facets-model.js';
import type { RouteDeps } from './deps.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { wantsJson } from '../http/errors.js';
import { latestVersionNumber, parsePublishInput, type PublishResult } from '../publication/publish.js';
import { publishPreflight, requirePublishConfirmation, type Preflight } from '../publication/preflight.js';
import { ruleTitle } from '../checks/engine.js';
import { answerWithJob } from './jobs.js';
import { CONTENT_TYPES, EXPORT_FORMATS, exportVersion, type ExportFormat } from '../../exports/version-export.js';

const linksOf = (n: number): CatalogueLinks => ({
  item: (code) => urls.versionItem(n, code),
  items: (q = {}) => urls.version(n, q),
  apiItem: (code) => urls.api.versionItem(n, code),
  instrument: urls.instrument,
});

export function versionRoutes({ db, config, views, services }: RouteDeps): Router {
  const router = Router();

  const load = (req: Request, param = 'n'): VersionInfo => {
    const n = versionNumberSchema.safeParse(req.params[param]);
    const version = n.success ? getVersion(db, n.data) : null;
    if (!version) throw errors.notFound('目录版本');
    return version;
  };

  /** Published content never changes: the version's hash and the request's URL make a strong ETag. */
  const cached = (req: Request, res: Response, version: VersionInfo, extra = ''): boolean => {
    // The latest version number too: an item page lists the item's later versions, which a publish adds.
    // `extra`: what else the page shows that can change (an item's public feedback answers).
    const latest = latestVersionNumber(db) ?? 0;
    const etag = `"${createHash('sha256').update(`${version.contentHash}|${latest}|${req.originalUrl}|${req.ctx.user?.id ?? ''}|${extra}`).digest('base64url').slice(0, 27)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return true;
    }
    return false;
  };

  const versionRow = (v: VersionInfo) => ({
    ...v,
    url: urls.version(v.number),
    diffUrl: v.number > 1 ? urls.versionDiff(v.number - 1, v.number) : null,
    changedOnly: v.changed,
    jsonUrl: urls.api.versionItems(v.number),
  });

  const preflight = publishPreflight(db, config.preflight);
  const preflightQuery = (req: Request) => ({ ...diffQuerySchema.parse(req.query), pageSize: config.pageSize });
  const publishModel = (p: Preflight, values: Record<string, unknown> = {}) => {
    const last = p.last;
    return {
      last: last ? { ...last, url: urls.version(last.number), diffUrl: last.number > 1 ? urls.versionDiff(last.number - 1, last.number) : null } : null,
      next: (last?.number ?? 0) + 1,
      // While the comparison runs in the background (a large catalogue): how far it has got.
      comparing: p.progress ? { message: PREFLIGHT_PROGRESS_MESSAGES.progress(p.progress), hint: PREFLIGHT_PROGRESS_MESSAGES.hint, reload: PREFLIGHT_PROGRESS_MESSAGES.reload, reloadUrl: `${urls.publish()}#changes` } : null,
      diff: p.diff && diffPageModel(p.diff, {
        page: (query) => `${urls.publish(query)}#changes`,
        item: (kind, code) => (kind === 'removed' ? (last ? urls.versionItem(last.number, code) : null) : urls.item(code)),
        beforeLabel: last ? `第 ${last.number} 版` : '',
        afterLabel: '工作目录（将发布）',
      }),
      openErrors: p.openErrors.map((r) => ({ ...r, title: ruleTitle(r.rule), url: urls.flags({ rule: r.rule, severity: 'error' }) })),
      openErrorTotal: p.openErrorTotal,
      confirmWord: PUBLISH_MESSAGES.confirmWord,
      confirmLabel: PUBLISH_MESSAGES.confirmLabel(p.openErrorTotal),
      flagsUrl: urls.flags({ severity: 'error' }),
      today: new Date().toISOString().slice(0, 10),
      action: urls.publish(),
      values,
    };
  };

  router.get('/workspace/publish', requirePermission('publish:catalogue'), async (req, res) => {
    const p = await preflight.pageSoon(preflightQuery(req));
    // No meta refresh while comparing: a reload would clear what the clerk has typed in the form below.
    renderPage(views, req, res, 'publish', publishModel(p), { title: '发布目录版本' });
  });

  const publish = async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!wantsJson(req)) req.ctx.formView = { page: 'publish', title: '发布目录版本', model: publishModel(preflight.page(preflightQuery(req)), body) };
    const input = parsePublishInput(body);
    requirePublishConfirmation(db, body);
    const job = services.jobs.submit('publish', input, actorOf(currentUser(req)));
    // The comparison the publish page started is not shown again: its slices would only slow the server
    // while the publish runs.
    preflight.abandon();
    await answerWithJob(services.jobs, req, res, job, (r) => {
      const result = r as unknown as PublishResult;
      if (wantsJson(req)) res.status(201).json({ version: result.version, hash: result.hash, items: result.items, changed: result.changed });
      else res.redirect(303, urls.version(result.version));
    });
  };
  router.post('/workspace/publish', requirePermission('publish:catalogue'), publish);
  router.post('/api/v1/versions', requirePermission('publish:catalogue'), publish);

  router.get('/versions', (req, res) => {
    const date = typeof req.query.date === 'string' ? req.query.date : '';
    if (date) {
      if (!isIsoDate(date)) throw errors.invalid(MESSAGES.dateFormat);
      const on = versionOn(db, date);
      if (!on) throw errors.missing(`${date} 时还没有施行的目录版本。`);
      res.redirect(303, urls.version(on.number));
      return;
    }
    renderPage(views, req, res, 'versions', { versions: listVersions(db).map(versionRow), onDateAction: urls.versions(), date }, { title: '目录版本', jsonUrl: urls.api.versions() });
  });
  router.get('/api/v1/versions', (req, res) => {
    const parsed = versionsQuerySchema.safeParse(req.query);
    if (!parsed.success) throw errors.invalid(MESSAGES.dateFormat);
    const { date } = parsed.data;
    if (date) {
      const on = versionOn(db, date);
      if (!on) throw errors.missing(`${date} 时还没有施行的目录版本。`);
      res.json({ version: on });
      return;
    }
    res.json({ versions: listVersions(db) });
  });

  router.get('/versions/:n', (req, res) => {
    const version = load(req);
    // The facet counts follow the legal office's theme tags, which are not part of the version.
    if (cached(req, res, version, services.themeTags.currentStamp())) return;
    const reader = publishedCatalogue(services, version);
    const query = itemQuerySchema.parse(req.query);
    const result = reader.listItems({ ...query, pageSize: config.pageSize });
    const departments = reader.listDepartments();
    const { page, ...filters } = query;
    // The same facet panel as /items, counted in this version; its links stay on this version's page.
    const facets = facetPanelModel(reader.facets(filters), filters, (q) => urls.version(version.number, q), (code) => departments.find((d) => d.code === code)?.name);
    renderPage(
      views,
      req,
      res,
      'items',
      {
        catalogueLabel: `${version.title}（第 ${version.number} 版，${version.effectiveOn} 起施行；SHA-256 ${version.contentHash}）`,
        ...itemListModel(result, filters, linksOf(version.number), queryAlternatives(query.q, services.synonyms.current())),
        ...itemFiltersModel(departments, query),
        downloads: EXPORT_FORMATS.map((f) => ({ format: f, url: urls.versionDownload(version.number, f) })),
        // What this version changed: the comparison with the one before (the page a publish ends on).
        diffUrl: version.number > 1 ? urls.versionDiff(version.number - 1, version.number) : null,
        diffText: `与第 ${version.number - 1} 版比较：新增 ${version.added} 项，变更 ${version.changed} 项，移出 ${version.removed} 项`,
        searchPlaceholder: '名称、编码、部门或法律依据，如：许可、备案',
        facets,
        keep: { audience: query.audience ?? null, theme: query.theme ?? null },
      },
      { title: version.title, jsonUrl: urls.api.versionItems(version.number, { ...filters, page, facets: 1 }) },
    );
  });
  router.get('/api/v1/versions/:n/items', (req, res) => {
    const version = load(req);
    if (cached(req, res, version, services.themeTags.currentStamp())) return;
    const query = versionItemsQuerySchema.parse(req.query);
    const reader = publishedCatalogue(services, version);
    // ?facets=1: also the counts the version page's facet panel shows, as /api/v1/items gives them.
    const { page: _page, ...filters } = query;
    const facets = req.query.facets === '1' ? { facets: facetsJson(reader.facets(filters)) } : {};
    res.json({ version, ...reader.listItems({ ...query, pageSize: config.pageSize }), ...facets });
  });

  router.get('/versions/:n/items/:code', (req, res) => {
    const version = load(req);
    // The page names the item's themes, which the legal office's tags change.
    if (cached(req, res, version, `${guideFeedbackStamp(db, req.params.code as string)}|${services.themeTags.currentStamp()}`)) return;
    const item = publishedCatalogue(services, version).getItem(req.params.code as string);
    if (!item) throw errors.missing(`第 ${version.number} 版目录中没有这一事项。`);
    const history = itemHistory(db, item.code).map((h) => ({ ...h, url: urls.versionItem(h.fromVersion, item.code), until: historyUntil(h.fromVersion, h.toVersion) }));
    renderPage(
      views,
      req,
      res,
      'item',
      {
        item: itemGuideModel(item, linksOf(version.number)),
        version: { ...version, url: urls.version(version.number) },
        history,
        flags: null,
        editUrl: null,
        feedback: guideFeedback(db, item.code),
        browseThemes: browseThemes(db, item.code, item.name, (theme) => urls.version(version.number, { theme })),
      },
      { title: item.name, jsonUrl: urls.api.versionItem(version.number, item.code) },
    );
  });
  router.get('/api/v1/versions/:n/items/:code', (req, res) => {
    const version = load(req);
    if (cached(req, res, version)) return;
    const item = publishedCatalogue(services, version).getItem(req.params.code as string);
    if (!item) throw errors.missing(`第 ${version.number} 版目录中没有这一事项。`);
    const { id: _id, departmentId: _d, rowVersion: _r, reviewStatus: _s, updatedAt: _u, disposition: _p, ...published } = item;
    res.json({ version: version.number, item: published, history: itemHistory(db, item.code) });
  });

  router.get('/versions/:n/download/:format', async (req, res) => {
    const version = load(req);
    const format = req.params.format as ExportFormat;
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw errors.notFound('下载格式');
    if (cached(req, res, version)) return;
    const name = `行政权力清单-第${version.number}版.${format === 'jsonld' ? 'jsonld' : format}`;
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="catalogue-v${version.number}.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`);
    await exportVersion(db, version, format, res);
  });

  const comparisons = versionComparisons(db);
  const diffQuery = (req: Request) => {
    const q = diffQuerySchema.parse(req.query);
    return { ...q, pageSize: config.pageSize };
  };

  router.get('/versions/:a/diff/:b', (req, res) => {
    const a = load(req, 'a');
    const b = load(req, 'b');
    if (cached(req, res, { ...b, contentHash: `${a.contentHash}${b.contentHash}` })) return;
    const q = diffQuery(req);
    const diff = comparisons.page(a.number, b.number, q);
    const model = diffPageModel(diff, {
      page: (query) => urls.versionDiff(a.number, b.number, query),
      item: (kind, code) => urls.versionItem(kind === 'removed' ? diff.from : diff.to, code),
      beforeLabel: `第 ${diff.from} 版`,
      afterLabel: `第 ${diff.to} 版`,
    });
    const { pageSize: _s, ...query } = q;
    renderPage(views, req, res, 'version-diff', { from: diff.from, to: diff.to, diff: model }, { title: `第 ${a.number} 版与第 ${b.number} 版比较`, jsonUrl: urls.api.versionDiff(a.number, b.number, query) });
  });
  router.get('/api/v1/versions/:a/diff/:b', (req, res) => {
    const a = load(req, 'a');
    const b = load(req, 'b');
    if (cached(req, res, { ...b, contentHash: `${a.contentHash}${b.contentHash}` })) return;
    const diff = comparisons.page(a.number, b.number, diffQuery(req));
    res.json({ ...diff, nextUrl: diff.nextPage ? urls.api.versionDiff(a.number, b.number, { kind: diff.kind, department: diff.department, page: diff.nextPage }) : null });
  });

  return router;
}

/** How long a version of an item lasted, after 第 N 版: 起至今, 至第 M 版, or nothing when it lasted one version. */
export function historyUntil(fromVersion: number, toVersion: number | null): string {
  if (toVersion === null) return '起至今';
  const last = toVersion - 1;
  return last > fromVersion ? `至第 ${last} 版` : '';
}
