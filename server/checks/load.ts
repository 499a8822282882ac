// Building the checks' input from the database: items with their citations resolved against the
// registry (unregistered instruments get an inferred rank), in keyset pages so a million items stream.
import type { Db } from '../../db/client.js';
import { cachedProcessSteps, type ProcessStep } from '../domain/process-steps.js';
import { inferRank, versionYearOf } from '../domain/instrument-title.js';
import type { Category, InstrumentStatus, Rank, ServiceObject } from '../domain/vocabulary.js';
import { createCheckContext } from './context.js';
import { checkItem } from './engine.js';
import { cycleLookup, localCycleLookup } from '../analysis/cycles.js';
import { NameIndex, normalizeItemName } from './similarity.js';
import type { CancelledEarlierMatch, Finding, CancelledAboveMatch, CheckContext, CheckedCitation, CheckedInstrument, CheckedItem, DuplicateClaim, StandardName } from './types.js';

interface ItemRowForCheck {
  id: number;
  code: string;
  name: string;
  category: Category;
  department_code: string;
  department_name: string;
  service_objects: string;
  fee_charged: number;
  fee_standard: string | null;
  fee_basis: string | null;
  statutory_limit_days: number | null;
  promised_limit_days: number | null;
  instant: number;
  process_text: string | null;
}

interface CitationRowForCheck {
  item_id: number;
  title: string;
  article: string | null;
  document_number: string | null;
  role: 'setting' | 'implementing';
  tag: string | null;
  quoted_text: string | null;
  instrument_id: number | null;
  l_title: string | null;
  rank: Rank | null;
  rank_inferred: number | null;
  status: InstrumentStatus | null;
  effective_on: string | null;
  published_on: string | null;
  region: string | null;
  issuing_body: string | null;
  replaced_by_id: number | null;
  replaced_title: string | null;
  replaced_published: string | null;
}

const ITEM_COLUMNS = `i.id, i.code, i.name, i.category, d.code AS department_code, d.name AS department_name, i.service_objects,
        i.fee_charged, i.fee_standard, i.fee_basis, i.statutory_limit_days, i.promised_limit_days, i.instant, i.process_text`;

const ITEM_SQL = `SELECT ${ITEM_COLUMNS}
   FROM items i JOIN departments d ON d.id = i.department_id
  WHERE i.removed_at IS NULL AND i.id > @after AND (@department IS NULL OR d.code = @department) ORDER BY i.id LIMIT @limit`;

const CITATION_SQL = `SELECT c.item_id, c.title, c.article, c.document_number, c.role, c.tag, c.quoted_text, c.instrument_id,
        l.title AS l_title, l.rank, l.rank_inferred, l.status, l.effective_on, l.published_on, l.region, l.issuing_body,
        r.id AS replaced_by_id, r.title AS replaced_title, r.published_on AS replaced_published
   FROM citations c LEFT JOIN legal_instruments l ON l.id = c.instrument_id LEFT JOIN legal_instruments r ON r.id = l.replaced_by_id
  WHERE c.item_id BETWEEN @from AND @to ORDER BY c.item_id, c.seq`;

/**
 * Process steps as stored, one row per item (a JSON array of [name, post, limit] in order): a full
 * check reads several steps per item, and one row each halves the cost. An item with none stored
 * gets its 办理流程 text parsed (before any backfill).
 */
const STEP_SQL = `SELECT item_id, json_group_array(json_array(name, post, limit_days)) AS steps
   FROM (SELECT item_id, name, post, limit_days FROM process_steps WHERE item_id BETWEEN @from AND @to ORDER BY item_id, seq) GROUP BY item_id`;
type StepRow = { item_id: number; steps: string };

function stepsByItem(rows: StepRow[]): Map<number, ProcessStep[]> {
  const byItem = new Map<number, ProcessStep[]>();
  for (const r of rows) {
    const steps = (JSON.parse(r.steps) as [string, string | null, number | null][]).map(([name, post, limitDays]) => ({ name, post, limitDays }));
    byItem.set(r.item_id, steps);
  }
  return byItem;
}

function toCitation(c: CitationRowForCheck): CheckedCitation {
  const registered = c.instrument_id !== null;
  return {
    title: c.title,
    article: c.article,
    documentNumber: c.document_number,
    role: c.role,
    tag: c.tag,
    quotedText: c.quoted_text,
    versionYear: versionYearOf(c.title),
    instrument: {
      id: c.instrument_id,
      title: c.l_title ?? c.title,
      rank: registered ? c.rank! : inferRank(c.title, c.document_number),
      rankInferred: registered ? c.rank_inferred === 1 : true,
      status: registered ? c.status! : 'unknown',
      effectiveOn: c.effective_on,
      publishedOn: c.published_on,
      replacedBy: c.replaced_by_id ? { id: c.replaced_by_id, title: c.replaced_title!, publishedOn: c.replaced_published } : null,
      region: c.region,
      issuingBody: c.issuing_body,
    },
  };
}

