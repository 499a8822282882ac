// The menu's inbox badges on every page a signed-in person sees: counted (capped, so cheap) only when a
// page is actually rendered, never for JSON, files or redirects.
import type { RequestHandler } from 'express';
import { createInboxRepository } from '../../db/queries/inbox.js';
import { menuBadges } from '../workspace/inbox.js';
import type { Db } from '../../db/client.js';

export function inboxBadges(db: Db): RequestHandler {
  const repo = createInboxRepository(db);
  return (req, _res, next) => {
    const user = req.ctx.user;
    // A badge is never worth a failed page: should the database not answer (a full disk, a lock), the
    // menu goes without badges and the page (or its error page) is still drawn.
    if (user) req.ctx.inboxBadges = () => {
      try {
        return menuBadges(repo, user);
      } catch {
        return { entries: {}, total: 0 };
      }
    };
    next();
  };
}
