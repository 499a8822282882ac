// NO_BASIS: an item with no setting basis is proposed for cancellation (seed 000 二(一)1–2).
import { GROUND } from '../grounds.js';
import { citationList, findingOf, isGeneralLaw, NO_FINDINGS } from '../basis.js';
import type { CheckedCitation, Rule } from '../types.js';
import { needsSettingBasis } from '../../domain/vocabulary.js';

export const noBasis: Rule<'NO_BASIS'> = {
  code: 'NO_BASIS',
  severity: 'error',
  title: '无设定依据',
  explanation:
    '事项必须有设定依据（设定该权力的法律、法规、规章或文件条款）。没有任何设定依据的，按“没有保留依据的项目一律取消”提出取消。' +
    '只填了实施依据的同样视为没有设定依据：实施依据只规定权力如何行使，不能设定权力。' +
    '设定依据只有《行政许可法》《行政处罚法》《行政强制法》、地方组织法等通用法律的，也不能说明该具体事项从何而来，提示补充（警告）。' +
    '公共服务事项不是行政权力，不适用本规则。',
  ground: GROUND.noBasisPermit,
  suggestion: 'cancel',
  effective: {},
  scope: 'item',
  check(item) {
    if (!needsSettingBasis(item.category)) return NO_FINDINGS;
    let setting = 0;
    let general = 0;
    let implementing: CheckedCitation[] | null = null;
    for (const c of item.citations) {
      if (c.role === 'setting') {
        setting++;
        if (isGeneralLaw(c.instrument)) general++;
      } else (implementing ??= []).push(c);
    }
    const ground = item.category === 'non_permit_approval' ? GROUND.noBasisNonPermit : GROUND.noBasisPermit;
    if (setting === 0) {
      return [
        findingOf(noBasis, {
          message: implementing
            ? `“${item.name}”只列有实施依据${citationList(implementing)}，没有设定依据；实施依据不能设定权力`
            : `“${item.name}”没有填写设定依据`,
          suggestionText: '取消该事项；确有法律、法规设定的，补充设定依据（文件名称及条款）',
          ground,
        }),
      ];
    }
    if (general === setting) {
      const generalOnes = item.citations.filter((c) => c.role === 'setting');
      return [
        findingOf(noBasis, {
          severity: 'warning',
          suggestion: 'review',
          message: `“${item.name}”的设定依据只有${citationList(generalOnes)}，这些法律只规定权力如何行使，不设定该具体事项`,
          suggestionText: '补充设定该事项的具体法律、法规条款；找不到的，建议取消',
          ground,
        }),
      ];
    }
    return NO_FINDINGS;
  },
};
