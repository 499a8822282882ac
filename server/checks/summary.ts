// Check findings counted per rule, for the lists that sum them up (the flags page, an import's preview).
import { SEVERITIES } from './types.js';
import { label } from '../domain/vocabulary.js';

/**
 * One line per rule, however many severities its findings carry (a rule may judge one item an error
 * and another a warning): the total, then the count of each severity, most serious first.
 */
export function summaryByRule(rows: { rule: string; severity: string; count: number }[]): { rule: string; count: number; bySeverity: string; mixed: boolean }[] {
  const byRule = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const counts = byRule.get(r.rule) ?? new Map<string, number>();
    counts.set(r.severity, (counts.get(r.severity) ?? 0) + r.count);
    byRule.set(r.rule, counts);
  }
  const order = Object.keys(SEVERITIES);
  return [...byRule]
    .map(([rule, counts]) => ({
      rule,
      count: [...counts.values()].reduce((a, b) => a + b, 0),
      bySeverity: [...counts]
        .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
        .map(([severity, n]) => `${label(SEVERITIES, severity)} ${n}`)
        .join('，'),
      mixed: counts.size > 1,
    }))
    .sort((a, b) => b.count - a.count);
}
