// What each request knows about its visitor, typed on the request (not untyped res.locals).
import type { ActiveSession, SessionUser } from '../auth/sessions.js';
import type { MenuBadges } from '../workspace/inbox.js';

export interface FormView {
  page: string;
  title: string;
  model: Record<string, unknown>;
}

export interface RequestContext {
  session: ActiveSession | null;
  user: SessionUser | null;
  /** The token forms must echo: the session's, or the anonymous double-submit cookie's. */
  csrfToken: string;
  /** Set by a handler before it runs a use case, so the error middleware can re-render the form. */
  formView?: FormView;
  /** The database holds the generated demo district: every page says what is real and what is made up. */
  demoData?: boolean;
  /** The signed-in person's menu badges, counted only when a page is rendered (see http/inbox-badges.ts). */
  inboxBadges?: () => MenuBadges;
}

declare module 'express-serve-static-core' {
  interface Request {
    ctx: RequestContext;
  }
}
