// The registry looked up as a person types a title into the item form's legal-basis rows: a small JSON
// answer (the registry is public, as its browser pages are). Used by views/public/citation-rows.js.
import { Router } from 'express';
import { suggestInstruments } from '../../db/queries/basis.js';
import { normalizeInstrumentTitle } from '../domain/instrument-title.js';
import { INSTRUMENT_STATUSES, RANKS } from '../domain/labels.js';
import { urls } from '../urls.js';
import type { RouteDeps } from './deps.js';

const MAX_QUERY = 50;
const LIMIT = 10;

export function basisRoutes({ db }: RouteDeps): Router {
  const router = Router();
  router.get('/api/v1/instrument-suggestions', (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, MAX_QUERY).replace(/[《》〈〉<>]/g, ' ').trim() : '';
    const terms = q.split(/\s+/).filter(Boolean).slice(0, 5);
    const hits = terms.length === 0 ? [] : suggestInstruments(db, terms, normalizeInstrumentTitle(q), LIMIT);
    res.json({
      q,
      instruments: hits.map((h) => ({
        id: h.id,
        title: h.title,
        rank: h.rank,
        rankName: RANKS[h.rank],
        status: h.status,
        statusName: INSTRUMENT_STATUSES[h.status],
        documentNumber: h.documentNumber,
        publishedOn: h.publishedOn,
        effectiveOn: h.effectiveOn,
        url: urls.instrument(h.id),
      })),
    });
  });
  return router;
}
