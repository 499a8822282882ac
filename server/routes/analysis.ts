// The prerequisite analysis for the legal office: every loop of prerequisites across departments
// (互为前置), the edges cut to break them, and the prerequisites that match no item; cutting and
// restoring an edge. Staff read it; a department sees what touches its own items.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { appendAudit, withTransaction } from '../../db/audit.js';
import { can, isOwnScoped } from '../auth/policy.js';
import { syncCycleFlags } from '../analysis/cycles.js';
import { cutPrerequisite, MAX_CUT_REASON, resolvePrerequisites, restorePrerequisite } from '../analysis/prerequisites.js';
import { prerequisiteReport, type PrerequisiteReport } from '../analysis/prerequisite-report.js';
import { errors } from '../errors.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { urls } from '../urls.js';
import type { SessionUser } from '../auth/sessions.js';
import type { RouteDeps } from './deps.js';

/** Who decides where a loop is cut. */
const CUT_PERMISSION = 'cut:prerequisite';

/** Staff who read the findings, and departments (for their own items). */
function requireAnalysisReader(req: Request, _res: Response, next: NextFunction): void {
  const user = req.ctx.user;
  if (!user) return next(errors.unauthenticated());
  next(can(user, 'read:prerequisite') ? undefined : errors.forbidden());
}

const edgeIdOf = (req: Request): number => {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id < 1) throw errors.missing('找不到该前置关系，可能已被修改，请刷新页面。');
  return id;
};

const DONE: Record<string, string> = { cut: '已断开该前置关系，循环检查结果已更新。', restore: '已恢复该前置关系，循环检查结果已更新。' };

function pageModel(req: Request, user: SessionUser, report: PrerequisiteReport) {
  const canCut = can(user, CUT_PERMISSION);
  const edge = (e: PrerequisiteReport['cutEdges'][number]) => ({
    ...e,
    fromUrl: urls.item(e.from.code),
    toUrl: urls.item(e.to.code),
    cutAction: urls.prerequisiteCut(e.id),
    restoreAction: urls.prerequisiteRestore(e.id),
  });
  return {
    ...report,
    cycles: report.cycles.map((c, i) => ({
      number: i + 1,
      items: c.items.map((it) => ({ ...it, url: urls.item(it.code) })),
      loopStart: c.items[0],
      otherItems: c.otherItems.map((it) => ({ ...it, url: urls.item(it.code) })),
      edges: c.edges.map(edge),
    })),
    cutEdges: report.cutEdges.map(edge),
    unresolved: report.unresolved.map((u) => ({ ...u, url: urls.item(u.item.code) })),
    moreUnresolved: report.unresolvedTotal - report.unresolved.length,
    canCut,
    isDepartment: isOwnScoped(user, 'read:prerequisite'),
    maxReason: MAX_CUT_REASON,
    resolveAction: urls.prerequisiteResolve(),
    done: typeof req.query.done === 'string' ? (DONE[req.query.done] ?? null) : null,
    resolved: typeof req.query.resolved === 'string' && /^\d+$/.test(req.query.resolved) ? req.query.resolved : null,
  };
}

export function analysisRoutes({ db, views }: RouteDeps): Router {
  const router = Router();
  const title = '前置事项与互为前置';
  const page = (req: Request) => {
    const user = currentUser(req);
    return pageModel(req, user, prerequisiteReport(db, user));
  };

  router.get('/analysis/prerequisites', requireAnalysisReader, (req, res) => {
    renderPage(views, req, res, 'prerequisites', page(req), { title, jsonUrl: urls.api.prerequisiteCycles() });
  });

  router.get('/api/v1/prerequisite-cycles', requireAnalysisReader, (req, res) => {
    res.json(prerequisiteReport(db, currentUser(req)));
  });

  const change = (action: 'cut' | 'restore', json: boolean) => (req: Request, res: Response) => {
    const user = currentUser(req);
    const id = edgeIdOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    let result: ReturnType<typeof cutPrerequisite>;
    try {
      result = action === 'cut' ? cutPrerequisite(db, actorOf(user), id, body) : restorePrerequisite(db, actorOf(user), id);
    } catch (error) {
      // The page is built only when it has to show why nothing changed.
      if (!json) req.ctx.formView = { page: 'prerequisites', title, model: page(req) };
      throw error;
    }
    if (json) res.json({ edge: id, cut: action === 'cut', changed: result.changed });
    else res.redirect(303, `${urls.prerequisites()}?done=${action}`);
  };
  router.post('/analysis/prerequisites/edges/:id/cut', requirePermission(CUT_PERMISSION), change('cut', false));
  router.post('/analysis/prerequisites/edges/:id/restore', requirePermission(CUT_PERMISSION), change('restore', false));
  router.post('/api/v1/prerequisite-edges/:id/cut', requirePermission(CUT_PERMISSION), change('cut', true));
  router.post('/api/v1/prerequisite-edges/:id/restore', requirePermission(CUT_PERMISSION), change('restore', true));

  router.post('/analysis/prerequisites/resolve', requirePermission(CUT_PERMISSION), (req, res) => {
    const user = currentUser(req);
    const result = withTransaction(db, () => {
      const r = resolvePrerequisites(db);
      const sync = syncCycleFlags(db);
      appendAudit(db, actorOf(user), { action: 'prerequisite.resolve', entityType: 'catalogue', after: { ...r, flagged: sync.flagged } });
      return r;
    });
    res.redirect(303, `${urls.prerequisites()}?resolved=${result.resolved}`);
  });

  return router;
}
