// DUPLICATE_ACROSS_DEPARTMENTS: the same power claimed by two or more departments (多头审批).
import { GROUND } from '../grounds.js';
import { findingOf, NO_FINDINGS } from '../basis.js';
import type { Rule } from '../types.js';

export const duplicateAcrossDepartments: Rule<'DUPLICATE_ACROSS_DEPARTMENTS'> = {
  code: 'DUPLICATE_ACROSS_DEPARTMENTS',
  severity: 'warning',
  title: '多部门重复实施',
  explanation:
    '同一事项由两个以上部门同时列入清单，构成多头审批、重复审核。应明确一个实施部门，其他部门取消或改为并联审查、信息共享。',
  ground: GROUND.duplicates,
  suggestion: 'review',
  effective: {},
  scope: 'catalogue',
  check(item, ctx) {
    const others = ctx.duplicatesOf(item);
    let count = 0;
    for (const o of others) if (o.key !== item.key) count++;
    if (count === 0) return NO_FINDINGS;
    const named = others
      .filter((o) => o.key !== item.key)
      .map((o) => `${o.departmentName}的“${o.name}”`)
      .join('、');
    return [
      findingOf(duplicateAcrossDepartments, {
        message: `${item.departmentName}的“${item.name}”与${named}是同一事项，存在多头审批`,
        suggestionText: '明确一个实施部门，其余部门取消该事项或改为并联审查',
        details: { others },
      }),
    ];
  },
};
