// Reading the audit log for the audit pages: newest first, optionally for one entity.
import type { Db } from '../client.js';

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  page: number;
  pageSize: number;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

export function listAudit(db: Db, filter: AuditFilter): { total: number; entries: AuditEntryView[] } {
  const where: string[] = ['1 = 1'];
  const params: Record<string, string | number> = {};
  if (filter.entityType) {
    where.push('entity_type = @entityType');
    params.entityType = filter.entityType;
  }
  if (filter.entityId) {
    where.push('entity_id = @entityId');
    params.entityId = filter.entityId;
  }
  const sqlite = db.$client;
  const { total } = sqlite.prepare(`SELECT count(*) AS total FROM audit_log WHERE ${where.join(' AND ')}`).get(params) as { total: number };
  const rows = sqlite
    .prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as {
    seq: number;
    at: string;
    actor: string;
    action: string;
    entity_type: string;
    entity_id: string | null;
    before: string | null;
    after: string | null;
    hash: string;
  }[];
  return {
    total,
    entries: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before == null ? null : JSON.parse(r.before),
      after: r.after == null ? null : JSON.parse(r.after),
      hash: r.hash,
    })),
  };
}
