// The body of GET /api/v1/items (search, rank, count and the page's items, as JSON): one function, so the
// Express route and the fast path ahead of it (server/http/search-fast-path.ts) answer the same bytes.
import type { ItemSummary } from '../../db/queries/catalogue.js';
import { CATEGORIES } from '../domain/vocabulary.js';
import { facetsJson } from '../views/facets-model.js';
import type { CatalogueReader } from './reader.js';
import type { ItemQuery } from './queries.js';

export const itemJson = (i: ItemSummary) => ({ ...i, categoryName: CATEGORIES[i.category] });

/** The list's JSON object; with `withFacets` (?facets=1) also the counts the list page's facet panel shows. */
export function itemsListJson(catalogue: CatalogueReader, query: ItemQuery, pageSize: number, withFacets: boolean) {
  const result = catalogue.listItems({ ...query, pageSize });
  const { page: _page, ...filters } = query;
  const facets = withFacets ? { facets: facetsJson(catalogue.facets(filters)) } : {};
  return { total: result.total, page: result.page, pageSize: result.pageSize, items: result.items.map(itemJson), ...facets };
}
