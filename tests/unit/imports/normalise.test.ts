import { describe, it, expect } from 'vitest';
import {
  FULL_WIDTH,
  INVISIBLES,
  LINE_BREAKS,
  SPACES,
  cellToText,
  charClasses,
  cleanText,
  needsCleaning,
  splitListItems,
  stripListMarker,
} from '../../../imports/normalise.js';
import type { CellValue } from '../../../imports/types.js';
import { join } from 'node:path';
import { readUpload } from '../../../imports/read-upload.js';
import { findTables, type SheetInfo } from '../../../imports/table.js';
import { importRow, type ImportedRow } from '../../../imports/rows.js';
import { tempDir, writeWorkbook } from '../../support/sheets.js';

describe('cellToText', () => {
  it('an empty cell is empty text', () => {
    expect(cellToText(null)).toBe('');
    expect(cellToText(undefined)).toBe('');
  });

  it('a string is kept exactly, spaces and all', () => {
    expect(cellToText('  行政许可 ')).toBe('  行政许可 ');
  });

  it('HTML character references a portal exported (&lt; &amp; &#xff08; &#65288; &nbsp;) are read as the characters they stand for', () => {
    expect(cellToText('食品经营许可&#xff08;新办&#xff09;')).toBe('食品经营许可（新办）');
    expect(cellToText('食品经营许可&#65288;延续&#65289;')).toBe('食品经营许可（延续）');
    expect(cellToText('&lt;中华人民共和国食品安全法&gt;第三十五条 &amp; 第三十六条')).toBe('<中华人民共和国食品安全法>第三十五条 & 第三十六条');
    expect(cellToText('&ldquo;放管服&rdquo;&nbsp;改革')).toBe('“放管服”\u00a0改革');
    expect(cellToText({ richText: [{ text: '申请&amp;' }, { text: '受理' }] })).toBe('申请&受理');
    // Once, as a browser would: a reference written out as text stays that text.
    expect(cellToText('&amp;lt;')).toBe('&lt;');
    // What is no reference, or no character, stays as written.
    expect(cellToText('A&B；R&D 中心；&unknown;；&#0;；&#xd800;')).toBe('A&B；R&D 中心；&unknown;；&#0;；&#xd800;');
  });

  it('HTML character references in a real-shaped sheet are decoded in the item it proposes', async () => {
    const path = await writeWorkbook(join(tempDir(), 'portal.xlsx'), [
      {
        name: '权责清单',
        rows: [
          ['序号', '事项名称', '事项类型', '实施主体', '设定依据'],
          [1, '食品经营许可&#xff08;新办&#xff09;', '行政许可', '区市场监管局&amp;区商务局', '《中华人民共和国食品安全法》第三十五条'],
        ],
      },
    ]);
    let headers: SheetInfo['headers'] = {};
    const rows: ImportedRow[] = [];
    for await (const e of findTables(readUpload(path))) {
      if (e.type === 'sheet') headers = e.info.headers;
      else if (e.type === 'row') rows.push(importRow(e.row, headers));
    }
    expect(rows.map((r) => [r.name, r.departmentText])).toEqual([['食品经营许可（新办）', '区市场监管局&区商务局']]);
  });

  it('an integer has no decimals and no exponent', () => {
    expect(cellToText(20)).toBe('20');
    expect(cellToText(-3)).toBe('-3');
    expect(cellToText(110105000001)).toBe('110105000001');
    expect(cellToText(1e20)).toBe('100000000000000000000');
    expect(cellToText(-0)).toBe('0');
  });

  it('a float has at most 15 significant digits, so binary noise disappears', () => {
    expect(cellToText(0.1 + 0.2)).toBe('0.3');
    expect(cellToText(1.1 * 3)).toBe('3.3');
    expect(cellToText(12.5)).toBe('12.5');
    expect(cellToText(2 / 3)).toBe('0.666666666666667');
  });

  it('a very small float is written out without an exponent', () => {
    expect(cellToText(1.5e-7)).toBe('0.00000015');
  });

  it('NaN and infinities are not text a clerk wrote', () => {
    expect(cellToText(Number.NaN)).toBe('');
    expect(cellToText(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('booleans read TRUE and FALSE as Excel shows them', () => {
    expect(cellToText(true)).toBe('TRUE');
    expect(cellToText(false)).toBe('FALSE');
  });

  it('a date at midnight is YYYY-MM-DD in UTC', () => {
    expect(cellToText(new Date(Date.UTC(2013, 4, 30)))).toBe('2013-05-30');
  });

  it('a date with a time adds HH:MM', () => {
    expect(cellToText(new Date(Date.UTC(2016, 0, 5, 9, 7)))).toBe('2016-01-05 09:07');
  });

  it('sub-second noise from an Excel serial does not push a date back a day', () => {
    expect(cellToText(new Date(Date.UTC(2013, 4, 31) - 1))).toBe('2013-05-31');
  });

  it('an invalid date is empty text', () => {
    expect(cellToText(new Date(Number.NaN))).toBe('');
  });

  it('rich text is its runs concatenated', () => {
    const cell: CellValue = { richText: [{ text: '《行政许可法》' }, { font: { bold: true }, text: '第十二条' }] };
    expect(cellToText(cell)).toBe('《行政许可法》第十二条');
  });

  it('a hyperlink is its text, also when the text is rich text', () => {
    expect(cellToText({ text: '办事指南', hyperlink: 'https://example.gov.cn' })).toBe('办事指南');
    expect(cellToText({ text: { richText: [{ text: '办事' }, { text: '指南' }] }, hyperlink: 'https://example.gov.cn' })).toBe(
      '办事指南',
    );
  });

  it('a formula is its cached result, converted like any cell', () => {
    expect(cellToText({ formula: 'A1&B1', result: '行政许可' })).toBe('行政许可');
    expect(cellToText({ formula: 'A1+B1', result: 0.1 + 0.2 })).toBe('0.3');
    expect(cellToText({ sharedFormula: 'C2', result: 20 })).toBe('20');
    expect(cellToText({ formula: 'TODAY()', result: new Date(Date.UTC(2020, 1, 29)) })).toBe('2020-02-29');
  });

  it('a formula without a cached result, or with an error result, is empty', () => {
    expect(cellToText({ formula: 'A1&B1' })).toBe('');
    expect(cellToText({ formula: 'VLOOKUP(A1,B:C,2,0)', result: { error: '#N/A' } })).toBe('');
  });

  it('an error cell is empty', () => {
    expect(cellToText({ error: '#N/A' })).toBe('');
    expect(cellToText({ error: '#REF!' })).toBe('');
  });

  it('no object ever becomes [object Object]', () => {
    expect(cellToText({ foo: 'bar' })).toBe('');
    expect(cellToText({ richText: 'not an array' })).toBe('');
    expect(cellToText([1, 2] as unknown as CellValue)).toBe('');
  });

  it('a cell whose getters throw is empty text, not an exception', () => {
    const hostile = {
      get formula(): string {
        throw new Error('boom');
      },
    };
    expect(cellToText(hostile as unknown as CellValue)).toBe('');
    const proxy = new Proxy(
      {},
      {
        has() {
          throw new Error('boom');
        },
      },
    );
    expect(cellToText(proxy as CellValue)).toBe('');
  });

  it('a formula that refers to itself ends instead of looping', () => {
    const cyclic: Record<string, unknown> = { formula: 'A1' };
    cyclic.result = cyclic;
    expect(cellToText(cyclic)).toBe('');
  });
});

describe('cleanText', () => {
  it('says a text needs cleaning exactly when it holds a character of the documented class, for every UTF-16 code unit', () => {
    const CLASS = /[\s\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"'“”‘’]/;
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const text = `行政${String.fromCharCode(c)}许可`;
      if (needsCleaning(text) !== CLASS.test(text)) differ.push(c);
    }
    expect(differ).toEqual([]);
    expect(needsCleaning('')).toBe(false);
    expect(needsCleaning('食品经营许可（北辰街道第1号）')).toBe(false);
    expect(cleanText('食品经营许可（北辰街道第1号）')).toBe('食品经营许可（北辰街道第1号）');
  });

  it('finds the characters each of its replacements acts on, for every UTF-16 code unit, so it can skip the others', () => {
    const passes: [number, RegExp][] = [
      [LINE_BREAKS, /\r|[\u2028\u2029\u0085]/],
      [INVISIBLES, /[\u200b-\u200f\u2060\ufeff\u00ad\u180e]/],
      [SPACES, /[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/],
      [FULL_WIDTH, /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/],
    ];
    const differ: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const text = `许${String.fromCharCode(c)}可`;
      for (const [bit, re] of passes) if (((charClasses(text) & bit) !== 0) !== re.test(text)) differ.push(`${c.toString(16)}/${bit}`);
    }
    expect(differ).toEqual([]);
    expect(cleanText(' １．申请表\r\n２．身份\u200b证明\u3000（复印件）\u20283. 其他 ', { multiline: true })).toBe('1．申请表\n2．身份证明 （复印件）\n3. 其他');
    expect(cleanText('\u0085')).toBe('\u0085');
    expect(cleanText('甲\u0085 乙')).toBe('甲乙');
  });

  it('NBSP, the ideographic space and other spaces become one space, runs collapse, ends are trimmed', () => {
    expect(cleanText('\u00a0行政\u3000\u3000许可\u2002 法 ')).toBe('行政 许可 法');
    expect(cleanText('申请\t\t材料')).toBe('申请 材料');
  });

  it('zero-width characters, the BOM and soft hyphens are removed', () => {
    expect(cleanText('\ufeff行政\u200b许\u200c可\u200d\u00ad')).toBe('行政许可');
  });

  it('full-width letters and digits become half-width, Chinese punctuation stays', () => {
    expect(cleanText('第３５条（ＡＢｃ）：《法》，；')).toBe('第35条（ABc）：《法》，；');
  });

  it('one pair of quotes wrapping the whole value is removed', () => {
    expect(cleanText('"《中华人民共和国食品安全法》第35条"')).toBe('《中华人民共和国食品安全法》第35条');
    expect(cleanText('“不收费”')).toBe('不收费');
    expect(cleanText("'20个工作日'")).toBe('20个工作日');
    expect(cleanText('‘即办’')).toBe('即办');
    expect(cleanText('""即办""')).toBe('""即办""');
  });

  it('quotes that do not wrap the whole value stay', () => {
    expect(cleanText('"一业一证"改革')).toBe('"一业一证"改革');
    expect(cleanText('“一业一证”和“一照通”')).toBe('“一业一证”和“一照通”');
  });

  it('a line break between two Chinese characters disappears when lines are joined', () => {
    expect(cleanText('行政\r\n许可')).toBe('行政许可');
    expect(cleanText('行政\r许可')).toBe('行政许可');
  });

  it('a line break next to a Latin letter or digit becomes a space when lines are joined', () => {
    expect(cleanText('时限20\n个工作日')).toBe('时限20 个工作日');
    expect(cleanText('第十二条\n2016年')).toBe('第十二条 2016年');
    expect(cleanText('ISO\n9001')).toBe('ISO 9001');
  });

  it('multiline keeps line breaks, trims each line and drops empty ones', () => {
    expect(cleanText('  1、身份证 \r\n\r\n  2、户口本\r\n', { multiline: true })).toBe('1、身份证\n2、户口本');
  });

  it('text that needs nothing is returned unchanged', () => {
    expect(cleanText('行政许可')).toBe('行政许可');
  });
});

describe('stripListMarker', () => {
  it('removes Arabic markers with 、 . ． ) and brackets', () => {
    expect(stripListMarker('1、身份证')).toBe('身份证');
    expect(stripListMarker('12. 营业执照')).toBe('营业执照');
    expect(stripListMarker('3．申请书')).toBe('申请书');
    expect(stripListMarker('(1)申请书')).toBe('申请书');
    expect(stripListMarker('（2）申请书')).toBe('申请书');
    expect(stripListMarker('１、身份证')).toBe('身份证');
  });

  it('removes circled numbers and Chinese ordinals', () => {
    expect(stripListMarker('①身份证')).toBe('身份证');
    expect(stripListMarker('一、申请条件')).toBe('申请条件');
    expect(stripListMarker('第一、申请条件')).toBe('申请条件');
    expect(stripListMarker('（三）有固定场所')).toBe('有固定场所');
  });

  it('removes only one marker, only at the start', () => {
    expect(stripListMarker('1、2、身份证')).toBe('2、身份证');
    expect(stripListMarker('身份证1、复印件')).toBe('身份证1、复印件');
  });

  it('a decimal number is not a marker', () => {
    expect(stripListMarker('1.5万元以下')).toBe('1.5万元以下');
  });

  it('a word starting with a numeral is not a marker', () => {
    expect(stripListMarker('一次性告知')).toBe('一次性告知');
    expect(stripListMarker('第一条')).toBe('第一条');
  });
});

describe('splitListItems', () => {
  it('one item per line, markers removed', () => {
    expect(splitListItems('1、申请书\n2、身份证复印件\n3、营业执照')).toEqual(['申请书', '身份证复印件', '营业执照']);
  });

  it('numbered items on one line split at each next number', () => {
    expect(splitListItems('1、申请书；2、身份证复印件；3、营业执照。')).toEqual(['申请书', '身份证复印件', '营业执照']);
    expect(splitListItems('1、申请书2、身份证复印件')).toEqual(['申请书', '身份证复印件']);
  });

  it('a number inside an item that is not the next one does not split it', () => {
    expect(splitListItems('1、近3、6个月的银行流水2、身份证')).toEqual(['近3、6个月的银行流水', '身份证']);
  });

  it('circled numbers split', () => {
    expect(splitListItems('①申请书②身份证③营业执照')).toEqual(['申请书', '身份证', '营业执照']);
  });

  it('bracketed numbers split', () => {
    expect(splitListItems('（一）有固定场所；（二）有专业人员')).toEqual(['有固定场所', '有专业人员']);
  });

  it('semicolons split unnumbered text, but not inside brackets', () => {
    expect(splitListItems('申请书；身份证（原件；复印件）;营业执照')).toEqual(['申请书', '身份证（原件；复印件）', '营业执照']);
  });

  it('in a numbered list a line without a marker continues the item before it', () => {
    expect(splitListItems('1、申请书\n（原件一份）\n2、身份证')).toEqual(['申请书（原件一份）', '身份证']);
  });

  it('empty text has no items', () => {
    expect(splitListItems('')).toEqual([]);
    expect(splitListItems(' \n ')).toEqual([]);
  });
});
