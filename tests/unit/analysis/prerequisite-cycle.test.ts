// PREREQUISITE_CYCLE and the prerequisite graph on a real (in-memory) catalogue: loops found across
// departments and named in order, cuts, names resolved or reported, and the stored flags kept in step.
import { describe, expect, it } from 'vitest';
import { demoDb, emptyDb } from '../../support/db.js';
import type { Db } from '../../../db/client.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { analysePrerequisites, localLoop, syncCycleFlags } from '../../../server/analysis/cycles.js';
import { cutPrerequisite, prerequisiteWriter, resolvePrerequisites, restorePrerequisite } from '../../../server/analysis/prerequisites.js';
import { prerequisiteReport } from '../../../server/analysis/prerequisite-report.js';
import { RULE_CODES } from '../../../server/checks/engine.js';
import { findingsOfItem } from '../../../server/checks/load.js';
import { buildCheckContext, checkDeps } from '../../../server/checks/context.js';
import { recheckItems } from '../../../server/checks/store.js';
import { proposalWriter } from '../../../server/catalogue/apply-proposal.js';
import { updateItem } from '../../../server/catalogue/items.js';
import { readFields, type ItemRow } from '../../../server/catalogue/items.js';
import type { Proposal } from '../../../server/imports/compare.js';
import { saveItemEdit, submitDraft } from '../../../server/review/drafts.js';
import { assignExperts, closeExpertReview, createCampaign, decideItems, finaliseItems, type Reviewer } from '../../../server/review/service.js';
import { createReviewRepository } from '../../../db/queries/review/index.js';

interface Catalogue {
  db: Db;
  dept: Record<string, number>;
  id: (code: string) => number;
  add: (code: string, name: string, dept: string) => number;
  requires: (code: string, written: string[]) => void;
  flags: () => Record<string, string>;
  edgeId: (from: string, to: string) => number;
}

