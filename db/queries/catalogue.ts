// Reading the working catalogue: lists with filters and paging, one item with everything its
// service guide shows, departments with counts. HTML pages and their JSON twins both call these.
import { and, eq, isNull } from 'drizzle-orm';
import { departments, items } from '../schema.js';
import type { Db } from '../client.js';
import type { Category, CitationRole, InstrumentStatus, Level, Rank } from '../../server/domain/vocabulary.js';
import { fieldsOfRow, type ItemFieldColumns, type ItemFields } from '../../server/domain/item-fields.js';

export interface ItemFilter {
  department?: string | undefined;
  category?: Category | undefined;
  level?: Level | undefined;
  /** 'yes': has at least one setting citation; 'no': has none. */
  basis?: 'yes' | 'no' | undefined;
  /** 服务对象 and theme: answered by the search index only (server/publication/search.ts). */
  audience?: 'individual' | 'legal' | undefined;
  theme?: string | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
}

export interface ItemSummary {
  code: string;
  name: string;
  category: Category;
  department: { code: string; name: string };
  level: Level | null;
  parentCode: string | null;
  mainItemName: string | null;
  hasBasis: boolean;
  rowVersion: number;
}

export interface ItemPage {
  total: number;
  page: number;
  pageSize: number;
  items: ItemSummary[];
}

const HAS_BASIS = `EXISTS (SELECT 1 FROM citations c WHERE c.item_id = i.id AND c.role = 'setting')`;

interface SummaryRow {
  code: string;
  name: string;
  category: Category;
  department_code: string;
  department_name: string;
  level: Level | null;
  parent_code: string | null;
  main_item_name: string | null;
  has_basis: number;
  row_version: number;
}

const toSummary = (r: SummaryRow): ItemSummary => ({
  code: r.code,
  name: r.name,
  category: r.category,
  department: { code: r.department_code, name: r.department_name },
  level: r.level,
  parentCode: r.parent_code,
  mainItemName: r.main_item_name,
  hasBasis: r.has_basis === 1,
  rowVersion: r.row_version,
});

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

const SUMMARY_COLUMNS = `i.code, i.name, i.category, d.code AS department_code, d.name AS department_name, i.level,
              p.code AS parent_code, i.main_item_name, ${HAS_BASIS} AS has_basis, i.row_version`;

const TEXT_CONDITION = `(i.name LIKE @q ESCAPE '\\' OR i.code LIKE @q ESCAPE '\\')`;

/**
 * The conditions of a list filter on items `i`, other than the department: category, level, legal basis
 * and text (in the name or the code).
 */
function itemConditions(filter: ItemFilter): { where: string[]; params: Record<string, string> } {
  const where = ['i.removed_at IS NULL'];
  const params: Record<string, string> = {};
  if (filter.category) {
    where.push('i.category = @category');
    params.category = filter.category;
  }
  if (filter.level) {
    where.push('i.level = @level');
    params.level = filter.level;
  }
  if (filter.basis === 'yes') where.push(HAS_BASIS);
  if (filter.basis === 'no') where.push(`NOT ${HAS_BASIS}`);
  if (filter.q) {
    where.push(TEXT_CONDITION);
    params.q = `%${escapeLike(filter.q)}%`;
  }
  return { where, params };
}

/**
 * The list department by department: the counts first (by department and category alone they come from
 * the live-items index; with a text, level or basis filter from one pass over the items), then only the
 * departments the page falls in are read and sorted, so the first and the last page of a million items
 * cost about the same, and no query sorts the whole catalogue.
 */
function listByDepartment(db: Db, filter: ItemFilter): ItemPage {
  const sqlite = db.$client;
  const { where, params } = itemConditions(filter);
  const plain = !filter.q && !filter.level && !filter.basis;
  // A text is looked for in the name and code indexes (narrow: a tenth of the table's pages); only the
  // items found are read.
  const found = `i.id IN (SELECT id FROM items INDEXED BY items_name_idx WHERE name LIKE @q ESCAPE '\\'
                          UNION ALL SELECT id FROM items INDEXED BY items_code_uq WHERE code LIKE @q ESCAPE '\\')`;
  const counted = plain
    ? 'SELECT department_id, count(*) AS n FROM items WHERE removed_at IS NULL AND (@category IS NULL OR category = @category) GROUP BY department_id'
    : `SELECT i.department_id, count(*) AS n FROM items i WHERE ${[...where.filter((w) => w !== TEXT_CONDITION), ...(filter.q ? [found] : [])].join(' AND ')} GROUP BY i.department_id`;
  const counts = sqlite
    .prepare(
      `SELECT d.id, d.code, c.n FROM departments d JOIN (${counted}) c ON c.department_id = d.id
        WHERE @department IS NULL OR d.code = @department ORDER BY d.code`,
    )
    .all({ ...params, category: filter.category ?? null, department: filter.department ?? null }) as { id: number; code: string; n: number }[];
  const total = counts.reduce((sum, d) => sum + d.n, 0);
  const pageOf = sqlite.prepare(
    `SELECT ${SUMMARY_COLUMNS} FROM items i JOIN departments d ON d.id = i.department_id LEFT JOIN items p ON p.id = i.parent_id
      WHERE i.department_id = @id AND ${where.join(' AND ')}
      ORDER BY i.code LIMIT @limit OFFSET @offset`,
  );
  const rows: SummaryRow[] = [];
  let skip = (filter.page - 1) * filter.pageSize;
  for (const d of counts) {
    if (rows.length >= filter.pageSize) break;
    if (skip >= d.n) {
      skip -= d.n;
      continue;
    }
    rows.push(...(pageOf.all({ ...params, id: d.id, limit: filter.pageSize - rows.length, offset: skip }) as SummaryRow[]));
    skip = 0;
  }
  return { total, page: filter.page, pageSize: filter.pageSize, items: rows.map(toSummary) };
}

