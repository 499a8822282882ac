// What the service guide needs beside its page: the print button's script.
import { Router } from 'express';
import { urls } from '../urls.js';
import { printScript } from '../views/print-script.js';
import type { RouteDeps } from './deps.js';

export function guideRoutes(_deps: RouteDeps): Router {
  const router = Router();
  router.get(urls.printScript(), async (_req, res, next) => {
    try {
      const js = await printScript();
      res.type('text/javascript; charset=utf-8').set('Cache-Control', 'public, max-age=3600').send(js);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
