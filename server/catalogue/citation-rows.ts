// The legal basis as rows of the item form: each row an instrument (chosen from the registry, or a free
// title that stays an unregistered instrument), its article, paragraph and item, its role and the quoted
// text. The form posts the rows as repeated fields (basisTitle, basisArticle …, one of each per row), the
// JSON API as a list; both become the citations a save writes. The fee basis is rows too, written back
// as the fee-basis text the checks read.
import type { Db } from '../../db/client.js';
import { instrumentsByIds, instrumentsByNormalizedTitles, type InstrumentHit } from '../../db/queries/basis.js';
import { findDocumentNumber, normaliseArticle, splitCitations } from '../../imports/legal-basis.js';
import { normalizeInstrumentTitle, pickInstrumentVersion } from '../domain/instrument-title.js';
import { chineseToNumber } from '../domain/time-limits.js';
import { BASIS_ERRORS, BASIS_FORM, CITATION_ROLES, INSTRUMENT_STATUSES } from '../domain/labels.js';
import { CITATION_ROLE_CODES, type CitationRole } from '../domain/vocabulary.js';
import type { ProposedCitation } from '../domain/proposal.js';

// Bounded so the whole form stays under the body reader's 200 fields (server/http/body.ts): 7 cells a row.
export const MAX_BASIS_ROWS = 15;
export const MAX_FEE_ROWS = 5;
const MAX_TITLE = 200;
const MAX_QUOTE = 2000;

/** One row as the form shows it (and as a refused form gives it back). */
export interface CitationRow {
  instrumentId: string;
  title: string;
  article: string;
  paragraph: string;
  item: string;
  role: string;
  quote: string;
}

const BLANK: CitationRow = { instrumentId: '', title: '', article: '', paragraph: '', item: '', role: 'setting', quote: '' };
const isBlank = (r: CitationRow) => !r.instrumentId && !r.title && !r.article && !r.paragraph && !r.item && !r.quote;

const SECTIONS = {
  basis: { prefix: 'basis', max: MAX_BASIS_ROWS, label: BASIS_FORM.settingTitle, withRole: true },
  fee: { prefix: 'fee', max: MAX_FEE_ROWS, label: BASIS_FORM.feeTitle, withRole: false },
} as const;
export type RowSection = keyof typeof SECTIONS;
const ROW_KEYS = ['instrumentId', 'title', 'article', 'paragraph', 'item', 'role', 'quote'] as const;
const fieldName = (section: RowSection, key: (typeof ROW_KEYS)[number]) => `${SECTIONS[section].prefix}${key[0]!.toUpperCase()}${key.slice(1)}`;

const asList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map((x) => (x == null ? '' : String(x))) : [String(v)]);

/** The rows a form posted for a section (null when the form carried none: a JSON body, an older form). */
export function rowsFromForm(body: Record<string, unknown>, section: RowSection): CitationRow[] | null {
  if (body[`${SECTIONS[section].prefix}Rows`] === undefined) return null;
  const columns = Object.fromEntries(ROW_KEYS.map((k) => [k, asList(body[fieldName(section, k)])])) as Record<(typeof ROW_KEYS)[number], string[]>;
  const n = Math.max(...ROW_KEYS.map((k) => columns[k].length));
  const rows: CitationRow[] = [];
  for (let i = 0; i < n; i++) {
    const row = { ...BLANK };
    for (const k of ROW_KEYS) row[k] = (columns[k][i] ?? (k === 'role' ? 'setting' : '')).trim();
    rows.push(row);
  }
  return rows;
}

/** The rows of the JSON API's `citations` list ({instrumentId, title, article, paragraph, item, role, quotedText}). */
function rowsFromJson(list: unknown): CitationRow[] {
  const items = Array.isArray(list) ? list : [];
  return items.map((raw) => {
    const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const s = (v: unknown) => (v == null ? '' : String(v).trim());
    const instrument = (typeof o.instrument === 'object' && o.instrument !== null ? o.instrument : {}) as Record<string, unknown>;
    return { instrumentId: s(o.instrumentId ?? instrument.id), title: s(o.title), article: s(o.article), paragraph: s(o.paragraph), item: s(o.item), role: s(o.role) || 'setting', quote: s(o.quotedText ?? o.quote) };
  });
}

/** Rows as the person sees them after "add", "up", "down" or "remove" (`section:action[:index]`), nothing saved. */
export function applyRowAction(rows: Record<RowSection, CitationRow[]>, action: string): boolean {
  const [section, verb, at] = action.split(':');
  if (section !== 'basis' && section !== 'fee') return false;
  const list = rows[section];
  const i = Number(at);
  if (verb === 'add') {
    if (list.length < SECTIONS[section].max) list.push({ ...BLANK });
    return true;
  }
  if (!Number.isInteger(i) || i < 0 || i >= list.length) return false;
  if (verb === 'remove') list.splice(i, 1);
  else if (verb === 'up' && i > 0) [list[i - 1], list[i]] = [list[i]!, list[i - 1]!];
  else if (verb === 'down' && i < list.length - 1) [list[i + 1], list[i]] = [list[i]!, list[i + 1]!];
  return true;
}

