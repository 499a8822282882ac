// npm run bench:accuracy — the three real published lists in tests/fixtures/real/, each imported into a
// fresh database with the shipped registry and checked as `catalogue check` does, against the findings a
// person expects (tests/fixtures/real/<list>.expected.csv, written from the rows and the law). Prints
// precision and recall per rule, per list and over all three, and the citation match rate; exits 1 when a
// rule is below the target (issue 15: 95%).
import { REAL_LISTS, compare, percent, readExpected, runList, type Flag, type Expectation, type RuleScore } from './accuracy-lib.js';

const TARGET = 0.95;

function table(title: string, scores: readonly RuleScore[]): void {
  console.log(title);
  console.log(`  ${'rule'.padEnd(30)} ${'expected'.padStart(8)} ${'flagged'.padStart(8)} ${'correct'.padStart(8)} ${'precision'.padStart(10)} ${'recall'.padStart(8)}`);
  for (const s of scores) {
    console.log(
      `  ${s.rule.padEnd(30)} ${String(s.expected).padStart(8)} ${String(s.flagged).padStart(8)} ${String(s.truePositives).padStart(8)} ${percent(s.precision).padStart(10)} ${percent(s.recall).padStart(8)}`,
    );
  }
}

const allFlags: Flag[] = [];
const allExpected: Expectation[] = [];
let citations = 0;
let matched = 0;
let titles = 0;
let matchedTitles = 0;
for (const list of REAL_LISTS) {
  const t0 = performance.now();
  const run = await runList(list);
  const expected = readExpected(list);
  const { scores, misses } = compare(run.flags, expected);
  table(`${list}: ${run.items} items, ${run.flags.length} flags, checked in ${((performance.now() - t0) / 1000).toFixed(1)} s (import included)`, scores);
  console.log(
    `  citations linked to a registered instrument: ${run.matchedCitations} / ${run.citations} (${percent(run.citations ? run.matchedCitations / run.citations : null)}); distinct cited titles: ${run.matchedTitles} / ${run.citedTitles}`,
  );
  for (const m of misses) console.log(`  - ${m}`);
  // Items are keyed by list, so the lists' codes cannot meet.
  allFlags.push(...run.flags.map((f) => ({ ...f, item: `${list}/${f.item}` })));
  allExpected.push(...expected.map((e) => ({ ...e, item: `${list}/${e.item}` })));
  citations += run.citations;
  matched += run.matchedCitations;
  titles += run.citedTitles;
  matchedTitles += run.matchedTitles;
}
const overall = compare(allFlags, allExpected).scores;
table('all three lists', overall);
console.log(`  citation match rate: ${matched} / ${citations} citations (${percent(citations ? matched / citations : null)}), ${matchedTitles} / ${titles} distinct titles (${percent(titles ? matchedTitles / titles : null)}); aim ≥ 90%`);
const below = overall.filter((s) => (s.precision !== null && s.precision < TARGET) || (s.recall !== null && s.recall < TARGET));
console.log(`Target (issue 15): precision and recall ≥ ${TARGET * 100}% for every rule.${below.length ? ` Below: ${below.map((s) => s.rule).join(', ')}.` : ' Met.'}`);
process.exitCode = below.length ? 1 : 0;
