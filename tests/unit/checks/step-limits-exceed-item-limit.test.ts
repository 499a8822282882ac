import { describe, it, expect } from 'vitest';
import { STEP_LIMITS_GROUND, stepLimitsExceedItemLimit } from '../../../server/checks/rules/step-limits-exceed-item-limit.js';
import { context, item } from './builders.js';

const ctx = context();
const TIMED = '受理（窗口，1个工作日）→审查（科长，3个工作日）→审批（局长，2个工作日）→送达（窗口，即时）';

describe('STEP_LIMITS_EXCEED_ITEM_LIMIT — the steps’ limits fit in the item’s limit (seed 000 二（四）1)', () => {
  it('steps adding up to more than the promised limit are flagged, with each step’s limit', () => {
    const [f] = stepLimitsExceedItemLimit.check(item({ name: '城市排水许可', processText: TIMED, statutoryLimitDays: 20, promisedLimitDays: 5 }), ctx);
    expect(f).toMatchObject({ rule: 'STEP_LIMITS_EXCEED_ITEM_LIMIT', severity: 'warning', suggestion: 'fix_data', ground: STEP_LIMITS_GROUND });
    expect(f!.message).toBe('“城市排水许可”各环节时限合计6个工作日（受理1日、审查3日、审批2日、送达0日），超过承诺时限5个工作日');
    expect(f!.details).toEqual({ stepLimitDays: 6, itemLimitDays: 5, basis: 'promised' });
  });

  it('without a promised limit the statutory one counts', () => {
    const [f] = stepLimitsExceedItemLimit.check(item({ processText: TIMED, statutoryLimitDays: 4 }), ctx);
    expect(f!.message).toContain('超过法定时限4个工作日');
    expect(f!.details).toMatchObject({ basis: 'statutory', itemLimitDays: 4 });
  });

  it('an instant item (即办件) whose steps take days is flagged', () => {
    const [f] = stepLimitsExceedItemLimit.check(item({ processText: '受理（即时）→审核（2个工作日）→办结', instant: true }), ctx);
    expect(f!.message).toContain('超过即办件当日办结的承诺');
  });

  it('loaded steps count as the text’s do', () => {
    const steps = [
      { name: '审查', post: null, limitDays: 15 },
      { name: '决定', post: null, limitDays: 10 },
    ];
    expect(stepLimitsExceedItemLimit.check(item({ steps, statutoryLimitDays: 20 }), ctx)).toHaveLength(1);
  });

  it('must not fire: the steps fit, exactly or with room', () => {
    expect(stepLimitsExceedItemLimit.check(item({ processText: TIMED, promisedLimitDays: 6 }), ctx)).toEqual([]);
    expect(stepLimitsExceedItemLimit.check(item({ processText: TIMED, promisedLimitDays: 10, statutoryLimitDays: 3 }), ctx)).toEqual([]);
    // Hours under a day count as the item's own limits do: 0.
    expect(stepLimitsExceedItemLimit.check(item({ processText: '受理（即时）→审核（2小时）→审批（2小时）→办结（当场）', promisedLimitDays: 0 }), ctx)).toEqual([]);
  });

  it('must not fire: no step has a limit, or the item has none', () => {
    expect(stepLimitsExceedItemLimit.check(item({ processText: '受理→审查→决定→送达', promisedLimitDays: 1 }), ctx)).toEqual([]);
    expect(stepLimitsExceedItemLimit.check(item({ processText: TIMED }), ctx)).toEqual([]);
    expect(stepLimitsExceedItemLimit.check(item({ processText: '自受理之日起30个工作日内作出决定', promisedLimitDays: 5 }), ctx)).toEqual([]);
  });
});