const ARTICLE_TEXT_RE = /^第[零〇一二两三四五六七八九十百千]+[条款项目章节之、至和及零〇一二两三四五六七八九十百千第]*[条款项目章节]$/;
const SPLIT_ARTICLE_RE = /^第([零〇一二两三四五六七八九十百千]+)条(?:第([零〇一二两三四五六七八九十百千]+)款)?(?:第([零〇一二两三四五六七八九十百千]+)项)?$/;

const smallNumber = (s: string, max: number): number | null => {
  const n = chineseToNumber(s.replace(/^第|[条款项]$/g, ''));
  return n !== null && Number.isInteger(n) && n >= 1 && n <= max ? n : null;
};

/** 第X条第X款第X项 from the row's three cells, or the reason it cannot be written. */
function articleOf(row: CitationRow): { ok: true; article: string | null } | { ok: false; message: string } {
  const hasParts = row.paragraph !== '' || row.item !== '';
  if (row.article === '') return hasParts ? { ok: false, message: BASIS_ERRORS.partWithoutArticle } : { ok: true, article: null };
  let text: string;
  const n = smallNumber(row.article, 9999);
  if (n !== null) text = normaliseArticle(`第${n}条`);
  else {
    text = normaliseArticle(row.article.startsWith('第') ? row.article : `第${row.article}`);
    if (!ARTICLE_TEXT_RE.test(text)) return { ok: false, message: BASIS_ERRORS.article };
  }
  if (row.paragraph !== '') {
    const p = smallNumber(row.paragraph, 999);
    if (p === null) return { ok: false, message: BASIS_ERRORS.paragraph };
    text += normaliseArticle(`第${p}款`);
  }
  if (row.item !== '') {
    const it = smallNumber(row.item, 999);
    if (it === null) return { ok: false, message: BASIS_ERRORS.item };
    text += normaliseArticle(`第${it}项`);
  }
  return { ok: true, article: text };
}

/** The registered version a written title means, or null (it stays unregistered). */
function matchTitles(db: Db, titles: string[]): Map<string, InstrumentHit | null> {
  const normalized = [...new Set(titles.map(normalizeInstrumentTitle))];
  const byNormalized = new Map<string, InstrumentHit[]>();
  for (const hit of instrumentsByNormalizedTitles(db, normalized)) {
    const list = byNormalized.get(hit.normalizedTitle) ?? [];
    list.push(hit);
    byNormalized.set(hit.normalizedTitle, list);
  }
  return new Map(titles.map((t) => [t, pickInstrumentVersion(byNormalized.get(normalizeInstrumentTitle(t)) ?? [], t)]));
}

export const bareTitle = (title: string) => title.replace(/^[《〈<]+|[》〉>]+$/g, '').trim();

type Parsed = { citations: ProposedCitation[]; errors: string[] };

/** The rows of one section as citations, or the reasons (one per bad row, naming it). */
function citationsOfRows(db: Db, rows: CitationRow[], section: RowSection): Parsed {
  const spec = SECTIONS[section];
  const filled = rows.map((r, i) => ({ r, n: i + 1 })).filter(({ r }) => !isBlank(r));
  const errors: string[] = [];
  if (filled.length > spec.max) return { citations: [], errors: [BASIS_ERRORS.tooMany(spec.label, spec.max)] };
  const ids = filled.map(({ r }) => Number(r.instrumentId)).filter((n) => Number.isInteger(n) && n > 0);
  const registered = instrumentsByIds(db, ids);
  const matched = matchTitles(db, filled.filter(({ r }) => !r.instrumentId && r.title).map(({ r }) => bareTitle(r.title)));
  const citations: ProposedCitation[] = [];
  for (const { r, n } of filled) {
    const fail = (message: string) => errors.push(BASIS_ERRORS.row(spec.label, n, message));
    let instrument: InstrumentHit | null = null;
    if (r.instrumentId) {
      instrument = registered.get(Number(r.instrumentId)) ?? null;
      if (!instrument) {
        fail(BASIS_ERRORS.unknownInstrument);
        continue;
      }
    }
    const title = instrument ? instrument.title : bareTitle(r.title);
    if (!title) {
      fail(BASIS_ERRORS.titleMissing);
      continue;
    }
    if (title.length > MAX_TITLE) {
      fail(BASIS_ERRORS.titleTooLong(MAX_TITLE));
      continue;
    }
    instrument ??= matched.get(title) ?? null;
    const article = articleOf(r);
    if (!article.ok) {
      fail(article.message);
      continue;
    }
    const role = spec.withRole ? r.role : 'setting';
    if (!(CITATION_ROLE_CODES as readonly string[]).includes(role)) {
      fail(BASIS_ERRORS.role);
      continue;
    }
    if (r.quote.length > MAX_QUOTE) {
      fail(BASIS_ERRORS.quoteTooLong(MAX_QUOTE));
      continue;
    }
    citations.push({
      title,
      article: article.article,
      documentNumber: instrument ? instrument.documentNumber : findDocumentNumber(title),
      tag: null,
      quotedText: r.quote || null,
      role: role as CitationRole,
      instrumentId: instrument?.id ?? null,
    });
  }
  return { citations, errors };
}