/** The list rows of these items, in the order given (a page the search index chose). */
export function itemSummariesByIds(db: Db, ids: readonly number[]): ItemSummary[] {
  if (ids.length === 0) return [];
  const rows = db.$client
    .prepare(
      `SELECT i.id, ${SUMMARY_COLUMNS} FROM items i JOIN departments d ON d.id = i.department_id LEFT JOIN items p ON p.id = i.parent_id
        WHERE i.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as (SummaryRow & { id: number })[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [toSummary(byId.get(id)!)] : []));
}

export function listItems(db: Db, filter: ItemFilter): ItemPage {
  return listByDepartment(db, filter);
}

/** The list with any filter, in one query (department and code order): what listItems must equal (tests). */
export function listItemsFiltered(db: Db, filter: ItemFilter): ItemPage {
  const { where, params } = itemConditions(filter);
  if (filter.department) {
    where.push('d.code = @department');
    params.department = filter.department;
  }
  const from = `FROM items i JOIN departments d ON d.id = i.department_id WHERE ${where.join(' AND ')}`;
  const sqlite = db.$client;
  const { total } = sqlite.prepare(`SELECT count(*) AS total ${from}`).get(params) as { total: number };
  const rows = sqlite
    .prepare(
      `SELECT ${SUMMARY_COLUMNS}
         ${from.replace('WHERE', 'LEFT JOIN items p ON p.id = i.parent_id WHERE')}
        ORDER BY d.code, i.code LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as SummaryRow[];
  return { total, page: filter.page, pageSize: filter.pageSize, items: rows.map(toSummary) };
}

export interface CitationView {
  title: string;
  article: string | null;
  documentNumber: string | null;
  role: CitationRole;
  tag: string | null;
  quotedText: string | null;
  instrument: { id: number; title: string; rank: Rank; status: InstrumentStatus; rankInferred: boolean } | null;
}

/** An item with every editable field (ItemFields, beside the summary's name, category and level). */
export interface ItemDetail extends ItemSummary, Omit<ItemFields, keyof ItemSummary> {
  id: number;
  departmentId: number;
  disposition: string | null;
  reviewStatus: string;
  updatedAt: string;
  parent: { code: string; name: string } | null;
  subItems: { code: string; name: string }[];
  citations: CitationView[];
  prerequisites: { writtenAs: string; item: { code: string; name: string } | null }[];
  steps: { seq: number; name: string; post: string | null; limitDays: number | null }[];
}

interface DetailRow extends SummaryRow, ItemFieldColumns {
  id: number;
  department_id: number;
  parent_name: string | null;
  disposition: string | null;
  review_status: string;
  updated_at: string;
}

export function getItem(db: Db, code: string): ItemDetail | null {
  const sqlite = db.$client;
  const r = sqlite
    .prepare(
      `SELECT i.*, d.code AS department_code, d.name AS department_name, p.code AS parent_code, p.name AS parent_name,
              ${HAS_BASIS} AS has_basis
         FROM items i JOIN departments d ON d.id = i.department_id LEFT JOIN items p ON p.id = i.parent_id
        WHERE i.code = ? AND i.removed_at IS NULL`,
    )
    .get(code) as DetailRow | undefined;
  if (!r) return null;
  const citations = (
    sqlite
      .prepare(
        `SELECT c.title, c.article, c.document_number, c.role, c.tag, c.quoted_text,
                l.id AS instrument_id, l.title AS instrument_title, l.rank, l.status, l.rank_inferred
           FROM citations c LEFT JOIN legal_instruments l ON l.id = c.instrument_id
          WHERE c.item_id = ? ORDER BY c.role DESC, c.seq`,
      )
      .all(r.id) as {
      title: string;
      article: string | null;
      document_number: string | null;
      role: CitationRole;
      tag: string | null;
      quoted_text: string | null;
      instrument_id: number | null;
      instrument_title: string | null;
      rank: Rank | null;
      status: InstrumentStatus | null;
      rank_inferred: number | null;
    }[]
  ).map((c) => ({
    title: c.title,
    article: c.article,
    documentNumber: c.document_number,
    role: c.role,
    tag: c.tag,
    quotedText: c.quoted_text,
    instrument:
      c.instrument_id == null
        ? null
        : { id: c.instrument_id, title: c.instrument_title!, rank: c.rank!, status: c.status!, rankInferred: c.rank_inferred === 1 },
  }));
  const subItems = sqlite
    .prepare('SELECT code, name FROM items WHERE parent_id = ? AND removed_at IS NULL ORDER BY code')
    .all(r.id) as { code: string; name: string }[];
  const prerequisites = (
    sqlite
      .prepare(
        `SELECT ip.written_as, p.code, p.name FROM item_prerequisites ip LEFT JOIN items p ON p.id = ip.prerequisite_item_id
          WHERE ip.item_id = ? ORDER BY ip.id`,
      )
      .all(r.id) as { written_as: string; code: string | null; name: string | null }[]
  ).map((p) => ({ writtenAs: p.written_as, item: p.code ? { code: p.code, name: p.name! } : null }));
  const steps = (
    sqlite.prepare('SELECT seq, name, post, limit_days FROM process_steps WHERE item_id = ? ORDER BY seq').all(r.id) as {
      seq: number;
      name: string;
      post: string | null;
      limit_days: number | null;
    }[]
  ).map((s) => ({ seq: s.seq, name: s.name, post: s.post, limitDays: s.limit_days }));
  return {
    ...fieldsOfRow(r as unknown as Record<string, unknown>),
    ...toSummary(r),
    id: r.id,
    departmentId: r.department_id,
    disposition: r.disposition,
    reviewStatus: r.review_status,
    updatedAt: r.updated_at,
    parent: r.parent_code ? { code: r.parent_code, name: r.parent_name! } : null,
    subItems,
    citations,
    prerequisites,
    steps,
  };
}

export interface DepartmentSummary {
  code: string;
  name: string;
  level: Level;
  itemCount: number;
}

/** Every department without its count (the working list's filter counts its items in the search index). */
export const departmentRows = (db: Db): Omit<DepartmentSummary, 'itemCount'>[] =>
  db.select({ code: departments.code, name: departments.name, level: departments.level }).from(departments).all() as Omit<DepartmentSummary, 'itemCount'>[];

export function listDepartments(db: Db): DepartmentSummary[] {
  return (
    db.$client
      .prepare(
        `SELECT d.code, d.name, d.level,
                (SELECT count(*) FROM items i WHERE i.department_id = d.id AND i.removed_at IS NULL) AS item_count
           FROM departments d ORDER BY item_count DESC, d.code`,
      )
      .all() as { code: string; name: string; level: Level; item_count: number }[]
  ).map((d) => ({ code: d.code, name: d.name, level: d.level, itemCount: d.item_count }));
}

export function findDepartmentByCode(db: Db, code: string): { id: number; code: string; name: string } | null {
  return (
    (db.$client.prepare('SELECT id, code, name FROM departments WHERE code = ?').get(code) as
      | { id: number; code: string; name: string }
      | undefined) ?? null
  );
}

/** Counts by department and category, for `catalogue stats`. */
export function catalogueCounts(db: Db): {
  items: number;
  departments: number;
  byDepartment: { code: string; name: string; itemCount: number; byCategory: Record<string, number> }[];
  byCategory: Record<string, number>;
} {
  const rows = db.$client
    .prepare(
      // Grouped within the live-items index (department, category) alone, then joined to the departments.
      `SELECT d.code, d.name, c.category, c.n
         FROM departments d
         LEFT JOIN (SELECT department_id, category, count(*) AS n FROM items WHERE removed_at IS NULL GROUP BY department_id, category) c ON c.department_id = d.id
        ORDER BY d.code, c.category`,
    )
    .all() as { code: string; name: string; category: string | null; n: number }[];
  const byDept = new Map<string, { code: string; name: string; itemCount: number; byCategory: Record<string, number> }>();
  const byCategory: Record<string, number> = {};
  let items = 0;
  for (const r of rows) {
    const d = byDept.get(r.code) ?? { code: r.code, name: r.name, itemCount: 0, byCategory: {} };
    byDept.set(r.code, d);
    if (r.category) {
      d.byCategory[r.category] = r.n;
      d.itemCount += r.n;
      byCategory[r.category] = (byCategory[r.category] ?? 0) + r.n;
      items += r.n;
    }
  }
  return { items, departments: byDept.size, byDepartment: [...byDept.values()], byCategory };
}

/** The row version of each active item of a department, by code: the stamp a pre-filled template carries. */
export function itemVersions(db: Db, departmentCode: string): Map<string, number> {
  const rows = db
    .select({ code: items.code, version: items.rowVersion })
    .from(items)
    .innerJoin(departments, eq(departments.id, items.departmentId))
    .where(and(eq(departments.code, departmentCode), isNull(items.removedAt)))
    .all();
  return new Map(rows.map((r) => [r.code, r.version]));
}
