// Accuracy on real-text rows: precision and recall per rule against what a lawyer expects.
import { describe, it, expect } from 'vitest';
import { checkItem } from '../../../server/checks/engine.js';
import { createCheckContext } from '../../../server/checks/context.js';
import type { Finding } from '../../../server/checks/types.js';
import { REAL_ROWS, type ExpectedRule } from '../../fixtures/checks/real-rows.js';
import { itemFromRow, loadRealRegistry } from './real-registry.js';

const RULES: ExpectedRule[] = [
  'NO_BASIS',
  'BASIS_REPEALED',
  'BASIS_AMENDED',
  'BASIS_RANK_TOO_LOW',
  'NON_PERMIT_ABOLISHED',
  'UNKNOWN_INSTRUMENT',
  'FEE_WITHOUT_BASIS',
  'PROMISED_EXCEEDS_STATUTORY',
  'STATUTORY_OVER_LEGAL_DEFAULT',
];

const registry = loadRealRegistry();
const results = REAL_ROWS.map((row) => {
  const ctx = createCheckContext(row.asOf ?? '2025-06-30', { instrumentForTitle: registry.instrumentForTitle });
  const found = checkItem(itemFromRow(row, registry), ctx, { rules: RULES });
  return { row, found: new Map<string, Finding>(found.map((f) => [f.rule, f])) };
});

interface Score {
  rule: ExpectedRule;
  expected: number;
  flagged: number;
  truePositives: number;
  precision: number;
  recall: number;
  severityAgrees: number;
}

const scores: Score[] = RULES.map((rule) => {
  let expected = 0;
  let flagged = 0;
  let truePositives = 0;
  let severityAgrees = 0;
  for (const { row, found } of results) {
    const want = row.expected[rule];
    const got = found.get(rule);
    if (want) expected++;
    if (got) flagged++;
    if (want && got) {
      truePositives++;
      if (want === got.severity) severityAgrees++;
    }
  }
  return {
    rule,
    expected,
    flagged,
    truePositives,
    precision: flagged === 0 ? 1 : truePositives / flagged,
    recall: expected === 0 ? 1 : truePositives / expected,
    severityAgrees,
  };
});

describe('accuracy on real catalogue rows', () => {
  it('reports precision and recall per rule', () => {
    console.table(
      scores.map((s) => ({
        rule: s.rule,
        expected: s.expected,
        flagged: s.flagged,
        'true positives': s.truePositives,
        precision: `${(s.precision * 100).toFixed(1)}%`,
        recall: `${(s.recall * 100).toFixed(1)}%`,
        'severity agrees': `${s.severityAgrees}/${s.truePositives}`,
      })),
    );
    const misses = results.flatMap(({ row, found }) =>
      RULES.filter((r) => Boolean(row.expected[r]) !== found.has(r)).map(
        (r) => `${row.id} ${row.name}: ${r} ${row.expected[r] ? 'missed' : `raised: ${found.get(r)!.message}`}`,
      ),
    );
    if (misses.length) console.log(misses.join('\n'));
    expect(REAL_ROWS.length).toBeGreaterThanOrEqual(40);
  });

  it('finds every item without a basis (100% recall for NO_BASIS)', () => {
    expect(scores.find((s) => s.rule === 'NO_BASIS')!.recall).toBe(1);
  });

  it('reaches at least 95% precision and recall for BASIS_REPEALED and BASIS_RANK_TOO_LOW', () => {
    for (const code of ['BASIS_REPEALED', 'BASIS_RANK_TOO_LOW'] as const) {
      const s = scores.find((x) => x.rule === code)!;
      expect(s.precision, `${code} precision`).toBeGreaterThanOrEqual(0.95);
      expect(s.recall, `${code} recall`).toBeGreaterThanOrEqual(0.95);
      expect(s.expected, `${code} has cases`).toBeGreaterThanOrEqual(8);
    }
  });

  it('gives the severity a lawyer would for the repealed and rank findings', () => {
    for (const { row, found } of results) {
      for (const code of ['NO_BASIS', 'BASIS_REPEALED', 'BASIS_RANK_TOO_LOW'] as const) {
        const want = row.expected[code];
        if (want) expect(found.get(code)?.severity, `${row.id} ${code}`).toBe(want);
      }
    }
  });
});
