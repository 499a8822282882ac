import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, readCsvObjects } from '../../../db/seed/csv.js';

describe('parseCsv', () => {
  it('plain fields split on commas and rows on line breaks', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('CRLF line ends are one break, and a final break makes no empty row', () => {
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('a quoted field keeps its commas, line breaks and doubled quotes', () => {
    expect(parseCsv('x,"据省政府令第349号,部分下放",y\r\n')).toEqual([['x', '据省政府令第349号,部分下放', 'y']]);
    expect(parseCsv('"line one\r\nline two",b\n')).toEqual([['line one\r\nline two', 'b']]);
    expect(parseCsv('"he said ""hi""",b\n')).toEqual([['he said "hi"', 'b']]);
    expect(parseCsv('""\n')).toEqual([['']]);
  });

  it('empty fields are kept, also at the end of a row', () => {
    expect(parseCsv('a,,c,\n')).toEqual([['a', '', 'c', '']]);
    expect(parseCsv(',\n')).toEqual([['', '']]);
  });

  it('a UTF-8 byte-order mark is not part of the first field', () => {
    expect(parseCsv('\ufefftitle,rank\n')).toEqual([['title', 'rank']]);
  });

  it('a stray quote inside an unquoted field is kept as text', () => {
    expect(parseCsv('ab"c,d\n')).toEqual([['ab"c', 'd']]);
  });

  it('an unclosed quoted field is an error, not a silent truncation', () => {
    expect(() => parseCsv('a,"bc\n')).toThrow(/not closed/);
  });
});

describe('readCsvObjects', () => {
  it('rows become objects keyed by the header; blank lines are skipped and missing fields are empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    try {
      const path = join(dir, 'x.csv');
      writeFileSync(path, '\ufefftitle,status\r\n"行政许可法,2019",in_force\r\n\r\n外资企业法\r\n', 'utf8');
      expect(readCsvObjects(path)).toEqual([
        { title: '行政许可法,2019', status: 'in_force' },
        { title: '外资企业法', status: '' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
