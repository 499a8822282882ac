// The rows an import staged, after reading: the report and the preview read them, confirming maps
// their departments and turns them into submissions or a baseline.
import { and, asc, count, eq, gt, inArray, isNotNull, isNull, ne, notExists, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { departments, importRows, imports, items, submissions } from '../../schema.js';
import { LEAVING_DISPOSITIONS } from '../../../server/domain/proposal.js';
import { proposedColumns } from './staging.js';

const p = sql.placeholder;
const PROPOSED = ['new', 'changed'] as const;

export interface PreviewRow {
  sheet: string;
  rowNumber: number;
  code: string | null;
  name: string | null;
  departmentText: string | null;
  noBasis: boolean;
  proposal: {
    fields: { category: string };
    /** The main item a sub-item is proposed under. */
    mainItemName?: string | null;
    citations: { title: string; article: string | null }[];
    disposition?: string | null;
    dispositionReason?: string | null;
  } | null;
  changes: { field: string; label: string; before: unknown; after: unknown }[];
  errors: { column: string; message: string }[];
  warnings: { column: string; message: string }[];
  flags: { rule: string; severity: string; message: string; suggestion: string; ground: string }[];
}

type Issue = { column: string; message: string };

/** Which departments' items an import covers: its own department, or those its rows named. */
export type MissingScope = { departmentId: number } | { departmentIds: number[] } | { rowsOf: number };

export function stagedRows(db: Db) {
  const sqlite = db.$client;
  const kindCount = db
    .select({ n: count() })
    .from(importRows)
    .where(and(eq(importRows.importId, p('importId')), eq(importRows.kind, p('kind'))))
    .prepare();
  const kindRows = db
    .select()
    .from(importRows)
    .where(and(eq(importRows.importId, p('importId')), eq(importRows.kind, p('kind'))))
    .orderBy(asc(importRows.id))
    .limit(p('limit'))
    .prepare();
  // Streamed: an upload may carry an error on each of a million rows (npm run bench:import reads them back).
  // Each reads the index import_rows_issues_idx alone (its condition repeated, so that SQLite uses it), in
  // file order, and one of them only the one kind.
  const ISSUE_ROWS = 'FROM import_rows WHERE import_id = ? AND (errors IS NOT NULL OR warnings IS NOT NULL)';
  const issues = sqlite.prepare(`SELECT sheet, row_number, errors, warnings ${ISSUE_ROWS} ORDER BY id`);
  const issuesOfKind = {
    errors: sqlite.prepare(`SELECT sheet, row_number, errors AS list ${ISSUE_ROWS} AND errors IS NOT NULL ORDER BY id`),
    warnings: sqlite.prepare(`SELECT sheet, row_number, warnings AS list ${ISSUE_ROWS} AND warnings IS NOT NULL ORDER BY id`),
  };
  // Each error or warning as the JSON the command line prints, {"sheet":…,"row":…, then the issue's own
  // keys}, written by SQLite: parsing each row's list and writing each issue again took the report of
  // 100,000 warnings half a second (npm run bench:import). In row order (the covering index's), a row's
  // issues in the order of its list (json_each walks it in order).
  const issueText = (kind: 'errors' | 'warnings') =>
    sqlite
      .prepare(
        `SELECT '{"sheet":' || json_quote(r.sheet) || ',"row":' || r.row_number || CASE WHEN e.value = '{}' THEN '}' ELSE ',' || substr(e.value, 2) END
           FROM import_rows r, json_each(r.${kind}) e WHERE r.import_id = ? AND (r.errors IS NOT NULL OR r.warnings IS NOT NULL) AND r.${kind} IS NOT NULL ORDER BY r.id`,
      )
      .pluck();
  const issueTexts = { errors: issueText('errors'), warnings: issueText('warnings') };
  // How many errors or warnings, from the covering index alone (each row's list holds one or more).
  const issueCounts = {
    errors: sqlite.prepare(`SELECT coalesce(sum(json_array_length(errors)), 0) ${ISSUE_ROWS} AND errors IS NOT NULL`).pluck(),
    warnings: sqlite.prepare(`SELECT coalesce(sum(json_array_length(warnings)), 0) ${ISSUE_ROWS} AND warnings IS NOT NULL`).pluck(),
  };
  // json_each over each row's findings: SQL drizzle's builder does not write.
  const flagCounts = sqlite.prepare(
    `SELECT json_extract(f.value, '$.rule') AS rule, json_extract(f.value, '$.severity') AS severity, count(*) AS count FROM import_rows r, json_each(r.flags) f
      WHERE r.import_id = ? AND r.flags IS NOT NULL GROUP BY rule, severity ORDER BY count DESC, rule`,
  );
  const proposedPage = db
    .select({ id: importRows.id, departmentId: importRows.departmentId, itemId: importRows.itemId, kind: importRows.kind, proposal: importRows.proposal })
    .from(importRows)
    .where(and(eq(importRows.importId, p('importId')), inArray(importRows.kind, [...PROPOSED]), gt(importRows.id, p('after'))))
    .orderBy(asc(importRows.id))
    .limit(2000)
    .prepare();

  // INSERT … SELECT: drizzle's insert-select must name every column of the table, these name a few.
  // A row whose 处理意见 takes a listed item out of the catalogue (取消, 下放, 合并, 转移) proposes removing
  // it, with that disposition and reason; any other row proposes its fields, with its 处理意见 if it has one.
  const LEAVING = `item_id IS NOT NULL AND proposed_disposition IN (${LEAVING_DISPOSITIONS.map((d) => `'${d}'`).join(', ')})`;
  const proposeRowsWith = (findings: string) =>
    sqlite.prepare(
      `INSERT INTO submission_items (submission_id, item_id, kind, import_row_id, changes, state, proposed_disposition, proposed_reason, name, category, flags)
     SELECT ?, item_id, CASE WHEN kind = 'new' THEN 'new' WHEN ${LEAVING} THEN 'remove' ELSE 'change' END,
            -- The proposal stays in the staged row (submission_items.import_row_id): a removal has none.
            CASE WHEN ${LEAVING} THEN NULL ELSE id END, CASE WHEN ${LEAVING} THEN NULL ELSE changes END, 'submitted',
            proposed_disposition, proposed_reason,
            -- A proposal's name and category (the staged row's columns, as its proposal has them), and its
            -- findings: none yet (the submission's checks, in prepareSubmission, then write only the rows
            -- they flag), or the staged row's own.
            CASE WHEN ${LEAVING} THEN NULL ELSE proposed_name END,
            CASE WHEN ${LEAVING} THEN NULL ELSE proposed_category END,
            CASE WHEN ${LEAVING} THEN NULL ELSE ${findings} END
       FROM import_rows NOT INDEXED WHERE id BETWEEN ? AND ? AND import_id = ? AND department_id = ? AND kind IN ('new', 'changed') ORDER BY id`,
    );
  // The import's rows are read in the table's own order, between its first and last row: through the index
  // on (import_id, kind), SQLite sorted every proposal to put them in file order (a third of a 100,000-row
  // confirm, npm run bench:import).
  const idRange = sqlite.prepare('SELECT min(id), max(id) FROM import_rows WHERE import_id = ?').raw();
  const proposeRows = proposeRowsWith(`'[]'`);
  const proposeRowsChecked = proposeRowsWith(`coalesce(flags, '[]')`);
  /**
   * Active items of the scope's departments that no row of the import matched, nor named by its code: a row
   * with an error that gives an item's code (its name left empty, say) is to be corrected, not the item
   * proposed for cancellation.
   */
  const missingWhere = (importId: number, scope: MissingScope): SQL | undefined => {
    const departmentsOf =
      'departmentId' in scope
        ? eq(items.departmentId, scope.departmentId)
        : 'departmentIds' in scope
          ? inArray(items.departmentId, scope.departmentIds)
          : inArray(
              items.departmentId,
              db.selectDistinct({ id: importRows.departmentId }).from(importRows).where(and(eq(importRows.importId, scope.rowsOf), isNotNull(importRows.departmentId))),
            );
    const matched = db.select({ one: sql`1` }).from(importRows).where(and(eq(importRows.importId, importId), eq(importRows.itemId, items.id)));
    const named = db.select({ one: sql`1` }).from(importRows).where(and(eq(importRows.importId, importId), eq(importRows.itemCode, items.code)));
    return and(isNull(items.removedAt), departmentsOf, notExists(matched), notExists(named));
  };

  return {
    previewRows(importId: number, kind: 'new' | 'changed' | 'error', limit: number): { total: number; rows: PreviewRow[] } {
      const total = kindCount.get({ importId, kind })!.n;
      const rows = kindRows.all({ importId, kind, limit }).map((r) => ({
        sheet: r.sheet,
        rowNumber: r.rowNumber,
        code: r.itemCode,
        name: r.name,
        departmentText: r.departmentText,
        noBasis: r.noBasis,
        proposal: (r.proposal ?? null) as PreviewRow['proposal'],
        changes: (r.changes ?? []) as PreviewRow['changes'],
        errors: r.errors ?? [],
        warnings: r.warnings ?? [],
        flags: r.flags ?? [],
      }));
      return { total, rows };
    },

    /** Each error and warning of the staged rows, in row order. */
    *issues(importId: number): Generator<{ sheet: string; row: number; errors: Issue[]; warnings: Issue[] }> {
      for (const r of issues.iterate(importId) as IterableIterator<{ sheet: string; row_number: number; errors: string | null; warnings: string | null }>) {
        yield { sheet: r.sheet, row: r.row_number, errors: JSON.parse(r.errors ?? '[]') as Issue[], warnings: JSON.parse(r.warnings ?? '[]') as Issue[] };
      }
    },

    /** The errors, or the warnings, of the staged rows, in row order. */
    *issuesOfKind(importId: number, kind: 'errors' | 'warnings'): Generator<{ sheet: string; row: number; list: Issue[] }> {
      for (const r of issuesOfKind[kind].iterate(importId) as IterableIterator<{ sheet: string; row_number: number; list: string }>) {
        yield { sheet: r.sheet, row: r.row_number, list: JSON.parse(r.list) as Issue[] };
      }
    },

    /** The errors, or the warnings, of the staged rows in row order, each as its JSON text (see issueText). */
    issueTexts: (importId: number, kind: 'errors' | 'warnings'): IterableIterator<string> => issueTexts[kind].iterate(importId) as IterableIterator<string>,

    /** How many errors, or warnings, the staged rows have. */
    issueCount: (importId: number, kind: 'errors' | 'warnings'): number => issueCounts[kind].get(importId) as number,

    /** How many findings of each check rule, and of each severity, the staged rows carry, most first. */
    flagCounts: (importId: number) => flagCounts.all(importId) as { rule: string; severity: string; count: number }[],

    countMissingItems: (importId: number, scope: MissingScope): number =>
      db.select({ n: count() }).from(items).where(missingWhere(importId, scope)).get()!.n,

    /** Items of the departments an import covers that the upload does not list. */
    missingItems(importId: number, limit: number): { total: number; items: { code: string; name: string; department: string }[] } {
      const imp = db.select({ departmentId: imports.departmentId }).from(imports).where(eq(imports.id, importId)).get();
      if (!imp) return { total: 0, items: [] };
      const scope: MissingScope = imp.departmentId !== null ? { departmentId: imp.departmentId } : { rowsOf: importId };
      const found = db
        .select({ code: items.code, name: items.name, department: departments.name })
        .from(items)
        .innerJoin(departments, eq(departments.id, items.departmentId))
        .where(missingWhere(importId, scope))
        .orderBy(asc(items.id))
        .limit(limit)
        .all();
      return { total: db.select({ n: count() }).from(items).where(missingWhere(importId, scope)).get()!.n, items: found };
    },

    /** Rows (not in error) that named a department the catalogue does not know by that name. */
    rowsNamingDepartment: (importId: number, departmentText: string) =>
      db
        .select({ id: importRows.id, name: importRows.name, itemId: importRows.itemId, proposal: importRows.proposal })
        .from(importRows)
        .where(and(eq(importRows.importId, importId), eq(importRows.departmentText, departmentText), ne(importRows.kind, 'error')))
        .all(),
    /** A row's match after its department was mapped. */
    rematchRow: (rowId: number, values: { departmentId: number; itemId: number | null; kind: 'new' | 'changed' | 'unchanged'; changes: unknown[] | null }) =>
      db
        .update(importRows)
        .set({ ...values, changes: values.changes as { field: string; before: unknown; after: unknown }[] | null })
        .where(eq(importRows.id, rowId))
        .run(),

    /** The departments the import proposes new or changed items for. */
    proposingDepartments: (importId: number): number[] =>
      db
        .selectDistinct({ departmentId: importRows.departmentId })
        .from(importRows)
        .where(and(eq(importRows.importId, importId), inArray(importRows.kind, [...PROPOSED]), isNotNull(importRows.departmentId)))
        .all()
        .map((r) => r.departmentId!),

    /** Rows proposing new or changed items, in keyset pages: better-sqlite3 allows no writes while a statement is being iterated. */
    *proposedRows(importId: number) {
      let after = 0;
      for (;;) {
        const rows = proposedPage.all({ importId, after });
        if (rows.length === 0) return;
        yield* rows;
        after = rows[rows.length - 1]!.id;
      }
    },

    /** Records a department's submission made from an upload. */
    createSubmission: (values: { departmentId: number; importId: number; createdBy: string; createdById: number | null }): number =>
      db.insert(submissions).values({ ...values, source: 'upload', state: 'submitted' }).returning({ id: submissions.id }).get().id,
    /** Copies a department's proposing rows into a submission, with their staged findings or none yet; returns how many. */
    proposeRows: (submissionId: number, importId: number, departmentId: number, withFindings = false): number => {
      const [first, last] = idRange.get(importId) as [number | null, number | null];
      return first === null ? 0 : (withFindings ? proposeRowsChecked : proposeRows).run(submissionId, first, last, importId, departmentId).changes;
    },
    /** Proposes removing the department's active items the import left out (the preview's missing items); returns how many. */
    proposeRemovals: (submissionId: number, importId: number, departmentId: number, reason: string): number =>
      db.run(
        sql`INSERT INTO submission_items (submission_id, item_id, kind, state, proposed_disposition, proposed_reason)
            SELECT ${submissionId}, ${items.id}, 'remove', 'submitted', 'cancel', ${reason} FROM ${items} WHERE ${missingWhere(importId, { departmentId })}`,
      ).changes,

    /** A staged row of the import with what a stale template would revert on it. */
    stagedRowWithReverts: (importId: number, rowId: number) =>
      db
        .select({ id: importRows.id, itemId: importRows.itemId, proposal: importRows.proposal, reverts: importRows.reverts })
        .from(importRows)
        .where(and(eq(importRows.importId, importId), eq(importRows.id, rowId)))
        .get(),
    /** A staged row by the item code the file gave it (the template's stamp lists rows by code). */
    stagedRowByCode: (importId: number, code: string) =>
      db
        .select({ id: importRows.id, kind: importRows.kind, itemId: importRows.itemId, proposal: importRows.proposal, warnings: importRows.warnings })
        .from(importRows)
        .where(and(eq(importRows.importId, importId), eq(importRows.itemCode, code)))
        .orderBy(asc(importRows.id))
        .get(),
    /** A staged row compared again: with a template's stamp applied, or after the person accepted its reverts. */
    restageRow: (
      rowId: number,
      values: {
        proposal?: Record<string, unknown>;
        kind?: 'changed' | 'unchanged';
        changes?: unknown[];
        warnings?: { column: string; message: string }[];
        reverts?: { field: string; label: string; before: unknown; after: unknown; value: unknown }[];
      },
    ) =>
      db
        .update(importRows)
        .set({ ...values, ...(values.proposal ? proposedColumns(values.proposal as Parameters<typeof proposedColumns>[0]) : {}), changes: values.changes as { field: string; before: unknown; after: unknown }[] | undefined })
        .where(eq(importRows.id, rowId))
        .run(),
    /** Rows where a stale template would undo later decisions, in row order. */
    revertRows: (importId: number, limit: number) => {
      const where = and(eq(importRows.importId, importId), isNotNull(importRows.reverts));
      const rows = db
        .select({ id: importRows.id, sheet: importRows.sheet, rowNumber: importRows.rowNumber, code: importRows.itemCode, name: importRows.name, reverts: importRows.reverts })
        .from(importRows)
        .where(where)
        .orderBy(asc(importRows.id))
        .limit(limit)
        .all();
      return { total: db.select({ n: count() }).from(importRows).where(where).get()!.n, rows: rows.map((r) => ({ ...r, reverts: r.reverts ?? [] })) };
    },
  };
}
