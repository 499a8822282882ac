// Route guards: the first step of every protected route's pipeline.
import type { NextFunction, Request, Response } from 'express';
import { can, type Action } from '../auth/policy.js';
import { errors } from '../errors.js';
import { urls } from '../urls.js';
import { ACCOUNT_MESSAGES } from '../domain/labels.js';
import type { SessionUser } from '../auth/sessions.js';
import type { Actor } from '../../db/audit.js';

export const requireLogin = (req: Request, _res: Response, next: NextFunction) =>
  next(req.ctx.user ? undefined : errors.unauthenticated());

export const requirePermission =
  (permission: Action) =>
  (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.ctx.user) return next(errors.unauthenticated());
    next(can(req.ctx.user, permission) ? undefined : errors.forbidden());
  };

/** The signed-in user; only call after a guard. */
export function currentUser(req: Request): SessionUser {
  if (!req.ctx.user) throw errors.unauthenticated();
  return req.ctx.user;
}

export const actorOf = (user: SessionUser): Actor => ({ id: user.id, name: user.username });

/** The only paths open to a person who must first replace a one-time password. */
const OPEN_WHILE_CHANGING = new Set([urls.changePassword(), urls.logout(), '/login']);

/**
 * After a password reset, a person does nothing before choosing their own password: pages send them
 * to the change-password page, anything else is refused with a Chinese message.
 */
export const passwordChangeFirst = (req: Request, res: Response, next: NextFunction): void => {
  if (!req.ctx.user?.mustChangePassword || OPEN_WHILE_CHANGING.has(req.path)) return next();
  if (req.method === 'GET' && !req.path.startsWith('/api/')) return res.redirect(303, urls.changePassword());
  next(errors.forbidden(ACCOUNT_MESSAGES.mustChangeFirst));
};
