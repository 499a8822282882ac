// NAME_NOT_STANDARD: the item should carry the name of the standard base catalogue it matches,
// so the same item is named alike in every district (seed 004).
import { GROUND } from '../grounds.js';
import { findingOf, NO_FINDINGS } from '../basis.js';
import type { Rule } from '../types.js';

export const nameNotStandard: Rule<'NAME_NOT_STANDARD'> = {
  code: 'NAME_NOT_STANDARD',
  severity: 'info',
  title: '名称不规范',
  explanation: '事项名称与基本目录中对应事项的标准名称不一致。各区县同一事项应使用统一名称，便于比对和公开。',
  ground: GROUND.standardName,
  suggestion: 'fix_data',
  effective: {},
  scope: 'catalogue',
  check(item, ctx) {
    const standard = ctx.standardName(item);
    if (!standard || standard.name.trim() === item.name.trim()) return NO_FINDINGS;
    return [
      findingOf(nameNotStandard, {
        message: `名称“${item.name}”与基本目录的标准名称“${standard.name}”不一致（匹配度${standard.score.toFixed(2)}）`,
        suggestionText: `统一名称为“${standard.name}”`,
        details: { standardName: standard.name, score: standard.score },
      }),
    ];
  },
};
