// Background jobs on the web: the list for staff, one job's page with its progress bar (refreshing while
// it runs), their JSON twins, and the way a route hands its work to the runner and answers.
import { Router, type Request, type Response } from 'express';
import { can } from '../auth/policy.js';
import { displayNames } from '../../db/queries/accounts.js';
import { localTime } from '../domain/labels.js';
import { errors } from '../errors.js';
import { currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { wantsJson } from '../http/errors.js';
import type { JobRunner, JobView } from '../jobs/runner.js';
import { urls } from '../urls.js';
import type { RouteDeps } from './deps.js';

/**
 * How long a request waits for its job before sending the person to the job's page instead: a job of a
 * district's catalogue ends well within it (and its first run starts the job thread), a province's not.
 */
export const JOB_WAIT_MS = 10_000;

/**
 * Waits briefly for a job a request started: a job done in time answers as the route always did
 * (`done`), a failed one raises the use case's error (the form is shown again with it), a longer one
 * sends the person to its page (JSON: 202 with the job and its address).
 */
export async function answerWithJob(jobs: JobRunner, req: Request, res: Response, job: JobView, done: (result: Record<string, unknown>) => void): Promise<void> {
  const view = await jobs.wait(job.id, JOB_WAIT_MS);
  if (view.state === 'done') return done(view.result ?? {});
  if (view.state === 'failed') throw jobs.failure(job.id) ?? errors.conflict(view.error ?? '');
  if (wantsJson(req)) res.status(202).json({ job: view, url: urls.api.job(view.id) });
  else res.redirect(303, urls.job(view.id));
}

/** Where a finished job's result is seen, and how the link reads. */
function resultLink(job: JobView): { url: string; text: string } | null {
  const r = job.result ?? {};
  switch (job.kind) {
    case 'publish':
      return typeof r.version === 'number' ? { url: urls.version(r.version), text: `查看第 ${r.version} 版` } : null;
    case 'recheck':
      return { url: urls.flags(), text: `已检查 ${String(r.items ?? 0)} 项事项，查看问题清单` };
    case 'reference_match':
      return typeof r.listId === 'number' ? { url: urls.referenceList(r.listId), text: '查看清单的匹配结果' } : null;
    case 'import_confirm':
      return typeof r.importId === 'number' ? { url: urls.importPage(r.importId), text: '查看导入结果' } : null;
    case 'registry_recheck':
      return { url: urls.flags(), text: `已重新检查 ${String(r.items ?? 0)} 项引用已更新依据的事项，查看问题清单` };
    default:
      return null;
  }
}


export function jobRoutes({ db, services, views }: RouteDeps): Router {
  const router = Router();
  const { jobs } = services;
  /** A job as its pages show it: who started it by name, times in local time. */
  const rowOf = (j: JobView, names = displayNames(db)) => ({
    ...j,
    url: urls.job(j.id),
    createdByName: names.get(j.createdBy) ?? j.createdBy,
    startedAtText: localTime(j.startedAt),
    finishedAtText: localTime(j.finishedAt),
  });

  const visible = (req: Request): JobView[] => {
    const user = currentUser(req);
    return jobs.list().filter((j) => can(user, 'read:job', { departmentId: j.departmentId }));
  };
  const load = (req: Request): JobView => {
    const job = jobs.view(String(req.params.id));
    if (!job || !can(currentUser(req), 'read:job', { departmentId: job.departmentId })) throw errors.notFound('任务');
    return job;
  };

  router.get('/workspace/jobs', requirePermission('read:job'), (req, res) => {
    const names = displayNames(db);
    renderPage(views, req, res, 'jobs', { jobs: visible(req).map((j) => rowOf(j, names)) }, { title: '后台任务', jsonUrl: urls.api.jobs() });
  });
  router.get('/api/v1/jobs', requirePermission('read:job'), (req, res) => {
    res.json({ jobs: visible(req) });
  });
  router.get('/workspace/jobs/:id', requirePermission('read:job'), (req, res) => {
    const job = load(req);
    const running = job.state === 'queued' || job.state === 'running';
    const link = job.state === 'done' ? resultLink(job) : null;
    renderPage(
      views,
      req,
      res,
      'job',
      { job: rowOf(job), running, resultUrl: link?.url ?? null, resultText: link?.text ?? null, listUrl: urls.jobs() },
      { title: job.kindName, jsonUrl: urls.api.job(job.id), ...(running ? { refresh: 2 } : {}) },
    );
  });
  router.get('/api/v1/jobs/:id', requirePermission('read:job'), (req, res) => {
    res.json({ job: load(req) });
  });

  return router;
}
