// UNKNOWN_INSTRUMENT: a setting basis the registry does not know cannot be checked for rank or
// status until a person registers it (or corrects the citation).
import { GROUND } from '../grounds.js';
import { citationLabel, findingOf, NO_FINDINGS, rankLabel, titleOf } from '../basis.js';
import { governmentLevelOf } from '../instrument-level.js';
import type { CheckedCitation, Rule } from '../types.js';

function describe(c: CheckedCitation): string {
  const rank = c.instrument.rank;
  const level = rank === 'local_government_rule' || rank === 'normative_document' ? governmentLevelOf(c) : null;
  const guess = rank === 'unknown' ? '位阶无法推断' : `推断为${rankLabel(rank, level, false)}`;
  const tag = c.tag ? `，部门标注${c.tag}` : '';
  return `${citationLabel(c, { withNumber: true })}（${guess}${tag}）`;
}

export const unknownInstrument: Rule<'UNKNOWN_INSTRUMENT'> = {
  code: 'UNKNOWN_INSTRUMENT',
  severity: 'warning',
  title: '依据未在法规库登记',
  explanation:
    '设定依据引用的文件在法规库中找不到，无法确认它的位阶和是否有效。系统按标题和文号推断了位阶（仅供参考）；' +
    '须由法制机构登记该文件（位阶、制定机关、施行日期、状态），或更正引用的名称。',
  ground: GROUND.unknownInstrument,
  suggestion: 'fix_data',
  effective: {},
  scope: 'item',
  check(item) {
    let unknown: CheckedCitation[] | null = null;
    for (const c of item.citations) if (c.role === 'setting' && c.instrument.id === null) (unknown ??= []).push(c);
    if (!unknown) return NO_FINDINGS;
    const titles = [...new Set(unknown.map((c) => titleOf(c.title)))];
    return [
      findingOf(unknownInstrument, {
        message: `设定依据${unknown.map(describe).join('、')}未在法规库登记，其位阶和效力须登记后才能判断`,
        suggestionText: `在法规库登记${titles.join('、')}（位阶、制定机关、施行日期、状态），或更正引用`,
        details: {
          instruments: unknown.map((c) => ({
            title: c.title,
            documentNumber: c.documentNumber,
            inferredRank: c.instrument.rank,
            tag: c.tag,
          })),
        },
      }),
    ];
  },
};
