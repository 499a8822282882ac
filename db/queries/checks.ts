// The checks' reads and writes: items with their citations and steps in keyset pages (a full check
// streams a million items), the lookups the catalogue-wide rules compare with, and the stored flags.
// Raw SQL throughout: the paging and the flag writes are the hot path of `npm run bench:check`.
import type { Db } from '../client.js';
import { statementCache } from './statements.js';
import { HAS_PROPOSAL_SI, PROPOSAL_OF_SI } from './review/proposal.js';
import type { Category, InstrumentStatus, Rank } from '../../server/domain/vocabulary.js';

/**
 * An item as the checks read it, as an array (a full check reads a million: arrays cost half what objects
 * do): id, code, name, category, department id, service objects (JSON), fee charged (0/1), fee standard,
 * fee basis, statutory limit, promised limit, instant (0/1), process text, name key (null: not yet filled).
 * The department is looked up by id.
 */
export type ItemRowForCheck = [
  id: number,
  code: string,
  name: string,
  category: Category,
  departmentId: number,
  serviceObjects: string,
  feeCharged: number,
  feeStandard: string | null,
  feeBasis: string | null,
  statutoryLimitDays: number | null,
  promisedLimitDays: number | null,
  instant: number,
  processText: string | null,
  nameKey: string | null,
];

/** The registry's side of a citation (null columns: the instrument is not registered). */
export interface InstrumentRowForCheck {
  rank: Rank | null;
  rank_inferred: number | null;
  status: InstrumentStatus | null;
  effective_on: string | null;
  published_on: string | null;
  region: string | null;
  issuing_body: string | null;
  document_number: string | null;
  replaced_by_id: number | null;
  replaced_title: string | null;
  replaced_published: string | null;
}

/**
 * A citation as stored, as an array: item id, title, article, document number, role, tag, quoted text,
 * instrument id. Its instrument is read once per run by id (instrumentById), not joined on every row.
 */
export type CitationRowForCheck = [
  itemId: number,
  title: string,
  article: string | null,
  documentNumber: string | null,
  role: 'setting' | 'implementing',
  tag: string | null,
  quotedText: string | null,
  instrumentId: number | null,
];

export interface RegisteredInstrumentRow extends InstrumentRowForCheck {
  id: number;
  title: string;
}

/** An item's process steps as stored, one row per item: a JSON array of [name, post, limit] in order. */
export interface StepRow {
  item_id: number;
  steps: string;
}

/** An item as the duplicate search needs it: [id, code, name, departmentId, category, name key (null: not yet filled)]. */
export type NamedItemTuple = [number, string, string, number, string, string | null];

export interface ConfirmedMatchRow {
  item_code: string;
  kind: 'cancellation' | 'delegation' | 'standard';
  score_permille: number;
  entry_name: string;
  entry_number: string | null;
  list_title: string;
  list_number: string | null;
}

export interface CancelledRow {
  /** The cancelled item's code, when the register kept it. */
  code: string | null;
  name: string;
  department: string;
  on: string;
  reason: string;
}

export interface OpenProposalRow {
  id: number;
  submission_id: number;
  kind: 'new' | 'change';
  proposal: string;
  item_code: string | null;
  item_name: string | null;
  department_code: string;
  department_name: string;
}

export interface FlagToStore {
  rule: string;
  severity: string;
  message: string;
  suggestion: string;
  suggestionText: string;
  ground: string;
}

const ITEM_COLUMNS = `i.id, i.code, i.name, i.category, i.department_id, i.service_objects,
        i.fee_charged, i.fee_standard, i.fee_basis, i.statutory_limit_days, i.promised_limit_days, i.instant, i.process_text, i.name_key`;
const ITEM_FROM = 'FROM items i';
const NAMED_COLUMNS = 'id, code, name, department_id, category, name_key';

/**
 * Citations alone: a million citations name a few thousand instruments, so joining the registry on every
 * row made the full check read (and turn into objects) ten columns per citation it had already seen.
 */
const CITATION_SQL = `SELECT c.item_id, c.title, c.article, c.document_number, c.role, c.tag, c.quoted_text, c.instrument_id
   FROM citations c WHERE c.item_id BETWEEN @from AND @to ORDER BY c.item_id, c.seq`;

const INSTRUMENT_SQL = `SELECT l.id, l.title, l.rank, l.rank_inferred, l.status, l.effective_on, l.published_on, l.region, l.issuing_body, l.document_number,
        r.id AS replaced_by_id, r.title AS replaced_title, r.published_on AS replaced_published
   FROM legal_instruments l LEFT JOIN legal_instruments r ON r.id = l.replaced_by_id`;

