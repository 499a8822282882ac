// The dashboard's figures on a small hand-made catalogue: two versions and the working catalogue after
// them, every expected figure worked out by hand from the items below (never copied from output).
//
//   code dept category        instant statutory promised   v1   v2   working
//   a1   AAA  permit          no      20        10         ✓    ✓    ✓
//   a2   AAA  permit          no      20        20 → 15    ✓    ✓15  ✓15
//   a3   AAA  permit          yes     —         0          ✓    ✓    ✓
//   a4   AAA  penalty         no      —         —          ✓    cancelled
//   a5   AAA  permit          no      30        12              new  ✓
//   b1   BBB  confirmation    no      10        —          ✓    ✓    ✓ promised 5
//   b2   BBB  public_service  no      —         5          ✓    ✓    delegated
//   b3   BBB  public_service  yes     —         —          ✓    ✓    ✓
//   b4   BBB  public_service  yes     —         —               new  ✓
//   CCC has no items.
import { describe, it, expect, beforeAll } from 'vitest';
import { emptyDb } from '../../support/db.js';
import type { Services } from '../../../server/services.js';
import { testServices } from '../../support/services.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { publishVersion } from '../../../server/publication/publish.js';
import { computeStats, figureTables, statsFor, TARGETS, type Stats } from '../../../server/analysis/stats.js';

let services: Services;
let v1: Stats;
let v2: Stats;
let working: Stats;

const pause = () => {
  const until = Date.now() + 3;
  while (Date.now() < until);
};
const now = () => new Date().toISOString();

