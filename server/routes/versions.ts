// Published versions for the public: the list of versions, each version's catalogue and item pages at
// stable URLs, the catalogue as it stood on a date, and the comparison of two versions. Every page has
// its JSON twin. A version never changes, so its pages answer with an ETag and 304 when unchanged.
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { errors } from '../errors.js';
import { isIsoDate } from '../domain/schemas.js';
import { MESSAGES } from '../domain/labels.js';
import { renderPage } from '../http/render.js';
import { itemQuerySchema } from '../catalogue/queries.js';
import { versionItemsQuerySchema, versionNumberSchema, versionsQuerySchema } from '../publication/api-schemas.js';
import { CATEGORIES, DISPOSITIONS, LEVELS, SERVICE_OBJECTS, label } from '../domain/vocabulary.js';
import { ITEM_FIELD_LABELS } from '../domain/item-fields.js';
import { urls } from '../urls.js';
import { queryAlternatives } from '../publication/search.js';
import { itemFiltersModel, itemGuideModel, itemListModel, type CatalogueLinks } from '../views/models.js';
import { getVersion, itemHistory, listVersions, publishedCatalogue, versionOn, type VersionInfo } from '../publication/reader.js';
import { diffVersions, type DiffEntry } from '../publication/diff.js';
import type { RouteDeps } from './deps.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { wantsJson } from '../http/errors.js';
import { latestVersionNumber, parsePublishInput, pendingChanges, type PublishResult } from '../publication/publish.js';
import { answerWithJob } from './jobs.js';
import { CONTENT_TYPES, EXPORT_FORMATS, exportVersion, type ExportFormat } from '../../exports/version-export.js';

const linksOf = (n: number): CatalogueLinks => ({
  item: (code) => urls.versionItem(n, code),
  items: (q = {}) => urls.version(n, q),
  apiItem: (code) => urls.api.versionItem(n, code),
});

const FIELD_LABELS: Record<string, string> = { ...ITEM_FIELD_LABELS, department: '实施部门', parent: '所属主项', mainItemName: '主项名称', citations: '设定和实施依据' };

/** A field's value as a person reads it in the comparison. */
function shown(field: string, v: unknown): string {
  if (v == null || v === '') return '（空）';
  if (field === 'category') return label(CATEGORIES, v as string);
  if (field === 'level') return label(LEVELS, v as string);
  if (field === 'serviceObjects') return (v as string[]).map((s) => label(SERVICE_OBJECTS, s)).join('、');
  if (field === 'department' || field === 'parent') return (v as { name: string }).name;
  if (field === 'citations') return (v as { title: string; article: string | null; role: string }[]).map((c) => `${c.role === 'implementing' ? '［实施］' : ''}《${c.title}》${c.article ?? ''}`).join('\n');
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

export function versionRoutes({ db, config, views, services }: RouteDeps): Router {
  const router = Router();

  const load = (req: Request, param = 'n'): VersionInfo => {
    const n = versionNumberSchema.safeParse(req.params[param]);
    const version = n.success ? getVersion(db, n.data) : null;
    if (!version) throw errors.notFound('目录版本');
    return version;
  };

  /** Published content never changes: the version's hash and the request's URL make a strong ETag. */
  const cached = (req: Request, res: Response, version: VersionInfo): boolean => {
    // The latest version number too: an item page lists the item's later versions, which a publish adds.
    const latest = latestVersionNumber(db) ?? 0;
    const etag = `"${createHash('sha256').update(`${version.contentHash}|${latest}|${req.originalUrl}|${req.ctx.user?.id ?? ''}`).digest('base64url').slice(0, 27)}"`;
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

  const publishModel = (req: Request, values: Record<string, unknown> = {}) => {
    const last = listVersions(db)[0] ?? null;
    return { last: last ? { ...last, url: urls.version(last.number) } : null, next: (last?.number ?? 0) + 1, pending: pendingChanges(db), action: urls.publish(), values };
  };

  router.get('/workspace/publish', requirePermission('publish:catalogue'), (req, res) => {
    renderPage(views, req, res, 'publish', publishModel(req), { title: '发布目录版本' });
  });

  const publish = async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.ctx.formView = { page: 'publish', title: '发布目录版本', model: publishModel(req, body) };
    const input = parsePublishInput(body);
    const job = services.jobs.submit('publish', input, actorOf(currentUser(req)));
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
    if (cached(req, res, version)) return;
    const reader = publishedCatalogue(services, version);
    const query = itemQuerySchema.parse(req.query);
    const result = reader.listItems({ ...query, pageSize: config.pageSize });
    const departments = reader.listDepartments();
    const { page, ...filters } = query;
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
        searchPlaceholder: '名称、编码、部门或法律依据，如：许可、备案',
      },
      { title: version.title, jsonUrl: urls.api.versionItems(version.number, { ...filters, page }) },
    );
  });
  router.get('/api/v1/versions/:n/items', (req, res) => {
    const version = load(req);
    if (cached(req, res, version)) return;
    const query = versionItemsQuerySchema.parse(req.query);
    res.json({ version, ...publishedCatalogue(services, version).listItems({ ...query, pageSize: config.pageSize }) });
  });

  router.get('/versions/:n/items/:code', (req, res) => {
    const version = load(req);
    if (cached(req, res, version)) return;
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

  const diffModel = (a: number, b: number) => {
    const diff = diffVersions(db, a, b);
    const decorate = (e: DiffEntry, n: number) => ({
      ...e,
      url: urls.versionItem(n, e.code),
      decision: e.decision ? { ...e.decision, dispositionName: label(DISPOSITIONS, e.decision.disposition) } : null,
      fields: e.fields?.map((f) => ({ ...f, label: FIELD_LABELS[f.field] ?? f.field, before: shown(f.field, f.before), after: shown(f.field, f.after) })),
    });
    return {
      raw: diff,
      diff: { ...diff, added: diff.added.map((e) => decorate(e, diff.to)), removed: diff.removed.map((e) => decorate(e, diff.from)), changed: diff.changed.map((e) => decorate(e, diff.to)) },
    };
  };

  router.get('/versions/:a/diff/:b', (req, res) => {
    const a = load(req, 'a');
    const b = load(req, 'b');
    if (cached(req, res, { ...b, contentHash: `${a.contentHash}${b.contentHash}` })) return;
    renderPage(views, req, res, 'version-diff', { diff: diffModel(a.number, b.number).diff }, { title: `第 ${a.number} 版与第 ${b.number} 版比较`, jsonUrl: urls.api.versionDiff(a.number, b.number) });
  });
  router.get('/api/v1/versions/:a/diff/:b', (req, res) => {
    const a = load(req, 'a');
    const b = load(req, 'b');
    if (cached(req, res, { ...b, contentHash: `${a.contentHash}${b.contentHash}` })) return;
    res.json(diffModel(a.number, b.number).raw);
  });

  return router;
}

/** How long a version of an item lasted, after 第 N 版: 起至今, 至第 M 版, or nothing when it lasted one version. */
export function historyUntil(fromVersion: number, toVersion: number | null): string {
  if (toVersion === null) return '起至今';
  const last = toVersion - 1;
  return last > fromVersion ? `至第 ${last} 版` : '';
}
