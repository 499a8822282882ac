// A published version behind the same reader the public pages use for the working catalogue. Items
// are the revisions valid at the version's number; the content is what was published, never today's.
import type { Db } from '../../db/client.js';
import type { DepartmentSummary, ItemDetail, ItemFilter, ItemPage, ItemSummary } from '../../db/queries/catalogue.js';
import type { Category, CitationRole, Level } from '../domain/vocabulary.js';
import type { CatalogueReader } from '../catalogue/reader.js';
import type { PublishedItem } from './publish.js';

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

const VALID = '(r.from_version <= @n AND (r.to_version IS NULL OR r.to_version > @n))';
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

const summaryOf = (p: PublishedItem): ItemSummary => ({
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

function detail(p: PublishedItem, subItems: { code: string; name: string }[]): ItemDetail {
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

export function publishedCatalogue(db: Db, version: VersionInfo): CatalogueReader {
  const n = version.number;
  const sqlite = db.$client;
  return {
    label: version.title,
    listItems(filter: ItemFilter): ItemPage {
      const where = [VALID];
      const params: Record<string, string | number> = { n };
      if (filter.department) {
        where.push('r.department_code = @department');
        params.department = filter.department;
      }
      if (filter.category) {
        where.push('r.category = @category');
        params.category = filter.category;
      }
      if (filter.level) {
        where.push("json_extract(r.content, '$.level') = @level");
        params.level = filter.level;
      }
      const hasBasis = `EXISTS (SELECT 1 FROM json_each(r.content, '$.citations') c WHERE json_extract(c.value, '$.role') = 'setting')`;
      if (filter.basis === 'yes') where.push(hasBasis);
      if (filter.basis === 'no') where.push(`NOT ${hasBasis}`);
      if (filter.q) {
        where.push(`(r.name LIKE @q ESCAPE '\\' OR r.code LIKE @q ESCAPE '\\')`);
        params.q = `%${escapeLike(filter.q)}%`;
      }
      const from = `FROM item_revisions r WHERE ${where.join(' AND ')}`;
      const total = sqlite.prepare(`SELECT count(*) ${from}`).pluck().get(params) as number;
      const rows = sqlite
        .prepare(`SELECT r.content ${from} ORDER BY r.department_code, r.code LIMIT @limit OFFSET @offset`)
        .pluck()
        .all({ ...params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as string[];
      const items = rows.map((c) => summaryOf(JSON.parse(c) as PublishedItem));
      return { total, page: filter.page, pageSize: filter.pageSize, items };
    },
    getItem(code: string): ItemDetail | null {
      const content = sqlite.prepare(`SELECT r.content FROM item_revisions r WHERE r.code = @code AND ${VALID}`).pluck().get({ code, n }) as string | undefined;
      if (!content) return null;
      const subItems = (
        sqlite.prepare(`SELECT r.code, r.name FROM item_revisions r WHERE ${VALID} AND json_extract(r.content, '$.parent.code') = @code ORDER BY r.code`).all({ code, n }) as {
          code: string;
          name: string;
        }[]
      );
      return detail(JSON.parse(content) as PublishedItem, subItems);
    },
    listDepartments(): DepartmentSummary[] {
      return (
        sqlite
          .prepare(
            `SELECT r.department_code AS code, json_extract(min(r.content), '$.department.name') AS name, count(*) AS itemCount
               FROM item_revisions r WHERE ${VALID} GROUP BY r.department_code ORDER BY r.department_code`,
          )
          .all({ n }) as { code: string; name: string; itemCount: number }[]
      ).map((d) => ({ ...d, level: 'district' as Level }));
    },
  };
}

/** An item's published history: every version range it was published in, with its content hash. */
export const itemHistory = (db: Db, code: string) =>
  db.$client
    .prepare('SELECT from_version AS fromVersion, to_version AS toVersion, name, content_hash AS contentHash FROM item_revisions WHERE code = ? ORDER BY from_version')
    .all(code) as { fromVersion: number; toVersion: number | null; name: string; contentHash: string }[];
