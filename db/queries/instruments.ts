// Reading the legal-instrument registry for its browser pages and API.
import type { Db } from '../client.js';
import type { InstrumentStatus, Rank } from '../../server/domain/vocabulary.js';

export interface InstrumentFilter {
  q?: string | undefined;
  rank?: Rank | undefined;
  status?: InstrumentStatus | undefined;
  page: number;
  pageSize: number;
}

export interface InstrumentSummary {
  id: number;
  title: string;
  rank: Rank;
  rankInferred: boolean;
  issuingBody: string | null;
  region: string | null;
  documentNumber: string | null;
  publishedOn: string | null;
  effectiveOn: string | null;
  status: InstrumentStatus;
  source: string;
  /** Who last changed the row by hand (form or registry import) and when; null while as shipped. */
  editedBy: string | null;
  editedAt: string | null;
  repealedOn: string | null;
  citingItems: number;
}

interface Row {
  id: number;
  title: string;
  rank: Rank;
  rank_inferred: number;
  issuing_body: string | null;
  region: string | null;
  document_number: string | null;
  published_on: string | null;
  effective_on: string | null;
  status: InstrumentStatus;
  source: string;
  edited_by: string | null;
  edited_at: string | null;
  repealed_on: string | null;
  citing_items: number;
  replaced_by_id?: number | null;
}

const CITING = `(SELECT count(DISTINCT c.item_id) FROM citations c JOIN items i ON i.id = c.item_id
                  WHERE c.instrument_id = l.id AND i.removed_at IS NULL)`;

const toSummary = (r: Row): InstrumentSummary => ({
  id: r.id,
  title: r.title,
  rank: r.rank,
  rankInferred: r.rank_inferred === 1,
  issuingBody: r.issuing_body,
  region: r.region,
  documentNumber: r.document_number,
  publishedOn: r.published_on,
  effectiveOn: r.effective_on,
  status: r.status,
  source: r.source,
  editedBy: r.edited_by,
  editedAt: r.edited_at,
  repealedOn: r.repealed_on,
  citingItems: r.citing_items,
});

export function listInstruments(db: Db, filter: InstrumentFilter): { total: number; instruments: InstrumentSummary[] } {
  const where: string[] = ['1 = 1'];
  const params: Record<string, string | number> = {};
  if (filter.q) {
    where.push(`l.title LIKE @q ESCAPE '\\'`);
    params.q = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  }
  if (filter.rank) {
    where.push('l.rank = @rank');
    params.rank = filter.rank;
  }
  if (filter.status) {
    where.push('l.status = @status');
    params.status = filter.status;
  }
  const sqlite = db.$client;
  const { total } = sqlite.prepare(`SELECT count(*) AS total FROM legal_instruments l WHERE ${where.join(' AND ')}`).get(params) as {
    total: number;
  };
  const rows = sqlite
    .prepare(
      `SELECT l.*, ${CITING} AS citing_items FROM legal_instruments l WHERE ${where.join(' AND ')}
        ORDER BY citing_items DESC, l.published_on DESC, l.id LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as Row[];
  return { total, instruments: rows.map(toSummary) };
}

export interface InstrumentDetail extends InstrumentSummary {
  replacedBy: { id: number; title: string } | null;
  otherVersions: { id: number; title: string; publishedOn: string | null; status: InstrumentStatus }[];
  items: { code: string; name: string; department: string; article: string | null }[];
}

export function getInstrument(db: Db, id: number): InstrumentDetail | null {
  const sqlite = db.$client;
  const r = sqlite.prepare(`SELECT l.*, ${CITING} AS citing_items FROM legal_instruments l WHERE l.id = ?`).get(id) as
    | (Row & { normalized_title: string })
    | undefined;
  if (!r) return null;
  const replacedBy = r.replaced_by_id
    ? ((sqlite.prepare('SELECT id, title FROM legal_instruments WHERE id = ?').get(r.replaced_by_id) as { id: number; title: string }) ??
      null)
    : null;
  const otherVersions = (
    sqlite
      .prepare(
        'SELECT id, title, published_on, status FROM legal_instruments WHERE normalized_title = ? AND id != ? ORDER BY published_on DESC',
      )
      .all(r.normalized_title, r.id) as { id: number; title: string; published_on: string | null; status: InstrumentStatus }[]
  ).map((v) => ({ id: v.id, title: v.title, publishedOn: v.published_on, status: v.status }));
  const items = (
    sqlite
      .prepare(
        `SELECT i.code, i.name, d.name AS department, c.article FROM citations c
           JOIN items i ON i.id = c.item_id JOIN departments d ON d.id = i.department_id
          WHERE c.instrument_id = ? AND i.removed_at IS NULL ORDER BY d.code, i.code LIMIT 500`,
      )
      .all(id) as { code: string; name: string; department: string; article: string | null }[]
  );
  return { ...toSummary(r), replacedBy, otherVersions, items };
}
