// BASIS_REPEALED: a repealed instrument no longer counts as a basis; with nothing else left the
// item goes (seed 000: 因法律法规废止或修订取消的项目坚决取消).
import { GROUND } from '../grounds.js';
import { citationLabel, findingOf, isGeneralLaw, NO_FINDINGS, titleOf } from '../basis.js';
import type { CheckedCitation, Rule } from '../types.js';

const withReplacement = (c: CheckedCitation): string =>
  c.instrument.replacedBy ? `${citationLabel(c)}（已由${titleOf(c.instrument.replacedBy.title)}取代）` : citationLabel(c);

export const basisRepealed: Rule<'BASIS_REPEALED'> = {
  code: 'BASIS_REPEALED',
  severity: 'error',
  title: '设定依据已废止',
  explanation:
    '设定依据所引用的法律、法规已被废止的，该依据不再有效。设定依据都已废止的（旁边只剩《行政处罚法》等通用法律的也算），事项失去设定依据，提出取消（错误）；' +
    '只有部分依据废止的，提示删除已废止的依据并核对其余依据（警告）。废止状态以法规库登记为准。',
  ground: GROUND.repealed,
  suggestion: 'cancel',
  effective: {},
  scope: 'item',
  check(item) {
    // Bases still standing; a general law such as 《行政处罚法》 beside a repealed one does not count.
    let live = 0;
    let repealed: CheckedCitation[] | null = null;
    for (const c of item.citations) {
      if (c.role !== 'setting') continue;
      if (c.instrument.status === 'repealed') (repealed ??= []).push(c);
      else if (!isGeneralLaw(c.instrument)) live++;
    }
    if (!repealed) return NO_FINDINGS;
    const named = repealed.map(withReplacement).join('、');
    const replaced = repealed.some((c) => c.instrument.replacedBy !== null);
    const details = { repealed: repealed.map((c) => ({ title: c.instrument.title, instrumentId: c.instrument.id })) };
    if (live === 0) {
      return [
        findingOf(basisRepealed, {
          message: `设定依据${named}已废止，“${item.name}”已无有效的设定依据`,
          suggestionText: replaced
            ? '取消该事项；如取代它的法律仍设定该权力，改引新法的条款后重新报审'
            : '取消该事项（设定依据已废止）',
          details,
        }),
      ];
    }
    return [
      findingOf(basisRepealed, {
        severity: 'warning',
        suggestion: 'fix_data',
        message: `设定依据中${named}已废止，其余${live}项依据仍在`,
        suggestionText: `删除已废止的依据${repealed.map((c) => titleOf(c.instrument.title)).join('、')}，并核对其余依据是否足以设定该事项`,
        details,
      }),
    ];
  },
};
