// A published version behind the same reader the public pages use for the working catalogue. Items
// are the revisions valid at the version's number; the content is what was published, never today's.
import type { Db } from '../../db/client.js';
import type { DepartmentSummary, ItemDetail, ItemFilter, ItemPage, ItemSummary } from '../../db/queries/catalogue.js';
import type { Category, CitationRole, Level } from '../domain/vocabulary.js';
import type { CatalogueReader } from '../catalogue/reader.js';
import type { PublishedItem } from './publish.js';
import type { VersionInfo } from '../../db/queries/publication/versions.js';
import { contentAt, revisionCodeName, revisionContents } from '../../db/queries/publication/revisions.js';
import { categoryIndex, type SearchIndex } from './catalogue-index.js';
import { CATEGORY_CODES } from '../domain/vocabulary.js';
import { searchVersion } from './search.js';
import { facetCounts } from './facets.js';
import { withCitedInstruments } from './cited-instruments.js';
import type { SynonymStore } from '../catalogue/synonyms.js';

export { getVersion, listVersions, versionOn, type VersionInfo } from '../../db/queries/publication/versions.js';
export { itemHistory } from '../../db/queries/publication/revisions.js';

/** A published item as the list pages and the API show it. */
export const summaryOf = (p: PublishedItem): ItemSummary => ({
  code: p.code,
  name: p.name,
  category: p.category as Category,
  department: p.department,
  level: p.level as Level | null,
  parentCode: p.parent?.code ?? null,
  mainItemName: p.mainItemName,
  hasBasis: p.citations.some((c) => c.role === 'setting'),
  rowVersion: 0,
});

/** A published item in the shape the item page and the API use. */
export function detail(p: PublishedItem, subItems: { code: string; name: string }[]): ItemDetail {
  return {
    ...summaryOf(p),
    id: 0,
    departmentId: 0,
    serviceObjects: p.serviceObjects,
    statutoryLimitDays: p.statutoryLimitDays,
    promisedLimitDays: p.promisedLimitDays,
    instant: p.instant,
    feeCharged: p.feeCharged,
    feeStandard: p.feeStandard,
    feeBasis: p.feeBasis,
    conditions: p.conditions,
    materials: p.materials,
    processText: p.processText,
    contactPhone: p.contactPhone,
    supervisionPhone: p.supervisionPhone,
    remarks: p.remarks,
    servicePlace: p.servicePlace ?? null,
    serviceHours: p.serviceHours ?? null,
    onSiteVisits: p.onSiteVisits ?? null,
    onlineDepth: p.onlineDepth ?? null,
    resultName: p.resultName ?? null,
    disposition: null,
    reviewStatus: 'none',
    updatedAt: '',
    parent: p.parent,
    subItems,
    citations: p.citations.map((c) => ({ title: c.title, article: c.article, documentNumber: c.documentNumber, role: c.role as CitationRole, tag: null, quotedText: null, instrument: null })),
    prerequisites: [],
    steps: [],
  };
}

/** The summaries kept per database, by revision id: at most this many, the least lately read dropped first. */
const SUMMARIES_KEPT = 20_000;
const keptSummaries = new WeakMap<Db['$client'], Map<number, ItemSummary>>();

/**
 * What the list shows of these published revisions, in their order. A revision never changes (the table
 * refuses updates and deletes), so its summary is kept once read: the searches' pages share many items (45%
 * of the items of the 1,000 queries of npm run bench:search were on an earlier page), and reading and parsing
 * a page's texts was a quarter of a search's time. Kept frozen: nothing may change what the next page shows.
 */
export function revisionSummaries(db: Db, ids: number[], keep = SUMMARIES_KEPT): ItemSummary[] {
  let kept = keptSummaries.get(db.$client);
  if (!kept) keptSummaries.set(db.$client, (kept = new Map()));
  const missing = ids.filter((id) => !kept.has(id));
  const contents = revisionContents(db, missing);
  const out = ids.map((id) => {
    let summary = kept.get(id);
    if (summary) kept.delete(id); // read again: it goes to the end, the most lately read
    else {
      const s = summaryOf(JSON.parse(contents.get(id)!) as PublishedItem);
      summary = Object.freeze({ ...s, department: Object.freeze(s.department) });
    }
    kept.set(id, summary);
    return summary;
  });
  // Only now, when the page's own are the most lately read: dropped before, one could be missing below.
  for (const id of kept.keys()) {
    if (kept.size <= keep) break;
    kept.delete(id);
  }
  return out;
}

/** A published version's catalogue, read from the database and the app's search index (server/services.ts). */
export function publishedCatalogue({ db, searchIndex, synonyms }: { db: Db; searchIndex: SearchIndex; synonyms?: SynonymStore }, version: VersionInfo): CatalogueReader {
  const n = version.number;
  return {
    label: version.title,
    published: true,
    listItems(filter: ItemFilter): ItemPage {
      // Filters, paging and search come from the in-memory index; only the page's items are read.
      const hits = searchVersion(searchIndex.current(n), n, filter, synonyms?.current());
      return { total: hits.total, page: filter.page, pageSize: filter.pageSize, items: revisionSummaries(db, hits.revisionIds) };
    },
    getItem(code: string): ItemDetail | null {
      const content = contentAt(db, code, n);
      if (!content) return null;
      const index = searchIndex.current(n);
      const children = index.children.get(code)?.view() ?? [];
      const subItems = [...children]
        .filter((doc) => index.inVersion(doc, n))
        .map((doc) => revisionCodeName(db, index.revisionId[doc]!)!)
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      return withCitedInstruments(db, detail(JSON.parse(content) as PublishedItem, subItems));
    },
    facets: (query) => facetCounts(searchIndex.current(n), n, query, synonyms?.current()),
    counts() {
      const index = searchIndex.current(n);
      const byIndex = new Uint32Array(CATEGORY_CODES.length + 1);
      let items = 0;
      for (let doc = 0; doc < index.size; doc++) {
        if (!index.inVersion(doc, n)) continue;
        byIndex[index.category[doc]!]!++;
        items++;
      }
      const byCategory: Record<string, number> = {};
      CATEGORY_CODES.forEach((c) => {
        const k = categoryIndex(c);
        if (byIndex[k]) byCategory[c] = byIndex[k]!;
      });
      return { items, byCategory };
    },
    listDepartments(): DepartmentSummary[] {
      const index = searchIndex.current(n);
      const counts = new Uint32Array(index.departments.length);
      for (let doc = 0; doc < index.size; doc++) if (index.inVersion(doc, n)) counts[index.department[doc]!]!++;
      return index.departments
        .map((d, i) => ({ code: d.code, name: d.name, itemCount: counts[i]!, level: 'district' as Level }))
        .filter((d) => d.itemCount > 0)
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    },
  };
}
