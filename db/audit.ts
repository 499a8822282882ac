// The hash-chained audit log. Every change calls appendAudit inside the transaction that makes it,
// so a change and its record commit or roll back together.
import { createHash } from 'node:crypto';
import type { Db } from './client.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  id: number | null;
  /** username, or 'system' / 'cli:<user>' for work done outside a web session */
  name: string;
}
export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };
/** A member of the public (no account): feedback on an item. */
export const PUBLIC_ACTOR: Actor = { id: null, name: 'public' };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** An audit_log row as stored (its columns' SQL names). */
export interface AuditRow {
  seq: number;
  at: string;
  actor_id: number | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

/** The exact bytes a row's hash covers: every column but the hash, in a fixed order. */
export function auditRowHash(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.actor,
    row.action,
    row.entity_type,
    row.entity_id,
    row.before,
    row.after,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** Append one entry. Must run inside a write transaction (see withTransaction). */
export function appendAudit(db: Db, actor: Actor, entry: AuditEntry): number {
  const sqlite = db.$client;
  if (!sqlite.inTransaction) throw new Error('appendAudit must run inside the transaction that makes the change');
  const last = sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    actor_id: actor.id,
    actor: actor.name,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId == null ? null : String(entry.entityId),
    before: toJson(entry.before),
    after: toJson(entry.after),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = auditRowHash(row);
  sqlite
    .prepare(
      `INSERT INTO audit_log (seq, at, actor_id, actor, action, entity_type, entity_id, before, after, prev_hash, hash)
       VALUES (@seq, @at, @actor_id, @actor, @action, @entity_type, @entity_id, @before, @after, @prev_hash, @hash)`,
    )
    .run({ ...row, hash });
  return row.seq;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  problems: string[];
}

/** Walk the whole chain; report every broken link, gap and missing protection. */
export function verifyAuditLog(db: Db): AuditVerification {
  const sqlite = db.$client;
  const problems: string[] = [];
  const triggers = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
    .all() as { name: string }[];
  for (const name of ['audit_log_no_update', 'audit_log_no_delete']) {
    if (!triggers.some((t) => t.name === name)) problems.push(`审计日志的保护触发器 ${name} 已被删除`);
  }
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    entries++;
    if (row.seq !== expectedSeq) problems.push(`第 ${expectedSeq} 条记录缺失（下一条为第 ${row.seq} 条）`);
    if (row.prev_hash !== prevHash) problems.push(`第 ${row.seq} 条记录的前序哈希与上一条不符`);
    const { hash, ...rest } = row;
    if (auditRowHash(rest) !== hash) problems.push(`第 ${row.seq} 条记录的内容与其哈希不符（已被改动）`);
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
  }
  return { ok: problems.length === 0, entries, problems };
}

/** Run fn in one IMMEDIATE transaction: the change and its audit entries commit together or not at all. */
export function withTransaction<T>(db: Db, fn: () => T): T {
  const sqlite = db.$client;
  if (sqlite.inTransaction) return fn();
  return sqlite.transaction(fn).immediate();
}
