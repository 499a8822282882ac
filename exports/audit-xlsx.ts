// The audit log's filtered entries as an xlsx file: the rows the audit page shows, one per entry, with
// the changes spelled out. Every text cell is made inert, so a value typed as "=…" stays text in Excel.
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { inertCell } from '../server/domain/spreadsheet-cells.js';

/** One entry as the audit page shows it. */
export interface AuditRowView {
  seq: number;
  time: string;
  who: string;
  roleName: string;
  actionName: string;
  object: string;
  objectCode: string;
  changes: { field: string; before: string | null; after: string | null }[];
}

export const AUDIT_COLUMNS = [
  { header: '序号', key: 'seq', width: 8 },
  { header: '时间（北京时间）', key: 'time', width: 20 },
  { header: '操作人', key: 'who', width: 20 },
  { header: '角色', key: 'roleName', width: 10 },
  { header: '操作', key: 'actionName', width: 20 },
  { header: '对象', key: 'object', width: 36 },
  { header: '编码', key: 'objectCode', width: 34 },
  { header: '修改前', key: 'before', width: 50 },
  { header: '修改后', key: 'after', width: 50 },
] as const;

const side = (changes: AuditRowView['changes'], which: 'before' | 'after') =>
  changes
    .filter((c) => c[which] !== null)
    .map((c) => (c.field ? `${c.field}：${c[which]}` : c[which]))
    .join('\n');

export async function writeAuditXlsx(out: Writable, rows: Iterable<AuditRowView>): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = AUDIT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  let n = 0;
  for (const r of rows) {
    const cells = { ...r, before: side(r.changes, 'before'), after: side(r.changes, 'after') };
    const row = ws.addRow(Object.fromEntries(AUDIT_COLUMNS.map((c) => [c.key, typeof cells[c.key] === 'string' ? inertCell(cells[c.key] as string) : cells[c.key]])));
    row.alignment = { wrapText: true, vertical: 'top' };
    row.commit();
    n++;
  }
  ws.commit();
  await wb.commit();
  return n;
}
