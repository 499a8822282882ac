// Search beyond the list pages: suggestions as a person types (the visitor's catalogue: published for the
// public, working for staff) and the legal office's page of search synonyms.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { listSynonyms } from '../../db/queries/search.js';
import { addSynonym, removeSynonym } from '../catalogue/synonyms.js';
import { SEARCH_LABELS, SYNONYM_MESSAGES } from '../domain/labels.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { urls } from '../urls.js';
import type { RouteDeps } from './deps.js';

/** Suggestions given at most. */
const SUGGESTIONS = 8;
const suggestQuerySchema = z.object({ q: z.string().trim().max(100).catch('').default('') });

export function searchRoutes({ db, views, publicCatalogue }: RouteDeps): Router {
  const router = Router();

  router.get('/api/v1/suggest', (req, res) => {
    const { q } = suggestQuerySchema.parse(req.query);
    if (!q) {
      res.json({ q, suggestions: [] });
      return;
    }
    const page = publicCatalogue(req.ctx.user).listItems({ q, page: 1, pageSize: SUGGESTIONS });
    res.setHeader('Cache-Control', 'private, max-age=30');
    res.json({ q, total: page.total, suggestions: page.items.map((i) => ({ code: i.code, name: i.name, department: i.department.name, url: urls.item(i.code) })) });
  });

  const synonymsModel = (req: Request, values: Record<string, unknown> = {}) => ({
    action: urls.searchSynonyms(),
    values,
    added: req.query.added === '1' ? SYNONYM_MESSAGES.added(String(req.query.term ?? ''), String(req.query.synonym ?? '')) : null,
    removed: req.query.removed === '1' ? SYNONYM_MESSAGES.removed : null,
    synonyms: listSynonyms(db).map((s) => ({
      ...s,
      sourceName: s.source === 'shipped' ? SEARCH_LABELS.shipped : SEARCH_LABELS.added,
      removeUrl: s.source === 'added' ? urls.removeSearchSynonym(s.id) : null,
      searchUrl: urls.items({ q: s.term }),
    })),
  });

  router.get('/workspace/search-synonyms', requirePermission('manage:search_synonym'), (req, res) => {
    renderPage(views, req, res, 'search-synonyms', synonymsModel(req), { title: SEARCH_LABELS.synonymsTitle });
  });

  router.post('/workspace/search-synonyms', requirePermission('manage:search_synonym'), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.ctx.formView = { page: 'search-synonyms', title: SEARCH_LABELS.synonymsTitle, model: synonymsModel(req, body) };
    addSynonym(db, actorOf(currentUser(req)), body);
    const term = String(body.term ?? '').trim();
    const synonym = String(body.synonym ?? '').trim();
    res.redirect(303, `${urls.searchSynonyms()}?added=1&term=${encodeURIComponent(term)}&synonym=${encodeURIComponent(synonym)}`);
  });

  router.post('/workspace/search-synonyms/:id/delete', requirePermission('manage:search_synonym'), (req, res) => {
    removeSynonym(db, actorOf(currentUser(req)), Number(req.params.id));
    res.redirect(303, `${urls.searchSynonyms()}?removed=1`);
  });

  return router;
}