/** One item of the working catalogue as the checks see it, with a context that finds its duplicates by name. */
export function checkedItem(db: Db, code: string, asOf = new Date().toISOString().slice(0, 10)): { item: CheckedItem; ctx: CheckContext } | null {
  const row = db.$client
    .prepare(`SELECT ${ITEM_COLUMNS} FROM items i JOIN departments d ON d.id = i.department_id WHERE i.code = ? AND i.removed_at IS NULL`)
    .get(code) as ItemRowForCheck | undefined;
  if (!row) return null;
  const citations = (db.$client.prepare(CITATION_SQL).all({ from: row.id, to: row.id }) as CitationRowForCheck[]).map(toCitation);
  const item = toCheckedItem(row, citations, stepsByItem(db.$client.prepare(STEP_SQL).all({ from: row.id, to: row.id }) as StepRow[]).get(row.id));
  const others = db.$client
    .prepare('SELECT i.code, i.name, d.name AS department FROM items i JOIN departments d ON d.id = i.department_id WHERE i.name = ? AND i.department_id != (SELECT department_id FROM items WHERE id = ?) AND i.removed_at IS NULL')
    .all(row.name, row.id) as { code: string; name: string; department: string }[];
  const ctx = createCheckContext(asOf, {
    ...referenceLookups(db, { perItem: true }),
    duplicatesOf: () => others.map((o) => ({ key: o.code, name: o.name, departmentName: o.department })),
    prerequisiteLoop: localCycleLookup(db),
  });
  return { item, ctx };
}

/** The checks' findings on one item of the working catalogue, as they are now (item page, item JSON). */
export function findingsOfItem(db: Db, code: string): Finding[] | null {
  const checked = checkedItem(db, code);
  return checked ? checkItem(checked.item, checked.ctx) : null;
}

function toCheckedItem(r: ItemRowForCheck, citations: CheckedCitation[], steps: readonly ProcessStep[] | undefined): CheckedItem & { id: number } {
  return {
    id: r.id,
    key: r.code,
    code: r.code,
    name: r.name,
    category: r.category,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    serviceObjects: JSON.parse(r.service_objects) as ServiceObject[],
    feeCharged: r.fee_charged === 1,
    feeStandard: r.fee_standard,
    feeBasis: r.fee_basis,
    statutoryLimitDays: r.statutory_limit_days,
    promisedLimitDays: r.promised_limit_days,
    instant: r.instant === 1,
    processText: r.process_text,
    steps: steps ?? cachedProcessSteps(r.process_text),
    citations,
    isNew: false,
    previousName: null,
  };
}

