// Route guards: the first step of every protected route's pipeline.
import type { NextFunction, Request, Response } from 'express';
import { can, type Action } from '../auth/policy.js';
import { errors } from '../errors.js';
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
