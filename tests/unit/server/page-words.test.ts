// Small wordings pages compose from data: a version span, a rule's severities, a decision's destination.
import { describe, it, expect } from 'vitest';
import { historyUntil } from '../../../server/routes/versions.js';
import { summaryByRule } from '../../../server/checks/summary.js';
import { destinationText } from '../../../server/review/dispositions.js';

describe('page wordings', () => {
  it('an item version that lasted one version reads 第 1 版, never 第 1 版至第 1 版', () => {
    expect(historyUntil(1, 2)).toBe('');
    expect(historyUntil(1, 4)).toBe('至第 3 版');
    expect(historyUntil(2, null)).toBe('起至今');
  });

  it('the flags summary lists each rule once, with its counts by severity, most serious first', () => {
    expect(
      summaryByRule([
        { rule: 'NO_BASIS', severity: 'warning', count: 7 },
        { rule: 'BASIS_REPEALED', severity: 'error', count: 20 },
        { rule: 'NO_BASIS', severity: 'error', count: 56 },
      ]),
    ).toEqual([
      { rule: 'NO_BASIS', count: 63, bySeverity: '错误 56，警告 7', mixed: true },
      { rule: 'BASIS_REPEALED', count: 20, bySeverity: '错误 20', mixed: false },
    ]);
  });

  it("a decision's destination names its level and category in Chinese", () => {
    expect(destinationText('delegate', { level: 'town', body: '各街道办事处' })).toBe('乡镇（街道）级：各街道办事处');
    expect(destinationText('change_mode', { mode: '改为备案', category: 'filing' })).toBe('改为备案，事项类型改为行政备案');
    expect(destinationText('retain', {})).toBeNull();
  });
});
