// Finding the table in a sheet: skip title and blank rows above the header, recognise the header by its
// column names (imports/columns.ts), fill merged cells down, skip note rows and repeated headers.
// A mapping a person gave (imports/mapping.ts) names headers nobody listed and substitutes values.
// Pure: reader events in, table rows out.
import { COLUMN_KEYS, columnForHeader, headerRank, normaliseHeader, type ColumnKey } from './columns.js';
import { VALUE_COLUMNS, emptyMapping, headerKeyOf, mergeMappings, valueKey, type ReadMapping, type ReadOptions, type RememberedMapping, type SheetLayout } from './mapping.js';
import { cellToText } from './normalise.js';
import { parseCategory } from './vocabulary-parsers.js';
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

/** A sheet's layout comes at the end of the sheet (it carries the first rows under the header). */
export type TableEvent = { type: 'sheet'; info: SheetInfo } | { type: 'row'; row: TableRow } | { type: 'layout'; layout: SheetLayout };

/** Rows under the header kept for the preview's mapping form. */
export const SAMPLE_ROWS = 5;

const NOTE_ROW = /^(注|注：|注:|说明|说明：|说明:|备注：|备注:|填表说明|填报说明)/;

interface MappedHeader {
  columns: Map<number, ColumnKey>;
  headers: Partial<Record<ColumnKey, string>>;
  unknown: string[];
  /** Every filled cell, in column order, as the layout shows it. */
  cells: SheetLayout['columns'];
  /** Cells a person's mapping named (a column or ignore). */
  byMapping: number;
}

function mapHeader(cells: CellValue[], choices: ReadMapping['columns']): MappedHeader {
  const columns = new Map<number, ColumnKey>();
  const headers: Partial<Record<ColumnKey, string>> = {};
  const unknown: string[] = [];
  const layout: SheetLayout['columns'] = [];
  const at = new Map<ColumnKey, number>();
  /** Columns a person named: they win over any header the reader recognised by itself. */
  const chosen = new Set<ColumnKey>();
  let byMapping = 0;
  cells.forEach((cell, index) => {
    const text = cellToText(cell).trim();
    if (!text) return;
    const choice = choices[normaliseHeader(text)];
    if (choice) byMapping++;
    if (choice === 'ignore') {
      layout.push({ index, header: text, key: null, ignored: true });
      return;
    }
    const key = choice ?? columnForHeader(text);
    if (!key) {
      unknown.push(text);
      layout.push({ index, header: text, key: null, ignored: false });
      return;
    }
    const taken = at.get(key);
    // Two headers for one column: a person's choice wins, else the surer name (行驶主体 over 承办机构),
    // else the first one.
    const wins = taken === undefined || (choice !== undefined && !chosen.has(key)) || (choice === undefined && !chosen.has(key) && headerRank(text) < headerRank(headers[key]!));
    if (!wins) {
      layout.push({ index, header: text, key: null, ignored: false });
      return;
    }
    if (taken !== undefined) {
      columns.delete(taken);
      const loser = layout.find((l) => l.index === taken);
      if (loser) loser.key = null;
    }
    columns.set(index, key);
    at.set(key, index);
    if (choice) chosen.add(key);
    headers[key] = text;
    layout.push({ index, header: text, key, ignored: false });
  });
  return { columns, headers, unknown, cells: layout, byMapping };
}

const filledTexts = (cells: CellValue[]) => {
  const out: string[] = [];
  for (const c of cells) {
    const t = cellToText(c).trim();
    if (t) out.push(t);
  }
  return out;
};

/**
 * The likeliest header row of a sheet whose header was not recognised: the first row of the search
 * window with at least two filled text cells (not numbers) and at least half as many as the fullest row.
 */
function likeliestHeader(rows: { rowNumber: number; cells: CellValue[] }[]): number {
  const counts = rows.map((r) => filledTexts(r.cells).filter((t) => !NUMBER.test(t)).length);
  const most = Math.max(0, ...counts);
  return counts.findIndex((n) => n >= 2 && n * 2 >= most);
}
const NUMBER = /^[-+]?[0-9.,%]+$/;

const sampleOf = (cells: CellValue[], columns: SheetLayout['columns']) => columns.map((c) => cellToText(cells[c.index]).trim());

/** A header names the item column and one more, or the item column by a person's mapping. */
const isHeader = (m: MappedHeader) => 'name' in m.headers && (Object.keys(m.headers).length >= 2 || m.byMapping > 0);

