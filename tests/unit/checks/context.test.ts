// The duplicate search reads items by their stored name key (items.name_key): the key must follow the
// name through every writer, and a re-check of a few items must find what the full check finds.
import { describe, expect, it } from 'vitest';
import { demoDb } from '../../support/db.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { fillNameKeys, type ItemRow } from '../../../db/queries/items.js';
import { readFields, updateItem } from '../../../server/catalogue/items.js';
import { proposalWriter } from '../../../server/catalogue/apply-proposal.js';
import type { Proposal } from '../../../server/domain/proposal.js';
import { normalizeItemName } from '../../../server/checks/similarity.js';
import { buildCheckContext, checkDeps } from '../../../server/checks/context.js';
import { recheckItems } from '../../../server/checks/store.js';
import type { Db } from '../../../db/client.js';
import { updateInstrument } from '../../../server/catalogue/instruments.js';
import { prerequisiteWriter } from '../../../server/analysis/prerequisites.js';

const ADMIN = { role: 'admin' as const, departmentId: null };
const keysOff = (db: Db) =>
  (db.$client.prepare('SELECT code, name, name_key FROM items').all() as { code: string; name: string; name_key: string | null }[]).filter(
    (r) => r.name_key !== normalizeItemName(r.name),
  );
const row = (db: Db, code: string) => db.$client.prepare('SELECT * FROM items WHERE code = ?').get(code) as ItemRow;

describe('items.name_key', () => {
  it("is every item's normalised name after the seed, the item form, an import's new and changed items, and a rename in the shell", () => {
    const db = demoDb();
    expect(keysOff(db)).toEqual([]);
    const [a, b] = db.$client.prepare('SELECT code FROM items ORDER BY id LIMIT 2').pluck().all() as string[];

    // The item form.
    updateItem(db, SYSTEM_ACTOR, ADMIN, a!, { ...readFields(row(db, a!)), rowVersion: row(db, a!).row_version, name: '对建筑工程的施工许可（含变更）' });
    expect(row(db, a!).name_key).toBe('建筑工程施工许可');
    // A rename that keeps the key keeps it (the trigger clears only a key left as it was by the writer).
    updateItem(db, SYSTEM_ACTOR, ADMIN, a!, { ...readFields(row(db, a!)), rowVersion: row(db, a!).row_version, name: '建筑工程施工许可' });
    expect(row(db, a!).name_key).toBe('建筑工程施工许可');

    // An import or a finalise: a new item, then a changed name.
    const writer = proposalWriter(db, SYSTEM_ACTOR, {});
    const proposal = (fields: ItemRow, name: string) => ({ code: null, fields: { ...readFields(fields), name }, mainItemName: null, citations: [], disposition: null }) as unknown as Proposal;
    const created = db.$client.transaction(() => writer.create(row(db, b!).department_id, proposal(row(db, b!), '【测试】新设的 许可')))();
    expect(row(db, created.code).name_key).toBe('测试新设许可');
    db.$client.transaction(() => writer.update(created.id, { ...proposal(row(db, created.code), '测试改名之后的许可'), code: created.code, present: ['name'] }))();
    expect(row(db, created.code).name_key).toBe('测试改名后许可');

    // The sqlite3 shell knows no JS: its rename clears the key, its insert leaves none; the next open fills both.
    db.$client.prepare('UPDATE items SET name = ? WHERE code = ?').run('壳里改的名字', b);
    db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES ('SHELL-1', '壳里加的事项', 'permit', 1)").run();
    expect(row(db, b!).name_key).toBeNull();
    expect(fillNameKeys(db)).toBe(2);
    expect(keysOff(db)).toEqual([]);
  });
});

describe('the duplicate search by name key', () => {
  it('a re-check of some items raises the same duplicate flags on them as the full check, keys filled or not', () => {
    const db = demoDb();
    const departments = db.$client.prepare('SELECT id FROM departments ORDER BY id LIMIT 3').pluck().all() as number[];
    const writer = proposalWriter(db, SYSTEM_ACTOR, {});
    const template = db.$client.prepare('SELECT * FROM items LIMIT 1').get() as ItemRow;
    const names = ['测试同名许可证核发', '测试同名许可证核发（含新办、变更）', '对测试同名许可证核发', '测试另一许可', '测试另一许可（市级）'];
    db.$client.transaction(() => {
      for (let i = 0; i < 40; i++) {
        const name = names[i % names.length]!;
        const departmentId = departments[i % departments.length]!;
        const proposal = { code: `NK-${i}`, fields: { ...readFields(template), name }, mainItemName: null, citations: [], disposition: null } as unknown as Proposal;
        writer.create(departmentId, proposal);
      }
    })();
    // A pair whose only namesake has no key yet (written by the shell), and a few more without one: the
    // search normalises those names itself.
    db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES ('NK-P2', '对测试独对的许可', 'permit', ?)").run(departments[1]);
    db.$client.transaction(() =>
      writer.create(departments[0]!, { code: 'NK-P1', fields: { ...readFields(template), name: '测试独对许可' }, mainItemName: null, citations: [], disposition: null } as unknown as Proposal),
    )();
    db.$client.prepare("UPDATE items SET name_key = NULL WHERE code IN ('NK-3', 'NK-7', 'NK-20')").run();
    const deps = checkDeps(db);
    const duplicates = () =>
      db.$client
        .prepare("SELECT i.code, f.message FROM item_flags f JOIN items i ON i.id = f.item_id WHERE f.rule = 'DUPLICATE_ACROSS_DEPARTMENTS' AND i.code LIKE 'NK-%' ORDER BY i.code, f.id")
        .all();
    recheckItems(deps, null);
    const full = duplicates() as { code: string; message: string }[];
    expect(full.length).toBe(42);
    expect(full.find((f) => f.code === 'NK-P1')?.message).toContain('对测试独对的许可');
    db.$client.prepare('DELETE FROM item_flags').run();
    const ids = db.$client.prepare("SELECT id FROM items WHERE code LIKE 'NK-%'").pluck().all() as number[];
    recheckItems(deps, ids);
    expect(duplicates()).toEqual(full);
  });
});

