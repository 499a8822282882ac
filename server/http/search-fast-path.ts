// The public search's JSON (GET /api/v1/items?q=…, what the home search and the list page read) answered
// ahead of Express for an anonymous visitor (server/http/fast-path.ts asks it): the same body as the
// Express route (one function builds both: server/catalogue/items-json.ts) with the headers Express's
// res.json gives it (Content-Type, Content-Length, weak ETag), without the middleware stack.
// Only the plain case is answered here; anything else returns null and Express answers: a path other than
// exactly /api/v1/items, a parameter the route does not know or given twice, a URL Express's parser could
// read differently (a fragment, white space), or no published version yet (Express answers its error).
import { createHash } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import type { Config } from '../config.js';
import type { Services } from '../services.js';
import { itemQuerySchema } from '../catalogue/queries.js';
import { itemsListJson } from '../catalogue/items-json.js';
import { publicCatalogueChooser } from '../publication/public-catalogue.js';

export const SEARCH_PATH = '/api/v1/items';

/** The query parameters GET /api/v1/items reads (itemQuerySchema's, and facets=1). */
const KNOWN = new Set([...Object.keys(itemQuerySchema.shape), 'facets']);

export interface JsonAnswer {
  body: Buffer;
  /** What Express's default ETag function gives these bytes (the `etag` package, weak). */
  etag: string;
}

/** Express's default (weak) ETag of a non-empty body: W/"<length in hex>-<first 27 of its SHA-1 in base64>". */
export const weakEtag = (body: Buffer): string => `W/"${body.length.toString(16)}-${createHash('sha1').update(body).digest('base64').substring(0, 27)}"`;

/** A function answering an anonymous visitor's search URL (path and query as requested), or null for Express. */
export function publicSearchAnswer(services: Services, config: Pick<Config, 'pageSize'>): (url: string) => JsonAnswer | null {
  const chooser = publicCatalogueChooser(services);
  return (url) => {
    const q = url.indexOf('?');
    if ((q < 0 ? url : url.slice(0, q)) !== SEARCH_PATH || /[\s#]/.test(url)) return null;
    const params = parseQuery(q < 0 ? '' : url.slice(q + 1));
    for (const key in params) if (!KNOWN.has(key) || typeof params[key] !== 'string') return null;
    let catalogue;
    try {
      catalogue = chooser(null); // the latest published version; before the first publish, Express's error
    } catch {
      return null;
    }
    const query = itemQuerySchema.parse(params);
    const body = Buffer.from(JSON.stringify(itemsListJson(catalogue, query, config.pageSize, params.facets === '1')), 'utf8');
    return { body, etag: weakEtag(body) };
  };
}
