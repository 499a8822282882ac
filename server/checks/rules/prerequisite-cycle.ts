// PREREQUISITE_CYCLE: items that make each other's approval a precondition (互为前置), directly or
// round a longer loop, across departments. The loop is found over the whole catalogue (see
// server/analysis/cycles.ts); the rule only words it.
import { findingOf, NO_FINDINGS } from '../basis.js';
import { SEED_000 } from '../grounds.js';
import type { Finding, PrerequisiteLoop, Rule } from '../types.js';

const GROUND = `${SEED_000}二（三）1：“解决审批互为前置问题……明确一个节点作为审批起点，确定部门之间的审批次序……破解循环死结”`;

/** Loops longer than this are named up to here, then counted. */
const NAMED_AT_MOST = 30;

/** 「甲（部门A）→ 乙（部门B）→ 丙（部门C）→ 甲」: each item requires the next. */
export function loopText(loop: PrerequisiteLoop): string {
  const shown = loop.items.slice(0, NAMED_AT_MOST).map((i) => `${i.name}（${i.departmentName}）`);
  if (loop.items.length > NAMED_AT_MOST) shown.push(`……（共 ${loop.items.length} 项）`);
  return `${shown.join('→ ')}→ ${loop.items[0]!.name}`;
}

export function cycleFinding(loop: PrerequisiteLoop): Finding<'PREREQUISITE_CYCLE'> {
  const others = loop.groupSize - loop.items.length;
  return findingOf(prerequisiteCycle, {
    message:
      (loop.items.length === 1 ? `本事项以自身为前置：${loopText(loop)}` : `前置事项形成循环（箭头指向须先办的事项）：${loopText(loop)}`) +
      (others > 0 ? `；同一循环组另有 ${others} 项事项` : ''),
    suggestionText: '由法制办组织相关部门协商，明确一个事项作为审批起点，标记应断开的前置关系，能并联审批的改为并联审批',
  });
}

export const prerequisiteCycle: Rule<'PREREQUISITE_CYCLE'> = {
  code: 'PREREQUISITE_CYCLE',
  severity: 'error',
  title: '互为前置',
  explanation:
    '事项甲以乙的审批为前置，乙又（直接或经其他事项）以甲为前置，形成审批循环，申请人无从办起。应明确一个节点作为审批起点，确定部门之间的审批次序，断开循环。',
  ground: GROUND,
  suggestion: 'review',
  effective: {},
  scope: 'catalogue',
  check(item, ctx) {
    const loop = ctx.prerequisiteLoop?.(item);
    return loop ? [cycleFinding(loop)] : NO_FINDINGS;
  },
};