/** No column is named by digits alone: the 序号 cell (1, 2, 3 …) of a row settles it without normalising. */
const DIGITS = /^[0-9]+$/;
const namesColumn = (text: string, key: string) => !DIGITS.test(text) && columnForHeader(text) === key;

/**
 * The header with its second row. Under a header cell merged across columns (办理时限, 收费) the next row
 * names each column (法定时限 / 承诺时限, 收费标准 / 收费依据; 事项名称 over 主项 / 子项): it is the header's second
 * row when its cell under the name column is empty, the header's own (merged down) or a column's name, and
 * each of its texts that differs from the cell above names a column, alone or after the upper one (收费 + 标准).
 * The header then takes those names.
 * Null when the row is no second header row (a row of the table: 新办 names no column).
 */
function withSecondHeaderRow(upper: CellValue[], lower: CellValue[], nameIndex: number): CellValue[] | null {
  const nameBelow = cellToText(lower[nameIndex]).trim();
  if (nameBelow && nameBelow !== cellToText(upper[nameIndex]).trim() && !columnForHeader(nameBelow)) return null;
  const out = upper.slice();
  let named = 0;
  for (let i = 0; i < lower.length; i++) {
    const below = cellToText(lower[i]).trim();
    const above = cellToText(upper[i]).trim();
    if (!below || below === above) continue;
    if (NUMBER.test(below)) return null;
    const name = columnForHeader(below) ? below : above && columnForHeader(above + below) ? above + below : null;
    if (name === null) return null;
    out[i] = name;
    named++;
  }
  return named > 0 ? out : null;
}

/** A heading's ordinal: 一、 二. 第三部分 第四类 （五）. */
const HEADING_ORDINAL = /^(?:第?[一二三四五六七八九十]{1,3}\s*(?:[、.．]|部分|类|章|节)|[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）])\s*/;
/** A heading's count of items: （共 12 项） (12项) 共12项. */
const HEADING_COUNT = /\s*(?:[（(]\s*(?:共|计|合计)?\s*[0-9０-９]+\s*项\s*[)）]|(?:共|计|合计)\s*[0-9０-９]+\s*项)\s*$/;
/** A 序号 cell beside a heading: 一 一、 （一）. */
const BARE_ORDINAL = /^[（(]?[一二三四五六七八九十]{1,3}[)）、.．]?$/;
/** A sheet's ordinal (1. 2、 01) and the words around the category its name names (行政许可清单, 处罚事项表). */
const SHEET_ORDINAL = /^[0-9０-９]{1,3}\s*[、.．)）_\-\s]\s*/;
const LIST_WORDS = /(?:(?:行政)?(?:权责|权力|职权)?(?:事项)?(?:清单|目录|一览表|汇总表|表))$/;
/** How a department's name ends: 区市场监管局, 区卫健委, 区政府办, 区消防救援大队, 某街道办事处, 某镇人民政府. */
const DEPARTMENT_NAME = /(?:局|委员会|委|办公室|办|中心|大队|支队|院|所|站|会|处|厅|馆|街道|镇|乡|政府)$/;
/** A total under the items: 合计：256 项, 总计, 小计. */
const TOTAL_ROW = /^(?:合计|总计|小计|共计)/;

/**
 * The category a heading or a sheet's name names once its ordinal, its count of items and the words of a
 * list are set aside (一、行政许可（共 12 项）, （二）行政处罚类, 2.行政强制清单), or null when it names none.
 */
function categoryNamed(text: string): string | null {
  const core = headingCore(text);
  const category = core ? parseCategory(core) : null;
  return category !== null && category !== 'unclassified' ? core : null;
}

const headingCore = (text: string) => text.trim().replace(HEADING_ORDINAL, '').replace(SHEET_ORDINAL, '').replace(HEADING_COUNT, '').replace(LIST_WORDS, '').trim();

/** The department a heading or a sheet's name names, by how department names end (区住建局, 2.区卫健委权责清单), or null. */
function departmentNamed(text: string): string | null {
  const core = headingCore(text);
  return core.length >= 2 && core.length <= 40 && DEPARTMENT_NAME.test(core) ? core : null;
}

/** What a heading says about the rows under it: their category ('' for none), their department (left as it was when absent). */
interface Section {
  category: string;
  department?: string;
}

