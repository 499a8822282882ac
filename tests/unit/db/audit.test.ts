import { describe, it, expect } from 'vitest';
import { emptyDb } from '../../support/db.js';
import { appendAudit, verifyAuditLog, withTransaction, SYSTEM_ACTOR } from '../../../db/audit.js';

const write = (db: ReturnType<typeof emptyDb>, n: number) => {
  for (let i = 0; i < n; i++) {
    withTransaction(db, () => appendAudit(db, SYSTEM_ACTOR, { action: 'test', entityType: 'item', entityId: i, before: { a: i }, after: { a: i + 1 } }));
  }
};

describe('audit log', () => {
  it('an intact chain verifies', () => {
    const db = emptyDb();
    write(db, 5);
    expect(verifyAuditLog(db)).toEqual({ ok: true, entries: 5, problems: [] });
  });

  it('the database refuses to update or delete an audit row', () => {
    const db = emptyDb();
    write(db, 2);
    expect(() => db.$client.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.$client.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
  });

  it('an altered row breaks the chain even when the protecting trigger was dropped first', () => {
    const db = emptyDb();
    write(db, 4);
    db.$client.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = '{\"a\":99}' WHERE seq = 2");
    const result = verifyAuditLog(db);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/第 2 条记录的内容与其哈希不符/);
    expect(result.problems.join('\n')).toMatch(/audit_log_no_update 已被删除/);
  });

  it('a deleted row is found as a gap in the chain', () => {
    const db = emptyDb();
    write(db, 4);
    db.$client.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3');
    expect(verifyAuditLog(db).problems.join('\n')).toMatch(/第 3 条记录缺失/);
  });

  it('an audit entry cannot be written outside the transaction of its change', () => {
    const db = emptyDb();
    expect(() => appendAudit(db, SYSTEM_ACTOR, { action: 'x', entityType: 'y' })).toThrow(/inside the transaction/);
  });

  it('a change that fails leaves neither the change nor its audit entry', () => {
    const db = emptyDb();
    expect(() =>
      withTransaction(db, () => {
        db.$client.prepare("INSERT INTO departments (code, name) VALUES ('A', '甲')").run();
        appendAudit(db, SYSTEM_ACTOR, { action: 'department.create', entityType: 'department', entityId: 'A' });
        throw new Error('crash mid-write');
      }),
    ).toThrow('crash mid-write');
    expect(db.$client.prepare('SELECT count(*) AS n FROM departments').get()).toEqual({ n: 0 });
    expect(db.$client.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
  });
});