/** One row per item halves the cost of a full check, which reads several steps per item. */
const STEP_SQL = `SELECT item_id, json_group_array(json_array(name, post, limit_days)) AS steps
   FROM (SELECT item_id, name, post, limit_days FROM process_steps WHERE item_id BETWEEN @from AND @to ORDER BY item_id, seq) GROUP BY item_id`;

const CONFIRMED_MATCH_SQL = `SELECT i.code AS item_code, l.kind, m.score_permille, e.name AS entry_name, e.decision_number AS entry_number,
        l.title AS list_title, l.decision_number AS list_number
   FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id JOIN reference_lists l ON l.id = e.list_id
   JOIN items i ON i.id = m.item_id
  WHERE m.status = 'confirmed'`;

/** The checks' queries over one database; statements are prepared on first use and kept. */
export function createChecksRepository(db: Db) {
  const sqlite = db.$client;
  const stmt = statementCache(sqlite);

  return {
    /** Items of the working catalogue after `after` in id order (one keyset page), of one department or all. */
    itemPage: (after: number, departmentId: number | null, limit: number): ItemRowForCheck[] =>
      stmt(
        `SELECT ${ITEM_COLUMNS} ${ITEM_FROM} WHERE i.removed_at IS NULL AND i.id > @after AND (@departmentId IS NULL OR i.department_id = @departmentId) ORDER BY i.id LIMIT @limit`,
      )
        .raw()
        .all({ after, departmentId, limit }) as ItemRowForCheck[],
    /** Items of the working catalogue among these ids, in id order. */
    itemsByIds: (ids: readonly number[]): ItemRowForCheck[] =>
      stmt(`SELECT ${ITEM_COLUMNS} ${ITEM_FROM} WHERE i.removed_at IS NULL AND i.id IN (SELECT value FROM json_each(?)) ORDER BY i.id`)
        .raw()
        .all(JSON.stringify(ids)) as ItemRowForCheck[],
    itemByCode: (code: string): ItemRowForCheck | null =>
      (stmt(`SELECT ${ITEM_COLUMNS} ${ITEM_FROM} WHERE i.code = ? AND i.removed_at IS NULL`).raw().get(code) as ItemRowForCheck | undefined) ?? null,
    /** Citations of the items with ids in [from, to], by item and order. */
    citationsBetween: (from: number, to: number): CitationRowForCheck[] => stmt(CITATION_SQL).raw().all({ from, to }) as CitationRowForCheck[],
    /** Departments by id: code and name. */
    departmentsById: (): Map<number, { code: string; name: string }> =>
      new Map((stmt('SELECT id, code, name FROM departments').raw().all() as [number, string, string][]).map(([id, code, name]) => [id, { code, name }])),
    /** A department's id by its code; null when there is none. */
    departmentIdOf: (code: string): number | null => (stmt('SELECT id FROM departments WHERE code = ?').pluck().get(code) as number | undefined) ?? null,
    stepsBetween: (from: number, to: number): StepRow[] => stmt(STEP_SQL).all({ from, to }) as StepRow[],
    /** Department names by id. */
    departmentNames: (): Map<number, string> => new Map(stmt('SELECT id, name FROM departments').raw().all() as [number, string][]),
    /**
     * Live items whose name key is `key`, and those whose key is not yet filled (NULL: normally none), both
     * through items_name_key_idx: the caller normalises the unfilled names itself.
     */
    namedItemsByKey: (key: string): NamedItemTuple[] =>
      stmt(
        `SELECT ${NAMED_COLUMNS} FROM items WHERE name_key = ? AND removed_at IS NULL
         UNION ALL SELECT ${NAMED_COLUMNS} FROM items WHERE name_key IS NULL AND removed_at IS NULL`,
      )
        .raw()
        .all(key) as NamedItemTuple[],
    /**
     * Live items sharing their name key with another live item, and those whose key is not yet filled. The
     * group count reads items_name_key_idx alone (it covers removed_at), so a full check reads only the
     * rows of duplicated names, not every name in the catalogue (npm run bench:check).
     */
    namedItemsOfSharedKeys: (): NamedItemTuple[] =>
      stmt(
        `SELECT ${NAMED_COLUMNS} FROM items WHERE removed_at IS NULL AND name_key IN
           (SELECT name_key FROM items WHERE name_key IS NOT NULL AND removed_at IS NULL GROUP BY name_key HAVING count(*) > 1)
         UNION ALL SELECT ${NAMED_COLUMNS} FROM items WHERE name_key IS NULL AND removed_at IS NULL`,
      )
        .raw()
        .all() as NamedItemTuple[],
    /**
     * The name keys of the live items, when there are at most `limit` of them and every one has its key
     * filled (read from items_name_key_idx alone); null otherwise.
     */
    liveNameKeys: (limit: number): Set<string> | null => {
      if (stmt('SELECT 1 FROM items WHERE name_key IS NULL AND removed_at IS NULL LIMIT 1').get() !== undefined) return null;
      const keys = stmt('SELECT name_key FROM items INDEXED BY items_name_key_idx WHERE name_key IS NOT NULL AND removed_at IS NULL LIMIT ?').pluck().all(limit + 1) as string[];
      return keys.length > limit ? null : new Set(keys);
    },
    /** The whole registry (for proposals, whose citations carry an instrument id). */
    registeredInstruments: (): RegisteredInstrumentRow[] => stmt(INSTRUMENT_SQL).all() as RegisteredInstrumentRow[],
    /** One registered instrument with its successor's title and date; null when no row has the id. */
    instrumentById: (id: number): RegisteredInstrumentRow | null =>
      (stmt(`${INSTRUMENT_SQL} WHERE l.id = ?`).get(id) as RegisteredInstrumentRow | undefined) ?? null,
    /** Confirmed matches on higher-level lists, in the order they were made. */
    confirmedMatches: (): IterableIterator<ConfirmedMatchRow> => stmt(`${CONFIRMED_MATCH_SQL} ORDER BY m.id`).iterate() as IterableIterator<ConfirmedMatchRow>,
    confirmedMatchesOf: (itemCode: string): ConfirmedMatchRow[] => stmt(`${CONFIRMED_MATCH_SQL} AND i.code = ? ORDER BY m.id`).all(itemCode) as ConfirmedMatchRow[],
    /** The cancellation register's cancelled items. */
    cancelledItems: (): CancelledRow[] =>
      stmt(
        `SELECT r.item_code AS code, r.item_name AS name, d.name AS department, r.effective_on AS "on", r.reason FROM register_entries r
           JOIN departments d ON d.id = r.department_id WHERE r.disposition = 'cancel'`,
      ).all() as CancelledRow[],
    /** Items still in the catalogue whose citations point at the instrument. */
    itemsCiting: (instrumentId: number): number[] =>
      stmt('SELECT DISTINCT c.item_id FROM citations c JOIN items i ON i.id = c.item_id WHERE c.instrument_id = ? AND i.removed_at IS NULL')
        .pluck()
        .all(instrumentId) as number[],
    /** Proposals of submissions still open (neither the proposal nor its submission final or withdrawn), streamed. */
    openProposals: (department: string | null): IterableIterator<OpenProposalRow> =>
      stmt(
        `SELECT si.id, si.submission_id, si.kind, ${PROPOSAL_OF_SI} AS proposal, i.code AS item_code, i.name AS item_name, d.code AS department_code, d.name AS department_name
           FROM submission_items si JOIN submissions s ON s.id = si.submission_id JOIN departments d ON d.id = s.department_id
           LEFT JOIN items i ON i.id = si.item_id
          WHERE si.kind IN ('new', 'change') AND ${HAS_PROPOSAL_SI} AND si.state NOT IN ('final', 'withdrawn') AND s.state NOT IN ('final', 'withdrawn')
            AND (@department IS NULL OR d.code = @department)
          ORDER BY si.id`,
      ).iterate({ department }) as IterableIterator<OpenProposalRow>,
    /** The rules an item's stored flags name. */
    storedRules: (itemId: number): string[] => stmt('SELECT rule FROM item_flags WHERE item_id = ?').pluck().all(itemId) as string[],
    /** Replaces an item's stored flags (inside the caller's transaction). */
    replaceFlags(itemId: number, flags: readonly FlagToStore[], checkedAt: string): void {
      stmt('DELETE FROM item_flags WHERE item_id = ?').run(itemId);
      const insert = stmt('INSERT INTO item_flags (item_id, rule, severity, message, suggestion, suggestion_text, ground, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const f of flags) insert.run(itemId, f.rule, f.severity, f.message, f.suggestion, f.suggestionText, f.ground, checkedAt);
    },
    /** Runs `fn` in one transaction (nested: a savepoint). */
    transaction: <T>(fn: () => T): T => sqlite.transaction(fn)(),
  };
}

export type ChecksRepository = ReturnType<typeof createChecksRepository>;
