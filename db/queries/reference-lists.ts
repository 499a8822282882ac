// Higher-level lists and the matches a person confirms or rejects.
import type { Db } from '../client.js';

export interface ReferenceListSummary {
  id: number;
  kind: 'cancellation' | 'delegation' | 'standard';
  title: string;
  decisionNumber: string | null;
  issuedBy: string | null;
  issuedOn: string | null;
  source: string;
  entryCount: number;
  createdBy: string;
  createdAt: string;
  proposed: number;
  confirmed: number;
  rejected: number;
}

const SUMMARY_SQL = `SELECT l.id, l.kind, l.title, l.decision_number AS decisionNumber, l.issued_by AS issuedBy, l.issued_on AS issuedOn,
        l.source, l.entry_count AS entryCount, l.created_by AS createdBy, l.created_at AS createdAt,
        (SELECT count(*) FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id WHERE e.list_id = l.id AND m.status = 'proposed') AS proposed,
        (SELECT count(*) FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id WHERE e.list_id = l.id AND m.status = 'confirmed') AS confirmed,
        (SELECT count(*) FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id WHERE e.list_id = l.id AND m.status = 'rejected') AS rejected
   FROM reference_lists l`;

export const listReferenceLists = (db: Db): ReferenceListSummary[] =>
  db.$client.prepare(`${SUMMARY_SQL} ORDER BY l.id DESC`).all() as ReferenceListSummary[];

export const getReferenceList = (db: Db, id: number): ReferenceListSummary | null =>
  (db.$client.prepare(`${SUMMARY_SQL} WHERE l.id = ?`).get(id) as ReferenceListSummary | undefined) ?? null;

export type EntryFilter = 'open' | 'confirmed' | 'rejected' | 'unmatched' | 'all';

