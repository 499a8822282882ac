// The dashboard's figures for the working catalogue or a published version, overall and by department:
// items by category and by disposition, the reduction rate against the previous version, the
// instant-handling share, promised against statutory time limits, open check findings, and progress
// toward the seeds' targets. `computeStats` is pure (tallies in, figures out); `statsFor` loads the
// tallies with the queries in db/queries/stats.ts. `figureTables` lays the figures out as the tables
// the page, its charts and the xlsx download show.
import type { Db } from '../../db/client.js';
import { EMPTY_TALLY, decisionCounts, departmentNames, openFlagCounts, versionTallies, workingTallies, type Tally, type TallyRow } from '../../db/queries/stats.js';
import { getVersion, listVersions } from '../publication/reader.js';
import { ruleCatalogue } from '../checks/engine.js';
import { CATEGORIES, CATEGORY_CODES, DISPOSITIONS, DISPOSITION_CODES, label } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { formatValue, type BarChart, type ValueKind } from './charts.js';

/**
 * The seeds' numbers. Seed 002 (开发区提升行政效能优化投资环境工作实施方案, 三(二)4, written in traditional
 * characters): "即时办理业务的比例要在原有基础上再增加15%，限时办理业务中要有三分之一的事项再缩短办结时限，
 * 使整体审批时限再压缩30%以上。" Seed 001 (天心区, 二): "以全区行政审批整体提速30%为总目标". Seed 000 (双桥区,
 * 二(四)1) asks for the instant share to rise ("提高即时办结率……大力推行即来即办、当场办结") and seed 004
 * (泸州市, 一(四)2) for on-site completion ("现场办结率达到95%以上"), which the catalogue cannot measure.
 */
export const TARGETS = {
  /** The time-limited items' promised limits at least 30% below their statutory ones, overall. */
  timeCut: 0.3,
  /** At least a third of the time-limited items promise less than the statutory limit. */
  shortenedShare: 1 / 3,
  /** The instant-handling share 15 percentage points above the baseline's. */
  instantGain: 0.15,
} as const;

export const TARGET_QUOTE = '即时办理业务的比例要在原有基础上再增加15%，限时办理业务中要有三分之一的事项再缩短办结时限，使整体审批时限再压缩30%以上。';

export interface Target {
  target: number;
  actual: number | null;
  /** target − actual: what is still missing (negative when exceeded). */
  gap: number | null;
  met: boolean;
}

export interface Figures {
  byCategory: Record<string, number>;
  byDisposition: Record<string, number>;
  reduction: { previous: number | null; current: number; rate: number | null };
  instant: { handled: number; instant: number; share: number | null; baselineShare: number | null; targetShare: number | null; gain: number | null };
  timeLimits: {
    timeLimited: number;
    avgStatutory: number | null;
    avgPromised: number | null;
    cut: number | null;
    shortened: number;
    shortenedShare: number | null;
    noStatutory: number;
  };
  /** Open check findings by rule; null for a published version (findings belong to the working catalogue) or a role that may not see them. */
  flags: { total: number; byRule: Record<string, number> } | null;
  targets: { timeCut: Target; shortened: Target; instantGain: Target };
}

export interface DepartmentFigures extends Figures {
  code: string;
  name: string;
  itemCount: number;
}

export interface StatsScope {
  kind: 'working' | 'version';
  version: number | null;
  title: string;
  effectiveOn: string | null;
  /** The version the reduction rate compares with: the previous one, or for the working catalogue the latest. */
  previousVersion: number | null;
  /** The instant-share baseline: the first published version, or null for the working catalogue itself (nothing published). */
  baselineVersion: number | null;
  /** Decisions counted by disposition: finalised after `after` and up to `upTo` (ISO times; null = open). */
  decisions: { after: string | null; upTo: string | null };
  department: { code: string; name: string } | null;
}

export interface Stats extends Figures {
  scope: StatsScope;
  items: number;
  departments: number;
  byDepartment: DepartmentFigures[];
}

