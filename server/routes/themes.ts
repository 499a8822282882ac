// The legal office's theme tags of an item, on top of the rules on names: the item page's 主题 block
// posts here, and the JSON twin does the same for a script. A change shows at once in the counts, the theme
// filter and the home page's theme entry points of the working catalogue and every published version.
import { Router, type Request, type Response } from 'express';
import { addItemTheme, itemThemes, removeItemTheme } from '../catalogue/theme-tags.js';
import { getItem } from '../../db/queries/catalogue.js';
import { THEME_TAG_MESSAGES } from '../domain/labels.js';
import { AppError, errors } from '../errors.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { urls } from '../urls.js';
import { itemPage } from './public.js';
import type { RouteDeps } from './deps.js';

export function themeRoutes({ db, services, publicCatalogue }: RouteDeps): Router {
  const router = Router();
  const code = (req: Request) => req.params.code as string;

  /** A refused tag re-renders the item page with its message in the 主题 block. */
  const formView = (req: Request) => {
    try {
      const page = itemPage({ db, publicCatalogue }, req, code(req));
      req.ctx.formView = { page: 'item', title: page.title, model: page.model };
    } catch (err) {
      // No such item: the use case refuses it with its own message.
      if (!(err instanceof AppError && err.code === 'not_found')) throw err;
    }
  };

  /** After a change: the published list pages kept for visitors carry the old counts, the item's pages its old themes. */
  const changed = (itemCode: string) => {
    services.pages.forgetVersionLists();
    services.pages.forgetItem(itemCode);
  };

  const themesJson = (res: Response, itemCode: string, status = 200) => {
    const item = getItem(db, itemCode);
    if (!item) throw errors.missing(THEME_TAG_MESSAGES.unknownItem);
    res.status(status).json({ code: item.code, ...itemThemes(db, item.code, item.name) });
  };

  router.post('/workspace/items/:code/themes', requirePermission('manage:item_theme'), (req, res) => {
    formView(req);
    const theme = addItemTheme(db, actorOf(currentUser(req)), code(req), req.body ?? {});
    changed(code(req));
    res.redirect(303, urls.itemThemes(code(req), { theme_added: theme }));
  });

  router.post('/workspace/items/:code/themes/:theme/remove', requirePermission('manage:item_theme'), (req, res) => {
    formView(req);
    const theme = removeItemTheme(db, actorOf(currentUser(req)), code(req), { theme: req.params.theme });
    changed(code(req));
    res.redirect(303, urls.itemThemes(code(req), { theme_removed: theme }));
  });

  router.get('/api/v1/items/:code/themes', requirePermission('manage:item_theme'), (req, res) => themesJson(res, code(req)));

  router.post('/api/v1/items/:code/themes', requirePermission('manage:item_theme'), (req, res) => {
    addItemTheme(db, actorOf(currentUser(req)), code(req), req.body ?? {});
    changed(code(req));
    themesJson(res, code(req), 201);
  });

  router.post('/api/v1/items/:code/themes/:theme/remove', requirePermission('manage:item_theme'), (req, res) => {
    removeItemTheme(db, actorOf(currentUser(req)), code(req), { theme: req.params.theme });
    changed(code(req));
    themesJson(res, code(req));
  });

  return router;
}
