// The accuracy bench (npm run bench:accuracy) on the smallest real list, so that a change that makes the
// checks wrong on real published rows fails the tests: the 西安 权责清单 imported into a fresh database with
// the shipped registry and checked as `catalogue check` does, against tests/fixtures/real/xian-quanze.expected.csv.
import { describe, it, expect } from 'vitest';
import { compare, readExpected, runList } from '../../../bench/accuracy-lib.js';

describe('the checks on real published lists agree with what a person expects', () => {
  it('on the 西安 权责清单 every flag raised is one a person expects, and every expected flag is raised', async () => {
    const run = await runList('xian-quanze');
    const { scores, misses } = compare(run.flags, readExpected('xian-quanze'));
    expect(misses).toEqual([]);
    for (const s of scores) expect(s.precision ?? 1, s.rule).toBe(1);
    expect(scores.map((s) => s.rule)).toEqual(['BASIS_AMENDED', 'BASIS_RANK_TOO_LOW', 'UNKNOWN_INSTRUMENT']);
    // Citations a person checked are linked to the registry: all but 西安市城市饮用水源污染防治管理条例, whose cited
    // 2018 amendment no public source found gave a date for (data/registry/README.md).
    expect(run).toMatchObject({ items: 18, citations: 18, matchedCitations: 17 });
  }, 60_000);

  it('on the 辽宁 catalogue, which cites department rules by their orders, every flag is expected and none is missed', async () => {
    const run = await runList('liaoning-catalogue');
    const { scores, misses } = compare(run.flags, readExpected('liaoning-catalogue'));
    expect(misses).toEqual([]);
    for (const s of scores) expect(s.precision ?? 1, s.rule).toBe(1);
    expect(scores.map((s) => s.rule)).toContain('BASIS_AMENDED');
  }, 60_000);
});
