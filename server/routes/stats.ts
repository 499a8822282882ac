// The dashboard (统计看板): the figures of the working catalogue (staff) or of a published version
// (everyone), overall or for one department, each chart beside its table; the same figures as JSON at
// /api/v1/stats and as xlsx at /dashboard.xlsx. Who sees what is decided here, on the server: published
// figures are public, the working catalogue's need a staff role, and its open check findings the
// roles that may read the findings themselves.
import { Router, type Request } from 'express';
import { can } from '../auth/policy.js';
import { errors } from '../errors.js';
import { renderPage } from '../http/render.js';
import { urls } from '../urls.js';
import { option } from '../views/models.js';
import { latestVersionNumber } from '../publication/publish.js';
import { listVersions } from '../publication/reader.js';
import { departmentNames } from '../../db/queries/stats.js';
import { chartOfTable, figureTables, statsFor, type FigureTable, type Stats, type StatsOptions } from '../analysis/stats.js';
import { formatValue, renderChartSvg } from '../analysis/charts.js';
import { writeStatsXlsx } from '../../exports/stats-xlsx.js';
import type { RouteDeps } from './deps.js';
import { statsQuerySchema, type StatsQuery } from '../analysis/stats-query.js';


function parseQuery(query: unknown): StatsQuery {
  const parsed = statsQuerySchema.safeParse(query);
  if (!parsed.success) throw errors.invalid('版本号应为正整数（或 latest），部门编码不超过 32 个字符。');
  return parsed.data;
}

/** A figure table as the page shows it: the chart's SVG beside the table, each value formatted. */
function figureModel(t: FigureTable) {
  const chart = chartOfTable(t);
  return {
    id: t.id,
    title: t.title,
    note: t.note,
    labelHeader: t.labelHeader,
    headers: t.columns.map((c) => c.header),
    colspan: t.columns.length + 1,
    rows: t.rows.map((r) => ({
      key: r.key,
      label: r.label,
      cells: r.values.map((v, i) => ({ text: formatValue(r.kinds?.[i] ?? t.columns[i]!.kind, v), value: v === null ? '' : String(v) })),
    })),
    // Markup from renderBarChart, which escapes every text it writes.
    svg: chart ? renderChartSvg(chart) : null,
  };
}

export function statsRoutes({ db, views, services }: RouteDeps): Router {
  const router = Router();

  /** What the visitor asked for, and may see: the working catalogue needs a staff role. */
  const optionsFor = (req: Request, q: StatsQuery): StatsOptions => {
    let version: number | null = null;
    if (q.version === 'latest') {
      version = latestVersionNumber(db);
      if (version === null) throw errors.missing('还没有发布任何目录版本。');
    } else if (q.version !== undefined) version = q.version;
    const user = req.ctx.user;
    if (version === null) {
      if (!user) throw errors.unauthenticated();
      if (!can(user, 'read:stats')) throw errors.forbidden();
    }
    return { version, department: q.department ?? null, includeFlags: version === null && can(user, 'read:flag') };
  };

  const linkQuery = (o: Pick<StatsOptions, 'version' | 'department'>) => ({ version: o.version ?? undefined, department: o.department ?? undefined });

  const pageModel = (req: Request, stats: Stats | null, o: Pick<StatsOptions, 'version' | 'department'>) => {
    const staff = can(req.ctx.user, 'read:stats');
    const selectedVersion = o.version === null ? '' : String(o.version);
    return {
      hasStats: stats !== null,
      scopeLabel: stats
        ? stats.scope.kind === 'working'
          ? '工作目录（尚未发布）'
          : `第 ${stats.scope.version} 版：${stats.scope.title}（${stats.scope.effectiveOn} 起施行）`
        : null,
      action: urls.dashboard(),
      versionOptions: [
        ...(staff ? [option('', '工作目录（尚未发布）', selectedVersion)] : []),
        ...listVersions(db).map((v) => option(String(v.number), `第 ${v.number} 版：${v.title}`, selectedVersion)),
      ],
      departmentOptions: departmentNames(db).map((d) => option(d.code, d.name, o.department ?? '')),
      headline: stats
        ? [
            { id: 'items', label: '事项', text: formatValue('count', stats.items) },
            { id: 'reduction', label: '精简率', text: formatValue('percent', stats.reduction.rate) },
            { id: 'instant', label: '即办件占比', text: formatValue('percent', stats.instant.share) },
            { id: 'cut', label: '承诺时限压缩', text: formatValue('percent', stats.timeLimits.cut), met: stats.targets.timeCut.met },
            { id: 'shortened', label: '缩短时限事项占比', text: formatValue('percent', stats.timeLimits.shortenedShare), met: stats.targets.shortened.met },
          ]
        : [],
      figures: stats ? figureTables(stats).map(figureModel) : [],
      flagsHidden: stats?.scope.kind === 'working' && stats.flags === null,
      xlsxUrl: stats ? urls.dashboardXlsx(linkQuery(o)) : null,
      loginUrl: urls.login(urls.dashboard()),
    };
  };

  router.get('/dashboard', (req, res) => {
    const q = parseQuery(req.query);
    if (q.version === undefined && !req.ctx.user) {
      // The public sees published figures: the latest version, or word that none is published yet.
      const latest = latestVersionNumber(db);
      if (latest !== null) {
        res.redirect(303, urls.dashboard({ version: latest, department: q.department }));
        return;
      }
      renderPage(views, req, res, 'dashboard', pageModel(req, null, { version: null, department: q.department ?? null }), { title: '统计看板' });
      return;
    }
    const o = optionsFor(req, q);
    const stats = statsFor(services, o);
    renderPage(views, req, res, 'dashboard', pageModel(req, stats, o), { title: '统计看板', jsonUrl: urls.api.stats(linkQuery(o)) });
  });

  router.get('/api/v1/stats', (req, res) => {
    res.json(statsFor(services, optionsFor(req, parseQuery(req.query))));
  });

  router.get('/dashboard.xlsx', async (req, res) => {
    const o = optionsFor(req, parseQuery(req.query));
    const stats = statsFor(services, o);
    const name = stats.scope.kind === 'working' ? '统计看板-工作目录.xlsx' : `统计看板-第${stats.scope.version}版.xlsx`;
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="dashboard.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
    await writeStatsXlsx(res, stats, figureTables(stats));
  });

  return router;
}