/**
 * A row that is no item: one carrying one text only (beside a bare ordinal in its 序号 cell), in its name
 * column or its first cell, that
 * - names an item category (categoryNamed: 一、行政许可（共 12 项）, （二）行政处罚类, 行政强制): a section
 *   heading; the rows under it that name no category of their own are of that category;
 * - or names a department (区市场监管局) and carries an ordinal or a count of items, or fills a cell merged
 *   across three or more of the table's columns, the name column among them (一、区市场监管局（共 12 项）):
 *   a heading whose rows that name no department are that department's;
 * - or fills such a merged cell and carries an ordinal or a count of items: a heading naming neither;
 * - or is a total (合计：256 项, 总计, 小计), which ends no section.
 * Returns what a heading says, undefined for a total, or null for a row that may be an item.
 */
function headingOrTotal(cells: CellValue[], values: Partial<Record<ColumnKey, string>>): Section | undefined | null {
  // Every filled column holds one text: asked first, as it settles nearly every row (its name is not its category).
  let text: string | null = null;
  let spans = 0;
  for (const key in values) {
    const t = values[key as ColumnKey]!.trim();
    if (t === text) spans++;
    else if (text === null && !BARE_ORDINAL.test(t)) {
      text = t;
      spans = 1;
    } else if (!BARE_ORDINAL.test(t)) return null;
  }
  // In the name column or the row's first cell: a row with only, say, its category filled is an item whose name is missing.
  if (text === null || (values.name?.trim() !== text && cellToText(cells[0]).trim() !== text)) return null;
  // Nor does any other cell of the row (a column the table does not read).
  for (const t of filledTexts(cells)) if (t !== text && !BARE_ORDINAL.test(t)) return null;
  if (TOTAL_ROW.test(text)) return undefined;
  const category = categoryNamed(text);
  if (category !== null) return { category };
  const merged = spans >= 3 && values.name?.trim() === text;
  const marked = HEADING_ORDINAL.test(text) || HEADING_COUNT.test(text);
  const department = departmentNamed(text);
  if (department !== null && (merged || marked)) return { category: '', department };
  return merged && marked ? { category: '' } : null;
}

/** A 序号 that numbers a sub-item under its main item's: 1.1, 1-2, 3．4. */
const SUB_NUMBER = /^([0-9]{1,4})\s*[.．\-－]\s*[0-9]{1,3}$/;
/** What a numbered sub-item takes from its main item's row where it names none. */
const INHERITED: ColumnKey[] = ['department', 'category', 'level', 'basis'];
/** A 序号 that numbers an item: 1, 12. */
const ITEM_NUMBER = /^[0-9]{1,4}$/;

/**
 * Sub-items numbered under their main item (序号 1, then 1.1, 1.2 …) in a sheet with no 子项 value on
 * them: a row numbered N.M right under the rows of item N is one of its sub-items; its name is the
 * sub-item, the main item's name is that of row N, and it takes row N's department, category, level and
 * legal basis where it names none (the main item's cells written once). Any other row ends the numbering.
 */
class NumberedSubItems {
  private main: { seq: string; values: Partial<Record<ColumnKey, string>> } | null = null;
  reset(): void {
    this.main = null;
  }
  apply(values: Partial<Record<ColumnKey, string>>): void {
    const seq = values.seq?.trim();
    const sub = seq ? SUB_NUMBER.exec(seq) : null;
    const main = this.main;
    if (sub && main && sub[1] === main.seq && values.name && !values.subItem) {
      const mainName = main.values.name!;
      if (values.name.trim() !== mainName.trim()) {
        values.subItem = values.name;
        values.name = mainName;
      }
      for (const key of INHERITED) if (!values[key] && main.values[key]) values[key] = main.values[key];
      return;
    }
    this.main = seq && ITEM_NUMBER.test(seq) && values.name && !values.subItem ? { seq, values } : null;
  }
}

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

/**
 * Turn reader events into table events. Rows of sheets without a header are dropped; such a sheet still
 * gets a layout (its likeliest header row and the rows under it) when it has one, for a person to map.
 * A sheet whose header row has a remembered header set is read with that mapping, under the given one.
 */
export async function* findTables(events: AsyncIterable<ReaderEvent>, options: ReadOptions = {}): AsyncGenerator<TableEvent> {
  const finder = tableFinder(options);
  const out: TableEvent[] = [];
  for await (const event of events) {
    finder.step(event, out);
    yield* out;
    out.length = 0;
  }
  finder.end(out);
  yield* out;
}

/**
 * findTables' work one reader event at a time, what it finds pushed onto `out`: for a caller that takes
 * every row as it comes (the reading child), without a generator between it and the reader.
 */
