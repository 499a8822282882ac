// A campaign's filing record (备案) as an xlsx file: one row per decision on the first sheet, the totals
// by department and by disposition on the second. Chinese headers, frozen header rows.
import ExcelJS from 'exceljs';
import type { FilingEntry, FilingRecord } from '../db/queries/filing.js';
import { DISPOSITION_CODES, DISPOSITIONS } from '../server/domain/vocabulary.js';
import { inertCell, inertRow } from '../server/domain/spreadsheet-cells.js';

export const FILING_COLUMNS = [
  { header: '序号', key: 'n', width: 6 },
  { header: '事项编码', key: 'itemCode', width: 30 },
  { header: '事项名称', key: 'itemName', width: 36 },
  { header: '事项类型', key: 'categoryName', width: 12 },
  { header: '实施部门', key: 'departmentName', width: 18 },
  { header: '申报类型', key: 'kindName', width: 10 },
  { header: '处理决定', key: 'dispositionName', width: 12 },
  { header: '去向', key: 'destination', width: 28 },
  { header: '处理理由', key: 'reason', width: 40 },
  { header: '法律依据', key: 'legalGround', width: 36 },
  { header: '审核人', key: 'decidedBy', width: 12 },
  { header: '决定日期', key: 'decidedOn', width: 12 },
  { header: '排除的问题标记及理由', key: 'overrides', width: 40 },
  { header: '专家评审意见', key: 'opinions', width: 40 },
  { header: '专家意见处理情况', key: 'handling', width: 40 },
  { header: '结束专家评审理由', key: 'expertReviewClosedReason', width: 28 },
  { header: '状态', key: 'stateName', width: 10 },
  { header: '定稿人', key: 'finalisedBy', width: 12 },
  { header: '定稿日期', key: 'finalisedOn', width: 12 },
] as const;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

/** The cells of one decision; lists (overrides, opinions) become one line each within the cell. */
export function filingRow(e: FilingEntry, n: number) {
  return {
    n,
    itemCode: e.itemCode ?? '（新增，尚未赋码）',
    itemName: e.itemName,
    categoryName: e.categoryName,
    departmentName: e.departmentName,
    kindName: e.kindName,
    dispositionName: e.dispositionName,
    destination: e.destination ?? '',
    reason: e.reason,
    legalGround: e.legalGround ?? '',
    decidedBy: e.decidedBy,
    decidedOn: day(e.decidedAt),
    overrides: e.overrides.map((o) => `${o.rule}：${o.reason}（${o.createdBy}）`).join('\n'),
    opinions: e.opinions.map((o) => `${o.expert}：${o.opinionName}${o.notes ? `，${o.notes}` : ''}`).join('\n'),
    handling: e.opinions
      .filter((o) => o.handling)
      .map((o) => `${o.expert}：${o.handling}（${o.handledBy ?? ''} ${day(o.handledAt)}）`)
      .join('\n'),
    expertReviewClosedReason: e.expertReviewClosedReason ?? '',
    stateName: e.stateName,
    finalisedBy: e.finalisedBy ?? '',
    finalisedOn: day(e.finalisedAt),
  };
}

export async function writeFilingXlsx(out: import('node:stream').Writable, record: FilingRecord): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.title = inertCell(`${record.campaign.name} 备案记录`);

  const ws = wb.addWorksheet('备案记录', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = FILING_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: { alignment: { wrapText: true, vertical: 'top' } } }));
  ws.getRow(1).font = { bold: true };
  record.entries.forEach((e, i) => ws.addRow(inertRow(filingRow(e, i + 1))).commit());
  ws.commit();

  // Totals: departments down, dispositions across, then the column totals and a list by disposition.
  const totals = wb.addWorksheet('汇总', { views: [{ state: 'frozen', ySplit: 1 }] });
  totals.columns = [
    { header: '部门编码', key: 'code', width: 12 },
    { header: '实施部门', key: 'name', width: 22 },
    ...DISPOSITION_CODES.map((d) => ({ header: DISPOSITIONS[d], key: d, width: 10 })),
    { header: '合计', key: 'total', width: 8 },
    { header: '已定稿', key: 'finalised', width: 8 },
  ];
  totals.getRow(1).font = { bold: true };
  for (const t of record.totals.byDepartment) totals.addRow(inertRow({ code: t.code, name: t.name, ...t.byDisposition, total: t.total, finalised: t.finalised })).commit();
  const sum = totals.addRow({
    name: '合计',
    ...Object.fromEntries(record.totals.byDisposition.map((d) => [d.disposition, d.count])),
    total: record.totals.items,
    finalised: record.totals.finalised,
  });
  sum.font = { bold: true };
  sum.commit();
  totals.commit();
  await wb.commit();
}
