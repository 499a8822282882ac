import { describe, it, expect } from 'vitest';
import { nonPermitAbolished } from '../../../server/checks/rules/non-permit-abolished.js';
import { checkItem } from '../../../server/checks/engine.js';
import { context, item } from './builders.js';

const approval = (fields: Parameters<typeof item>[0] = {}) =>
  item({ category: 'non_permit_approval', name: '企业职工退休审批', ...fields });

describe('NON_PERMIT_ABOLISHED — 国发〔2015〕27号 abolished non-permit approvals facing the public', () => {
  it('a non-permit approval facing citizens in a 2016 catalogue must be cancelled, converted or made internal', () => {
    const [f] = nonPermitAbolished.check(approval({ serviceObjects: ['citizens'] }), context('2016-06-30'));
    expect(f).toMatchObject({
      rule: 'NON_PERMIT_ABOLISHED',
      severity: 'error',
      suggestion: 'reclassify',
      suggestionText: '取消、调整为行政许可或作为政府内部审批（服务对象仅限政府机关）',
      ground: '《国务院关于取消非行政许可审批事项的决定》（国发〔2015〕27号）',
    });
    expect(f!.message).toContain('自然人');
  });

  it('a non-permit approval for government bodies only is not abolished', () => {
    expect(nonPermitAbolished.check(approval({ serviceObjects: ['government'] }), context('2016-06-30'))).toEqual([]);
  });

  it('one without service objects cannot count as internal', () => {
    const [f] = nonPermitAbolished.check(approval({ serviceObjects: [] }), context('2016-06-30'));
    expect(f!.message).toContain('未标明服务对象');
  });

  it('government bodies among others do not make it internal', () => {
    expect(nonPermitAbolished.check(approval({ serviceObjects: ['government', 'enterprises'] }), context('2016-06-30'))).toHaveLength(1);
  });

  it('NON_PERMIT_ABOLISHED does not apply to a catalogue dated 2014', () => {
    const found = checkItem(approval({ serviceObjects: ['citizens'] }), context('2014-12-31'), { rules: ['NON_PERMIT_ABOLISHED'] });
    expect(found).toEqual([]);
  });

  it('applies from the day the decision was issued, 2015-05-10', () => {
    const rules = ['NON_PERMIT_ABOLISHED'] as const;
    expect(checkItem(approval(), context('2015-05-09'), { rules: [...rules] })).toEqual([]);
    expect(checkItem(approval(), context('2015-05-10'), { rules: [...rules] })).toHaveLength(1);
  });

  it('does not touch permits', () => {
    expect(nonPermitAbolished.check(item({ category: 'permit' }), context('2016-06-30'))).toEqual([]);
  });
});
