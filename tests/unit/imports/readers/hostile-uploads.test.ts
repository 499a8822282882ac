// Every hostile or broken upload is refused with its code and a Chinese message, quickly, before any row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUpload } from '../../../../imports/read-upload.js';
import { DEFAULT_READ_LIMITS } from '../../../../server/domain/limits.js';
import { RefusedUpload, type ReadLimits, type ReaderEvent } from '../../../../imports/types.js';
import { TempFiles, hostile, writeLongCsv } from '../../../fixtures/hostile.js';

const temp = new TempFiles();
afterAll(() => temp.remove());

interface Outcome {
  events: ReaderEvent[];
  refusal?: RefusedUpload;
  ms: number;
}

async function read(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<Outcome> {
  const events: ReaderEvent[] = [];
  const start = performance.now();
  try {
    for await (const event of readUpload(path, limits)) events.push(event);
  } catch (error) {
    if (!(error instanceof RefusedUpload)) throw error;
    return { events, refusal: error, ms: performance.now() - start };
  }
  return { events, ms: performance.now() - start };
}

async function expectRefused(
  path: string,
  code: RefusedUpload['code'],
  limits?: ReadLimits,
  rowsBefore: 'none' | 'some' = 'none',
): Promise<RefusedUpload> {
  const outcome = await read(path, limits);
  expect(outcome.refusal?.code, outcome.refusal?.message).toBe(code);
  expect(outcome.refusal?.message).toMatch(/[\u4e00-\u9fff]{4}/);
  if (rowsBefore === 'none') expect(outcome.events.filter((e) => e.type === 'row')).toEqual([]);
  expect(outcome.ms).toBeLessThan(10_000); // "within seconds"; generous so a busy machine does not flake
  return outcome.refusal!;
}

describe('hostile uploads are refused before any row', () => {
  it('a zip bomb with honest sizes is refused from its central directory, without inflating', async () => {
    const error = await expectRefused(temp.write('honest-bomb.xlsx', hostile.honestBomb()), 'zip.too_large');
    expect(error.message).toContain('解压后超过');
  });

  it('a zip bomb whose central directory lies about sizes is stopped by the real inflated bytes', async () => {
    await expectRefused(temp.write('lying-bomb.xlsx', hostile.lyingBomb()), 'zip.ratio');
  });

  it('a zip with more parts than allowed is refused', async () => {
    await expectRefused(temp.write('parts.xlsx', hostile.manyParts(DEFAULT_READ_LIMITS.maxParts + 1)), 'zip.too_many_parts');
  });

  it('a range bomb (whole-grid dimension, a cell at row 2,000,000) is refused', async () => {
    const error = await expectRefused(temp.write('range-bomb.xlsx', hostile.rangeBomb()), 'sheet.range_too_large');
    expect(error.message).toContain('2000000');
  });

  it('a cell beyond column XFD is refused', async () => {
    await expectRefused(temp.write('column-bomb.xlsx', hostile.columnBomb()), 'sheet.range_too_large');
  });

  it('a whole-grid dimension alone allocates nothing and reads the one real row', async () => {
    const outcome = await read(temp.write('whole-grid.xlsx', hostile.wholeGridDimension()));
    expect(outcome.refusal).toBeUndefined();
    expect(outcome.events.filter((e) => e.type === 'row')).toEqual([{ type: 'row', sheet: 'Sheet1', rowNumber: 1, cells: ['事项名称'] }]);
  });

  it('a DOCTYPE with entities (billion laughs) in a sheet is refused', async () => {
    await expectRefused(temp.write('laughs-sheet.xlsx', hostile.doctypeInSheet()), 'xml.doctype');
  });

  it('a DOCTYPE with entities in the shared strings is refused', async () => {
    await expectRefused(temp.write('laughs-sst.xlsx', hostile.doctypeInSharedStrings()), 'xml.doctype');
  });

  it('a legacy .xls is refused with how to re-save it', async () => {
    await expectRefused(temp.write('old.xlsx', hostile.legacyXls()), 'format.legacy_xls');
  });

  it('a password-protected workbook is refused', async () => {
    await expectRefused(temp.write('password.xlsx', hostile.encryptedXlsx()), 'format.encrypted');
  });

  it('a zip entry flagged as encrypted is refused as corrupt', async () => {
    await expectRefused(temp.write('encrypted-entry.xlsx', hostile.encryptedEntry()), 'zip.corrupt');
  });

  it('a truncated xlsx is refused as corrupt', async () => {
    await expectRefused(temp.write('truncated.xlsx', hostile.truncatedXlsx()), 'zip.corrupt');
  });

  it('a PDF renamed to .xlsx is refused', async () => {
    await expectRefused(temp.write('renamed.xlsx', hostile.pdf()), 'format.pdf');
  });

  it('a workbook without any worksheet is refused as empty', async () => {
    const error = await expectRefused(temp.write('no-sheet.xlsx', hostile.noWorksheet()), 'format.empty');
    expect(error.message).toContain('工作簿是空的');
  });

  it('a workbook whose sheets have no content is refused as empty, with no event handed over', async () => {
    const outcome = await read(temp.write('empty-sheets.xlsx', hostile.emptyWorksheet()));
    expect(outcome.refusal?.code).toBe('format.empty');
    expect(outcome.refusal?.message).toContain('工作簿是空的');
    expect(outcome.events).toEqual([]);
  });

  it('an empty file and a CSV of blank lines are refused as empty', async () => {
    await expectRefused(temp.write('zero.csv', ''), 'format.empty');
    await expectRefused(temp.write('blank.csv', ',,,\r\n\r\n,,\r\n'), 'format.empty');
  });

  describe('a CSV with 2,000,000 data rows', () => {
    let path = '';
    beforeAll(async () => {
      path = temp.path('two-million.csv');
      await writeLongCsv(path, 2_000_000);
    }, 60_000);

    it('is refused as too many rows as soon as the limit is crossed (a CSV streams: rows before it were handed over)', async () => {
      const error = await expectRefused(path, 'sheet.too_many_rows', DEFAULT_READ_LIMITS, 'some');
      expect(error.message).toContain(String(DEFAULT_READ_LIMITS.maxRows));
    }, 30_000);
  });

  it('a sheet with more rows than the limit is refused before any row is handed over', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('');
    const { buildZip } = await import('../../../fixtures/zip-writer.js');
    const { workbookParts, sheetXml } = await import('../../../fixtures/hostile.js');
    const path = temp.write('rows.xlsx', buildZip(workbookParts([sheetXml(`<sheetData>${rows}</sheetData>`)])));
    await expectRefused(path, 'sheet.too_many_rows', { ...DEFAULT_READ_LIMITS, maxRows: 100 });
  });
});