/** The fee basis as the text the item keeps: 《title》第X条 (a document number bare), joined by ；. */
export function feeBasisText(citations: readonly ProposedCitation[]): string | null {
  if (citations.length === 0) return null;
  return citations
    .map((c) => `${c.documentNumber && c.documentNumber === c.title ? c.title : `《${c.title}》`}${c.article ?? ''}${c.quotedText ? `：${c.quotedText}` : ''}`)
    .join('；');
}

export interface BasisInput {
  /** The citations to store; undefined when the input said nothing about them (left as they are). */
  citations: ProposedCitation[] | undefined;
  /** The fee basis text from its rows; undefined when the input carried no rows (the text field stands). */
  feeBasis: string | null | undefined;
  /** Field → the reasons, in Chinese, one line per bad row. */
  errors: Record<string, string>;
}

/** Reads the legal basis of a form or JSON body. Nothing is written; a refused row is named in `errors`. */
export function readBasisInput(db: Db, body: Record<string, unknown>): BasisInput {
  const errors: Record<string, string> = {};
  let citations: ProposedCitation[] | undefined;
  let feeBasis: string | null | undefined;
  const basisRows = rowsFromForm(body, 'basis') ?? (Array.isArray(body.citations) ? rowsFromJson(body.citations) : null);
  if (basisRows) {
    const parsed = citationsOfRows(db, basisRows, 'basis');
    if (parsed.errors.length) errors.citations = parsed.errors.join('；');
    else citations = parsed.citations;
  }
  const feeRows = rowsFromForm(body, 'fee');
  if (feeRows) {
    const parsed = citationsOfRows(db, feeRows, 'fee');
    if (parsed.errors.length) errors.feeBasis = parsed.errors.join('；');
    else feeBasis = feeBasisText(parsed.citations);
  }
  return { citations, feeBasis, errors };
}

/* ------------------------------------------------------------------------------------------------
 * Rows for the form
 * ---------------------------------------------------------------------------------------------- */

/** A stored article split back into its cells: 第十二条第一款第三项 → 12, 1, 3; anything else stays whole. */
function articleCells(article: string | null): Pick<CitationRow, 'article' | 'paragraph' | 'item'> {
  if (!article) return { article: '', paragraph: '', item: '' };
  const m = SPLIT_ARTICLE_RE.exec(normaliseArticle(article));
  if (!m) return { article, paragraph: '', item: '' };
  const num = (s: string | undefined) => (s ? String(chineseToNumber(s) ?? s) : '');
  return { article: num(m[1]), paragraph: num(m[2]), item: num(m[3]) };
}

export const rowOfCitation = (c: Pick<ProposedCitation, 'title' | 'article' | 'role' | 'quotedText' | 'instrumentId'>): CitationRow => ({
  instrumentId: c.instrumentId ? String(c.instrumentId) : '',
  title: c.title,
  ...articleCells(c.article),
  role: c.role,
  quote: c.quotedText ?? '',
});

/** The fee basis text read back into rows (each 《title》 a row; text naming no instrument is one row as written). */
export function rowsOfFeeBasis(db: Db, text: string | null): CitationRow[] {
  if (!text || !text.trim()) return [];
  const parsed = splitCitations(text);
  if (parsed.length === 0) return [{ ...BLANK, title: text.trim() }];
  const matched = matchTitles(db, parsed.map((p) => p.title));
  return parsed.map((p) => ({ ...BLANK, instrumentId: matched.get(p.title)?.id ? String(matched.get(p.title)!.id) : '', title: p.title, ...articleCells(p.article), quote: p.quotedText ?? '' }));
}

/** What the form shows of each row: the cells, the role's options, and the registry's word on the instrument. */
export function rowsForView(db: Db, rows: CitationRow[], section: RowSection, blankRows: number) {
  const all = [...rows];
  for (let i = 0; i < blankRows && all.length < SECTIONS[section].max; i++) all.push({ ...BLANK });
  const registered = instrumentsByIds(db, all.map((r) => Number(r.instrumentId)).filter((n) => Number.isInteger(n) && n > 0));
  return all.map((r, i) => {
    const hit = r.instrumentId ? registered.get(Number(r.instrumentId)) : undefined;
    return {
      ...r,
      index: i,
      n: i + 1,
      first: i === 0,
      last: i === all.length - 1,
      roles: CITATION_ROLE_CODES.map((c) => ({ value: c, text: CITATION_ROLES[c], selected: c === (r.role || 'setting') })),
      statusName: hit ? `${BASIS_FORM.registered} · ${INSTRUMENT_STATUSES[hit.status]}` : r.title ? BASIS_FORM.unregistered : '',
      statusClass: hit ? `status-${hit.status}` : 'status-unknown',
    };
  });
}
