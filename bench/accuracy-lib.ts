// What `npm run bench:accuracy` and tests/unit/checks/real-list-accuracy.test.ts share: a real published
// list (tests/fixtures/real/) imported into a fresh database the way a legal office does it from the
// command line (migrate, import --baseline, check), and the findings compared with the expected file a
// person wrote from the rows and the law (tests/fixtures/real/<list>.expected.csv).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '../server/cli.js';
import { openDatabase } from '../db/client.js';
import { REAL } from '../tests/fixtures/real/build-real.js';
import { parseCsv } from '../db/seed/csv.js';

/** The real lists, smallest first. */
export const REAL_LISTS = ['xian-quanze', 'liaoning-catalogue', 'guangan-service-guide'] as const;
export type RealList = (typeof REAL_LISTS)[number];

export interface Flag {
  item: string;
  name: string;
  rule: string;
  severity: string;
  message: string;
}

export interface Expectation {
  item: string;
  name: string;
  rule: string;
  expected: boolean;
  reason: string;
}

export interface ListRun {
  list: RealList;
  items: number;
  flags: Flag[];
  citations: number;
  matchedCitations: number;
  citedTitles: number;
  matchedTitles: number;
}

async function cli(args: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => 'accuracy-bench-password-1' };
  const code = await main(args, io, {});
  if (code !== 0) throw new Error(`catalogue ${args.join(' ')} → ${code}\n${err.join('\n')}`);
  return out.join('\n');
}

/**
 * The list imported as a baseline into a new database holding the shipped registry (its departments
 * created as they are written), checked as `catalogue check` does; what the check stored, and how many
 * citations found their instrument in the registry.
 */
export async function runList(list: RealList): Promise<ListRun> {
  const dir = mkdtempSync(join(tmpdir(), 'accuracy-'));
  const db = join(dir, 'catalogue.db');
  const file = join(REAL, `${list}.xlsx`);
  try {
    await cli(['migrate', '--db', db]);
    await cli(['user', 'add', '--username', 'legal', '--role', 'legal_office', '--password-stdin', '--db', db]);
    const dry = JSON.parse(await cli(['import', file, '--dry-run', '--json', '--db', db])) as { unknownDepartments: string[] };
    const map = dry.unknownDepartments.flatMap((name, i) => ['--map', `${name}=new:D${String(i + 1).padStart(2, '0')}`]);
    await cli(['import', file, '--baseline', '--user', 'legal', '--json', '--db', db, ...map]);
    const checked = JSON.parse(await cli(['check', '--json', '--db', db])) as { items: number; flags: Flag[] };
    const handle = openDatabase(db);
    const stats = handle.$client
      .prepare(
        `SELECT count(*) AS citations, count(instrument_id) AS matched, count(DISTINCT title) AS titles,
                count(DISTINCT CASE WHEN instrument_id IS NOT NULL THEN title END) AS matchedTitles
           FROM citations c JOIN items i ON i.id = c.item_id WHERE i.removed_at IS NULL`,
      )
      .get() as { citations: number; matched: number; titles: number; matchedTitles: number };
    handle.$client.close();
    return {
      list,
      items: checked.items,
      flags: checked.flags.map((f) => ({ item: String(f.item), name: f.name, rule: f.rule, severity: f.severity, message: f.message })),
      citations: stats.citations,
      matchedCitations: stats.matched,
      citedTitles: stats.titles,
      matchedTitles: stats.matchedTitles,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** tests/fixtures/real/<list>.expected.csv: item, name, rule, expected (yes / no), reason. */
export function readExpected(list: RealList): Expectation[] {
  const [header, ...rows] = parseCsv(readFileSync(join(REAL, `${list}.expected.csv`), 'utf8'));
  const col = (name: string) => {
    const i = header!.indexOf(name);
    if (i < 0) throw new Error(`${list}.expected.csv: no column ${name}`);
    return i;
  };
  const [item, name, rule, expected, reason] = ['item', 'name', 'rule', 'expected', 'reason'].map(col) as [number, number, number, number, number];
  return rows
    .filter((r) => r.some((c) => c.trim() !== ''))
    .map((r) => {
      const e = r[expected]!.trim();
      if (e !== 'yes' && e !== 'no') throw new Error(`${list}.expected.csv: expected must be yes or no, got "${e}"`);
      return { item: r[item]!.trim(), name: r[name]!.trim(), rule: r[rule]!.trim(), expected: e === 'yes', reason: r[reason]!.trim() };
    });
}

export interface RuleScore {
  rule: string;
  expected: number;
  flagged: number;
  truePositives: number;
  /** null when the tool raised nothing (no precision to speak of). */
  precision: number | null;
  /** null when nothing was expected. */
  recall: number | null;
}

export interface Comparison {
  scores: RuleScore[];
  /** What differs, one line each: a flag no one expected, or an expected flag not raised. */
  misses: string[];
}

/**
 * Per rule, the tool's flags against the expected file. A flag the file does not list as expected
 * counts against precision (every raised flag must have been judged by a person); an expected one not
 * raised counts against recall. Lines saying "no" record flags a person judged wrong.
 */
export function compare(flags: readonly Flag[], expectations: readonly Expectation[]): Comparison {
  const key = (item: string, rule: string) => `${item}\u0000${rule}`;
  const raised = new Map(flags.map((f) => [key(f.item, f.rule), f]));
  const wanted = new Map(expectations.filter((e) => e.expected).map((e) => [key(e.item, e.rule), e]));
  const rules = [...new Set([...flags, ...wanted.values()].map((x) => x.rule))].sort();
  const misses: string[] = [];
  for (const [k, f] of raised) if (!wanted.has(k)) misses.push(`unexpected ${f.rule} on ${f.item} ${f.name}: ${f.message}`);
  for (const [k, e] of wanted) if (!raised.has(k)) misses.push(`missed ${e.rule} on ${e.item} ${e.name} (${e.reason})`);
  const scores = rules.map((rule) => {
    const flagged = flags.filter((f) => f.rule === rule).length;
    const expected = [...wanted.values()].filter((e) => e.rule === rule).length;
    const truePositives = flags.filter((f) => f.rule === rule && wanted.has(key(f.item, f.rule))).length;
    return {
      rule,
      expected,
      flagged,
      truePositives,
      precision: flagged === 0 ? null : truePositives / flagged,
      recall: expected === 0 ? null : truePositives / expected,
    };
  });
  return { scores, misses };
}

export const percent = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
