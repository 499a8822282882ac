// Finding the table in a sheet: skip title and blank rows above the header, recognise the header by its
// column names (imports/columns.ts), fill merged cells down, skip note rows and repeated headers.
// Pure: reader events in, table rows out.
import { COLUMN_KEYS, columnForHeader, headerRank, type ColumnKey } from './columns.js';
import { cellToText } from './normalise.js';
import type { CellRange, CellValue, ReaderEvent } from './types.js';

/** How far down a sheet the header may be. */
export const HEADER_SEARCH_ROWS = 50;

export interface TableRow {
  sheet: string;
  rowNumber: number;
  /** Cell text by column, as written (not yet cleaned). */
  values: Partial<Record<ColumnKey, string>>;
}

export interface SheetInfo {
  sheet: string;
  /** Row number of the header, or null when the sheet has none (then it is skipped). */
  headerRow: number | null;
  /** Column → the header text as the clerk wrote it (for messages). */
  headers: Partial<Record<ColumnKey, string>>;
  /** Header cells that name no known column. */
  unknownHeaders: string[];
}

export type TableEvent = { type: 'sheet'; info: SheetInfo } | { type: 'row'; row: TableRow };

const NOTE_ROW = /^(注|注：|注:|说明|说明：|说明:|备注：|备注:|填表说明|填报说明)/;

function mapHeader(cells: CellValue[]): { columns: Map<number, ColumnKey>; headers: Partial<Record<ColumnKey, string>>; unknown: string[] } {
  const columns = new Map<number, ColumnKey>();
  const headers: Partial<Record<ColumnKey, string>> = {};
  const unknown: string[] = [];
  const at = new Map<ColumnKey, number>();
  cells.forEach((cell, index) => {
    const text = cellToText(cell).trim();
    if (!text) return;
    const key = columnForHeader(text);
    if (!key) {
      unknown.push(text);
      return;
    }
    const taken = at.get(key);
    // Two headers for one column: the surer name wins (行驶主体 over 承办机构), else the first one.
    if (taken !== undefined && headerRank(text) >= headerRank(headers[key]!)) return;
    if (taken !== undefined) columns.delete(taken);
    columns.set(index, key);
    at.set(key, index);
    headers[key] = text;
  });
  return { columns, headers, unknown };
}

const isHeader = (headers: Partial<Record<ColumnKey, string>>) => 'name' in headers && Object.keys(headers).length >= 2;

/** No column is named by digits alone: the 序号 cell (1, 2, 3 …) of a row settles it without normalising. */
const DIGITS = /^[0-9]+$/;
const namesColumn = (text: string, key: string) => !DIGITS.test(text) && columnForHeader(text) === key;

/** Merged cells: each cell inside a merge takes the value of the merge's top-left cell. */
class MergeFill {
  private readonly byRow = new Map<number, CellRange[]>();
  private readonly topLeft = new Map<CellRange, CellValue>();
  constructor(merges: CellRange[]) {
    for (const m of merges) {
      if (m.bottom - m.top > 100_000) continue; // nonsense ranges are ignored, not expanded
      for (let r = m.top; r <= m.bottom; r++) {
        const list = this.byRow.get(r);
        if (list) list.push(m);
        else this.byRow.set(r, [m]);
      }
    }
  }
  apply(rowNumber: number, cells: CellValue[]): CellValue[] {
    const merges = this.byRow.get(rowNumber);
    if (!merges) return cells;
    const out = cells.slice();
    for (const m of merges) {
      if (m.top === rowNumber) {
        this.topLeft.set(m, cells[m.left - 1]);
        for (let c = m.left + 1; c <= m.right; c++) out[c - 1] = cells[m.left - 1];
      } else {
        const v = this.topLeft.get(m);
        for (let c = m.left; c <= m.right; c++) out[c - 1] = v;
      }
    }
    return out;
  }
}

/** Turn reader events into table events. Rows of sheets without a header are dropped. */
export async function* findTables(events: AsyncIterable<ReaderEvent>): AsyncGenerator<TableEvent> {
  let sheet: string | null = null;
  let merges = new MergeFill([]);
  let columns: Map<number, ColumnKey> | null = null;
  let headerKeys: string[] = [];
  let pending: { rowNumber: number; cells: CellValue[] }[] = [];
  let searched = 0;

  const noHeader = (name: string): TableEvent => ({ type: 'sheet', info: { sheet: name, headerRow: null, headers: {}, unknownHeaders: [] } });

  for await (const event of events) {
    if (event.type === 'sheet') {
      if (sheet !== null && columns === null) yield noHeader(sheet);
      sheet = event.name;
      merges = new MergeFill(event.merges);
      columns = null;
      pending = [];
      searched = 0;
      continue;
    }
    const cells = merges.apply(event.rowNumber, event.cells);
    if (columns === null) {
      if (searched >= HEADER_SEARCH_ROWS) continue;
      searched++;
      const mapped = mapHeader(cells);
      if (isHeader(mapped.headers)) {
        columns = mapped.columns;
        // A sheet with only an implementing-basis column: that column is its basis.
        if (!('basis' in mapped.headers) && mapped.headers.implementingBasis) {
          for (const [i, k] of columns) if (k === 'implementingBasis') columns.set(i, 'basis');
          mapped.headers.basis = mapped.headers.implementingBasis;
          delete mapped.headers.implementingBasis;
        }
        headerKeys = [...columns.values()];
        yield { type: 'sheet', info: { sheet: event.sheet, headerRow: event.rowNumber, headers: mapped.headers, unknownHeaders: mapped.unknown } };
      } else {
        pending.push({ rowNumber: event.rowNumber, cells });
      }
      continue;
    }
    const values: Partial<Record<ColumnKey, string>> = {};
    let filled = 0;
    let first = '';
    for (const [index, key] of columns) {
      const text = cellToText(cells[index]);
      if (text.trim() === '') continue;
      values[key] = text;
      filled++;
      if (!first) first = text.trim();
    }
    if (filled === 0) continue; // blank row
    // Not an item at all (a footer such as 制表日期 / 填表人): no name, sub-item, category or basis.
    if (!values.name && !values.subItem && !values.category && !values.basis) continue;
    // A note row: its first filled cell starts with 注 / 说明, and it names no item.
    if (NOTE_ROW.test(first) && (!values.name || NOTE_ROW.test(values.name.trim()))) continue;
    // The header repeated (printed sheets repeat it on every page).
    if (filled >= 2 && headerKeys.every((k) => !values[k as ColumnKey] || namesColumn(values[k as ColumnKey]!, k))) continue;
    yield { type: 'row', row: { sheet: event.sheet, rowNumber: event.rowNumber, values } };
  }
  if (sheet !== null && columns === null) yield noHeader(sheet);
}

export { COLUMN_KEYS };
