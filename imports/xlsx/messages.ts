// The limits of an .xlsx's contents and the Chinese messages of its refusals.
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS } from '../limits.js';
import { columnName } from './cell-references.js';

/** Rows a sheet may have above its data rows (titles, blank lines, the header) on top of limits.maxRows. */
export const HEADER_ROWS_MARGIN = 20;
/** Most merged ranges a sheet may declare: one per row of a full sheet is already far beyond real lists. */
export const MAX_MERGES = EXCEL_MAX_ROWS;
/** Longest text a single cell (or tag) may hold; Excel itself stops at 32,767 characters. */
export const MAX_CELL_CHARS = 1024 * 1024;

export const MESSAGES = {
  doctype: (part: string) =>
    `文件中的“${part}”含有 DOCTYPE/ENTITY 声明，正常的电子表格不会包含这些内容（可能是恶意构造的文件），已拒绝读取。请在 Excel/WPS 中重新保存为 .xlsx 后上传。`,
  malformed: (part: string) => `文件中的“${part}”内容已损坏，无法读取。请在 Excel/WPS 中打开并重新保存为 .xlsx 后上传。`,
  cellTooLong: (part: string) => `文件中的“${part}”有一个单元格或标记超过 ${MAX_CELL_CHARS} 个字符，不像是正常的电子表格，已拒绝读取。`,
  noWorksheet: '工作簿是空的：其中没有任何工作表。请检查是否上传了正确的文件。',
  rangeTooLarge: (sheet: string, what: string) =>
    `工作表“${sheet}”的${what}超出了 Excel 的表格范围（最多 ${EXCEL_MAX_ROWS} 行、${EXCEL_MAX_COLUMNS} 列），文件可能已损坏或被恶意构造，已拒绝读取。`,
  tooManyRows: (sheet: string, max: number) =>
    `工作表“${sheet}”超过了允许的 ${max} 行数据，请拆分成多个文件后分别上传。`,
  tooManyColumns: (sheet: string, row: number, column: number, max: number) =>
    `工作表“${sheet}”第 ${row} 行第 ${columnName(column)} 列有内容，超出了允许的 ${max} 列。请删除表格右侧多余的内容后重新上传。`,
  badSharedString: (sheet: string, row: number) => `工作表“${sheet}”第 ${row} 行引用了不存在的共享字符串，文件已损坏。请在 Excel/WPS 中重新保存后上传。`,
} as const;
