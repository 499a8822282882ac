// RECREATED_AFTER_CANCEL: a new or renamed item that resembles one cancelled earlier (前清后立).
import { GROUND } from '../grounds.js';
import { findingOf, NO_FINDINGS } from '../basis.js';
import type { CancelledEarlierMatch, Rule } from '../types.js';

const describe = (m: CancelledEarlierMatch): string =>
  `${m.cancelledOn ? `${m.cancelledOn}` : '此前'}已取消的“${m.name}”（${m.departmentName}${m.reason ? `，取消原因：${m.reason}` : ''}；相似度${m.score.toFixed(2)}）`;

export const recreatedAfterCancel: Rule<'RECREATED_AFTER_CANCEL'> = {
  code: 'RECREATED_AFTER_CANCEL',
  severity: 'warning',
  title: '疑似前清后立',
  explanation:
    '新增的或改了名称的事项，与此前已经取消的事项名称相似，可能是把已取消的审批换个名称重新设立（前清后立）。' +
    '只检查新增和更名的事项；由人工核实是否为同一事项。',
  ground: GROUND.recreated,
  suggestion: 'review',
  effective: {},
  scope: 'catalogue',
  check(item, ctx) {
    if (!item.isNew && item.previousName === null) return NO_FINDINGS;
    const matches = ctx.cancelledEarlier(item);
    if (matches.length === 0) return NO_FINDINGS;
    const what = item.isNew ? `新增事项“${item.name}”` : `由“${item.previousName}”更名的“${item.name}”`;
    return [
      findingOf(recreatedAfterCancel, {
        message: `${what}与${matches.map(describe).join('、')}相似，疑似前清后立`,
        suggestionText: '核实是否为已取消事项换名重设；属于同一事项的不得恢复，应予取消',
        details: { matches },
      }),
    ];
  },
};
