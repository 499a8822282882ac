import { describe, expect, it } from 'vitest';
import { excelSerialToDate, isDateFormatCode } from '../../../../imports/xlsx/styles.js';

describe('number formats and dates', () => {
  it('recognises date formats by their tokens outside quotes, brackets and escapes', () => {
    for (const code of ['yyyy/m/d', 'yyyy"年"m"月"d"日"', '[$-F800]dddd, mmmm dd, yyyy', 'h:mm:ss AM/PM', '[DBNum1][$-804]yyyy"年"m"月"d"日"', 'mm:ss.0']) {
      expect(isDateFormatCode(code), code).toBe(true);
    }
    for (const code of ['General', '0.00', '#,##0.00_);[Red]\\(#,##0.00\\)', '0"天"', '"共"0"项"', '@', '0.00E+00', '[Red]0%']) {
      expect(isDateFormatCode(code), code).toBe(false);
    }
  });

  it('converts serials in the 1900 system (with its phantom 29 February) and the 1904 system to UTC dates', () => {
    expect(excelSerialToDate(1, false)).toEqual(new Date(Date.UTC(1900, 0, 1)));
    expect(excelSerialToDate(59, false)).toEqual(new Date(Date.UTC(1900, 1, 28)));
    expect(excelSerialToDate(61, false)).toEqual(new Date(Date.UTC(1900, 2, 1)));
    expect(excelSerialToDate(45306.604166666664, false)).toEqual(new Date(Date.UTC(2024, 0, 15, 14, 30)));
    expect(excelSerialToDate(0, true)).toEqual(new Date(Date.UTC(1904, 0, 1)));
    expect(excelSerialToDate(-1, false)).toBeUndefined();
  });
});