export interface StatsInput {
  scope: StatsScope;
  /** Code → name of every known department. */
  names: Map<string, string>;
  /** Departments listed even without items (the working catalogue lists every department). */
  alwaysList: string[];
  rows: { department: string; category: string; current: Tally | null; previousItems: number; baseline: Pick<Tally, 'items' | 'instant' | 'handled'> | null }[];
  /** The scope is its own baseline (the working catalogue before any version). */
  baselineIsCurrent: boolean;
  decisions: { department: string; disposition: string; count: number }[];
  flags: { department: string; rule: string; count: number }[] | null;
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
const r2 = (v: number) => Math.round(v * 100) / 100;
const ratio = (a: number, b: number): number | null => (b > 0 ? r4(a / b) : null);

interface Acc {
  tally: Tally;
  byCategory: Map<string, number>;
  previous: number;
  baseline: { items: number; instant: number; handled: number };
  byDisposition: Map<string, number>;
  flags: Map<string, number>;
}

const newAcc = (): Acc => ({ tally: { ...EMPTY_TALLY }, byCategory: new Map(), previous: 0, baseline: { items: 0, instant: 0, handled: 0 }, byDisposition: new Map(), flags: new Map() });

function addTally(into: Tally, t: Tally): void {
  for (const k of Object.keys(into) as (keyof Tally)[]) into[k] += t[k];
}

function merge(into: Acc, from: Acc): void {
  addTally(into.tally, from.tally);
  for (const [k, v] of from.byCategory) into.byCategory.set(k, (into.byCategory.get(k) ?? 0) + v);
  into.previous += from.previous;
  into.baseline.items += from.baseline.items;
  into.baseline.instant += from.baseline.instant;
  into.baseline.handled += from.baseline.handled;
  for (const [k, v] of from.byDisposition) into.byDisposition.set(k, (into.byDisposition.get(k) ?? 0) + v);
  for (const [k, v] of from.flags) into.flags.set(k, (into.flags.get(k) ?? 0) + v);
}

const RULE_ORDER = ruleCatalogue().map((r) => r.code as string);

/** Keys in vocabulary order (unknown ones after, alphabetically), zero counts left out. */
function ordered(map: Map<string, number>, order: readonly string[]): Record<string, number> {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries([...map].filter(([, v]) => v > 0).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)));
}

function target(value: number, actual: number | null, met: boolean): Target {
  return { target: value, actual, gap: actual === null ? null : r4(value - actual), met };
}

function figuresOf(a: Acc, hasPrevious: boolean, withFlags: boolean): Figures {
  const t = a.tally;
  const share = t.handled > 0 ? t.instant / t.handled : null;
  const baseShare = a.baseline.handled > 0 ? a.baseline.instant / a.baseline.handled : null;
  const gain = share !== null && baseShare !== null ? share - baseShare : null;
  const cut = t.statutorySum > 0 ? 1 - t.promisedSum / t.statutorySum : null;
  const flagsTotal = [...a.flags.values()].reduce((s, v) => s + v, 0);
  return {
    byCategory: ordered(a.byCategory, CATEGORY_CODES),
    byDisposition: ordered(a.byDisposition, DISPOSITION_CODES),
    reduction: {
      previous: hasPrevious ? a.previous : null,
      current: t.items,
      rate: hasPrevious && a.previous > 0 ? r4((a.previous - t.items) / a.previous) : null,
    },
    instant: {
      handled: t.handled,
      instant: t.instant,
      share: share === null ? null : r4(share),
      baselineShare: baseShare === null ? null : r4(baseShare),
      targetShare: baseShare === null ? null : r4(Math.min(1, baseShare + TARGETS.instantGain)),
      gain: gain === null ? null : r4(gain),
    },
    timeLimits: {
      timeLimited: t.timeLimited,
      avgStatutory: t.timeLimited > 0 ? r2(t.statutorySum / t.timeLimited) : null,
      avgPromised: t.timeLimited > 0 ? r2(t.promisedSum / t.timeLimited) : null,
      cut: cut === null ? null : r4(cut),
      shortened: t.shortened,
      shortenedShare: ratio(t.shortened, t.timeLimited),
      noStatutory: t.noStatutory,
    },
    flags: withFlags ? { total: flagsTotal, byRule: ordered(a.flags, RULE_ORDER) } : null,
    // Met is decided on exact integers, not on the rounded figures: promised ≤ 70 % of statutory;
    // 3 × shortened ≥ time-limited; instant/handled − base instant/base handled ≥ 15/100.
    targets: {
      timeCut: target(TARGETS.timeCut, cut === null ? null : r4(cut), t.statutorySum > 0 && 10 * t.promisedSum <= 7 * t.statutorySum),
      shortened: target(TARGETS.shortenedShare, ratio(t.shortened, t.timeLimited), t.timeLimited > 0 && 3 * t.shortened >= t.timeLimited),
      instantGain: target(
        TARGETS.instantGain,
        gain === null ? null : r4(gain),
        gain !== null && 100 * (t.instant * a.baseline.handled - a.baseline.instant * t.handled) >= 15 * t.handled * a.baseline.handled,
      ),
    },
  };
}