/** The working catalogue's items as the checks see them, a page at a time. */
export function* checkedItems(
  db: Db,
  options: { department?: string | null; pageSize?: number; ids?: number[] | null } = {},
): Generator<CheckedItem & { id: number }> {
  if (options.ids) {
    // A chosen set (a re-check after a registry change): in chunks of ids.
    const citations = db.$client.prepare(CITATION_SQL);
    const steps = db.$client.prepare(STEP_SQL);
    const ids = [...options.ids].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = db.$client
        .prepare(`SELECT ${ITEM_COLUMNS} FROM items i JOIN departments d ON d.id = i.department_id WHERE i.removed_at IS NULL AND i.id IN (${chunk.map(() => '?').join(',')}) ORDER BY i.id`)
        .all(...chunk) as ItemRowForCheck[];
      for (const r of rows) {
        const stored = stepsByItem(steps.all({ from: r.id, to: r.id }) as StepRow[]).get(r.id);
        yield toCheckedItem(r, (citations.all({ from: r.id, to: r.id }) as CitationRowForCheck[]).map(toCitation), stored);
      }
    }
    return;
  }
  const items = db.$client.prepare(ITEM_SQL);
  const citations = db.$client.prepare(CITATION_SQL);
  const steps = db.$client.prepare(STEP_SQL);
  let after = 0;
  for (;;) {
    const rows = items.all({ after, department: options.department ?? null, limit: options.pageSize ?? 5000 }) as ItemRowForCheck[];
    if (rows.length === 0) return;
    const byItem = new Map<number, CheckedCitation[]>();
    for (const c of citations.all({ from: rows[0]!.id, to: rows[rows.length - 1]!.id }) as CitationRowForCheck[]) {
      const list = byItem.get(c.item_id);
      if (list) list.push(toCitation(c));
      else byItem.set(c.item_id, [toCitation(c)]);
    }
    const stepsOf = stepsByItem(steps.all({ from: rows[0]!.id, to: rows[rows.length - 1]!.id }) as StepRow[]);
    for (const r of rows) yield toCheckedItem(r, byItem.get(r.id) ?? [], stepsOf.get(r.id));
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * The context for checking the working catalogue: the same power claimed by several departments is
 * found by normalised name. Higher-level lists and the cancellation register join it as they arrive.
 */
export function catalogueCheckContext(db: Db, asOf = new Date().toISOString().slice(0, 10)): CheckContext {
  const byName = new Map<string, DuplicateClaim[]>();
  const rows = db.$client
    .prepare('SELECT i.code, i.name, d.name AS department FROM items i JOIN departments d ON d.id = i.department_id WHERE i.removed_at IS NULL')
    .iterate() as IterableIterator<{ code: string; name: string; department: string }>;
  for (const r of rows) {
    const key = normalizeItemName(r.name);
    const list = byName.get(key);
    const claim = { key: r.code, name: r.name, departmentName: r.department };
    if (list) list.push(claim);
    else byName.set(key, [claim]);
  }
  return createCheckContext(asOf, {
    ...referenceLookups(db),
    ...registerLookup(db),
    duplicatesOf: (item) => {
      const claims = byName.get(normalizeItemName(item.name));
      return claims ? claims.filter((c) => c.departmentName !== item.departmentName) : [];
    },
    prerequisiteLoop: cycleLookup(db),
  });
}

/** The registry as the checks see it, by instrument id: for checking proposals that are not yet items. */
export function registryForChecks(db: Db): Map<number, CheckedInstrument> {
  const rows = db.$client
    .prepare(
      `SELECT l.id, l.title, l.rank, l.rank_inferred, l.status, l.effective_on, l.published_on, l.region, l.issuing_body,
              r.id AS replaced_by_id, r.title AS replaced_title, r.published_on AS replaced_published
         FROM legal_instruments l LEFT JOIN legal_instruments r ON r.id = l.replaced_by_id`,
    )
    .all() as (Omit<CitationRowForCheck, 'item_id' | 'title' | 'article' | 'document_number' | 'role' | 'tag' | 'quoted_text' | 'instrument_id' | 'l_title'> & {
    id: number;
    title: string;
  })[];
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        title: r.title,
        rank: r.rank!,
        rankInferred: r.rank_inferred === 1,
        status: r.status!,
        effectiveOn: r.effective_on,
        publishedOn: r.published_on,
        replacedBy: r.replaced_by_id ? { id: r.replaced_by_id, title: r.replaced_title!, publishedOn: r.replaced_published } : null,
        region: r.region,
        issuingBody: r.issuing_body,
      },
    ]),
  );
}

/** A citation of a proposal (an import row) resolved against the registry map. */
export function proposedCitation(
  registry: Map<number, CheckedInstrument>,
  c: { title: string; article: string | null; documentNumber: string | null; role: 'setting' | 'implementing'; tag: string | null; instrumentId: number | null; quotedText?: string | null },
): CheckedCitation {
  const known = c.instrumentId !== null ? registry.get(c.instrumentId) : undefined;
  return {
    title: c.title,
    article: c.article,
    documentNumber: c.documentNumber,
    quotedText: c.quotedText ?? null,
    role: c.role,
    tag: c.tag,
    versionYear: versionYearOf(c.title),
    instrument: known ?? {
      id: null,
      title: c.title,
      rank: inferRank(c.title, c.documentNumber),
      rankInferred: true,
      status: 'unknown',
      effectiveOn: null,
      publishedOn: null,
      replacedBy: null,
      region: null,
      issuingBody: null,
    },
  };
}

/** A context for re-checking a few items: duplicates found per item by exact name (no catalogue-wide index). */
export function quickCheckContext(db: Db, asOf = new Date().toISOString().slice(0, 10)): CheckContext {
  const sameName = db.$client.prepare(
    'SELECT i.code, i.name, d.name AS department FROM items i JOIN departments d ON d.id = i.department_id WHERE i.name = ? AND d.name != ? AND i.removed_at IS NULL',
  );
  return createCheckContext(asOf, {
    ...referenceLookups(db, { perItem: true }),
    ...registerLookup(db),
    duplicatesOf: (item) =>
      (sameName.all(item.name, item.departmentName) as { code: string; name: string; department: string }[]).map((o) => ({
        key: o.code,
        name: o.name,
        departmentName: o.department,
      })),
    prerequisiteLoop: cycleLookup(db),
  });
}