export function tableFinder(options: ReadOptions = {}): { step(event: ReaderEvent, out: TableEvent[]): void; end(out: TableEvent[]): void } {
  const given = options.mapping ?? emptyMapping();
  const remembered = new Map<string, RememberedMapping>();
  for (const r of options.remembered ?? []) remembered.set(r.headerKey, r);
  let sheet: string | null = null;
  let merges = new MergeFill([]);
  let columns: Map<number, ColumnKey> | null = null;
  let headerKeys: string[] = [];
  let pending: { rowNumber: number; cells: CellValue[] }[] = [];
  let searched = 0;
  let layout: SheetLayout | null = null;
  let values: ReadMapping['values'] = {};
  /** Column → its header texts as compared (both rows' of a two-row header): a row repeating them is the header printed again. */
  let headerTexts = new Map<ColumnKey, string[]>();
  /** A header row found, held until the row under it says whether it is the header's second row. */
  let heldHeader: { rowNumber: number; cells: CellValue[]; headerKey: string; nameIndex: number } | null = null;
  /** The category the last section heading, or else the sheet's name, named: for the rows under it that name none. */
  let sectionCategory = '';
  /** The department the last section heading, or else the sheet's name, named: for the rows under it that name none. */
  let sectionDepartment = '';
  const numbered = new NumberedSubItems();

  const noHeader = (name: string): TableEvent => ({ type: 'sheet', info: { sheet: name, headerRow: null, headers: {}, unknownHeaders: [] } });
  /** Its likeliest header row, for a sheet where none was recognised. */
  const candidateLayout = (name: string): SheetLayout | null => {
    const at = likeliestHeader(pending);
    if (at < 0) return null;
    const row = pending[at]!;
    const texts = filledTexts(row.cells);
    const headerKey = headerKeyOf(texts);
    const mapped = mapHeader(row.cells, mergeMappings(remembered.get(headerKey), given).columns);
    const samples = pending.slice(at + 1, at + 1 + SAMPLE_ROWS).map((r) => sampleOf(r.cells, mapped.cells));
    return { sheet: name, headerRow: row.rowNumber, headerKey, found: false, columns: mapped.cells, samples, rememberedId: remembered.get(headerKey)?.id ?? null };
  };
  /**
   * Reads the sheet's table under this header: by the mapping remembered for its texts (for a two-row
   * header, both rows' texts first, then its first row's), under the one given.
   */
  const takeHeader = (sheetName: string, rowNumber: number, cells: CellValue[], keys: string[], rows: CellValue[][], out: TableEvent[]): void => {
    const headerKey = keys.find((k) => remembered.has(k)) ?? keys[0]!;
    const known = remembered.get(headerKey);
    const mapping = known ? mergeMappings(known, given) : given;
    const mapped = mapHeader(cells, mapping.columns);
    columns = mapped.columns;
    values = mapping.values;
    // A sheet with only an implementing-basis column: that column is its basis.
    if (!('basis' in mapped.headers) && mapped.headers.implementingBasis) {
      for (const [i, k] of columns) if (k === 'implementingBasis') columns.set(i, 'basis');
      mapped.headers.basis = mapped.headers.implementingBasis;
      delete mapped.headers.implementingBasis;
    }
    headerKeys = [...columns.values()];
    headerTexts = new Map([...columns].map(([i, k]) => [k, [...new Set([cells, ...rows].map((row) => normaliseHeader(cellToText(row[i]))))]]));
    layout = { sheet: sheetName, headerRow: rowNumber, headerKey: keys[0]!, found: true, columns: mapped.cells, samples: [], rememberedId: known?.id ?? null };
    out.push({ type: 'sheet', info: { sheet: sheetName, headerRow: rowNumber, headers: mapped.headers, unknownHeaders: mapped.unknown } });
  };
  /** The held header, read as it is: no second row came under it. */
  const takeHeldHeader = (sheetName: string, out: TableEvent[]): void => {
    const held = heldHeader!;
    heldHeader = null;
    takeHeader(sheetName, held.rowNumber, held.cells, [held.headerKey], [], out);
  };
  const endSheet = (name: string, out: TableEvent[]): void => {
    if (heldHeader) takeHeldHeader(name, out);
    if (columns === null) {
      out.push(noHeader(name));
      const candidate = candidateLayout(name);
      if (candidate) out.push({ type: 'layout', layout: candidate });
    } else if (layout) out.push({ type: 'layout', layout });
  };

  const step = (event: ReaderEvent, out: TableEvent[]): void => {
    if (event.type === 'sheet') {
      if (sheet !== null) endSheet(sheet, out);
      sheet = event.name;
      merges = new MergeFill(event.merges);
      columns = null;
      pending = [];
      searched = 0;
      layout = null;
      values = {};
      // A sheet named after a category (行政许可, 2.行政处罚清单) gives it to its rows that name none.
      sectionCategory = categoryNamed(event.name) ?? '';
      // So does a sheet named after a department (区卫健局) with its department.
      sectionDepartment = sectionCategory ? '' : (departmentNamed(event.name) ?? '');
      numbered.reset();
      heldHeader = null;
      return;
    }
    const cells = merges.apply(event.rowNumber, event.cells);
    if (heldHeader) {
      // The row under the header: its second row (办理时限 → 法定时限, 承诺时限), or the table's first row.
      const held = heldHeader;
      const both = withSecondHeaderRow(held.cells, cells, held.nameIndex);
      if (both) {
        heldHeader = null;
        takeHeader(event.sheet, held.rowNumber, both, [headerKeyOf(filledTexts(both)), held.headerKey], [held.cells, cells], out);
        return;
      }
      takeHeldHeader(event.sheet, out);
    } else if (columns === null) {
      if (searched >= HEADER_SEARCH_ROWS) return;
      searched++;
      const headerKey = headerKeyOf(filledTexts(cells));
      const known = remembered.get(headerKey);
      const mapped = mapHeader(cells, (known ? mergeMappings(known, given) : given).columns);
      if (isHeader(mapped)) {
        const nameIndex = [...mapped.columns].find(([, k]) => k === 'name')![0];
        heldHeader = { rowNumber: event.rowNumber, cells, headerKey, nameIndex };
      } else {
        pending.push({ rowNumber: event.rowNumber, cells });
      }
      return;
    }
    if (columns === null) return;
    const rowValues: Partial<Record<ColumnKey, string>> = {};
    let filled = 0;
    let first = '';
    for (const [index, key] of columns) {
      const text = cellToText(cells[index]);
      if (text.trim() === '') continue;
      rowValues[key] = text;
      filled++;
      if (!first) first = text.trim();
    }
    if (filled === 0) return; // blank row
    // A section heading (一、行政许可（共 12 项）) is no item: the rows under it take the category it names.
    // Nor is a total (合计：256 项).
    const heading = headingOrTotal(cells, rowValues);
    if (heading !== null) {
      if (heading !== undefined) {
        sectionCategory = heading.category;
        if (heading.department !== undefined) sectionDepartment = heading.department;
      }
      return;
    }
    if (rowValues.name || rowValues.subItem) {
      if (sectionCategory && !rowValues.category) rowValues.category = sectionCategory;
      if (sectionDepartment && !rowValues.department) rowValues.department = sectionDepartment;
    }
    if (layout && layout.samples.length < SAMPLE_ROWS) layout.samples.push(sampleOf(cells, layout.columns));
    // Values a person mapped: the catalogue's value in place of the file's, on every row, before parsing.
    for (const column of VALUE_COLUMNS) {
      const map = values[column];
      const text = rowValues[column];
      if (map && text !== undefined) {
        const to = map[valueKey(text)];
        if (to !== undefined) rowValues[column] = to;
      }
    }
    // Not an item at all (a footer such as 制表日期 / 填表人): no name, sub-item, category or basis.
    if (!rowValues.name && !rowValues.subItem && !rowValues.category && !rowValues.basis) return;
    // A note row: its first filled cell starts with 注 / 说明, and it names no item.
    if (NOTE_ROW.test(first) && (!rowValues.name || NOTE_ROW.test(rowValues.name.trim()))) return;
    // The header repeated (printed sheets repeat it on every page).
    if (filled >= 2 && headerKeys.every((k) => !rowValues[k as ColumnKey] || namesColumn(rowValues[k as ColumnKey]!, k) || headerTexts.get(k as ColumnKey)!.includes(normaliseHeader(rowValues[k as ColumnKey]!)))) return;
    numbered.apply(rowValues);
    out.push({ type: 'row', row: { sheet: event.sheet, rowNumber: event.rowNumber, values: rowValues } });
  };
  return {
    step,
    end: (out) => {
      if (sheet !== null) endSheet(sheet, out);
    },
  };
}

export { COLUMN_KEYS };
