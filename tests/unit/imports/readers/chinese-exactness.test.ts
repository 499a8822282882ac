// 100,000 rows of Chinese text written by exceljs come back with every character exact (the exceljs
// streaming reader itself corrupts characters split across its chunks; ours must not).
import { afterAll, describe, expect, it } from 'vitest';
import { readUpload } from '../../../../imports/read-upload.js';
import { chineseRow, seededRandom, writeChineseSheet } from '../../../fixtures/chinese-text.js';
import { TempFiles } from '../../../fixtures/hostile.js';

const temp = new TempFiles();
afterAll(() => temp.remove());
const ROWS = 100_000;

async function compareEveryCell(path: string): Promise<{ rows: number; differences: string[] }> {
  const random = seededRandom(2024);
  const differences: string[] = [];
  let rows = 0;
  for await (const event of readUpload(path)) {
    if (event.type !== 'row') continue;
    rows++;
    const expected = chineseRow(random, rows);
    expect(event.rowNumber).toBe(rows);
    for (let c = 0; c < expected.length; c++) {
      if (event.cells[c] !== expected[c] && differences.length < 5) differences.push(`R${rows}C${c + 1}: ${String(event.cells[c])} ≠ ${expected[c]}`);
    }
  }
  return { rows, differences };
}

describe('Chinese text is read exactly', () => {
  for (const sharedStrings of [true, false]) {
    it(`every cell of a ${ROWS.toLocaleString('en')}-row sheet written ${sharedStrings ? 'with shared strings' : 'with inline strings'}`, async () => {
      const path = temp.path(`chinese-${sharedStrings ? 'shared' : 'inline'}.xlsx`);
      await writeChineseSheet(path, ROWS, sharedStrings);
      const { rows, differences } = await compareEveryCell(path);
      expect(differences).toEqual([]);
      expect(rows).toBe(ROWS);
    }, 240_000);
  }
});
