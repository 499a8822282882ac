// Building small spreadsheets for tests the way department files look (exceljs writes them).
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SheetSpec {
  name?: string;
  rows: (string | number | null)[][];
  /** e.g. ['B4:B6'] */
  merges?: string[];
}

export async function writeWorkbook(path: string, sheets: SheetSpec[]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  sheets.forEach((spec, i) => {
    const ws = wb.addWorksheet(spec.name ?? `Sheet${i + 1}`);
    for (const row of spec.rows) ws.addRow(row);
    for (const m of spec.merges ?? []) ws.mergeCells(m);
  });
  await wb.xlsx.writeFile(path);
  return path;
}

export const tempDir = (prefix = 'sheets-') => mkdtempSync(join(tmpdir(), prefix));

export const HEADER = ['序号', '事项编码', '事项名称', '子项', '事项类型', '实施主体', '设定依据', '法定时限', '承诺时限', '收费标准', '申请材料', '备注'];
