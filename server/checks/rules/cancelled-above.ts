// CANCELLED_ABOVE: an item the State Council, province or city has cancelled is cancelled here
// too. Matches are fuzzy and confirmed by a person before they reach the context.
import { GROUND } from '../grounds.js';
import { findingOf, NO_FINDINGS } from '../basis.js';
import type { CancelledAboveMatch, Rule } from '../types.js';

const listName = (m: CancelledAboveMatch): string =>
  `${m.listTitle.startsWith('《') ? m.listTitle : `《${m.listTitle}》`}${m.decisionNumber ? `（${m.decisionNumber}）` : ''}`;

export const cancelledAbove: Rule<'CANCELLED_ABOVE'> = {
  code: 'CANCELLED_ABOVE',
  severity: 'error',
  title: '上级已取消',
  explanation:
    '国务院、省、市公布取消的事项，本级应当同步取消。上级清单的名称与本级写法不同，系统按名称相似度匹配，由人工确认后才提示。',
  ground: GROUND.cancelledAbove,
  suggestion: 'cancel',
  effective: {},
  scope: 'catalogue',
  check(item, ctx) {
    const matches = ctx.cancelledAbove(item);
    if (matches.length === 0) return NO_FINDINGS;
    const named = matches.map((m) => `${listName(m)}取消的“${m.name}”（匹配度${m.score.toFixed(2)}）`).join('、');
    return [
      findingOf(cancelledAbove, {
        message: `“${item.name}”与${named}相符`,
        suggestionText: `按${listName(matches[0]!)}同步取消该事项`,
        ground: `${listName(matches[0]!)}；${GROUND.cancelledAbove}`,
        details: { matches },
      }),
    ];
  },
};
