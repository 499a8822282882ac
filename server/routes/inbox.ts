// The inbox's JSON twin: what waits for the signed-in person, the same rows 工作台 shows.
import { Router } from 'express';
import { createInboxRepository } from '../../db/queries/inbox.js';
import { currentUser, requirePermission } from '../http/guards.js';
import { inboxOf } from '../workspace/inbox.js';
import type { RouteDeps } from './deps.js';

export function inboxRoutes({ db }: RouteDeps): Router {
  const router = Router();
  const repo = createInboxRepository(db);
  router.get('/api/v1/inbox', requirePermission('view:workspace'), (req, res) => {
    res.json({ items: inboxOf(repo, currentUser(req)) });
  });
  return router;
}
