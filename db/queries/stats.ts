// What the dashboard's figures are computed from, aggregated in SQL: items of the working catalogue,
// revisions of published versions (one pass over item_revisions for all the versions asked for), review
// decisions in a window of time, and the open check findings.
import type { Db } from '../client.js';

/** Sums over the items of one department and category in one catalogue (working or a version). */
export interface Tally {
  items: number;
  instant: number;
  /** Items handled on application: instant, or with a statutory or promised limit. */
  handled: number;
  /** Not instant, with a statutory limit: the items whose promised limit can be compared with the law's. */
  timeLimited: number;
  statutorySum: number;
  /** The promised limit of the time-limited items, the statutory one standing in where none is promised. */
  promisedSum: number;
  /** Time-limited items promising less than the statutory limit. */
  shortened: number;
  /** Not instant, a promised limit but no statutory one to compare it with. */
  noStatutory: number;
}

/** One version's (or the working catalogue's) items of one department and category. */
export interface TallyRow {
  department: string;
  category: string;
  tally: Tally;
}

export const EMPTY_TALLY: Tally = { items: 0, instant: 0, handled: 0, timeLimited: 0, statutorySum: 0, promisedSum: 0, shortened: 0, noStatutory: 0 };

// total() rather than sum(): a predicate on a NULL limit is NULL, and sum() over only NULLs is NULL.
const TALLY_COLUMNS = (p: string, inst: string, st: string, pr: string) => `
  total(${p}) AS ${p}_items,
  total(${p} AND ${inst} = 1) AS ${p}_instant,
  total(${p} AND (${inst} = 1 OR ${st} IS NOT NULL OR ${pr} IS NOT NULL)) AS ${p}_handled,
  total(${p} AND ${inst} = 0 AND ${st} IS NOT NULL) AS ${p}_timeLimited,
  total(CASE WHEN ${p} AND ${inst} = 0 THEN ${st} END) AS ${p}_statutorySum,
  total(CASE WHEN ${p} AND ${inst} = 0 AND ${st} IS NOT NULL THEN coalesce(${pr}, ${st}) END) AS ${p}_promisedSum,
  total(${p} AND ${inst} = 0 AND ${pr} < ${st}) AS ${p}_shortened,
  total(${p} AND ${inst} = 0 AND ${st} IS NULL AND ${pr} IS NOT NULL) AS ${p}_noStatutory`;

type Raw = Record<string, number | string>;

const tallyOf = (r: Raw, p: string): Tally => ({
  items: r[`${p}_items`] as number,
  instant: r[`${p}_instant`] as number,
  handled: r[`${p}_handled`] as number,
  timeLimited: r[`${p}_timeLimited`] as number,
  statutorySum: r[`${p}_statutorySum`] as number,
  promisedSum: r[`${p}_promisedSum`] as number,
  shortened: r[`${p}_shortened`] as number,
  noStatutory: r[`${p}_noStatutory`] as number,
});

/**
 * The working catalogue's items (not removed), by department and category: one full scan (NOT INDEXED:
 * walking items_department_idx to skip the sort costs a random read per item, several times slower).
 */
export function workingTallies(db: Db): TallyRow[] {
  const codes = new Map(
    (db.$client.prepare('SELECT id, code FROM departments').all() as { id: number; code: string }[]).map((d) => [d.id, d.code]),
  );
  const rows = db.$client
    .prepare(
      `SELECT department_id AS department, category, ${TALLY_COLUMNS('c', 'instant', 'statutory_limit_days', 'promised_limit_days')}
         FROM (SELECT 1 AS c, department_id, category, instant, statutory_limit_days, promised_limit_days FROM items NOT INDEXED WHERE removed_at IS NULL)
        GROUP BY department_id, category`,
    )
    .all() as Raw[];
  return rows.map((r) => ({ department: codes.get(r.department as number) ?? String(r.department), category: r.category as string, tally: tallyOf(r, 'c') }));
}

/**
 * Published versions in one pass over item_revisions. For each version in `full`, the tallies of its
 * items, the time limits read from the canonical JSON (once per revision, however many of the versions
 * it belongs to); for each in `counts`, only how many items (its rows' JSON is not read: `items` alone
 * is counted, the other sums stay 0).
 */
