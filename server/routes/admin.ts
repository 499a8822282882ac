// Administration: departments and accounts (admin role only).
import { Router, type Request } from 'express';
import { listDepartments } from '../../db/queries/catalogue.js';
import { listUsers } from '../../db/queries/users.js';
import { createDepartment } from '../catalogue/departments.js';
import { createUser, editUser, resetPassword, setUserDisabled } from '../auth/accounts.js';
import { accountByUsername } from '../../db/queries/accounts.js';
import { errors } from '../errors.js';
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
        url: urls.adminUser(u.username),
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

  /** One account's page: edit its name, role and department; disable or enable it; reset its password. */
  const userModel = (req: Request, username: string, values: Record<string, unknown> | null = null) => {
    const account = accountByUsername(db, username);
    if (!account) throw errors.missing(`账号 ${username} 不存在。`);
    const v = values ?? { displayName: account.displayName, role: account.role, departmentCode: account.departmentCode ?? '' };
    return {
      account: { username: account.username, displayName: account.displayName, roleName: label(ROLES, account.role), disabled: account.disabled, mustChangePassword: account.mustChangePassword },
      isSelf: currentUser(req).id === account.id,
      values: { displayName: String(v.displayName ?? '') },
      roles: ROLE_CODES.map((r) => option(r, ROLES[r], String(v.role ?? ''))),
      departments: listDepartments(db).map((d) => option(d.code, d.name, String(v.departmentCode ?? ''))),
      actions: {
        edit: urls.adminUser(account.username),
        disable: urls.adminUserAction(account.username, 'disable'),
        enable: urls.adminUserAction(account.username, 'enable'),
        reset: urls.adminUserAction(account.username, 'reset-password'),
      },
      listUrl: urls.adminUsers(),
      saved: savedMessage(req.query.saved),
      oneTimePassword: null as string | null,
    };
  };
  const SAVED = { edit: '已保存账号信息。', disable: '账号已停用，其所有登录已立即退出。', enable: '账号已重新启用。' } as const;
  const savedMessage = (key: unknown) => (typeof key === 'string' && key in SAVED ? SAVED[key as keyof typeof SAVED] : null);

  router.get('/admin/users/:username', requirePermission('manage:user'), (req, res) => {
    const model = userModel(req, String(req.params.username));
    renderPage(views, req, res, 'admin-user', model, { title: `账号：${model.account.displayName}` });
  });

  router.post('/admin/users/:username', requirePermission('manage:user'), (req, res) => {
    const username = String(req.params.username);
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.ctx.formView = { page: 'admin-user', title: '账号管理', model: userModel(req, username, body) };
    editUser(db, actorOf(currentUser(req)), username, body);
    res.redirect(303, `${urls.adminUser(username)}?saved=edit`);
  });

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(`/admin/users/:username/${action}`, requirePermission('manage:user'), (req, res) => {
      const username = String(req.params.username);
      req.ctx.formView = { page: 'admin-user', title: '账号管理', model: userModel(req, username) };
      setUserDisabled(db, actorOf(currentUser(req)), username, disabled);
      res.redirect(303, `${urls.adminUser(username)}?saved=${action}`);
    });
  }

  router.post('/admin/users/:username/reset-password', requirePermission('manage:user'), async (req, res) => {
    const username = String(req.params.username);
    req.ctx.formView = { page: 'admin-user', title: '账号管理', model: userModel(req, username) };
    const { password } = await resetPassword(db, actorOf(currentUser(req)), username);
    // Shown once, on this answer only: never stored, logged or cached.
    res.setHeader('Cache-Control', 'no-store');
    renderPage(views, req, res, 'admin-user', { ...userModel(req, username), oneTimePassword: password }, { title: '账号管理' });
  });

  return router;
}
