// Reading the audit log for the audit page and its export: newest first, filtered by person, role,
// action, item and local date range, with each actor's name and role and each item's name beside it.
import type { Db } from '../client.js';

export interface AuditFilter {
  /** An actor's username. */
  actor?: string | undefined;
  role?: string | undefined;
  action?: string | undefined;
  /** Part of an item's name or code: entries about that item (as an item or a proposal for it). */
  item?: string | undefined;
  /** UTC instants bounding the entries' times: from inclusive, to exclusive. */
  fromAt?: string | undefined;
  toAt?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  /** The item the entry is about, when it is about one (an item, or a proposal for one). */
  itemCode: string | null;
  itemName: string | null;
  /** A proposal's id, for the link to its review page. */
  submissionItemId: number | null;
  /** A user entry's display name. */
  userName: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

// The item an entry is about: an item by its code, or a proposal (submission item) by its id.
const FROM = `
  FROM audit_log a
  LEFT JOIN users u ON u.username = a.actor
  LEFT JOIN items i ON a.entity_type = 'item' AND i.code = a.entity_id
  LEFT JOIN submission_items si ON a.entity_type = 'submission_item' AND si.id = CAST(a.entity_id AS INTEGER)
  LEFT JOIN items si_item ON si_item.id = si.item_id
  LEFT JOIN users eu ON a.entity_type = 'user' AND eu.username = a.entity_id`;

function where(filter: AuditFilter): { sql: string; params: Record<string, string> } {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  const add = (clause: string, name: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    clauses.push(clause);
    params[name] = value;
  };
  add('a.actor = @actor', 'actor', filter.actor);
  add('u.role = @role', 'role', filter.role);
  add('a.action = @action', 'action', filter.action);
  add('a.at >= @fromAt', 'fromAt', filter.fromAt);
  add('a.at < @toAt', 'toAt', filter.toAt);
  add('a.entity_type = @entityType', 'entityType', filter.entityType);
  add('a.entity_id = @entityId', 'entityId', filter.entityId);
  if (filter.item) {
    clauses.push(`(a.entity_type IN ('item', 'submission_item') AND (
      instr(coalesce(i.name, si.name, ''), @item) > 0 OR instr(coalesce(i.code, si_item.code, a.entity_id, ''), @item) > 0))`);
    params.item = filter.item;
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const COLUMNS = `a.seq, a.at, a.actor, u.display_name AS actorName, u.role AS actorRole, a.action, a.entity_type AS entityType,
  a.entity_id AS entityId, coalesce(i.code, si_item.code) AS itemCode, coalesce(i.name, si.name) AS itemName,
  si.id AS submissionItemId, eu.display_name AS userName, a.before, a.after, a.hash`;

type Row = Omit<AuditEntryView, 'before' | 'after'> & { before: string | null; after: string | null };
const toView = (r: Row): AuditEntryView => ({
  ...r,
  before: r.before == null ? null : JSON.parse(r.before),
  after: r.after == null ? null : JSON.parse(r.after),
});

export function listAudit(db: Db, filter: AuditFilter & { page: number; pageSize: number }): { total: number; entries: AuditEntryView[] } {
  const { sql, params } = where(filter);
  const sqlite = db.$client;
  const total = sqlite.prepare(`SELECT count(*) ${FROM} ${sql}`).pluck().get(params) as number;
  const rows = sqlite
    .prepare(`SELECT ${COLUMNS} ${FROM} ${sql} ORDER BY a.seq DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as Row[];
  return { total, entries: rows.map(toView) };
}

/** Every entry the filter selects, newest first, read one at a time (the export). */
export function* allAudit(db: Db, filter: AuditFilter): Generator<AuditEntryView> {
  const { sql, params } = where(filter);
  for (const r of db.$client.prepare(`SELECT ${COLUMNS} ${FROM} ${sql} ORDER BY a.seq DESC`).iterate(params) as IterableIterator<Row>) yield toView(r);
}

/** The people who appear in the log as actors, for the filter: accounts first by name. */
export function auditActors(db: Db): { username: string; displayName: string | null }[] {
  return db.$client
    .prepare(
      `SELECT DISTINCT a.actor AS username, u.display_name AS displayName FROM audit_log a LEFT JOIN users u ON u.username = a.actor
        ORDER BY u.display_name IS NULL, u.display_name, a.actor`,
    )
    .all() as { username: string; displayName: string | null }[];
}
