// The public pages read a catalogue through this interface: the working catalogue (signed-in staff) or a
// published version (server/publication/reader.ts), so pages stay as they are.
import type { Db } from '../../db/client.js';
import { PUBLIC_CATALOGUE_LABELS } from '../domain/labels.js';
import { searchVersion } from '../publication/search.js';
import { facetCounts, type FacetCounts, type FacetQuery } from '../publication/facets.js';
import { WORKING, type WorkingIndex } from './working-index.js';
import type { SynonymStore } from './synonyms.js';
import {
  catalogueCounts,
  departmentRows,
  getItem,
  itemSummariesByIds,
  type DepartmentSummary,
  type ItemDetail,
  type ItemFilter,
  type ItemPage,
} from '../../db/queries/catalogue.js';

export interface CatalogueReader {
  /** Shown in page headers: which catalogue the visitor is looking at. */
  readonly label: string;
  listItems(filter: ItemFilter): ItemPage;
  getItem(code: string): ItemDetail | null;
  listDepartments(): DepartmentSummary[];
  /** Items in all and by category code (the home page's tiles). */
  counts(): { items: number; byCategory: Record<string, number> };
  /** How many items fall under each 服务对象, department, category and theme, given the current filter. */
  facets(query: FacetQuery): FacetCounts;
  /** Whether this is a published version (false: the working catalogue). */
  readonly published: boolean;
}

/**
 * The working catalogue. Lists come from its search index (the same search as every published version:
 * server/catalogue/working-index.ts); only the page's items are read from the tables.
 */
export function workingCatalogue({ db, workingIndex, synonyms }: { db: Db; workingIndex: WorkingIndex; synonyms: SynonymStore }): CatalogueReader {
  return {
    label: PUBLIC_CATALOGUE_LABELS.working,
    published: false,
    listItems(filter) {
      const hits = searchVersion(workingIndex.current(), WORKING, filter, synonyms.current());
      const items = itemSummariesByIds(db, hits.revisionIds.map((id) => workingIndex.itemIdOf(id)));
      return { total: hits.total, page: filter.page, pageSize: filter.pageSize, items };
    },
    getItem: (code) => getItem(db, code),
    facets: (query) => facetCounts(workingIndex.current(), WORKING, query, synonyms.current()),
    listDepartments() {
      // Counted in the search index (a pass over typed arrays) rather than over the items table.
      const index = workingIndex.current();
      const byIndex = new Uint32Array(index.departments.length);
      for (let doc = 0; doc < index.size; doc++) if (index.inVersion(doc, WORKING)) byIndex[index.department[doc]!]!++;
      const counts = new Map(index.departments.map((d, i) => [d.code, byIndex[i]!]));
      return departmentRows(db)
        .map((d) => ({ ...d, itemCount: counts.get(d.code) ?? 0 }))
        .sort((a, b) => b.itemCount - a.itemCount || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    },
    counts: () => catalogueCounts(db),
  };
}
