// Reading imports for the department's list, the progress page and the preview.
import type { Db } from '../client.js';

export interface ImportSummary {
  id: number;
  originalName: string;
  departmentName: string | null;
  mode: string;
  status: string;
  createdBy: string;
  createdAt: string;
  progressRows: number;
  counts: Record<string, number>;
  refusalMessage: string | null;
  unknownDepartments: string[];
  departmentId: number | null;
  submissionId: number | null;
}

const SELECT = `SELECT i.*, d.name AS department_name FROM imports i LEFT JOIN departments d ON d.id = i.department_id`;

type Row = {
  id: number;
  original_name: string;
  department_name: string | null;
  mode: string;
  status: string;
  created_by: string;
  created_at: string;
  progress_rows: number;
  counts: string;
  refusal_message: string | null;
  unknown_departments: string;
  department_id: number | null;
  submission_id: number | null;
};

const toSummary = (r: Row): ImportSummary => ({
  id: r.id,
  originalName: r.original_name,
  departmentName: r.department_name,
  mode: r.mode,
  status: r.status,
  createdBy: r.created_by,
  createdAt: r.created_at,
  progressRows: r.progress_rows,
  counts: JSON.parse(r.counts) as Record<string, number>,
  refusalMessage: r.refusal_message,
  unknownDepartments: JSON.parse(r.unknown_departments) as string[],
  departmentId: r.department_id,
  submissionId: r.submission_id,
});

export function getImport(db: Db, id: number): ImportSummary | null {
  const r = db.$client.prepare(`${SELECT} WHERE i.id = ?`).get(id) as Row | undefined;
  return r ? toSummary(r) : null;
}

/** A department's imports (or all, for departmentId null), newest first. */
export function listImports(db: Db, departmentId: number | null, limit = 50): ImportSummary[] {
  const rows = (
    departmentId === null
      ? db.$client.prepare(`${SELECT} ORDER BY i.id DESC LIMIT ?`).all(limit)
      : db.$client.prepare(`${SELECT} WHERE i.department_id = ? ORDER BY i.id DESC LIMIT ?`).all(departmentId, limit)
  ) as Row[];
  return rows.map(toSummary);
}

export interface PreviewRow {
  sheet: string;
  rowNumber: number;
  code: string | null;
  name: string | null;
  departmentText: string | null;
  noBasis: boolean;
  proposal: { fields: { category: string }; citations: { title: string; article: string | null }[] } | null;
  changes: { field: string; label: string; before: unknown; after: unknown }[];
  errors: { column: string; message: string }[];
  warnings: { column: string; message: string }[];
  flags: { rule: string; severity: string; message: string; suggestion: string; ground: string }[];
}

export function previewRows(db: Db, importId: number, kind: 'new' | 'changed' | 'error', limit: number): { total: number; rows: PreviewRow[] } {
  const sqlite = db.$client;
  const total = (sqlite.prepare('SELECT count(*) AS n FROM import_rows WHERE import_id = ? AND kind = ?').get(importId, kind) as { n: number }).n;
  const rows = sqlite
    .prepare('SELECT * FROM import_rows WHERE import_id = ? AND kind = ? ORDER BY id LIMIT ?')
    .all(importId, kind, limit) as {
    sheet: string;
    row_number: number;
    item_code: string | null;
    name: string | null;
    department_text: string | null;
    no_basis: number;
    proposal: string | null;
    changes: string | null;
    errors: string | null;
    warnings: string | null;
    flags: string | null;
  }[];
  return {
    total,
    rows: rows.map((r) => ({
      sheet: r.sheet,
      rowNumber: r.row_number,
      code: r.item_code,
      name: r.name,
      departmentText: r.department_text,
      noBasis: r.no_basis === 1,
      proposal: r.proposal ? JSON.parse(r.proposal) : null,
      changes: r.changes ? JSON.parse(r.changes) : [],
      errors: r.errors ? JSON.parse(r.errors) : [],
      warnings: r.warnings ? JSON.parse(r.warnings) : [],
      flags: r.flags ? JSON.parse(r.flags) : [],
    })),
  };
}

/** Items of the departments an import covers that the upload does not list. */
export function missingItems(db: Db, importId: number, limit: number): { total: number; items: { code: string; name: string; department: string }[] } {
  const imp = db.$client.prepare('SELECT department_id FROM imports WHERE id = ?').get(importId) as { department_id: number | null } | undefined;
  if (!imp) return { total: 0, items: [] };
  const scope =
    imp.department_id !== null
      ? 'i.department_id = @departmentId'
      : 'i.department_id IN (SELECT DISTINCT department_id FROM import_rows WHERE import_id = @importId AND department_id IS NOT NULL)';
  const where = `FROM items i JOIN departments d ON d.id = i.department_id WHERE i.removed_at IS NULL AND ${scope}
                 AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.import_id = @importId AND r.item_id = i.id)`;
  const params = { importId, departmentId: imp.department_id };
  const total = (db.$client.prepare(`SELECT count(*) AS n ${where}`).get(params) as { n: number }).n;
  const items = db.$client.prepare(`SELECT i.code, i.name, d.name AS department ${where} ORDER BY i.id LIMIT @limit`).all({ ...params, limit }) as {
    code: string;
    name: string;
    department: string;
  }[];
  return { total, items };
}

/** How many staged rows each check rule flagged, most first. */
export function flagCounts(db: Db, importId: number): { rule: string; count: number }[] {
  return db.$client
    .prepare(
      `SELECT json_extract(f.value, '$.rule') AS rule, count(*) AS count FROM import_rows r, json_each(r.flags) f
        WHERE r.import_id = ? AND r.flags IS NOT NULL GROUP BY rule ORDER BY count DESC, rule`,
    )
    .all(importId) as { rule: string; count: number }[];
}
