// A published version behind the same reader the public pages use for the working catalogue. Items
// are the revisions valid at the version's number; the content is what was published, never today's.
import type { Db } from '../../db/client.js';
import type { DepartmentSummary, ItemDetail, ItemFilter, ItemPage, ItemSummary } from '../../db/queries/catalogue.js';
import type { Category, CitationRole, Level } from '../domain/vocabulary.js';
import type { CatalogueReader } from '../catalogue/reader.js';
import type { PublishedItem } from './publish.js';
import type { SearchIndex } from './catalogue-index.js';
import { searchVersion } from './search.js';

export interface VersionInfo {
  number: number;
  title: string;
  effectiveOn: string;
  note: string | null;
  publishedAt: string;
  publishedBy: string;
  itemCount: number;
  added: number;
  changed: number;
  removed: number;
  contentHash: string;
}

const VERSION_SQL = `SELECT number, title, effective_on AS effectiveOn, note, published_at AS publishedAt, published_by AS publishedBy,
        item_count AS itemCount, added, changed, removed, content_hash AS contentHash FROM catalogue_versions`;

export const listVersions = (db: Db): VersionInfo[] => db.$client.prepare(`${VERSION_SQL} ORDER BY number DESC`).all() as VersionInfo[];
export const getVersion = (db: Db, n: number): VersionInfo | null => (db.$client.prepare(`${VERSION_SQL} WHERE number = ?`).get(n) as VersionInfo | undefined) ?? null;
/** The latest version on or before a date (the catalogue as it stood then). */
export const versionOn = (db: Db, date: string): VersionInfo | null =>
  (db.$client.prepare(`${VERSION_SQL} WHERE effective_on <= ? ORDER BY effective_on DESC, number DESC LIMIT 1`).get(date) as VersionInfo | undefined) ?? null;

/** The revisions of version @n. */
export const VALID = '(r.from_version <= @n AND (r.to_version IS NULL OR r.to_version > @n))';

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

/** A published version's catalogue, read from the database and the app's search index (server/services.ts). */
export function publishedCatalogue({ db, searchIndex }: { db: Db; searchIndex: SearchIndex }, version: VersionInfo): CatalogueReader {
  const n = version.number;
  const sqlite = db.$client;
  return {
    label: version.title,
    listItems(filter: ItemFilter): ItemPage {
      // Filters, paging and search come from the in-memory index; only the page's items are read.
      const hits = searchVersion(searchIndex.current(), n, filter);
      const byId = new Map<number, string>();
      if (hits.revisionIds.length) {
        const marks = hits.revisionIds.map(() => '?').join(',');
        for (const [id, content] of sqlite.prepare(`SELECT id, content FROM item_revisions WHERE id IN (${marks})`).raw().all(...hits.revisionIds) as [number, string][]) {
          byId.set(id, content);
        }
      }
      const items = hits.revisionIds.map((id) => summaryOf(JSON.parse(byId.get(id)!) as PublishedItem));
      return { total: hits.total, page: filter.page, pageSize: filter.pageSize, items };
    },
    getItem(code: string): ItemDetail | null {
      const content = sqlite.prepare(`SELECT r.content FROM revision_spans r WHERE r.code = @code AND ${VALID}`).pluck().get({ code, n }) as string | undefined;
      if (!content) return null;
      const index = searchIndex.current();
      const children = index.children.get(code)?.view() ?? [];
      const subItems = [...children]
        .filter((doc) => index.inVersion(doc, n))
        .map((doc) => sqlite.prepare('SELECT code, name FROM item_revisions WHERE id = ?').get(index.revisionId[doc]) as { code: string; name: string })
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      return detail(JSON.parse(content) as PublishedItem, subItems);
    },
    listDepartments(): DepartmentSummary[] {
      const index = searchIndex.current();
      const counts = new Uint32Array(index.departments.length);
      for (let doc = 0; doc < index.size; doc++) if (index.inVersion(doc, n)) counts[index.department[doc]!]!++;
      return index.departments
        .map((d, i) => ({ code: d.code, name: d.name, itemCount: counts[i]!, level: 'district' as Level }))
        .filter((d) => d.itemCount > 0)
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    },
  };
}

/** An item's published history: every version range it was published in, with its content hash. */
export const itemHistory = (db: Db, code: string) =>
  db.$client
    .prepare('SELECT from_version AS fromVersion, to_version AS toVersion, name, content_hash AS contentHash FROM revision_spans WHERE code = ? ORDER BY from_version')
    .all(code) as { fromVersion: number; toVersion: number | null; name: string; contentHash: string }[];
