// Writes a benchmark sheet with exceljs's streaming writer: `tsx bench/make-sheet.ts OUT ROWS shared|inline`.
import ExcelJS from 'exceljs';
import { HEADER, benchRow, rng } from './content.js';

export async function makeSheet(out: string, rows: number, sharedStrings: boolean): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useSharedStrings: sharedStrings, useStyles: false });
  const ws = wb.addWorksheet('事项清单');
  ws.addRow(['广安区行政权力清单（基准测试）']).commit();
  ws.addRow(HEADER).commit();
  const random = rng(20261122);
  for (let i = 1; i <= rows; i++) ws.addRow(benchRow(i, random)).commit();
  ws.commit();
  await wb.commit();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [out, rows, kind] = process.argv.slice(2);
  await makeSheet(out!, Number(rows), kind === 'shared');
}
