// The legal office's work list as an xlsx file: one row per finding, Chinese headers, frozen header.
import ExcelJS from 'exceljs';
import type { FlagRow } from '../db/queries/flags.js';
import { CATEGORIES, label } from '../server/domain/vocabulary.js';
import { SEVERITIES, localTime } from '../server/domain/labels.js';
import { inertRow } from '../server/domain/spreadsheet-cells.js';

const SEVERITY_NAMES = SEVERITIES;

export const FLAG_COLUMNS = [
  { header: '事项编码', key: 'itemCode', width: 34 },
  { header: '事项名称', key: 'itemName', width: 40 },
  { header: '事项类型', key: 'category', width: 12 },
  { header: '实施部门', key: 'departmentName', width: 18 },
  { header: '规则', key: 'ruleTitle', width: 26 },
  { header: '严重程度', key: 'severity', width: 10 },
  { header: '问题说明', key: 'message', width: 60 },
  { header: '处理建议', key: 'suggestionText', width: 40 },
  { header: '法律依据', key: 'ground', width: 40 },
  { header: '检查时间', key: 'checkedAt', width: 20 },
  { header: '规则编码', key: 'rule', width: 26 },
] as const;

/**
 * Writes the findings: each rule by its Chinese title (`ruleTitles`: code → title; the code stays in the
 * last column, for filtering), times in local time (Asia/Shanghai).
 */
export async function writeFlagsXlsx(out: import('node:stream').Writable, flags: Iterable<FlagRow>, ruleTitles: ReadonlyMap<string, string>): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('依据检查问题清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = FLAG_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  let n = 0;
  for (const f of flags) {
    ws.addRow(
      inertRow({
        ...f,
        category: label(CATEGORIES, f.category),
        severity: SEVERITY_NAMES[f.severity],
        ruleTitle: ruleTitles.get(f.rule) ?? f.rule,
        checkedAt: localTime(f.checkedAt),
      }),
    ).commit();
    n++;
  }
  ws.commit();
  await wb.commit();
  return n;
}
