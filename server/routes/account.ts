// A person's own account: changing their password (also the forced change after a reset).
import { Router, type Request } from 'express';
import { changeOwnPassword } from '../auth/accounts.js';
import { PASSWORD_RULE } from '../auth/passwords.js';
import { currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { errors } from '../errors.js';
import { urls } from '../urls.js';
import type { RouteDeps } from './deps.js';

export function accountRoutes({ db, views }: RouteDeps): Router {
  const router = Router();

  const model = (req: Request) => ({
    action: urls.changePassword(),
    forced: currentUser(req).mustChangePassword,
    changed: req.query.changed === '1',
    minLength: PASSWORD_RULE.min,
  });

  router.get('/account/password', requirePermission('change:password'), (req, res) => {
    renderPage(views, req, res, 'account-password', model(req), { title: '修改密码' });
  });

  router.post('/account/password', requirePermission('change:password'), async (req, res) => {
    req.ctx.formView = { page: 'account-password', title: '修改密码', model: model(req) };
    const user = currentUser(req);
    if (!req.ctx.session) throw errors.unauthenticated();
    await changeOwnPassword(db, user, req.ctx.session.id, req.body ?? {});
    // The forced change done, the person goes on to their workspace; otherwise back to the page, told.
    res.redirect(303, user.mustChangePassword ? urls.workspace() : `${urls.changePassword()}?changed=1`);
  });

  return router;
}
