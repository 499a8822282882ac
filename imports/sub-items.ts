// Sub-items (子项): rows that carry a 子项 value under their main item's name (a merged cell filled down,
// or the main item's cells repeated on every row) become sub-items of that main item, never duplicates.
// Pure and streaming: validated rows in, the same rows (and any main item they imply) out, in order.
//
// The rules, as a person would state them:
// - Consecutive rows of one sheet with the same 事项名称 (and department) and a 子项 value are the
//   sub-items of the item of that name.
// - Their codes: a sub-item row whose code is empty or is the main item's code gets the main item's
//   code + "-01", "-02" … in row order; a row with a code of its own keeps it.
// - The main item's code: that of the main item's own row when it has one (the row just before its
//   sub-items); else the code its sub-item rows share (one sub-item row: its code); else none (the
//   catalogue gives it one).
// - A main item without a row of its own is still an item: it is made from its first sub-item row
//   (name, category, department, level, and the basis when its first two sub-items share it), with a
//   warning that names the sheet, row, column and cell.
// At most one row is held back (the first sub-item, until the second says whether the code is shared).
import type { ImportedRow } from './rows.js';

interface Group {
  sheet: string;
  mainName: string;
  department: string | null;
  /** The main item's code; undefined until the group's second row (or its end) settles it. */
  mainCode: string | null | undefined;
  /** Whether the main item has a row of its own (then nothing is made for it). */
  hasMainRow: boolean;
  /** Sub-item rows seen so far: numbers the derived codes. */
  count: number;
  pending: ImportedRow | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function subItemCode(mainCode: string, position: number): string {
  return `${mainCode}-${pad(position)}`;
}

export interface SubItemRows {
  /** A sheet begins: `nameColumn` is its 事项名称 header as written (for the made main item's warning). */
  sheet(nameColumn: string): ImportedRow[];
  /** One validated row in; the rows to pass on, in order. */
  push(row: ImportedRow): ImportedRow[];
  /** The end of the file: whatever is held back. */
  end(): ImportedRow[];
}

export function subItemRows(): SubItemRows {
  let nameColumn = '事项名称';
  /** The last row that is an item of its own (not a sub-item): a main item's own row precedes its sub-items. */
  let lastItem: ImportedRow | null = null;
  let group: Group | null = null;

  const withCode = (row: ImportedRow, code: string | null): ImportedRow => (row.code === code ? row : { ...row, code });

  /** The sub-item row with its code derived, counted in the group. */
  const derived = (g: Group, row: ImportedRow): ImportedRow => {
    g.count++;
    if (!g.mainCode || (row.code !== null && row.code !== g.mainCode)) return row;
    return withCode(row, subItemCode(g.mainCode, g.count));
  };

  const mainFrom = (g: Group, first: ImportedRow, second: ImportedRow | null): ImportedRow => {
    const sameBasis = second === null || JSON.stringify(second.citations) === JSON.stringify(first.citations);
    return {
      sheet: first.sheet,
      rowNumber: first.rowNumber,
      code: g.mainCode ?? null,
      name: g.mainName,
      mainItemName: null,
      departmentText: first.departmentText,
      fields: { ...first.fields!, name: g.mainName },
      citations: sameBasis ? first.citations : [],
      prerequisites: [],
      disposition: first.disposition,
      errors: [],
      warnings: [
        {
          column: nameColumn,
          cell: g.mainName,
          message: `主项“${g.mainName}”在表中没有自己的一行，已按其子项生成主项（事项编码：${g.mainCode ?? '确认时自动生成'}）`,
        },
      ],
    };
  };

  /** Settles the main item's code once the second row (or the group's end) is known; returns the rows held back. */
  const settle = (g: Group, next: ImportedRow | null): ImportedRow[] => {
    const first = g.pending!;
    g.pending = null;
    if (next === null) g.mainCode = first.code;
    else g.mainCode = first.code !== null && first.code === next.code ? first.code : null;
    const out: ImportedRow[] = [];
    if (!g.hasMainRow) out.push(mainFrom(g, first, next));
    out.push(derived(g, first));
    return out;
  };

  const close = (): ImportedRow[] => {
    const g = group;
    group = null;
    return g?.pending ? settle(g, null) : [];
  };

  const isSub = (row: ImportedRow) => row.errors.length === 0 && row.fields !== null && row.mainItemName !== null;

  return {
    sheet(column) {
      const out = close();
      nameColumn = column;
      lastItem = null;
      return out;
    },
    push(row) {
      if (!isSub(row)) {
        const out = close();
        if (row.errors.length === 0) lastItem = row;
        out.push(row);
        return out;
      }
      const mainName = row.mainItemName!;
      if (group && group.sheet === row.sheet && group.mainName === mainName && group.department === row.departmentText) {
        if (group.pending) return [...settle(group, row), derived(group, row)];
        return [derived(group, row)];
      }
      const out = close();
      const main = lastItem && lastItem.sheet === row.sheet && lastItem.name === mainName && lastItem.departmentText === row.departmentText ? lastItem : null;
      group = { sheet: row.sheet, mainName, department: row.departmentText, mainCode: main ? main.code : undefined, hasMainRow: main !== null, count: 0, pending: null };
      if (main) out.push(derived(group, row));
      else group.pending = row;
      return out;
    },
    end: close,
  };
}
