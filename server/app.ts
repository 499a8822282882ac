// createApp({ db, config, services }): the whole web application, without listening (main.ts listens).
// Everything it keeps between requests is in `services` (server/services.ts), built here when not given.
import express, { type Express } from 'express';
import { join } from 'node:path';
import type { Db } from '../db/client.js';
import type { Config } from './config.js';
import { publicCatalogueChooser } from './publication/public-catalogue.js';
import { errors } from './errors.js';
import { errorHandler } from './http/errors.js';
import { csrfProtection, loadVisitor, privateAnswers, securityHeaders, strictTransportSecurity } from './http/security.js';
import { formBody, jsonBody, jsonDepthLimit } from './http/body.js';
import { pageCache } from './http/page-cache.js';
import { createViewEngine, VIEWS_DIR } from './views/engine.js';
import { adminRoutes } from './routes/admin.js';
import { accountRoutes } from './routes/account.js';
import { passwordChangeFirst } from './http/guards.js';
import { apiRoutes } from './routes/api.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { publicRoutes } from './routes/public.js';
import { guideRoutes } from './routes/guide.js';
import { feedbackRoutes } from './routes/feedback.js';
import { workspaceRoutes } from './routes/workspace.js';
import { importRoutes } from './routes/imports.js';
import { registryRoutes } from './routes/registry.js';
import { flagRoutes } from './routes/flags.js';
import { referenceListRoutes } from './routes/reference-lists.js';
import { reviewRoutes } from './routes/review.js';
import { versionRoutes } from './routes/versions.js';
import { apiDocsRoutes } from './routes/api-docs.js';
import { filingRoutes } from './routes/filing.js';
import { statsRoutes } from './routes/stats.js';
import { analysisRoutes } from './routes/analysis.js';
import type { RouteDeps } from './routes/deps.js';
import { createServices, type Services } from './services.js';
import { jobRoutes } from './routes/jobs.js';
import { savedMappingRoutes } from './routes/saved-mappings.js';
import { demoNotice } from './http/demo-notice.js';
import { inboxRoutes } from './routes/inbox.js';
import { inboxBadges } from './http/inbox-badges.js';
import { basisRoutes } from './routes/basis.js';
import { searchRoutes } from './routes/search.js';
import { themeRoutes } from './routes/themes.js';

export const PUBLIC_DIR = join(VIEWS_DIR, '..', 'public');

export function createApp({ db, config, services = createServices(db, config) }: { db: Db; config: Config; services?: Services }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // The visitor's address (login throttling) is the connection's unless a reverse proxy in front is named.
  if (config.trustProxy) app.set('trust proxy', config.trustProxy);
  const views = createViewEngine();
  const deps: RouteDeps = { db, config, views, services, publicCatalogue: publicCatalogueChooser(services) };

  app.use(securityHeaders);
  if (config.cookieSecure) app.use(strictTransportSecurity);
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', fallthrough: false, redirect: false }));
  // The visitor is known before the body is read, so a refused body is answered on the visitor's own page.
  app.use(loadVisitor(db, config));
  app.use(demoNotice(db));
  app.use(privateAnswers);
  app.use(formBody, jsonBody, jsonDepthLimit);
  app.use(csrfProtection);
  app.use(passwordChangeFirst);
  app.use(inboxBadges(db));
  app.use(pageCache(services)); // published pages for anonymous visitors, rendered once

  app.use(importRoutes(deps));
  app.use(registryRoutes(deps));
  app.use(flagRoutes(deps));
  app.use(referenceListRoutes(deps));
  app.use(reviewRoutes(deps));
  app.use(versionRoutes(deps));
  app.use(apiDocsRoutes(deps));
  app.use(filingRoutes(deps));
  app.use(statsRoutes(deps));
  app.use(analysisRoutes(deps));
  app.use(jobRoutes(deps));
  app.use(savedMappingRoutes(deps));
  app.use(inboxRoutes(deps));
  app.use(basisRoutes(deps));
  app.use(feedbackRoutes(deps));
  app.use(searchRoutes(deps));
  app.use(themeRoutes(deps));
  app.use('/api/v1', apiRoutes(deps));
  app.use(authRoutes(deps));
  app.use(guideRoutes(deps));
  app.use(publicRoutes(deps));
  app.use(workspaceRoutes(deps));
  app.use(adminRoutes(deps));
  app.use(accountRoutes(deps));
  app.use(auditRoutes(deps));

  app.use((_req, _res, next) => next(errors.notFound()));
  app.use(errorHandler(views));
  return app;
}
