// Administration: departments and accounts (admin role only).
import { Router, type Request } from 'express';
import { listDepartments } from '../../db/queries/catalogue.js';
import { listUsers } from '../../db/queries/users.js';
import { createDepartment } from '../catalogue/departments.js';
import { createUser } from '../auth/accounts.js';
import { LEVELS, ROLES, ROLE_CODES, label } from '../domain/vocabulary.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { urls } from '../urls.js';
import { departmentRow, levelOptions, option } from '../views/models.js';
import type { RouteDeps } from './deps.js';

export function adminRoutes({ db, views }: RouteDeps): Router {
  const router = Router();

  const departmentsModel = (req: Request, values: Record<string, unknown> = {}) => ({
    departments: listDepartments(db).map(departmentRow),
    action: urls.adminDepartments(),
    values: { code: String(values.code ?? ''), name: String(values.name ?? '') },
    levels: levelOptions(String(values.level ?? 'district')),
    parents: listDepartments(db).map((d) => option(d.code, d.name, String(values.parentCode ?? ''))),
    created: typeof req.query.created === 'string' ? req.query.created : null,
  });

  router.get('/admin/departments', requirePermission('manage:department'), (req, res) => {
    renderPage(views, req, res, 'admin-departments', departmentsModel(req), { title: '部门管理', jsonUrl: urls.api.departments() });
  });

  router.post('/admin/departments', requirePermission('manage:department'), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.ctx.formView = { page: 'admin-departments', title: '部门管理', model: departmentsModel(req, body) };
    const created = createDepartment(db, actorOf(currentUser(req)), body);
    res.redirect(303, `${urls.adminDepartments()}?created=${encodeURIComponent(created.code)}`);
  });

  const usersModel = (req: Request, values: Record<string, unknown> = {}) => {
    const users = listUsers(db);
    return {
      users: users.map((u) => ({
        username: u.username,
        displayName: u.displayName,
        roleName: label(ROLES, u.role),
        department: u.department ?? '',
        disabled: u.disabled,
        createdAt: u.createdAt.slice(0, 10),
      })),
      action: urls.adminUsers(),
      values: { username: String(values.username ?? ''), displayName: String(values.displayName ?? '') },
      roles: ROLE_CODES.map((r) => option(r, ROLES[r], String(values.role ?? ''))),
      departments: listDepartments(db).map((d) => option(d.code, d.name, String(values.departmentCode ?? ''))),
      created: typeof req.query.created === 'string' ? req.query.created : null,
      levelNames: LEVELS,
    };
  };

  router.get('/admin/users', requirePermission('manage:user'), (req, res) => {
    renderPage(views, req, res, 'admin-users', usersModel(req), { title: '账号管理' });
  });

  router.post('/admin/users', requirePermission('manage:user'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.ctx.formView = { page: 'admin-users', title: '账号管理', model: usersModel(req, body) };
    const created = await createUser(db, actorOf(currentUser(req)), body);
    res.redirect(303, `${urls.adminUsers()}?created=${encodeURIComponent(created.username)}`);
  });

  return router;
}
