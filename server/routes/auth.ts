// Login and logout. A new session (new id) is created at every login; logout destroys it.
import { Router } from 'express';
import { z } from 'zod';
import { attemptLogin, recordLogin } from '../auth/accounts.js';
import { SESSION_COOKIE, createSession, destroySession } from '../auth/sessions.js';
import { clearCookie, parseCookies, setCookie } from '../http/cookies.js';
import { renderPage } from '../http/render.js';
import { errors } from '../errors.js';
import { urls } from '../urls.js';
import type { RouteDeps } from './deps.js';

const loginSchema = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
  next: z.string().optional(),
});

/** Only same-site paths may be a redirect target after login. */
export const safeNext = (next: unknown): string =>
  typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : urls.workspace();

export function authRoutes({ db, config, views, services }: RouteDeps): Router {
  const router = Router();
  const timeouts = { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours };

  router.get('/login', (req, res) => {
    if (req.ctx.user) return res.redirect(303, safeNext(req.query.next));
    renderPage(views, req, res, 'login', { next: safeNext(req.query.next), username: '' }, { title: '登录' });
  });

  router.post('/login', async (req, res) => {
    const next = safeNext((req.body as { next?: unknown } | undefined)?.next);
    req.ctx.formView = { page: 'login', title: '登录', model: { next, username: String(req.body?.username ?? '') } };
    const parsed = loginSchema.safeParse(req.body);
    if (!parsed.success) throw errors.invalid('请输入用户名和密码。');
    const address = req.ip ?? req.socket.remoteAddress ?? '';
    const user = await attemptLogin(db, services.loginThrottle, { ...parsed.data, address });
    const old = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (old) destroySession(db, old);
    const { token } = createSession(db, user.id, timeouts);
    recordLogin(db, user, 'auth.login');
    setCookie(res, SESSION_COOKIE, token, { secure: config.cookieSecure, maxAgeSeconds: timeouts.absoluteHours * 3600 });
    res.redirect(303, next);
  });

  router.post('/logout', (req, res) => {
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (token) destroySession(db, token);
    if (req.ctx.user) recordLogin(db, req.ctx.user, 'auth.logout');
    clearCookie(res, SESSION_COOKIE, config.cookieSecure);
    res.redirect(303, urls.home());
  });

  return router;
}
