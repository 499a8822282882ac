// The legal office's work list: stored check findings, filtered by rule, department and severity.
import type { Db } from '../client.js';

export interface FlagFilter {
  rule?: string | undefined;
  department?: string | undefined;
  severity?: 'error' | 'warning' | 'info' | undefined;
  page: number;
  pageSize: number;
}

export interface FlagRow {
  itemCode: string;
  itemName: string;
  category: string;
  departmentCode: string;
  departmentName: string;
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  suggestion: string;
  suggestionText: string;
  ground: string;
  checkedAt: string;
}

function where(filter: Omit<FlagFilter, 'page' | 'pageSize'>) {
  const clauses = ['i.removed_at IS NULL'];
  const params: Record<string, string> = {};
  if (filter.rule) {
    clauses.push('f.rule = @rule');
    params.rule = filter.rule;
  }
  if (filter.department) {
    clauses.push('d.code = @department');
    params.department = filter.department;
  }
  if (filter.severity) {
    clauses.push('f.severity = @severity');
    params.severity = filter.severity;
  }
  return { sql: clauses.join(' AND '), params };
}

const FROM = 'FROM item_flags f JOIN items i ON i.id = f.item_id JOIN departments d ON d.id = i.department_id';
const COLUMNS = `i.code AS itemCode, i.name AS itemName, i.category, d.code AS departmentCode, d.name AS departmentName, f.rule, f.severity,
                 f.message, f.suggestion, f.suggestion_text AS suggestionText, f.ground, f.checked_at AS checkedAt`;

export function listFlags(db: Db, filter: FlagFilter): { total: number; flags: FlagRow[] } {
  const w = where(filter);
  const total = (db.$client.prepare(`SELECT count(*) AS n ${FROM} WHERE ${w.sql}`).get(w.params) as { n: number }).n;
  const flags = db.$client
    .prepare(`SELECT ${COLUMNS} ${FROM} WHERE ${w.sql} ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, d.code, i.id, f.id LIMIT @limit OFFSET @offset`)
    .all({ ...w.params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as FlagRow[];
  return { total, flags };
}

/** Every flag matching the filter, streamed (for the xlsx export). */
export function* allFlags(db: Db, filter: Omit<FlagFilter, 'page' | 'pageSize'>): Generator<FlagRow> {
  const w = where(filter);
  let offset = 0;
  const page = db.$client.prepare(`SELECT ${COLUMNS} ${FROM} WHERE ${w.sql} ORDER BY d.code, i.id, f.id LIMIT 5000 OFFSET @offset`);
  for (;;) {
    const rows = page.all({ ...w.params, offset }) as FlagRow[];
    if (rows.length === 0) return;
    yield* rows;
    offset += rows.length;
  }
}

export function flagSummary(db: Db): { rule: string; severity: string; count: number }[] {
  return db.$client
    .prepare(`SELECT f.rule, f.severity, count(*) AS count ${FROM} WHERE i.removed_at IS NULL GROUP BY f.rule, f.severity ORDER BY count DESC`)
    .all() as { rule: string; severity: string; count: number }[];
}
