// The legal office's work list of check findings: filter by rule, department and severity; export to
// xlsx; re-check the whole working catalogue.
import { Router } from 'express';
import { z } from 'zod';
import { allFlags, flagSummary, listFlags } from '../../db/queries/flags.js';
import { listDepartments } from '../../db/queries/catalogue.js';
import { writeFlagsXlsx } from '../../exports/flags-xlsx.js';
import { RULE_CODES, ruleCatalogue } from '../checks/engine.js';
import { SEVERITIES } from '../checks/types.js';
import { summaryByRule } from '../checks/summary.js';
import { can } from '../auth/policy.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { urls } from '../urls.js';
import { option, pager } from '../views/models.js';
import { CATEGORIES, label } from '../domain/vocabulary.js';
import type { RouteDeps } from './deps.js';
import { answerWithJob } from './jobs.js';

const querySchema = z.object({
  rule: z.enum(RULE_CODES as [string, ...string[]]).optional().catch(undefined),
  department: z.string().trim().max(32).optional().catch(undefined).transform((v) => v || undefined),
  severity: z.enum(['error', 'warning', 'info']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

const TITLES = new Map(ruleCatalogue().map((r) => [r.code as string, r.title]));
/** Each rule's explanation: it says which cases are errors and which warnings, when a rule has both. */
const EXPLANATIONS = new Map(ruleCatalogue().map((r) => [r.code as string, r.explanation]));

export function flagRoutes({ db, config, views, services }: RouteDeps): Router {
  const router = Router();

  router.get('/workspace/flags', requirePermission('read:flag'), (req, res) => {
    const q = querySchema.parse(req.query);
    const { page, ...filters } = q;
    const result = listFlags(db, { ...q, pageSize: config.pageSize });
    const user = currentUser(req);
    renderPage(
      views,
      req,
      res,
      'flags',
      {
        rows: result.flags.map((f) => ({
          ...f,
          url: urls.item(f.itemCode),
          title: TITLES.get(f.rule) ?? f.rule,
          severityName: SEVERITIES[f.severity],
          categoryName: label(CATEGORIES, f.category),
        })),
        total: result.total,
        pager: pager(result.total, page, config.pageSize, urls.flags, filters),
        filters: {
          rules: ruleCatalogue().map((r) => option(r.code, r.title, q.rule)),
          departments: listDepartments(db).map((d) => option(d.code, d.name, q.department)),
          severities: (['error', 'warning', 'info'] as const).map((s) => option(s, SEVERITIES[s], q.severity)),
        },
        summary: summaryByRule(flagSummary(db)).map((s) => ({
          ...s,
          title: TITLES.get(s.rule) ?? s.rule,
          url: urls.flags({ rule: s.rule }),
          why: s.mixed ? (EXPLANATIONS.get(s.rule) ?? null) : null,
        })),
        xlsxUrl: urls.flagsXlsx(filters),
        canRecheck: can(user, 'run:check'),
        recheckAction: urls.flagsRecheck(),
        rechecked: typeof req.query.rechecked === 'string' ? req.query.rechecked : null,
      },
      { title: '依据检查问题清单', jsonUrl: urls.api.flags({ ...filters, page }) },
    );
  });

  router.get('/api/v1/flags', requirePermission('read:flag'), (req, res) => {
    const q = querySchema.parse(req.query);
    res.json(listFlags(db, { ...q, pageSize: config.pageSize }));
  });

  router.get('/workspace/flags.xlsx', requirePermission('read:flag'), async (req, res) => {
    const { page: _page, ...filters } = querySchema.parse(req.query);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="flags.xlsx"; filename*=UTF-8''${encodeURIComponent('依据检查问题清单.xlsx')}`);
    await writeFlagsXlsx(res, allFlags(db, filters), new Map(ruleCatalogue().map((r) => [r.code as string, r.title])));
  });

  router.post('/workspace/flags/recheck', requirePermission('run:check'), async (req, res) => {
    const job = services.jobs.submit('recheck', {}, actorOf(currentUser(req)));
    await answerWithJob(services.jobs, req, res, job, (result) => res.redirect(303, `${urls.flags()}?rechecked=${String(result.items)}`));
  });

  return router;
}
