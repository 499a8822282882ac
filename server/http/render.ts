// Rendering a page inside the layout, with what every page's chrome needs.
import type { Request, Response } from 'express';
import { can } from '../auth/policy.js';
import { ROLES } from '../domain/vocabulary.js';
import { urls } from '../urls.js';
import { DEMO_NOTICE } from '../domain/labels.js';
import type { ViewEngine } from '../views/engine.js';
import { staffMenu } from './menu.js';

export interface PageOptions {
  title: string;
  /** The JSON twin of this page, linked from it. */
  jsonUrl?: string;
  status?: number;
  /** Reload the page every N seconds (progress of a long import). */
  refresh?: number;
}

export function layoutModel(req: Request, options: PageOptions) {
  const user = req.ctx.user;
  return {
    pageTitle: options.title,
    refresh: options.refresh ?? null,
    jsonUrl: options.jsonUrl ?? null,
    csrfToken: req.ctx.csrfToken,
    /** Rule codes show as a tooltip beside their Chinese titles only for those who keep the rules (the legal office). */
    showRuleCodes: !!user && can(user, 'run:check'),
    currentPath: req.path,
    demoNotice: req.ctx.demoData ? DEMO_NOTICE : null,
    menu: user ? staffMenu(user, req.path, req.ctx.inboxBadges?.() ?? { entries: {}, total: 0 }) : null,
    user: user
      ? {
          name: user.displayName,
          roleName: ROLES[user.role],
          departmentName: user.departmentName,
          canAdmin: can(user, 'manage:department'),
          canAudit: can(user, 'read:audit'),
          canFeedback: can(user, 'read:feedback'),
          canImport: can(user, 'read:import'),
          canFlags: can(user, 'read:flag'),
          canLists: can(user, 'read:reference_list'),
          canPublish: can(user, 'publish:catalogue'),
          // The people who submit follow their submissions; the others work from the queue.
          canReviewQueue: can(user, 'read:review') && !can(user, 'answer:submission'),
          canSubmissions: can(user, 'answer:submission'),
          isExpert: can(user, 'create:opinion'),
          canCampaigns: can(user, 'read:campaign'),
          canRegister: can(user, 'read:register'),
          canJobs: can(user, 'read:job'),
          canPrerequisites: can(user, 'read:prerequisite'),
        }
      : null,
    nav: {
      home: urls.home(),
      items: urls.items(),
      departments: urls.departments(),
      versions: urls.versions(),
      publish: urls.publish(),
      instruments: urls.instruments(),
      login: urls.login(req.path === '/login' ? undefined : req.originalUrl),
      logout: urls.logout(),
      workspace: urls.workspace(),
      adminDepartments: urls.adminDepartments(),
      adminUsers: urls.adminUsers(),
      changePassword: urls.changePassword(),
      audit: urls.audit(),
      feedback: urls.feedback(),
      imports: urls.imports(),
      flags: urls.flags(),
      referenceLists: urls.referenceLists(),
      reviewQueue: urls.reviewQueue(),
      submissions: urls.submissions(),
      campaigns: urls.campaigns(),
      register: urls.register(),
      dashboard: urls.dashboard(),
      jobs: urls.jobs(),
      prerequisites: urls.prerequisites(),
      css: urls.static('app.css'),
      menuJs: urls.static('menu.js'),
    },
  };
}

export function renderPage(views: ViewEngine, req: Request, res: Response, page: string, model: object, options: PageOptions): void {
  const html = views.render(page, { ...layoutModel(req, options), ...model });
  res.status(options.status ?? 200).type('html').send(html);
}