interface ConfirmedMatchRow {
  item_code: string;
  kind: 'cancellation' | 'delegation' | 'standard';
  score_permille: number;
  entry_name: string;
  entry_number: string | null;
  list_title: string;
  list_number: string | null;
}

const CONFIRMED_MATCH_SQL = `SELECT i.code AS item_code, l.kind, m.score_permille, e.name AS entry_name, e.decision_number AS entry_number,
        l.title AS list_title, l.decision_number AS list_number
   FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id JOIN reference_lists l ON l.id = e.list_id
   JOIN items i ON i.id = m.item_id
  WHERE m.status = 'confirmed'`;

/**
 * The confirmed matches on higher-level lists as the checks' lookups: cancellation lists raise
 * CANCELLED_ABOVE, the standard base catalogue gives NAME_NOT_STANDARD its name. `perItem` queries
 * per item (a few items re-checked); otherwise all confirmed matches are loaded once.
 */
export function referenceLookups(db: Db, options: { perItem?: boolean } = {}): Pick<CheckContext, 'cancelledAbove' | 'standardName'> {
  const toCancelled = (r: ConfirmedMatchRow): CancelledAboveMatch => ({
    listTitle: r.list_title,
    decisionNumber: r.entry_number ?? r.list_number,
    name: r.entry_name,
    score: r.score_permille / 1000,
  });
  const bestStandard = (rows: ConfirmedMatchRow[]): StandardName | null => {
    const best = rows.filter((r) => r.kind === 'standard').sort((a, b) => b.score_permille - a.score_permille)[0];
    return best ? { name: best.entry_name, score: best.score_permille / 1000 } : null;
  };
  if (options.perItem) {
    const forItem = db.$client.prepare(`${CONFIRMED_MATCH_SQL} AND i.code = ? ORDER BY m.id`);
    const rowsOf = (item: CheckedItem) => (item.code ? (forItem.all(item.code) as ConfirmedMatchRow[]) : []);
    return {
      cancelledAbove: (item) => rowsOf(item).filter((r) => r.kind === 'cancellation').map(toCancelled),
      standardName: (item) => bestStandard(rowsOf(item)),
    };
  }
  const byCode = new Map<string, ConfirmedMatchRow[]>();
  for (const r of db.$client.prepare(`${CONFIRMED_MATCH_SQL} ORDER BY m.id`).iterate() as IterableIterator<ConfirmedMatchRow>) {
    const list = byCode.get(r.item_code);
    if (list) list.push(r);
    else byCode.set(r.item_code, [r]);
  }
  const rowsOf = (item: CheckedItem) => (item.code ? (byCode.get(item.code) ?? []) : []);
  return {
    cancelledAbove: (item) => rowsOf(item).filter((r) => r.kind === 'cancellation').map(toCancelled),
    standardName: (item) => bestStandard(rowsOf(item)),
  };
}

/** How alike a new name must be to a cancelled one to raise RECREATED_AFTER_CANCEL. */
export const RECREATED_MIN_SCORE = 0.75;

/**
 * The cancellation register as the checks' lookup: items cancelled earlier (in any campaign), found
 * by name similarity. The register is small (thousands), so it is indexed once, on first use.
 */
export function registerLookup(db: Db): Pick<CheckContext, 'cancelledEarlier'> {
  let index: NameIndex<{ name: string; department: string; on: string; reason: string }> | null = null;
  return {
    cancelledEarlier: (item): CancelledEarlierMatch[] => {
      index ??= new NameIndex(
        db.$client
          .prepare(
            `SELECT r.item_name AS name, d.name AS department, r.effective_on AS "on", r.reason FROM register_entries r
               JOIN departments d ON d.id = r.department_id WHERE r.disposition = 'cancel'`,
          )
          .all() as { name: string; department: string; on: string; reason: string }[],
        (e) => e.name,
      );
      if (index.size === 0) return [];
      return index.search(item.name, { min: RECREATED_MIN_SCORE, limit: 3 }).map((m) => ({
        name: m.candidate.name,
        departmentName: m.candidate.department,
        cancelledOn: m.candidate.on,
        reason: m.candidate.reason,
        score: m.score,
      }));
    },
  };
}