function build(): Services {
  const built = testServices(emptyDb());
  const sqlite = built.db.$client;
  for (const [code, name] of [['AAA', '甲局'], ['BBB', '乙局'], ['CCC', '丙局']]) sqlite.prepare('INSERT INTO departments (code, name) VALUES (?, ?)').run(code, name);
  const dept = (code: string) => sqlite.prepare('SELECT id FROM departments WHERE code = ?').pluck().get(code) as number;
  const add = (code: string, d: string, category: string, instant: boolean, statutory: number | null, promised: number | null) =>
    sqlite
      .prepare('INSERT INTO items (code, name, category, department_id, instant, statutory_limit_days, promised_limit_days) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(code, `事项${code}`, category, dept(d), instant ? 1 : 0, statutory, promised);
  const touch = (sql: string, code: string) => sqlite.prepare(`UPDATE items SET ${sql}, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE code = ?`).run(code);
  const decide = (d: string, code: string, disposition: string) => {
    const submission = sqlite.prepare("INSERT INTO submissions (department_id, source, state, created_by) VALUES (?, 'form', 'final', 'test')").run(dept(d)).lastInsertRowid;
    const item = sqlite.prepare('SELECT id FROM items WHERE code = ?').pluck().get(code) as number;
    sqlite
      .prepare("INSERT INTO submission_items (submission_id, item_id, kind, name, state, disposition, finalised_at) VALUES (?, ?, 'change', ?, 'final', ?, ?)")
      .run(submission, item, code, disposition, now());
  };

  add('a1', 'AAA', 'permit', false, 20, 10);
  add('a2', 'AAA', 'permit', false, 20, 20);
  add('a3', 'AAA', 'permit', true, null, 0);
  add('a4', 'AAA', 'penalty', false, null, null);
  add('b1', 'BBB', 'confirmation', false, 10, null);
  add('b2', 'BBB', 'public_service', false, null, 5);
  add('b3', 'BBB', 'public_service', true, null, null);
  publishVersion(built, SYSTEM_ACTOR, { title: '第一版', effectiveOn: '2026-01-01' });
  pause();

  touch("removed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')", 'a4');
  decide('AAA', 'a4', 'cancel');
  touch('promised_limit_days = 15', 'a2');
  decide('AAA', 'a2', 'retain');
  decide('AAA', 'a2', 'retain'); // decided twice: counted once, as it stands
  add('a5', 'AAA', 'permit', false, 30, 12);
  decide('AAA', 'a5', 'new');
  add('b4', 'BBB', 'public_service', true, null, null);
  decide('BBB', 'b4', 'new');
  pause();
  publishVersion(built, SYSTEM_ACTOR, { title: '第二版', effectiveOn: '2026-07-01' });
  pause();

  touch('promised_limit_days = 5', 'b1');
  touch("removed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')", 'b2');
  decide('BBB', 'b2', 'delegate');
  const flag = (code: string, rule: string) =>
    sqlite
      .prepare("INSERT INTO item_flags (item_id, rule, severity, message, suggestion, suggestion_text, ground, checked_at) VALUES ((SELECT id FROM items WHERE code = ?), ?, 'error', 'm', 's', 's', 'g', 'now')")
      .run(code, rule);
  flag('a1', 'NO_BASIS');
  flag('a1', 'FEE_WITHOUT_BASIS');
  flag('b1', 'NO_BASIS');
  flag('b2', 'NO_BASIS'); // on an item no longer in the catalogue: not open
  return built;
}

beforeAll(() => {
  services = build();
  v1 = statsFor(services, { version: 1, department: null, includeFlags: true });
  v2 = statsFor(services, { version: 2, department: null, includeFlags: true });
  working = statsFor(services, { version: null, department: null, includeFlags: true });
});

const dept = (s: Stats, code: string) => s.byDepartment.find((d) => d.code === code)!;

describe('dashboard figures of a published version', () => {
  it('counts the version’s items by category, overall and per department', () => {
    expect(v1.items).toBe(7);
    expect(v1.byCategory).toEqual({ permit: 3, confirmation: 1, penalty: 1, public_service: 2 });
    expect(v2.items).toBe(8);
    expect(dept(v2, 'AAA').byCategory).toEqual({ permit: 4 });
    expect(dept(v2, 'BBB').byCategory).toEqual({ confirmation: 1, public_service: 3 });
  });

  it('lists only departments with items in the version or the one before it', () => {
    expect(v2.byDepartment.map((d) => d.code)).toEqual(['AAA', 'BBB']);
    expect(v2.departments).toBe(2);
  });

  it('counts the dispositions decided between the previous version and this one, each item once', () => {
    expect(v1.byDisposition).toEqual({});
    expect(v2.byDisposition).toEqual({ retain: 1, cancel: 1, new: 2 });
    expect(dept(v2, 'AAA').byDisposition).toEqual({ retain: 1, cancel: 1, new: 1 });
    expect(dept(v2, 'BBB').byDisposition).toEqual({ new: 1 });
  });

  it('has no reduction rate for the first version and compares later ones with the version before', () => {
    expect(v1.reduction).toEqual({ previous: null, current: 7, rate: null });
    // 7 → 8 items: (7 − 8) / 7 = −0.142857…
    expect(v2.reduction.previous).toBe(7);
    expect(v2.reduction.rate).toBeCloseTo(-1 / 7, 4);
    expect(dept(v2, 'AAA').reduction).toEqual({ previous: 4, current: 4, rate: 0 });
    expect(dept(v2, 'BBB').reduction.rate).toBeCloseTo(-1 / 3, 4);
  });

  it('shares instant items among handled ones (instant or with a limit), against the first version', () => {
    // v1: handled a1 a2 a3 b1 b2 b3 (a4 has no limit), instant a3 b3 → 2/6.
    expect(v1.instant).toMatchObject({ handled: 6, instant: 2 });
    expect(v1.instant.share).toBeCloseTo(1 / 3, 4);
    expect(v1.instant.gain).toBe(0);
    // v2: handled a1 a2 a3 a5 b1 b2 b3 b4 = 8, instant a3 b3 b4 = 3 → 0.375; gain 0.375 − 1/3.
    expect(v2.instant).toMatchObject({ handled: 8, instant: 3, share: 0.375 });
    expect(v2.instant.baselineShare).toBeCloseTo(1 / 3, 4);
    expect(v2.instant.gain).toBeCloseTo(0.375 - 1 / 3, 4);
    expect(v2.instant.targetShare).toBeCloseTo(1 / 3 + 0.15, 4);
  });

  it('compares promised with statutory limits over the time-limited items, a missing promise counting as the statutory limit', () => {
    // v1 time-limited: a1 20/10, a2 20/20, b1 10/(10) → statutory 50, promised 40.
    expect(v1.timeLimits).toMatchObject({ timeLimited: 3, shortened: 1, noStatutory: 1 });
    expect(v1.timeLimits.avgStatutory).toBeCloseTo(50 / 3, 2);
    expect(v1.timeLimits.avgPromised).toBeCloseTo(40 / 3, 2);
    expect(v1.timeLimits.cut).toBeCloseTo(0.2, 4);
    expect(v1.timeLimits.shortenedShare).toBeCloseTo(1 / 3, 4);
    // v2: a1 20/10, a2 20/15, a5 30/12, b1 10/(10) → statutory 80, promised 47; shortened a1 a2 a5.
    expect(v2.timeLimits).toMatchObject({ timeLimited: 4, avgStatutory: 20, avgPromised: 11.75, shortened: 3, shortenedShare: 0.75 });
    expect(v2.timeLimits.cut).toBeCloseTo(1 - 47 / 80, 4);
  });

  it('judges the seeds’ targets exactly: a third shortened is met, a 20 % cut is not', () => {
    expect(v1.targets.shortened).toMatchObject({ target: TARGETS.shortenedShare, met: true });
    expect(v1.targets.timeCut).toMatchObject({ target: 0.3, actual: 0.2, gap: 0.1, met: false });
    expect(v1.targets.instantGain).toMatchObject({ target: 0.15, actual: 0, gap: 0.15, met: false });
    expect(v2.targets.timeCut.met).toBe(true);
  });

  it('carries no check findings: they belong to the working catalogue', () => {
    expect(v2.flags).toBeNull();
    expect(dept(v2, 'AAA').flags).toBeNull();
  });
});

describe('dashboard figures of the working catalogue', () => {
  it('lists every department, even one without items', () => {
    expect(working.byDepartment.map((d) => d.code)).toEqual(['AAA', 'BBB', 'CCC']);
    expect(dept(working, 'CCC')).toMatchObject({ itemCount: 0, byCategory: {}, reduction: { previous: 0, current: 0, rate: null } });
  });

  it('compares with the latest version and the first one as baseline', () => {
    expect(working.scope).toMatchObject({ kind: 'working', previousVersion: 2, baselineVersion: 1 });
    // 8 → 7 items; BBB 4 → 3.
    expect(working.reduction).toEqual({ previous: 8, current: 7, rate: 0.125 });
    expect(dept(working, 'BBB').reduction).toEqual({ previous: 4, current: 3, rate: 0.25 });
  });

  it('counts only the decisions since the latest version', () => {
    expect(working.byDisposition).toEqual({ delegate: 1 });
  });

  it('measures the instant share’s gain per department against that department in the first version', () => {
    // Overall: handled a1 a2 a3 a5 b1 b3 b4 = 7, instant 3 → 3/7; baseline 2/6.
    expect(working.instant.share).toBeCloseTo(3 / 7, 4);
    expect(working.instant.gain).toBeCloseTo(3 / 7 - 1 / 3, 4);
    expect(working.targets.instantGain.met).toBe(false);
    // BBB: 2 of b1 b3 b4 now, 1 of b1 b2 b3 then → +1/3: met. AAA: 1/4 now, 1/3 then: not met.
    expect(dept(working, 'BBB').instant.gain).toBeCloseTo(1 / 3, 4);
    expect(dept(working, 'BBB').targets.instantGain.met).toBe(true);
    expect(dept(working, 'AAA').instant.gain).toBeCloseTo(1 / 4 - 1 / 3, 4);
    expect(dept(working, 'AAA').targets.instantGain.met).toBe(false);
  });

  it('counts open findings by rule on items still in the catalogue', () => {
    expect(working.flags).toEqual({ total: 3, byRule: { NO_BASIS: 2, FEE_WITHOUT_BASIS: 1 } });
    expect(dept(working, 'BBB').flags).toEqual({ total: 1, byRule: { NO_BASIS: 1 } });
    expect(dept(working, 'CCC').flags).toEqual({ total: 0, byRule: {} });
  });

  it('leaves findings out for a role that may not see them', () => {
    expect(statsFor(services, { version: null, department: null, includeFlags: false }).flags).toBeNull();
  });

  it('compares with a version published after an earlier dashboard was shown (what is kept of versions never goes stale)', () => {
    const fresh = testServices(emptyDb());
    fresh.db.$client.prepare("INSERT INTO departments (code, name) VALUES ('AAA', '甲局')").run();
    const add = (code: string) => fresh.db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES (?, ?, 'permit', 1)").run(code, code);
    for (const code of ['x1', 'x2', 'x3', 'x4']) add(code);
    publishVersion(fresh, SYSTEM_ACTOR, { title: '一', effectiveOn: '2026-01-01' });
    pause();
    fresh.db.$client.prepare("UPDATE items SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE code = 'x4'").run();
    // 4 → 3 against version 1.
    expect(statsFor(fresh, { version: null, department: null, includeFlags: false }).reduction).toEqual({ previous: 4, current: 3, rate: 0.25 });
    publishVersion(fresh, SYSTEM_ACTOR, { title: '二', effectiveOn: '2026-02-01' });
    pause();
    fresh.db.$client.prepare("UPDATE items SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE code = 'x3'").run();
    // 3 → 2 against version 2, and version 2 itself 4 → 3 against version 1.
    expect(statsFor(fresh, { version: null, department: null, includeFlags: false }).reduction).toEqual({ previous: 3, current: 2, rate: 0.3333 });
    expect(statsFor(fresh, { version: 2, department: null, includeFlags: false }).reduction).toEqual({ previous: 4, current: 3, rate: 0.25 });
  });

  it('takes its own figures as the baseline before anything is published', () => {
    const fresh = testServices(emptyDb());
    fresh.db.$client.prepare("INSERT INTO departments (code, name) VALUES ('AAA', '甲局')").run();
    fresh.db.$client.prepare("INSERT INTO items (code, name, category, department_id, instant) VALUES ('x', 'x', 'permit', 1, 1)").run();
    const s = statsFor(fresh, { version: null, department: null, includeFlags: true });
    expect(s.scope).toMatchObject({ previousVersion: null, baselineVersion: null });
    expect(s.instant).toMatchObject({ share: 1, baselineShare: 1, gain: 0 });
    expect(s.reduction.rate).toBeNull();
  });
});

describe('one department, and bad requests', () => {
  it('limits every figure to the department chosen', () => {
    const a = statsFor(services, { version: 2, department: 'aaa', includeFlags: true });
    expect(a.scope.department).toEqual({ code: 'AAA', name: '甲局' });
    expect(a.items).toBe(4);
    expect(a.byDepartment.map((d) => d.code)).toEqual(['AAA']);
    expect(a.byDisposition).toEqual({ retain: 1, cancel: 1, new: 1 });
    // AAA v2: a1 20/10, a2 20/15, a5 30/12 → 70 / 37.
    expect(a.timeLimits.cut).toBeCloseTo(1 - 37 / 70, 4);
  });

  it('refuses an unknown version or department with a Chinese message', () => {
    expect(() => statsFor(services, { version: 9, department: null, includeFlags: false })).toThrow('没有第 9 版目录');
    expect(() => statsFor(services, { version: null, department: 'ZZZ', includeFlags: false })).toThrow('没有编码为 ZZZ 的部门');
  });
});

describe('the figures as tables', () => {
  it('a target exceeded is 0 short of it and says by how much it is exceeded (已超出目标), never a negative 差距', () => {
    const exceeded: Stats = { ...v2, targets: { ...v2.targets, timeCut: { ...v2.targets.timeCut, actual: 0.5, gap: -0.2, met: true } } };
    const targets = figureTables(exceeded).find((t) => t.id === 'targets')!;
    expect(targets.columns.map((c) => c.header)).toEqual(['目标值', '实际值', '距目标尚差', '已超出目标', '是否达标']);
    expect(targets.rows.find((r) => r.key === 'timeCut')!.values).toEqual([v2.targets.timeCut.target, 0.5, 0, 0.2, 1]);
  });

  it('a target not reached is exceeded by 0 and short by the difference', () => {
    const short: Stats = { ...v2, targets: { ...v2.targets, timeCut: { ...v2.targets.timeCut, actual: 0.2, gap: 0.1, met: false } } };
    const targets = figureTables(short).find((t) => t.id === 'targets')!;
    expect(targets.rows.find((r) => r.key === 'timeCut')!.values).toEqual([v2.targets.timeCut.target, 0.2, 0.1, 0, 0]);
  });

  it('gives each department-wise table a 合计 row first, then the departments, with the figures as they are', () => {
    const tables = figureTables(v2);
    const reduction = tables.find((t) => t.id === 'reduction')!;
    expect(reduction.rows.map((r) => r.label)).toEqual(['合计', '甲局', '乙局']);
    expect(reduction.rows[0]!.values).toEqual([7, 8, v2.reduction.rate]);
    const category = tables.find((t) => t.id === 'category')!;
    expect(category.rows.map((r) => [r.label, r.values[0]])).toEqual([['行政许可', 3 + 1], ['行政处罚', 0], ['行政确认', 1], ['公共服务', 3]].filter(([, n]) => n));
    expect(tables.find((t) => t.id === 'timeCut')!.chart!.target!.value).toBe(0.3);
    expect(tables.some((t) => t.id === 'flags')).toBe(false);
    expect(figureTables(working).find((t) => t.id === 'flags')!.rows.map((r) => r.values[0])).toEqual([2, 1]);
  });

  it('is pure: the same tallies give the same figures', () => {
    const input = {
      scope: { ...v1.scope },
      names: new Map([['AAA', '甲局']]),
      alwaysList: [],
      rows: [{ department: 'AAA', category: 'permit', current: { items: 2, instant: 1, handled: 2, timeLimited: 1, statutorySum: 20, promisedSum: 14, shortened: 1, noStatutory: 0 }, previousItems: 0, baseline: null }],
      baselineIsCurrent: true,
      decisions: [],
      flags: null,
    };
    const s = computeStats(input);
    expect(s).toEqual(computeStats(input));
    // 14 ≤ 0.7 × 20: exactly the 30 % cut, met.
    expect(s.targets.timeCut).toMatchObject({ actual: 0.3, met: true });
  });
});