export interface ReferenceMatchView {
  id: number;
  itemCode: string;
  itemName: string;
  departmentName: string;
  removed: boolean;
  score: number;
  status: 'proposed' | 'confirmed' | 'rejected';
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export interface ReferenceEntryView {
  id: number;
  seq: number;
  name: string;
  departmentText: string | null;
  decisionNumber: string | null;
  remarks: string | null;
  matches: ReferenceMatchView[];
}

const FILTER_SQL: Record<EntryFilter, string> = {
  all: '1',
  open: "EXISTS (SELECT 1 FROM reference_matches m WHERE m.entry_id = e.id AND m.status = 'proposed')",
  confirmed: "EXISTS (SELECT 1 FROM reference_matches m WHERE m.entry_id = e.id AND m.status = 'confirmed')",
  rejected: "EXISTS (SELECT 1 FROM reference_matches m WHERE m.entry_id = e.id AND m.status = 'rejected')",
  unmatched: 'NOT EXISTS (SELECT 1 FROM reference_matches m WHERE m.entry_id = e.id)',
};

/** A page of a list's entries with their candidate items, best match first. */
export function listReferenceEntries(
  db: Db,
  listId: number,
  filter: EntryFilter,
  page: number,
  pageSize: number,
): { total: number; entries: ReferenceEntryView[] } {
  const where = `e.list_id = @listId AND ${FILTER_SQL[filter]}`;
  const total = (db.$client.prepare(`SELECT count(*) AS n FROM reference_entries e WHERE ${where}`).get({ listId }) as { n: number }).n;
  const entries = db.$client
    .prepare(
      `SELECT e.id, e.seq, e.name, e.department_text AS departmentText, e.decision_number AS decisionNumber, e.remarks
         FROM reference_entries e WHERE ${where} ORDER BY e.seq LIMIT @limit OFFSET @offset`,
    )
    .all({ listId, limit: pageSize, offset: (page - 1) * pageSize }) as Omit<ReferenceEntryView, 'matches'>[];
  const matchesOf = db.$client.prepare(
    `SELECT m.id, i.code AS itemCode, i.name AS itemName, d.name AS departmentName, i.removed_at IS NOT NULL AS removed,
            m.score_permille / 1000.0 AS score, m.status, m.decided_by AS decidedBy, m.decided_at AS decidedAt, m.reason
       FROM reference_matches m JOIN items i ON i.id = m.item_id JOIN departments d ON d.id = i.department_id
      WHERE m.entry_id = ? ORDER BY m.score_permille DESC, m.id`,
  );
  return {
    total,
    entries: entries.map((e) => ({
      ...e,
      matches: (matchesOf.all(e.id) as (Omit<ReferenceMatchView, 'removed'> & { removed: number })[]).map((m) => ({ ...m, removed: m.removed === 1 })),
    })),
  };
}

/** Proposed matches of a list scoring at least `minScore` (for confirming the near-certain ones at once). */
export const proposedMatchIds = (db: Db, listId: number, minScore: number): number[] =>
  db.$client
    .prepare(
      `SELECT m.id FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id
        WHERE e.list_id = ? AND m.status = 'proposed' AND m.score_permille >= ? ORDER BY m.id`,
    )
    .pluck()
    .all(listId, Math.round(minScore * 1000)) as number[];

/** The higher-level lists a person confirmed this item matches (for its page). */
export const confirmedListsOfItem = (db: Db, itemId: number) =>
  db.$client
    .prepare(
      `SELECT l.id AS listId, l.kind, l.title, COALESCE(e.decision_number, l.decision_number) AS decisionNumber, e.name AS entryName,
              m.score_permille / 1000.0 AS score, m.decided_by AS decidedBy, m.decided_at AS decidedAt
         FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id JOIN reference_lists l ON l.id = e.list_id
        WHERE m.item_id = ? AND m.status = 'confirmed' ORDER BY l.id`,
    )
    .all(itemId) as { listId: number; kind: string; title: string; decisionNumber: string | null; entryName: string; score: number; decidedBy: string; decidedAt: string }[];

export interface MatchRow {
  id: number;
  item_id: number;
  status: string;
  list_id: number;
  item_code: string;
  entry_name: string;
}

/** The writes of higher-level lists and their matches, prepared once per repository. */
export function createReferenceListWrites(db: Db) {
  const sqlite = db.$client;
  const insertMatch = sqlite.prepare(
    'INSERT INTO reference_matches (entry_id, item_id, score_permille, status) VALUES (?, ?, ?, ?) ON CONFLICT (entry_id, item_id) DO NOTHING',
  );
  const insertEntry = sqlite.prepare('INSERT INTO reference_entries (list_id, seq, name, department_text, decision_number, remarks) VALUES (?, ?, ?, ?, ?, ?)');
  const match = sqlite.prepare(
    `SELECT m.id, m.item_id, m.status, e.list_id, i.code AS item_code, e.name AS entry_name
       FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id JOIN items i ON i.id = m.item_id WHERE m.id = ?`,
  );
  const decide = sqlite.prepare(
    `UPDATE reference_matches SET status = ?, reason = ?, decided_by = ?, decided_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
  );
  return {
    /** Items still in the catalogue, the candidates entries are matched to. */
    // NOT INDEXED: in table order, not through items_department_idx row by row (bench:jobs, the 10,000-entry match).
    candidateItems: () => sqlite.prepare('SELECT id, name FROM items NOT INDEXED WHERE removed_at IS NULL').iterate() as IterableIterator<{ id: number; name: string }>,
    /** Proposes a match unless the pair has one already; returns 1 when added. */
    proposeMatch: (entryId: number, itemId: number, scorePermille: number): number => insertMatch.run(entryId, itemId, scorePermille, 'proposed').changes,
    insertList: (l: {
      kind: string;
      title: string;
      decisionNumber: string | null;
      issuedBy: string | null;
      issuedOn: string | null;
      source: string;
      count: number;
      by: string;
      byId: number | null;
    }): number =>
      Number(
        sqlite
          .prepare(
            `INSERT INTO reference_lists (kind, title, decision_number, issued_by, issued_on, source, entry_count, created_by, created_by_id)
             VALUES (@kind, @title, @decisionNumber, @issuedBy, @issuedOn, @source, @count, @by, @byId)`,
          )
          .run(l).lastInsertRowid,
      ),
    insertEntry: (listId: number, seq: number, e: { name: string; departmentText: string | null; decisionNumber: string | null; remarks: string | null }): number =>
      Number(insertEntry.run(listId, seq, e.name, e.departmentText, e.decisionNumber, e.remarks).lastInsertRowid),
    listSummary: (listId: number) =>
      (sqlite.prepare('SELECT id, kind, title, entry_count FROM reference_lists WHERE id = ?').get(listId) as { id: number; kind: string; title: string; entry_count: number } | undefined) ??
      null,
    entriesOf: (listId: number) => sqlite.prepare('SELECT id, name FROM reference_entries WHERE list_id = ? ORDER BY seq').all(listId) as { id: number; name: string }[],
    match: (matchId: number) => (match.get(matchId) as MatchRow | undefined) ?? null,
    decide: (matchId: number, status: string, reason: string | null, by: string) => void decide.run(status, reason, by, matchId),
    /** Items with a confirmed match on the list. */
    confirmedItemsOf: (listId: number): number[] =>
      sqlite
        .prepare("SELECT DISTINCT m.item_id FROM reference_matches m JOIN reference_entries e ON e.id = m.entry_id WHERE e.list_id = ? AND m.status = 'confirmed'")
        .pluck()
        .all(listId) as number[],
    /** Deletes the list with its entries and matches. */
    deleteList(listId: number): void {
      sqlite.prepare('DELETE FROM reference_matches WHERE entry_id IN (SELECT id FROM reference_entries WHERE list_id = ?)').run(listId);
      sqlite.prepare('DELETE FROM reference_entries WHERE list_id = ?').run(listId);
      sqlite.prepare('DELETE FROM reference_lists WHERE id = ?').run(listId);
    },
  };
}
