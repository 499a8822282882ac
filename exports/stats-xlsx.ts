// The dashboard's figures as an xlsx file: a 说明 sheet (what was counted, compared with what), then one
// sheet per table the page shows beside its charts, with the same rows and Chinese headers. Ratios are
// stored as numbers with a percent format, so they stay numbers in Excel.
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import type { FigureTable, Stats } from '../server/analysis/stats.js';
import type { ValueKind } from '../server/analysis/charts.js';
import { inertRow } from '../server/domain/spreadsheet-cells.js';

const FORMATS: Record<ValueKind, string | null> = { count: '0', percent: '0.0%', points: '+0.0;-0.0;0.0', days: '0.0', yesno: null };

/** A cell's value as stored: percentage points as points (15 for 0.15), yes/no as 是/否, null as empty. */
function cellValue(kind: ValueKind, v: number | null): number | string | null {
  if (v === null) return null;
  if (kind === 'yesno') return v ? '是' : '否';
  if (kind === 'points') return Math.round(v * 1e6) / 1e4;
  return v;
}

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them. */
const sheetName = (title: string) => title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

export function scopeRows(stats: Stats): [string, string][] {
  const s = stats.scope;
  return [
    ['范围', s.kind === 'working' ? '工作目录（尚未发布）' : `第 ${s.version} 版：${s.title}`],
    ['施行日期', s.effectiveOn ?? ''],
    ['部门', s.department ? `${s.department.name}（${s.department.code}）` : '全部部门'],
    ['精简率比较的版本', s.previousVersion !== null ? `第 ${s.previousVersion} 版` : '无'],
    ['即办件占比的基线', s.baselineVersion !== null ? `第 ${s.baselineVersion} 版` : '工作目录本身'],
    ['审核决定的时段', `${s.decisions.after ?? '最早'} 之后至 ${s.decisions.upTo ?? '现在'}`],
    ['事项数', String(stats.items)],
    ['部门数', String(stats.departments)],
  ];
}

export async function writeStatsXlsx(out: Writable, stats: Stats, tables: FigureTable[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const about = wb.addWorksheet('说明');
  about.columns = [
    { header: '项目', key: 'k', width: 20 },
    { header: '内容', key: 'v', width: 90 },
  ];
  about.getRow(1).font = { bold: true };
  for (const [k, v] of scopeRows(stats)) about.addRow(inertRow({ k, v }));
  for (const t of tables) about.addRow(inertRow({ k: t.title, v: t.note })).alignment = { wrapText: true, vertical: 'top' };

  for (const t of tables) {
    const ws = wb.addWorksheet(sheetName(t.title), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: t.labelHeader, key: 'label', width: 26 },
      ...t.columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: Math.max(12, c.header.length * 2 + 2) })),
    ];
    ws.getRow(1).font = { bold: true };
    for (const r of t.rows) {
      const row = ws.addRow(inertRow({ label: r.label, ...Object.fromEntries(r.values.map((v, i) => [`c${i}`, cellValue(r.kinds?.[i] ?? t.columns[i]!.kind, v)])) }));
      r.values.forEach((_, i) => {
        const fmt = FORMATS[r.kinds?.[i] ?? t.columns[i]!.kind];
        if (fmt) row.getCell(i + 2).numFmt = fmt;
      });
    }
  }
  await wb.xlsx.write(out);
}
