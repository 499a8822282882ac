// The statements staging runs for every row of an upload: matching a row to the catalogue, finding an
// earlier row of the same import, and writing the staged row. Raw and prepared once per repository.
// hot path: npm run bench:import (a million rows, each through these statements)
import type { Db } from '../../client.js';
import type { ItemRow } from '../items.js';

/** A staged row as the reading child and the matching made it; JSON columns already serialised. */
export interface StagedRowValues {
  importId: number;
  sheet: string;
  rowNumber: number;
  code: string | null;
  name: string | null;
  departmentText: string | null;
  departmentId: number | null;
  itemId: number | null;
  kind: 'new' | 'changed' | 'unchanged' | 'error';
  proposal: string | null;
  changes: string | null;
  errors: string | null;
  warnings: string | null;
  noBasis: boolean;
  flags: string | null;
  /** The proposal's name, category, 处理意见 and reason, as its JSON has them (null without a proposal). */
  proposedName: string | null;
  proposedCategory: string | null;
  proposedDisposition: string | null;
  proposedReason: string | null;
}

/** The staged row's columns that follow its proposal (schema.ts, import_rows.proposed_*); all null without one. */
export function proposedColumns(
  proposal: { fields?: { name?: string; category?: string }; disposition?: string | null; dispositionReason?: string | null } | null,
): Pick<StagedRowValues, 'proposedName' | 'proposedCategory' | 'proposedDisposition' | 'proposedReason'> {
  return {
    proposedName: proposal?.fields?.name ?? null,
    proposedCategory: proposal?.fields?.category ?? null,
    proposedDisposition: proposal?.disposition ?? null,
    proposedReason: proposal?.dispositionReason ?? null,
  };
}

export interface CatalogueCitation {
  title: string;
  article: string | null;
  role: string;
}

export function stagingStatements(db: Db) {
  const sqlite = db.$client;
  const byCode = sqlite.prepare('SELECT * FROM items WHERE code = ?');
  const byId = sqlite.prepare('SELECT * FROM items WHERE id = ?');
  const byName = sqlite.prepare('SELECT * FROM items WHERE department_id = ? AND name = ? AND removed_at IS NULL ORDER BY id LIMIT 1');
  // Setting citations first, each role in the item's order: the order the change's "before" text shows.
  const citationsOf = sqlite.prepare('SELECT title, article, role FROM citations WHERE item_id = ? ORDER BY role DESC, seq');
  const subItemOf = sqlite.prepare('SELECT 1 FROM items WHERE department_id = ? AND main_item_name = ? AND removed_at IS NULL LIMIT 1').pluck();
  const prerequisitesOf = sqlite.prepare('SELECT written_as FROM item_prerequisites WHERE item_id = ? ORDER BY id').pluck();
  const departmentName = sqlite.prepare('SELECT name FROM departments WHERE id = ?').pluck();
  // Earlier rows of this import with the same code or the same item: looked up in the staged rows
  // themselves (indexed), so a million-row import holds no per-row state in memory.
  const earlierCode = sqlite.prepare('SELECT row_number FROM import_rows WHERE import_id = ? AND item_code = ? LIMIT 1').pluck();
  const earlierItem = sqlite.prepare('SELECT row_number FROM import_rows WHERE import_id = ? AND item_id = ? LIMIT 1').pluck();
  // A made main item a later row takes the place of: rare, looked up by its place in the file.
  const stagedAt = sqlite.prepare('SELECT id, kind, no_basis AS noBasis FROM import_rows WHERE import_id = ? AND sheet = ? AND row_number = ? AND name = ? ORDER BY id LIMIT 1');
  const deleteRow = sqlite.prepare('DELETE FROM import_rows WHERE id = ?');
  // Positional parameters: binding fifteen named ones costs more than SQLite's own work on a short row.
  const insert = sqlite.prepare(
    `INSERT INTO import_rows (import_id, sheet, row_number, item_code, name, department_text, department_id, item_id, kind, proposal, changes, errors, warnings, no_basis, flags,
                              proposed_name, proposed_category, proposed_disposition, proposed_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  return {
    /** The catalogue item with this code, removed or not. */
    itemByCode: (code: string) => byCode.get(code) as ItemRow | undefined,
    itemById: (id: number) => byId.get(id) as ItemRow | undefined,
    /** A department's active item of this name (the first, when two share it). */
    activeItemByName: (departmentId: number, name: string) => byName.get(departmentId, name) as ItemRow | undefined,
    citationsOf: (itemId: number) => citationsOf.all(itemId) as CatalogueCitation[],
    /** Whether the department has sub-items that name this main item (which is not on file itself). */
    hasSubItemsOf: (departmentId: number, mainName: string) => subItemOf.get(departmentId, mainName) !== undefined,
    /** The item's 前置事项 as written. */
    prerequisitesOf: (itemId: number) => prerequisitesOf.all(itemId) as string[],
    departmentName: (departmentId: number) => departmentName.get(departmentId) as string | undefined,
    /** The row number of an earlier row of the import with this code, if any. */
    earlierRowWithCode: (importId: number, code: string) => earlierCode.get(importId, code) as number | undefined,
    earlierRowOfItem: (importId: number, itemId: number) => earlierItem.get(importId, itemId) as number | undefined,
    /** The staged row of the import at this place in the file with this name. */
    stagedRowAt: (importId: number, sheet: string, rowNumber: number, name: string) =>
      stagedAt.get(importId, sheet, rowNumber, name) as { id: number; kind: StagedRowValues['kind']; noBasis: number } | undefined,
    deleteStagedRow: (id: number) => void deleteRow.run(id),
    insertStagedRow: (r: StagedRowValues) =>
      insert.run(
        r.importId,
        r.sheet,
        r.rowNumber,
        r.code,
        r.name,
        r.departmentText,
        r.departmentId,
        r.itemId,
        r.kind,
        r.proposal,
        r.changes,
        r.errors,
        r.warnings,
        r.noBasis ? 1 : 0,
        r.flags,
        r.proposedName,
        r.proposedCategory,
        r.proposedDisposition,
        r.proposedReason,
      ),
    /** One batch of rows in one transaction (better-sqlite3's, so a batch is all or nothing). */
    inTransaction: (work: () => void) => sqlite.transaction(work)(),
    /**
     * One batch of staged rows in one transaction whose commit does not wait for the disk: staged rows
     * are scratch until the import is marked ready (a commit that does wait, which makes them durable
     * with it). A power cut before that leaves the import "reading", ended at start-up (recover.ts);
     * nobody was told anything was saved. Commits made before and after keep the connection's setting:
     * the pragma is set back before any other code can run on the connection (all of this is synchronous).
     */
    inStagingTransaction: (work: () => void) => {
      const synchronous = sqlite.inTransaction ? null : (sqlite.pragma('synchronous', { simple: true }) as number);
      if (synchronous !== null && synchronous > 1) sqlite.pragma('synchronous = NORMAL');
      try {
        sqlite.transaction(work)();
      } finally {
        if (synchronous !== null && synchronous > 1) sqlite.pragma(`synchronous = ${synchronous}`);
      }
    },
  };
}