describe("a proposal's namesakes across the whole catalogue", () => {
  it('are the same whether the catalogue\'s keys are read at once or each asked of the index, also for an item without a key', () => {
    const db = demoDb();
    const [a, b] = db.$client.prepare('SELECT d.name FROM departments d ORDER BY d.id LIMIT 2').pluck().all() as string[];
    const other = db.$client.prepare('SELECT i.name, d.name AS department FROM items i JOIN departments d ON d.id = i.department_id WHERE d.name <> ? AND i.removed_at IS NULL ORDER BY i.id LIMIT 1').get(a) as { name: string; department: string };
    const proposal = (name: string) => ({ key: `p:${name}`, name, departmentName: a! }) as Parameters<ReturnType<typeof buildCheckContext>['duplicatesOf']>[0];
    const claims = (scope: 'catalogue' | 'items', name: string) => buildCheckContext(checkDeps(db), { scope }).duplicatesOf(proposal(name));
    // Another department's item, by its name written another way; and a name no item has.
    for (const name of [`对${other.name}`, '测试从未有过的许可']) expect(claims('catalogue', name)).toEqual(claims('items', name));
    expect(claims('catalogue', `对${other.name}`).map((c) => c.departmentName)).toContain(other.department);
    expect(claims('catalogue', '测试从未有过的许可')).toEqual([]);
    // An item the shell wrote has no key yet: found all the same.
    db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES ('SHELL-9', '测试壳里写的许可', 'permit', (SELECT id FROM departments WHERE name = ?))").run(b);
    expect(claims('catalogue', '测试壳里写的许可').map((c) => c.departmentName)).toEqual([b]);
    expect(claims('items', '测试壳里写的许可').map((c) => c.departmentName)).toEqual([b]);
  });
});

describe('the re-check after a registry change', () => {
  it('leaves every stored flag as a full check would, prerequisite loops and duplicates included, reading only the citing items', () => {
    const db = demoDb();
    const sqlite = db.$client;
    const departments = sqlite.prepare('SELECT id FROM departments ORDER BY id LIMIT 2').pluck().all() as number[];
    const law = sqlite.prepare("SELECT id, title, rank FROM legal_instruments WHERE status = 'in_force' ORDER BY id LIMIT 1").get() as { id: number; title: string; rank: string };
    const writer = proposalWriter(db, SYSTEM_ACTOR, {});
    const template = sqlite.prepare('SELECT * FROM items LIMIT 1').get() as ItemRow;
    const ids = sqlite.transaction(() =>
      ['测试环甲审批', '测试环乙审批', '测试环甲审批（市级）'].map((name, i) => {
        const citations = [{ instrumentId: law.id, title: law.title, article: '第十二条', documentNumber: null, role: 'setting', tag: null }];
        return writer.create(departments[i === 0 ? 0 : 1]!, { code: `RG-${i}`, fields: { ...readFields(template), name }, mainItemName: null, citations, disposition: null } as unknown as Proposal).id;
      }),
    )();
    const loops = prerequisiteWriter(db);
    loops.replace({ id: ids[0]!, departmentId: departments[0]! }, ['测试环乙审批']);
    loops.replace({ id: ids[1]!, departmentId: departments[1]! }, ['测试环甲审批']);
    const deps = checkDeps(db);
    recheckItems(deps, null);
    const flags = () => sqlite.prepare('SELECT item_id, rule, message FROM item_flags ORDER BY item_id, rule, message').all();
    const repeal = updateInstrument(db, SYSTEM_ACTOR, law.id, { rank: law.rank, status: 'repealed' });
    expect(repeal.rechecked).toBeGreaterThanOrEqual(3);
    const afterRepeal = flags();
    const rules = (id: number) => (afterRepeal as { item_id: number; rule: string }[]).filter((f) => f.item_id === id).map((f) => f.rule);
    expect(rules(ids[0]!)).toEqual(expect.arrayContaining(['BASIS_REPEALED', 'PREREQUISITE_CYCLE', 'DUPLICATE_ACROSS_DEPARTMENTS']));
    recheckItems(deps, null);
    expect(flags()).toEqual(afterRepeal);
  });
});
