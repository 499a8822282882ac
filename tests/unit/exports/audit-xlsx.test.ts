import { describe, it, expect } from 'vitest';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { writeAuditXlsx } from '../../../exports/audit-xlsx.js';

describe('audit xlsx', () => {
  it('a value a spreadsheet would run as a formula is written as text', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeAuditXlsx(out, [
      { seq: 1, time: '2026-12-06 16:26:52', who: '=cmd|calc', roleName: '管理员', actionName: '修改事项', object: '+SUM(A1)', objectCode: '@x', changes: [{ field: '', before: null, after: '-1+2' }] },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const values = wb.worksheets[0]!.getRow(2).values as unknown[];
    expect(values.slice(1)).toEqual([1, '2026-12-06 16:26:52', "'=cmd|calc", '管理员', '修改事项', "'+SUM(A1)", "'@x", undefined, "'-1+2"]);
  });
});
