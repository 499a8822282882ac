import { describe, it, expect } from 'vitest';
import { chineseToNumber, parseTimeLimit, parseTimeLimits } from '../../../server/domain/time-limits.js';

const days = (n: number | null, natural = false) => ({ days: n, instant: false, natural, ok: true });
const INSTANT = { days: 0, instant: true, natural: false, ok: true };
const NONE = { days: null, instant: false, natural: false, ok: true };
const UNPARSED = { days: null, instant: false, natural: false, ok: false };

describe('chineseToNumber', () => {
  it('reads the numerals one to nine, ten and two written as 两', () => {
    expect(chineseToNumber('一')).toBe(1);
    expect(chineseToNumber('九')).toBe(9);
    expect(chineseToNumber('十')).toBe(10);
    expect(chineseToNumber('两')).toBe(2);
    expect(chineseToNumber('零')).toBe(0);
  });

  it('reads tens, hundreds and thousands with and without a leading one', () => {
    expect(chineseToNumber('十五')).toBe(15);
    expect(chineseToNumber('二十')).toBe(20);
    expect(chineseToNumber('二十五')).toBe(25);
    expect(chineseToNumber('一百二十')).toBe(120);
    expect(chineseToNumber('一百零五')).toBe(105);
    expect(chineseToNumber('一百十')).toBe(110);
    expect(chineseToNumber('两千零一')).toBe(2001);
    expect(chineseToNumber('一万二千')).toBe(12000);
  });

  it('reads digit-by-digit numerals as in years', () => {
    expect(chineseToNumber('二〇一六')).toBe(2016);
  });

  it('reads Arabic digits, half- and full-width', () => {
    expect(chineseToNumber('20')).toBe(20);
    expect(chineseToNumber('２０')).toBe(20);
    expect(chineseToNumber('1.5')).toBe(1.5);
  });

  it('refuses what is not a number', () => {
    expect(chineseToNumber('')).toBeNull();
    expect(chineseToNumber('工作日')).toBeNull();
    expect(chineseToNumber('十百')).toBeNull();
    expect(chineseToNumber('百')).toBeNull();
    expect(chineseToNumber('20天')).toBeNull();
  });
});

describe('parseTimeLimit', () => {
  it('“20个工作日” is twenty working days', () => {
    expect(parseTimeLimit('20个工作日')).toEqual(days(20));
    expect(parseTimeLimit(' ２０ 个工作日 ')).toEqual(days(20));
  });

  it('“即办” means instant handling with zero days', () => {
    for (const text of ['即办', '即时办结', '当场办结', '即来即办', '立即', '即办件', '承诺即办', '当场办理']) {
      expect(parseTimeLimit(text), text).toEqual(INSTANT);
    }
  });

  it('a label before the number is skipped: “承诺时限15个工作日”', () => {
    expect(parseTimeLimit('承诺时限15个工作日')).toEqual(days(15));
    expect(parseTimeLimit('承诺15个工作日')).toEqual(days(15));
    expect(parseTimeLimit('法定时限：20个工作日')).toEqual(days(20));
  });

  it('Chinese numerals count: “十五日”, “十五个工作日”, “二十日”', () => {
    expect(parseTimeLimit('十五日')).toEqual(days(15));
    expect(parseTimeLimit('十五个工作日')).toEqual(days(15));
    expect(parseTimeLimit('二十日')).toEqual(days(20));
    expect(parseTimeLimit('一百二十日')).toEqual(days(120));
    expect(parseTimeLimit('两个工作日')).toEqual(days(2));
  });

  it('“5天” and “15日内” count as written', () => {
    expect(parseTimeLimit('5天')).toEqual(days(5));
    expect(parseTimeLimit('15日内')).toEqual(days(15));
  });

  it('a sentence around the limit is read: 自受理之日起二十日内作出决定', () => {
    expect(parseTimeLimit('自受理之日起二十日内作出决定')).toEqual(days(20));
    expect(parseTimeLimit('20个工作日（不含法定节假日）')).toEqual(days(20));
  });

  it('natural days are flagged when written as 自然日', () => {
    expect(parseTimeLimit('30个自然日')).toEqual(days(30, true));
  });

  it('months count thirty natural days, weeks seven, years 365', () => {
    expect(parseTimeLimit('3个月')).toEqual(days(90, true));
    expect(parseTimeLimit('三个月')).toEqual(days(90, true));
    expect(parseTimeLimit('2周')).toEqual(days(14, true));
    expect(parseTimeLimit('1年')).toEqual(days(365, true));
  });

  it('hours under a day mean the same day, not instant handling', () => {
    expect(parseTimeLimit('2小时')).toEqual(days(0));
    expect(parseTimeLimit('当日办结')).toEqual(days(0));
  });

  it('24 hours or more count whole natural days, rounded up', () => {
    expect(parseTimeLimit('48小时')).toEqual(days(2, true));
    expect(parseTimeLimit('36小时')).toEqual(days(2, true));
  });

  it('a range counts its upper bound', () => {
    expect(parseTimeLimit('5-10个工作日')).toEqual(days(10));
    expect(parseTimeLimit('五至十个工作日')).toEqual(days(10));
  });

  it('a bare number is a number of days, and zero is instant handling', () => {
    expect(parseTimeLimit('20')).toEqual(days(20));
    expect(parseTimeLimit('0')).toEqual(INSTANT);
    expect(parseTimeLimit('0个工作日')).toEqual(INSTANT);
  });

  it('fractions of a day round up; half a day is the same day', () => {
    expect(parseTimeLimit('1.5个工作日')).toEqual(days(2));
    expect(parseTimeLimit('0.5个工作日')).toEqual(days(0));
  });

  it('the first limit counts when the text has several', () => {
    expect(parseTimeLimit('20个工作日，可延长10个工作日')).toEqual(days(20));
    expect(parseTimeLimit('20个工作日（符合条件的即办）')).toEqual(days(20));
  });

  it('empty, 无, / and — mean no limit, which is fine', () => {
    for (const text of ['', '无', '/', '—', '——', '-', '暂无', '不适用', '无法定时限', '法律未规定']) {
      expect(parseTimeLimit(text), text).toEqual(NONE);
    }
  });

  it('text that is not a time limit is reported as unparsed', () => {
    expect(parseTimeLimit('按规定办理')).toEqual(UNPARSED);
    expect(parseTimeLimit('尽快')).toEqual(UNPARSED);
  });
});

describe('parseTimeLimits', () => {
  it('a cell holding both limits gives each by its label', () => {
    expect(parseTimeLimits('法定20个工作日，承诺5个工作日')).toEqual({ statutory: days(20), promised: days(5) });
    expect(parseTimeLimits('承诺时限：即办；法定时限：二十日')).toEqual({ statutory: days(20), promised: INSTANT });
  });

  it('法定节假日 is not a label', () => {
    expect(parseTimeLimits('承诺10个工作日（不含法定节假日）')).toEqual({ promised: days(10) });
  });

  it('unlabelled text is filed under the column it came from, when given', () => {
    expect(parseTimeLimits('20个工作日', 'statutory')).toEqual({ statutory: days(20) });
    expect(parseTimeLimits('20个工作日')).toEqual({});
    expect(parseTimeLimits('20个工作日，承诺5个工作日', 'statutory')).toEqual({ statutory: days(20), promised: days(5) });
  });
});
