// PREREQUISITE_CYCLE as a rule: it words the loop the context's lookup found (the loop itself is found
// over the whole catalogue, see tests/unit/analysis/prerequisite-cycle.test.ts).
import { describe, expect, it } from 'vitest';
import { checkItem } from '../../../server/checks/engine.js';
import { prerequisiteCycle } from '../../../server/checks/rules/prerequisite-cycle.js';
import type { PrerequisiteLoop } from '../../../server/checks/types.js';
import { context, item } from './builders.js';

const loop: PrerequisiteLoop = {
  items: [
    { code: 'A-1', name: '甲', departmentName: '部门A' },
    { code: 'B-1', name: '乙', departmentName: '部门B' },
    { code: 'C-1', name: '丙', departmentName: '部门C' },
  ],
  groupSize: 3,
};

describe('PREREQUISITE_CYCLE', () => {
  it('an item on a loop of prerequisites is flagged with the whole loop in order and the seed’s ground', () => {
    const ctx = { ...context(), prerequisiteLoop: () => loop };
    const findings = checkItem(item({ key: 'A-1', code: 'A-1' }), ctx).filter((f) => f.rule === 'PREREQUISITE_CYCLE');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toBe('前置事项形成循环（箭头指向须先办的事项）：甲（部门A）→ 乙（部门B）→ 丙（部门C）→ 甲');
    expect(findings[0]!.severity).toBe('error');
    expect(findings[0]!.ground).toContain('二（三）1');
    expect(findings[0]!.suggestionText).toContain('审批起点');
  });

  it('is not raised when the lookup finds no loop, or when prerequisites were not analysed', () => {
    expect(prerequisiteCycle.check(item({ key: 'A-1', code: 'A-1' }), { ...context(), prerequisiteLoop: () => null })).toEqual([]);
    expect(prerequisiteCycle.check(item({ key: 'A-1', code: 'A-1' }), context())).toEqual([]);
  });

  it('a long loop is named up to thirty items and counted; overlapping loops say how many more share the group', () => {
    const long: PrerequisiteLoop = { items: Array.from({ length: 40 }, (_, i) => ({ code: `X-${i}`, name: `事项${i}`, departmentName: '部门' })), groupSize: 45 };
    const [finding] = prerequisiteCycle.check(item({ key: 'X-0', code: 'X-0' }), { ...context(), prerequisiteLoop: () => long });
    expect(finding!.message).toContain('事项29（部门）→ ……（共 40 项）→ 事项0');
    expect(finding!.message).not.toContain('事项30（');
    expect(finding!.message).toContain('同一循环组另有 5 项事项');
  });
});