export function versionTallies(db: Db, request: { full: number[]; counts: number[] }): Map<number, TallyRow[]> {
  const full = [...new Set(request.full)];
  const counts = [...new Set(request.counts)].filter((v) => !full.includes(v));
  const versions = [...full, ...counts];
  const out = new Map<number, TallyRow[]>(versions.map((v) => [v, []]));
  if (versions.length === 0) return out;
  const params: Record<string, number> = { lo: Math.min(...versions), hi: Math.max(...versions) };
  versions.forEach((v, i) => (params[`v${i}`] = v));
  const flag = (i: number) => `f${i}`;
  const flags = versions.map((_, i) => `(from_version <= @v${i} AND (to_version IS NULL OR to_version > @v${i})) AS ${flag(i)}`).join(', ');
  const needJson = full.map((_, i) => flag(i)).join(' OR ');
  const json = full.length
    ? `, CASE WHEN ${needJson} THEN content ->> '$.instant' END AS inst,
         CASE WHEN ${needJson} THEN content ->> '$.statutoryLimitDays' END AS st,
         CASE WHEN ${needJson} THEN content ->> '$.promisedLimitDays' END AS pr`
    : '';
  const sums = versions.map((_, i) => (i < full.length ? TALLY_COLUMNS(flag(i), 'inst', 'st', 'pr') : `total(${flag(i)}) AS ${flag(i)}_items`)).join(',');
  // A full scan (NOT INDEXED: nearly every row is needed, and going through an index costs a random read
  // per row). The JSON goes into a materialized table of small values first, so the GROUP BY sorts those
  // and never the items' texts.
  const rows = db.$client
    .prepare(
      `WITH r AS MATERIALIZED (
         SELECT department_code, category, ${versions.map((_, i) => flag(i)).join(', ')}${json}
           FROM (SELECT department_code, category${full.length ? ', content' : ''}, ${flags}
                   FROM item_revisions NOT INDEXED LEFT JOIN revision_closures ON revision_id = id WHERE from_version <= @hi AND (to_version IS NULL OR to_version > @lo)))
       SELECT department_code AS department, category, ${sums} FROM r GROUP BY department_code, category`,
    )
    .all(params) as Raw[];
  for (const r of rows) {
    versions.forEach((v, i) => {
      const items = r[`${flag(i)}_items`] as number;
      if (items === 0) return;
      const tally = i < full.length ? tallyOf(r, flag(i)) : { ...EMPTY_TALLY, items };
      out.get(v)!.push({ department: r.department as string, category: r.category as string, tally });
    });
  }
  return out;
}

/**
 * Dispositions of the review decisions finalised in (after, upTo], the latest standing one per item,
 * counted by the submitting department. Null bounds are open.
 */
export function decisionCounts(db: Db, window: { after: string | null; upTo: string | null }): { department: string; disposition: string; count: number }[] {
  return db.$client
    .prepare(
      `SELECT d.code AS department, x.disposition, count(*) AS count
         FROM (SELECT si.disposition, s.department_id,
                      row_number() OVER (PARTITION BY coalesce(si.item_id, -si.id) ORDER BY si.finalised_at DESC, si.id DESC) AS rn
                 FROM submission_items si JOIN submissions s ON s.id = si.submission_id
                WHERE si.state = 'final' AND si.disposition IS NOT NULL
                  AND (@after IS NULL OR si.finalised_at > @after) AND (@upTo IS NULL OR si.finalised_at <= @upTo)) x
         JOIN departments d ON d.id = x.department_id
        WHERE x.rn = 1
        GROUP BY d.code, x.disposition`,
    )
    .all(window) as { department: string; disposition: string; count: number }[];
}

/** Open check findings on the items of the working catalogue, by department and rule. */
export function openFlagCounts(db: Db): { department: string; rule: string; count: number }[] {
  return db.$client
    .prepare(
      `SELECT d.code AS department, f.rule, count(*) AS count
         FROM item_flags f JOIN items i ON i.id = f.item_id JOIN departments d ON d.id = i.department_id
        WHERE i.removed_at IS NULL GROUP BY d.code, f.rule`,
    )
    .all() as { department: string; rule: string; count: number }[];
}

/** Every department, code and name, in code order. */
export const departmentNames = (db: Db): { code: string; name: string }[] =>
  db.$client.prepare('SELECT code, name FROM departments ORDER BY code').all() as { code: string; name: string }[];
