// NON_PERMIT_ABOLISHED: since 国发〔2015〕27号 no non-permit approval may face citizens, enterprises
// or other organisations; only internal approvals among government bodies remain.
import { SERVICE_OBJECTS } from '../../domain/vocabulary.js';
import { GROUND } from '../grounds.js';
import { findingOf, NO_FINDINGS } from '../basis.js';
import type { Rule } from '../types.js';

export const nonPermitAbolished: Rule<'NON_PERMIT_ABOLISHED'> = {
  code: 'NON_PERMIT_ABOLISHED',
  severity: 'error',
  title: '非行政许可审批已取消',
  explanation:
    '国务院2015年5月10日决定彻底取消面向公民、法人和其他组织的非行政许可审批事项（国发〔2015〕27号），' +
    '只保留政府内部审批。此后编制的清单中，非行政许可审批事项要么取消，要么依法调整为行政许可，要么作为政府内部审批（服务对象仅限政府机关）。' +
    '本规则只适用于2015年5月10日及以后的清单。',
  ground: GROUND.nonPermitAbolished,
  suggestion: 'reclassify',
  effective: { from: '2015-05-10' },
  scope: 'item',
  check(item) {
    if (item.category !== 'non_permit_approval') return NO_FINDINGS;
    const objects = item.serviceObjects;
    if (objects.length === 1 && objects[0] === 'government') return NO_FINDINGS;
    const facing = objects.filter((o) => o !== 'government').map((o) => SERVICE_OBJECTS[o]);
    return [
      findingOf(nonPermitAbolished, {
        message:
          objects.length === 0
            ? `非行政许可审批“${item.name}”未标明服务对象，不能认定为政府内部审批；面向公民、法人和其他组织的非行政许可审批已被取消`
            : `非行政许可审批“${item.name}”面向${facing.join('、')}；面向公民、法人和其他组织的非行政许可审批已被取消`,
        suggestionText: '取消、调整为行政许可或作为政府内部审批（服务对象仅限政府机关）',
        details: { serviceObjects: objects },
      }),
    ];
  },
};