/** Departments 部门A, 部门B, 部门C; items added by code, name and department. */
function catalogue(): Catalogue {
  const db = emptyDb();
  const dept: Record<string, number> = {};
  for (const c of ['A', 'B', 'C']) dept[c] = Number(db.$client.prepare("INSERT INTO departments (code, name, level) VALUES (?, ?, 'district')").run(c, `部门${c}`).lastInsertRowid);
  const id = (code: string) => db.$client.prepare('SELECT id FROM items WHERE code = ?').pluck().get(code) as number;
  const writer = () => prerequisiteWriter(db);
  return {
    db,
    dept,
    id,
    add: (code, name, d) => Number(db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES (?, ?, 'permit', ?)").run(code, name, dept[d]).lastInsertRowid),
    requires: (code, written) => {
      const departmentId = db.$client.prepare('SELECT department_id FROM items WHERE code = ?').pluck().get(code) as number;
      writer().replace({ id: id(code), departmentId }, written);
    },
    flags: () =>
      Object.fromEntries(
        db.$client.prepare("SELECT i.code, f.message FROM item_flags f JOIN items i ON i.id = f.item_id WHERE f.rule = 'PREREQUISITE_CYCLE' ORDER BY i.code").raw().all() as [string, string][],
      ),
    edgeId: (from, to) => db.$client.prepare('SELECT id FROM item_prerequisites WHERE item_id = ? AND prerequisite_item_id = ?').pluck().get(id(from), id(to)) as number,
  };
}

/** 甲(A) → 乙(B) → 丙(C) → 甲, 丁(A) ⇄ 戊(B), and 己(C) requiring 甲 without being on a loop. */
/** 甲 ⇄ 乙 and 乙 → 丙 → 丁 → 乙: two loops sharing 乙, across three departments. */
function overlappingLoops(): Catalogue {
  const c = catalogue();
  c.add('A-1', '甲', 'A');
  c.add('B-1', '乙', 'B');
  c.add('C-1', '丙', 'C');
  c.add('C-2', '丁', 'C');
  c.requires('A-1', ['乙']);
  c.requires('B-1', ['甲', '丙']);
  c.requires('C-1', ['丁']);
  c.requires('C-2', ['乙']);
  return c;
}

function twoLoops(): Catalogue {
  const c = catalogue();
  c.add('A-1', '甲', 'A');
  c.add('B-1', '乙', 'B');
  c.add('C-1', '丙', 'C');
  c.add('A-2', '丁', 'A');
  c.add('B-2', '戊', 'B');
  c.add('C-2', '己', 'C');
  c.requires('A-1', ['乙']);
  c.requires('B-1', ['C-1']);
  c.requires('C-1', ['甲']);
  c.requires('A-2', ['戊']);
  c.requires('B-2', ['丁']);
  c.requires('C-2', ['甲']);
  return c;
}

describe('PREREQUISITE_CYCLE', () => {
  it('is a registered rule of the engine', () => {
    expect(RULE_CODES).toContain('PREREQUISITE_CYCLE');
  });

  it('a three-department cycle and a two-item cycle in one catalogue are both found and named in order', () => {
    const c = twoLoops();
    const analysis = analysePrerequisites(c.db);
    expect(analysis.groups.map((g) => g.length)).toEqual([3, 2]);
    recheckItems(checkDeps(c.db), null, buildCheckContext(checkDeps(c.db), { scope: 'catalogue' }));
    const flags = c.flags();
    expect(Object.keys(flags)).toEqual(['A-1', 'A-2', 'B-1', 'B-2', 'C-1']);
    expect(flags['A-1']).toContain('甲（部门A）→ 乙（部门B）→ 丙（部门C）→ 甲');
    expect(flags['B-1']).toContain('乙（部门B）→ 丙（部门C）→ 甲（部门A）→ 乙');
    expect(flags['C-1']).toContain('丙（部门C）→ 甲（部门A）→ 乙（部门B）→ 丙');
    expect(flags['A-2']).toContain('丁（部门A）→ 戊（部门B）→ 丁');
    expect(flags['B-2']).toContain('戊（部门B）→ 丁（部门A）→ 戊');
    const stored = c.db.$client.prepare("SELECT severity, ground FROM item_flags WHERE rule = 'PREREQUISITE_CYCLE' LIMIT 1").get() as { severity: string; ground: string };
    expect(stored.severity).toBe('error');
    expect(stored.ground).toContain('二（三）1');
    expect(stored.ground).toContain('互为前置');
  });

  it('an acyclic catalogue reports none', () => {
    const c = catalogue();
    for (let i = 1; i <= 6; i++) c.add(`A-${i}`, `事项${i}`, i % 2 ? 'A' : 'B');
    c.requires('A-6', ['事项5', '事项4', 'A-1']);
    c.requires('A-5', ['事项4']);
    c.requires('A-4', ['事项1', '事项2']);
    c.requires('A-2', ['事项1']);
    expect(analysePrerequisites(c.db).groups).toEqual([]);
    recheckItems(checkDeps(c.db), null, buildCheckContext(checkDeps(c.db), { scope: 'catalogue' }));
    expect(c.flags()).toEqual({});
    expect(prerequisiteReport(c.db, { role: 'legal_office', departmentId: null }).cycles).toEqual([]);
  });

  it('an item that requires itself by name is not linked to itself but reported', () => {
    const c = catalogue();
    c.add('A-1', '甲', 'A');
    c.requires('A-1', ['甲', 'A-1']);
    expect(analysePrerequisites(c.db).groups).toEqual([]);
    const report = prerequisiteReport(c.db, { role: 'legal_office', departmentId: null });
    expect(report.unresolved.map((u) => u.problem)).toEqual(['self', 'self']);
  });

  it('the item page computes the same loop around the item as the whole-catalogue analysis', () => {
    const c = twoLoops();
    recheckItems(checkDeps(c.db), null, buildCheckContext(checkDeps(c.db), { scope: 'catalogue' }));
    const stored = c.flags();
    for (const code of ['A-1', 'B-1', 'C-1', 'A-2', 'B-2']) {
      const live = findingsOfItem(c.db, code)!.filter((f) => f.rule === 'PREREQUISITE_CYCLE');
      expect(live.map((f) => f.message)).toEqual([stored[code]]);
    }
    expect(findingsOfItem(c.db, 'C-2')!.some((f) => f.rule === 'PREREQUISITE_CYCLE')).toBe(false);
    expect(localLoop(c.db, c.id('C-2'))).toBeNull();
  });

  it('overlapping loops form one group; each item is named with its own shortest loop and the group size', () => {
    const c = overlappingLoops();
    syncCycleFlags(c.db);
    const flags = c.flags();
    expect(flags['A-1']).toContain('甲（部门A）→ 乙（部门B）→ 甲；同一循环组另有 2 项事项');
    expect(flags['C-1']).toContain('丙（部门C）→ 丁（部门C）→ 乙（部门B）→ 丙；同一循环组另有 1 项事项');
    const report = prerequisiteReport(c.db, { role: 'legal_office', departmentId: null });
    expect(report.cycles).toHaveLength(1);
    expect(report.cycles[0]!.items.map((i) => i.name)).toEqual(['甲', '乙']);
    expect(report.cycles[0]!.otherItems.map((i) => i.name)).toEqual(['丙', '丁']);
    expect(report.cycles[0]!.edges).toHaveLength(5);
  });
});

describe('a cycle closed or broken by one change flags or clears every item on it', () => {
  it('a re-check of the one edited item flags the whole loop', () => {
    const c = catalogue();
    c.add('A-1', '甲', 'A');
    c.add('B-1', '乙', 'B');
    c.add('C-1', '丙', 'C');
    c.requires('A-1', ['乙']);
    c.requires('B-1', ['丙']);
    recheckItems(checkDeps(c.db), null, buildCheckContext(checkDeps(c.db), { scope: 'catalogue' }));
    expect(c.flags()).toEqual({});
    c.requires('C-1', ['甲']);
    const result = recheckItems(checkDeps(c.db), [c.id('C-1')], buildCheckContext(checkDeps(c.db), { scope: 'items' }));
    expect(Object.keys(c.flags())).toEqual(['A-1', 'B-1', 'C-1']);
    expect(result.changed.map((ch) => ch.code).sort()).toEqual(['A-1', 'B-1', 'C-1']);
    c.requires('C-1', []);
    recheckItems(checkDeps(c.db), [c.id('C-1')], buildCheckContext(checkDeps(c.db), { scope: 'items' }));
    expect(c.flags()).toEqual({});
  });

  it("an admin's direct edit of the 前置事项 flags the whole loop at once", () => {
    const c = catalogue();
    c.add('A-1', '甲', 'A');
    c.add('B-1', '乙', 'B');
    c.requires('A-1', ['乙']);
    const row = c.db.$client.prepare("SELECT * FROM items WHERE code = 'B-1'").get() as ItemRow;
    const change = updateItem(c.db, SYSTEM_ACTOR, { role: 'admin', departmentId: null }, 'B-1', { ...readFields(row), rowVersion: row.row_version, prerequisites: '甲' });
    expect(change.changed).toEqual(['prerequisites']);
    expect(Object.keys(c.flags())).toEqual(['A-1', 'B-1']);
    const audit = c.db.$client.prepare("SELECT before, after FROM audit_log WHERE action = 'item.update'").get() as { before: string; after: string };
    expect(JSON.parse(audit.before)).toEqual({ prerequisites: [] });
    expect(JSON.parse(audit.after)).toEqual({ prerequisites: ['甲'] });
  });

  it('a cut edge breaks a loop: every item on it is cleared, in the same transaction, audited; restoring brings it back', () => {
    const c = twoLoops();
    syncCycleFlags(c.db);
    const edge = c.edgeId('C-1', 'A-1');
    expect(() => cutPrerequisite(c.db, SYSTEM_ACTOR, edge, { reason: '  ' })).toThrow('请填写断开该前置关系的理由');
    const result = cutPrerequisite(c.db, SYSTEM_ACTOR, edge, { reason: '以甲为审批起点' });
    expect(Object.keys(c.flags())).toEqual(['A-2', 'B-2']);
    expect(result.changed.map((ch) => ch.code).sort()).toEqual(['A-1', 'B-1', 'C-1']);
    expect(analysePrerequisites(c.db).groups).toHaveLength(1);
    const audit = c.db.$client.prepare("SELECT entity_id, after FROM audit_log WHERE action = 'prerequisite.cut'").get() as { entity_id: string; after: string };
    expect(audit.entity_id).toBe('C-1');
    expect(JSON.parse(audit.after)).toMatchObject({ prerequisite: 'A-1', cut: true, reason: '以甲为审批起点' });
    expect(() => cutPrerequisite(c.db, SYSTEM_ACTOR, edge, { reason: 'again' })).toThrow('已经断开');
    const report = prerequisiteReport(c.db, { role: 'legal_office', departmentId: null });
    expect(report.cutEdges.map((e) => [e.from.code, e.to.code, e.cutReason])).toEqual([['C-1', 'A-1', '以甲为审批起点']]);
    restorePrerequisite(c.db, SYSTEM_ACTOR, edge);
    expect(Object.keys(c.flags())).toEqual(['A-1', 'A-2', 'B-1', 'B-2', 'C-1']);
    expect(c.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'prerequisite.restore'").pluck().get()).toBe(1);
  });

  it('cutting inside overlapping loops leaves the loop that remains flagged, as a fresh analysis would', () => {
    const c = overlappingLoops();
    syncCycleFlags(c.db);
    cutPrerequisite(c.db, SYSTEM_ACTOR, c.edgeId('A-1', 'B-1'), { reason: '甲为起点' });
    const flags = c.flags();
    expect(Object.keys(flags)).toEqual(['B-1', 'C-1', 'C-2']);
    expect(flags['B-1']).toContain('乙（部门B）→ 丙（部门C）→ 丁（部门C）→ 乙');
    expect(flags['B-1']).not.toContain('同一循环组');
    expect(syncCycleFlags(c.db).changed).toEqual([]);
  });

  it('only an edge on a loop can be cut', () => {
    const c = twoLoops();
    expect(() => cutPrerequisite(c.db, SYSTEM_ACTOR, c.edgeId('C-2', 'A-1'), { reason: '无' })).toThrow('不在循环中');
    expect(() => cutPrerequisite(c.db, SYSTEM_ACTOR, 99999, { reason: '无' })).toThrow('找不到该前置关系');
  });

  it('a cut stays when the item is saved again with the same prerequisite', () => {
    const c = twoLoops();
    cutPrerequisite(c.db, SYSTEM_ACTOR, c.edgeId('C-1', 'A-1'), { reason: '起点' });
    c.requires('C-1', ['甲', '己']);
    expect(c.db.$client.prepare('SELECT written_as, cut, cut_reason FROM item_prerequisites WHERE item_id = ? ORDER BY id').all(c.id('C-1'))).toEqual([
      { written_as: '甲', cut: 1, cut_reason: '起点' },
      { written_as: '己', cut: 0, cut_reason: null },
    ]);
  });
});

describe('resolving written prerequisites', () => {
  it('by code, by exact name, by normalised name; a namesake in the own department wins; unknown and ambiguous names are reported', () => {
    const c = catalogue();
    const target = c.add('B-1', '建设工程规划许可', 'B');
    const own = c.add('A-9', '施工许可', 'A');
    c.add('B-9', '施工许可', 'B');
    c.add('C-8', '排污许可', 'B');
    c.add('C-9', '排污许可', 'C');
    c.add('A-1', '开工审批', 'A');
    c.requires('A-1', ['B-1', '建设工程规划许可（区级）', '施工许可', '排污许可', '不存在的事项']);
    const rows = c.db.$client.prepare('SELECT written_as, prerequisite_item_id AS target FROM item_prerequisites ORDER BY id').all();
    expect(rows).toEqual([
      { written_as: 'B-1', target },
      { written_as: '建设工程规划许可（区级）', target },
      { written_as: '施工许可', target: own },
      { written_as: '排污许可', target: null },
      { written_as: '不存在的事项', target: null },
    ]);
    const report = prerequisiteReport(c.db, { role: 'legal_office', departmentId: null });
    expect(report.unresolved.map((u) => [u.item.code, u.writtenAs, u.problem])).toEqual([
      ['A-1', '排污许可', 'ambiguous'],
      ['A-1', '不存在的事项', 'unknown'],
    ]);
    expect(report.unresolved[0]!.problemText).toContain('多个同名事项');
    expect(report.unresolvedTotal).toBe(2);
    // A department sees what touches its own items only.
    expect(prerequisiteReport(c.db, { role: 'department', departmentId: c.dept.B! }).unresolved).toEqual([]);
  });

  it('an item added later resolves the names written for it (import and review), and `catalogue check` re-resolves the rest', () => {
    const c = catalogue();
    c.add('A-1', '甲', 'A');
    c.requires('A-1', ['乙', '丙']);
    const writer = proposalWriter(c.db, SYSTEM_ACTOR, {});
    const proposal = (name: string, prerequisites: string[]): Proposal =>
      ({ code: null, fields: { ...readFields({ name, category: 'permit', service_objects: '[]' } as unknown as ItemRow) }, mainItemName: null, citations: [], prerequisites, disposition: null }) as Proposal;
    const created = writer.create(c.dept.B!, proposal('乙', ['甲']));
    const target = (written: string) => c.db.$client.prepare('SELECT prerequisite_item_id FROM item_prerequisites WHERE written_as = ?').pluck().get(written);
    expect(target('乙')).toBe(created.id);
    expect(target('甲')).toBe(c.id('A-1'));
    expect(analysePrerequisites(c.db).groups).toHaveLength(1);
    // 丙 comes in without the writer (another path): resolved by the re-match.
    c.add('C-1', '丙', 'C');
    expect(target('丙')).toBeNull();
    expect(resolvePrerequisites(c.db)).toEqual({ resolved: 1, unresolved: 0 });
    expect(target('丙')).toBe(c.id('C-1'));
  });

  it('a proposal from a sheet without prerequisites leaves them; one that lists them replaces them, audited', () => {
    const c = catalogue();
    c.add('A-1', '甲', 'A');
    c.add('B-1', '乙', 'B');
    c.requires('A-1', ['乙']);
    const writer = proposalWriter(c.db, SYSTEM_ACTOR, { importId: 1 });
    const row = c.db.$client.prepare("SELECT * FROM items WHERE code = 'A-1'").get() as ItemRow;
    const base = { code: 'A-1', fields: readFields(row), mainItemName: null, citations: [], disposition: null, present: ['name' as const] };
    c.db.$client.transaction(() => expect(writer.update(row.id, { ...base, prerequisites: [] })).toBe(false))();
    expect(c.db.$client.prepare('SELECT count(*) FROM item_prerequisites').pluck().get()).toBe(1);
    c.db.$client.transaction(() => expect(writer.update(row.id, { ...base, prerequisites: ['B-1', '不存在'] })).toBe(true))();
    expect(c.db.$client.prepare('SELECT written_as FROM item_prerequisites ORDER BY id').pluck().all()).toEqual(['B-1', '不存在']);
    const audit = c.db.$client.prepare("SELECT after FROM audit_log WHERE action = 'item.update'").pluck().get() as string;
    expect(JSON.parse(audit)).toMatchObject({ prerequisites: ['B-1', '不存在'], importId: 1 });
  });
});

describe('a department closes a loop through review', () => {
  it("the finalised proposal stores its 前置事项 and flags every item on the loop, also the other department's", () => {
    const db = demoDb();
    const review = createReviewRepository(db);
    const user = (username: string) => db.$client.prepare('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?').get(username) as Reviewer;
    const [legal, dept, expert] = ['legal', 'dept-xzsp', 'expert'].map(user) as [Reviewer, Reviewer, Reviewer];
    createCampaign(review, legal, { name: '前置循环清理', startsOn: '2026-11-01', dueOn: '2026-12-31' });
    const first = (d: string) => db.$client.prepare("SELECT i.* FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = ? AND i.removed_at IS NULL ORDER BY i.id LIMIT 1").get(d) as ItemRow;
    const own = first('XZSPJ');
    const other = first('RSJ');
    // The other department's item already requires ours.
    updateItem(db, SYSTEM_ACTOR, { role: 'admin', departmentId: null }, other.code, { ...readFields(other), rowVersion: other.row_version, prerequisites: own.code });
    const flagged = () => db.$client.prepare("SELECT i.code FROM item_flags f JOIN items i ON i.id = f.item_id WHERE f.rule = 'PREREQUISITE_CYCLE' ORDER BY i.code").pluck().all();
    expect(flagged()).toEqual([]);
    // Ours proposes to require theirs: nothing changes until the legal office finalises.
    const edit = saveItemEdit(review, { id: dept.id!, name: dept.username }, dept, own.code, { ...readFields(own), rowVersion: own.row_version, prerequisites: other.name });
    expect(edit.changed).toEqual(['prerequisites']);
    expect(db.$client.prepare('SELECT count(*) FROM item_prerequisites WHERE item_id = ?').pluck().get(own.id)).toBe(0);
    const version = db.$client.prepare('SELECT row_version FROM submissions WHERE id = ?').pluck().get(edit.draft!.submissionId);
    submitDraft(review, dept, edit.draft!.submissionId, { rowVersion: version });
    const row = () => db.$client.prepare('SELECT id, row_version AS rowVersion FROM submission_items WHERE submission_id = ?').get(edit.draft!.submissionId) as { id: number; rowVersion: number };
    decideItems(review, legal, [row()], { disposition: 'retain', reason: '同意调整前置事项' });
    assignExperts(review, legal, [row()], [expert.id!]);
    closeExpertReview(review, legal, row().id, { reason: '法制办定稿', rowVersion: row().rowVersion });
    finaliseItems(review, legal, [row()], { setAsideReason: '测试：互为前置待另行处理' });
    expect(db.$client.prepare('SELECT written_as, prerequisite_item_id FROM item_prerequisites WHERE item_id = ?').all(own.id)).toEqual([{ written_as: other.name, prerequisite_item_id: other.id }]);
    expect(flagged()).toEqual([own.code, other.code].sort());
  });
});