/** The figures from tallies: pure. */
export function computeStats(input: StatsInput): Stats {
  const byDept = new Map<string, Acc>();
  const acc = (code: string) => {
    let a = byDept.get(code);
    if (!a) byDept.set(code, (a = newAcc()));
    return a;
  };
  for (const code of input.alwaysList) acc(code);
  for (const r of input.rows) {
    const a = acc(r.department);
    if (r.current) {
      addTally(a.tally, r.current);
      a.byCategory.set(r.category, (a.byCategory.get(r.category) ?? 0) + r.current.items);
    }
    a.previous += r.previousItems;
    const base = input.baselineIsCurrent ? r.current : r.baseline;
    if (base) {
      a.baseline.items += base.items;
      a.baseline.instant += base.instant;
      a.baseline.handled += base.handled;
    }
  }
  for (const d of input.decisions) {
    const a = acc(d.department);
    a.byDisposition.set(d.disposition, (a.byDisposition.get(d.disposition) ?? 0) + d.count);
  }
  for (const f of input.flags ?? []) {
    const a = acc(f.department);
    a.flags.set(f.rule, (a.flags.get(f.rule) ?? 0) + f.count);
  }
  const selectedCode = input.scope.department?.code ?? null;
  // Listed: every department of the working catalogue; for a version, those with items in it or in the
  // one compared with, or with a decision. The overall figures cover all (the baseline share too).
  const selected = selectedCode
    ? [[selectedCode, acc(selectedCode)] as const]
    : [...byDept]
        .filter(([code, a]) => input.alwaysList.includes(code) || a.tally.items > 0 || a.previous > 0 || a.byDisposition.size > 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hasPrevious = input.scope.previousVersion !== null;
  const withFlags = input.flags !== null;
  const total = newAcc();
  for (const a of selectedCode ? [acc(selectedCode)] : byDept.values()) merge(total, a);
  return {
    scope: input.scope,
    items: total.tally.items,
    departments: selected.length,
    ...figuresOf(total, hasPrevious, withFlags),
    byDepartment: selected.map(([code, a]) => ({ code, name: input.names.get(code) ?? code, itemCount: a.tally.items, ...figuresOf(a, hasPrevious, withFlags) })),
  };
}

export interface StatsOptions {
  /** A published version's number, or null for the working catalogue. */
  version: number | null;
  /** Limit every figure to one department (by code). */
  department: string | null;
  /** Include the open check findings (working catalogue only; for roles that may see them). */
  includeFlags: boolean;
}

/**
 * What was read from published versions' revisions, kept per database by the app's services
 * (server/services.ts). A published version never changes (triggers refuse any update), so each
 * version's revisions are read once, and later dashboards cost no reading.
 */
export class PublishedTallies {
  readonly full = new Map<number, TallyRow[]>();
  readonly counts = new Map<number, TallyRow[]>();
}

/** What statsFor reads from: the database, and the tallies of published versions kept for it. */
export interface StatsDeps {
  db: Db;
  publishedTallies: PublishedTallies;
}

/** The tallies of the versions in `full` and the item counts of those in `counts`, reading the missing ones in one pass. */
function versionsRead({ db, publishedTallies }: StatsDeps, full: number[], counts: number[]) {
  const { full: fullKept, counts: countsKept } = publishedTallies;
  const missingFull = full.filter((v) => !fullKept.has(v));
  const missingCounts = counts.filter((v) => !fullKept.has(v) && !countsKept.has(v));
  if (missingFull.length + missingCounts.length > 0) {
    const read = versionTallies(db, { full: missingFull, counts: missingCounts });
    for (const [v, rows] of read) (missingFull.includes(v) ? fullKept : countsKept).set(v, rows);
  }
  return { full: (v: number) => fullKept.get(v)!, counts: (v: number) => fullKept.get(v) ?? countsKept.get(v)! };
}

/** Rows of the catalogue shown, of the version compared with, and of the baseline, as computeStats takes them. */
const inputRows = (current: TallyRow[], previous: TallyRow[], baseline: TallyRow[]): StatsInput['rows'] => [
  ...current.map((r) => ({ department: r.department, category: r.category, current: r.tally, previousItems: 0, baseline: null })),
  ...previous.map((r) => ({ department: r.department, category: r.category, current: null, previousItems: r.tally.items, baseline: null })),
  ...baseline.map((r) => ({ department: r.department, category: r.category, current: null, previousItems: 0, baseline: r.tally })),
];

/** The figures of the working catalogue or a published version, loaded from the database. */
export function statsFor(deps: StatsDeps, options: StatsOptions): Stats {
  const { db } = deps;
  const versions = listVersions(db); // newest first
  const first = versions.length ? versions[versions.length - 1]! : null;
  const names = new Map(departmentNames(db).map((d) => [d.code, d.name]));
  const departmentCode = options.department?.trim().toUpperCase() || null;
  if (departmentCode !== null && !names.has(departmentCode)) throw errors.missing(`没有编码为 ${departmentCode} 的部门。`);
  const department = departmentCode ? { code: departmentCode, name: names.get(departmentCode)! } : null;

  if (options.version === null) {
    const latest = versions[0] ?? null;
    const read = versionsRead(deps, first ? [first.number] : [], latest ? [latest.number] : []);
    return computeStats({
      scope: {
        kind: 'working',
        version: null,
        title: '工作目录',
        effectiveOn: null,
        previousVersion: latest?.number ?? null,
        baselineVersion: first?.number ?? null,
        decisions: { after: latest?.publishedAt ?? null, upTo: null },
        department,
      },
      names,
      alwaysList: [...names.keys()],
      rows: inputRows(workingTallies(db), latest ? read.counts(latest.number) : [], first ? read.full(first.number) : []),
      baselineIsCurrent: first === null,
      decisions: decisionCounts(db, { after: latest?.publishedAt ?? null, upTo: null }),
      flags: options.includeFlags ? openFlagCounts(db) : null,
    });
  }

  const version = getVersion(db, options.version);
  if (!version) throw errors.missing(`没有第 ${options.version} 版目录。`);
  const previous = getVersion(db, version.number - 1);
  const read = versionsRead(deps, [version.number, first!.number], previous ? [previous.number] : []);
  return computeStats({
    scope: {
      kind: 'version',
      version: version.number,
      title: version.title,
      effectiveOn: version.effectiveOn,
      previousVersion: previous?.number ?? null,
      baselineVersion: first!.number,
      decisions: { after: previous?.publishedAt ?? null, upTo: version.publishedAt },
      department,
    },
    names,
    alwaysList: [],
    rows: inputRows(read.full(version.number), previous ? read.counts(previous.number) : [], read.full(first!.number)),
    baselineIsCurrent: false,
    decisions: decisionCounts(db, { after: previous?.publishedAt ?? null, upTo: version.publishedAt }),
    flags: null,
  });
}

export interface FigureTable {
  id: string;
  title: string;
  /** What the figures count, in a sentence (definitions, what is compared with what). */
  note: string;
  /** The header of the label column (事项类型, 部门, 规则, 指标). */
  labelHeader: string;
  columns: { header: string; kind: ValueKind }[];
  /** `kinds` overrides the columns' kinds for one row (a target in percentage points among percentages). */
  rows: { key: string; label: string; values: (number | null)[]; kinds?: ValueKind[] }[];
  /** The chart drawn from this table: which columns are its series, and the target line. */
  chart: { series: number[]; valueAxis: string; kind: ValueKind; target: { value: number; label: string } | null } | null;
}

const RULE_TITLES = new Map(ruleCatalogue().map((r) => [r.code as string, r.title]));

/** The figures as the tables the page shows beside its charts (and the xlsx holds, one sheet each). */
export function figureTables(stats: Stats): FigureTable[] {
  // Overall first (unless one department is selected), then each department.
  const units: { key: string; label: string; f: Figures }[] = [
    ...(stats.scope.department ? [] : [{ key: '', label: '合计', f: stats as Figures }]),
    ...stats.byDepartment.map((d) => ({ key: d.code, label: d.name, f: d as Figures })),
  ];
  const perUnit = (pick: (f: Figures) => (number | null)[]) => units.map((u) => ({ key: u.key, label: u.label, values: pick(u.f) }));
  const t = stats.targets;
  const scope = stats.scope;
  const baseline = scope.baselineVersion !== null ? `第 ${scope.baselineVersion} 版（首个发布版本）` : '工作目录本身（尚未发布任何版本）';
  const decisions =
    scope.kind === 'working'
      ? scope.decisions.after
        ? `第 ${scope.previousVersion} 版发布以来定稿的审核决定`
        : '已定稿的全部审核决定（尚未发布任何版本）'
      : scope.decisions.after
        ? `第 ${scope.previousVersion} 版发布后至本版发布时定稿的审核决定`
        : '本版发布前定稿的全部审核决定';
  const limited = '限时办理事项：非即办、有法定时限的事项；未写承诺时限的按法定时限计。';
  const tables: FigureTable[] = [
    {
      id: 'targets',
      note: `依据《开发区提升行政效能优化投资环境工作实施方案》：“${TARGET_QUOTE}”（《天心区加快行政审批提速优化政务服务实施方案》亦以整体提速30%为总目标）。时限压缩率和缩短比例与法定时限比较，即办件占比与基线${baseline}比较。`,
      title: '目标完成情况',
      labelHeader: '指标',
      columns: [
        { header: '目标值', kind: 'percent' },
        { header: '实际值', kind: 'percent' },
        { header: '距目标尚差', kind: 'percent' },
        { header: '已超出目标', kind: 'percent' },
        { header: '是否达标', kind: 'yesno' },
      ],
      rows: [
        { key: 'timeCut', label: '承诺时限较法定时限压缩', values: [t.timeCut.target, t.timeCut.actual, shortOf(t.timeCut.gap), overOf(t.timeCut.gap), t.timeCut.met ? 1 : 0] },
        { key: 'shortened', label: '缩短办结时限的限时事项占比', values: [t.shortened.target, t.shortened.actual, shortOf(t.shortened.gap), overOf(t.shortened.gap), t.shortened.met ? 1 : 0] },
        {
          key: 'instantGain',
          label: '即办件占比较基线提高（百分点）',
          values: [t.instantGain.target, t.instantGain.actual, shortOf(t.instantGain.gap), overOf(t.instantGain.gap), t.instantGain.met ? 1 : 0],
          kinds: ['points', 'points', 'points', 'points', 'yesno'],
        },
      ],
      chart: null,
    },
    {
      id: 'category',
      note: '现有事项按事项类型计数。',
      title: '事项类型分布',
      labelHeader: '事项类型',
      columns: [{ header: '事项数', kind: 'count' }],
      rows: Object.entries(stats.byCategory).map(([code, n]) => ({ key: code, label: label(CATEGORIES, code), values: [n] })),
      chart: { series: [0], valueAxis: '事项数（项）', kind: 'count', target: null },
    },
    {
      id: 'disposition',
      note: `${decisions}，按处理意见计数（同一事项取最新一次决定，按申报部门归属）。`,
      title: '处理意见分布',
      labelHeader: '处理意见',
      columns: [{ header: '事项数', kind: 'count' }],
      rows: Object.entries(stats.byDisposition).map(([code, n]) => ({ key: code, label: label(DISPOSITIONS, code), values: [n] })),
      chart: { series: [0], valueAxis: '事项数（项）', kind: 'count', target: null },
    },
    {
      id: 'reduction',
      note: scope.previousVersion !== null ? `与第 ${scope.previousVersion} 版比较：精简率 =（上一版事项数 − 现有事项数）÷ 上一版事项数；事项增加时为负。` : '没有可比较的上一版，精简率为空。',
      title: '精简率（较上一版）',
      labelHeader: '部门',
      columns: [
        { header: '上一版事项数', kind: 'count' },
        { header: '现有事项数', kind: 'count' },
        { header: '精简率', kind: 'percent' },
      ],
      rows: perUnit((f) => [f.reduction.previous, f.reduction.current, f.reduction.rate]),
      chart: { series: [2], valueAxis: '精简率', kind: 'percent', target: null },
    },
    {
      id: 'limits',
      note: limited,
      title: '平均法定时限与承诺时限',
      labelHeader: '部门',
      columns: [
        { header: '限时办理事项数', kind: 'count' },
        { header: '平均法定时限（工作日）', kind: 'days' },
        { header: '平均承诺时限（工作日）', kind: 'days' },
      ],
      rows: perUnit((f) => [f.timeLimits.timeLimited, f.timeLimits.avgStatutory, f.timeLimits.avgPromised]),
      chart: { series: [1, 2], valueAxis: '平均时限（工作日）', kind: 'days', target: null },
    },
    {
      id: 'timeCut',
      note: `${limited}压缩率 = 1 − 承诺时限合计 ÷ 法定时限合计；目标 30%。`,
      title: '承诺时限较法定时限压缩率',
      labelHeader: '部门',
      columns: [
        { header: '平均法定时限（工作日）', kind: 'days' },
        { header: '平均承诺时限（工作日）', kind: 'days' },
        { header: '压缩率', kind: 'percent' },
      ],
      rows: perUnit((f) => [f.timeLimits.avgStatutory, f.timeLimits.avgPromised, f.timeLimits.cut]),
      chart: { series: [2], valueAxis: '压缩率', kind: 'percent', target: { value: TARGETS.timeCut, label: '目标' } },
    },
    {
      id: 'shortened',
      note: `${limited}占比 = 承诺时限短于法定时限的事项 ÷ 限时办理事项；目标三分之一。`,
      title: '缩短办结时限的限时事项占比',
      labelHeader: '部门',
      columns: [
        { header: '限时办理事项数', kind: 'count' },
        { header: '缩短时限事项数', kind: 'count' },
        { header: '占比', kind: 'percent' },
      ],
      rows: perUnit((f) => [f.timeLimits.timeLimited, f.timeLimits.shortened, f.timeLimits.shortenedShare]),
      chart: { series: [2], valueAxis: '占比', kind: 'percent', target: { value: TARGETS.shortenedShare, label: '目标' } },
    },
    {
      id: 'instant',
      note: `即办件占比 = 即办件 ÷ 办理类事项（即办件及有法定或承诺时限的事项）；基线为${baseline}；目标提高 15 个百分点。`,
      title: '即办件占比较基线提高',
      labelHeader: '部门',
      columns: [
        { header: '办理类事项数', kind: 'count' },
        { header: '即办件数', kind: 'count' },
        { header: '即办件占比', kind: 'percent' },
        { header: '基线占比', kind: 'percent' },
        { header: '提高（百分点）', kind: 'points' },
      ],
      rows: perUnit((f) => [f.instant.handled, f.instant.instant, f.instant.share, f.instant.baselineShare, f.instant.gain]),
      chart: { series: [4], valueAxis: '较基线提高（百分点）', kind: 'points', target: { value: TARGETS.instantGain, label: '目标' } },
    },
  ];
  if (stats.flags) {
    tables.push({
      id: 'flags',
      note: '工作目录中现有事项上尚未解决的依据检查问题（检查问题只针对工作目录）。',
      title: '未处理的检查问题（按规则）',
      labelHeader: '检查规则',
      columns: [{ header: '问题数', kind: 'count' }],
      rows: Object.entries(stats.flags.byRule).map(([rule, n]) => ({ key: rule, label: RULE_TITLES.get(rule) ?? rule, values: [n] })),
      chart: { series: [0], valueAxis: '问题数（个）', kind: 'count', target: null },
    });
  }
  return tables;
}

/** The chart drawn from a table: its chart columns as series, one bar group per row. */
export function chartOfTable(t: FigureTable): BarChart | null {
  if (!t.chart) return null;
  const { series, valueAxis, kind, target } = t.chart;
  return {
    id: t.id,
    title: t.title,
    valueAxis,
    categoryAxis: t.labelHeader,
    kind,
    series: series.map((i) => t.columns[i]!.header),
    rows: t.rows.map((r) => ({ label: r.label, values: series.map((i) => r.values[i] ?? null) })),
    target,
  };
}

/** The figures as plain lines for `catalogue stats`: the counts it always printed, then the rest. */
export function statsLines(stats: Stats): string[] {
  const pct = (v: number | null) => formatValue('percent', v);
  const s = stats.scope;
  const lines = [`事项 ${stats.items} 项，部门 ${stats.departments} 个`];
  for (const [code, n] of Object.entries(stats.byCategory)) lines.push(`  ${label(CATEGORIES, code)}\t${n}`);
  for (const d of stats.byDepartment) lines.push(`  ${d.code}\t${d.name}\t${d.itemCount}`);
  lines.push(`范围：${s.kind === 'working' ? '工作目录' : `第 ${s.version} 版 ${s.title}`}${s.department ? `，${s.department.name}` : ''}`);
  const dispositions = Object.entries(stats.byDisposition).map(([code, n]) => `${label(DISPOSITIONS, code)} ${n}`);
  lines.push(`处理意见：${dispositions.length ? dispositions.join('，') : '无'}`);
  lines.push(s.previousVersion !== null ? `精简率（较第 ${s.previousVersion} 版 ${stats.reduction.previous} 项）：${pct(stats.reduction.rate)}` : '精简率：没有可比较的上一版');
  lines.push(
    `即办件占比：${pct(stats.instant.share)}（${stats.instant.instant}/${stats.instant.handled}；基线 ${pct(stats.instant.baselineShare)}，提高 ${formatValue('points', stats.instant.gain)} 个百分点，目标 +15）`,
  );
  const t = stats.timeLimits;
  lines.push(
    `限时办理事项 ${t.timeLimited} 项：平均法定时限 ${formatValue('days', t.avgStatutory)}、平均承诺时限 ${formatValue('days', t.avgPromised)} 个工作日，压缩 ${pct(t.cut)}（目标 30%）；缩短时限 ${t.shortened} 项，占 ${pct(t.shortenedShare)}（目标三分之一）`,
  );
  const met = (x: Target) => (x.met ? '达标' : '未达标');
  lines.push(`目标：时限压缩${met(stats.targets.timeCut)}，缩短比例${met(stats.targets.shortened)}，即办件占比${met(stats.targets.instantGain)}`);
  if (stats.flags) lines.push(`未处理的检查问题：${stats.flags.total} 个${Object.entries(stats.flags.byRule).map(([r, n]) => `，${r} ${n}`).join('')}`);
  return lines;
}

/** What is still missing to reach a target: never below zero (a target exceeded is 0 short, and 是否达标 says 是). */
export const shortOf = (gap: number | null): number | null => (gap === null ? null : Math.max(0, gap));

/** How far a target is exceeded: never below zero (a target not reached is exceeded by 0; 距目标尚差 says by how much it falls short). */
export const overOf = (gap: number | null): number | null => (gap === null ? null : Math.max(0, -gap));
