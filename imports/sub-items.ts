// Sub-items (子项): rows that carry a 子项 value under their main item's name (a merged cell filled down,
// or the main item's cells repeated on every row) become sub-items of that main item, never duplicates.
// Pure and streaming: validated rows in, the same rows (and any main item they imply) out, in order.
//
// The rules, as a person would state them:
// - Consecutive rows of one sheet with the same 事项名称 (and department) and a 子项 value are the
//   sub-items of the item of that name. A row among them whose 子项 is the main item's name (or is
//   empty), or the row just before them, is the main item's own row.
// - Their codes: a sub-item row whose code is empty or is the main item's code gets the main item's
//   code + "-01", "-02" … in row order; a row with a code of its own keeps it.
// - The main item's code: that of its own row when it has one; else the code its sub-item rows (two or
//   more) all share; else none (the catalogue gives it one at confirmation). A lone sub-item keeps its code.
// - A main item without a row of its own is still an item: it is made (once per sheet) from its first
//   sub-item row (name, category, department, level, and the basis when all its sub-items share it), with
//   a warning that names the sheet, row, column and cell. Staging proposes it only when the catalogue
//   has neither that item nor sub-items naming it (server/imports/stage.ts): a catalogue may hold
//   sub-items whose main item is not an item of its own, and re-uploading them proposes nothing new.
// - The main item's own row found later on the sheet (some lists put the main row after its sub-items,
//   other rows between) takes the place of the main item made from them: one item, never a duplicate.
//   It keeps its own fields, and takes the made item's code when it has none; staging removes the made
//   item (the row carries replacesMadeMain, the made item's row number).
// A group's rows are held back until it ends (at most MAX_HELD; a longer group is settled on what it
// has read so far and streams on).
import type { ImportedRow } from './rows.js';

export const MAX_HELD = 1000;

interface Group {
  sheet: string;
  mainName: string;
  department: string | null;
  /** The main item's own row, when the sheet has one. */
  mainRow: ImportedRow | null;
  /** Settled: the main item's code is known and rows stream through. */
  settled: boolean;
  mainCode: string | null;
  /** Sub-item rows seen so far: numbers the derived codes. */
  count: number;
  held: ImportedRow[];
  /** The row number of the main item made from these sub-items, when one was made. */
  madeRow: number | null;
  /** The main item's own row came after the made one and took its place. */
  replaced: boolean;
}

const mainKey = (sheet: string, department: string | null, name: string) => `${sheet}\u0000${department ?? ''}\u0000${name}`;

export function subItemCode(mainCode: string, position: number): string {
  return `${mainCode}-${String(position).padStart(2, '0')}`;
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
  /** The last row that is an item of its own (not a sub-item): a main item's own row may precede its sub-items. */
  let lastItem: ImportedRow | null = null;
  let group: Group | null = null;
  /**
   * Main items made on this sheet, by sheet, department and name, with their latest group: made once,
   * and numbered on, however their sub-items are split.
   */
  let made = new Map<string, Group>();

  /** The sub-item row with its code derived, counted in the group. */
  const derived = (g: Group, row: ImportedRow): ImportedRow => {
    g.count++;
    if (!g.mainCode || (row.code !== null && row.code !== g.mainCode)) return row;
    return { ...row, code: subItemCode(g.mainCode, g.count) };
  };

  const mainFrom = (g: Group): ImportedRow => {
    const first = g.held[0]!;
    const basis = JSON.stringify(first.citations);
    const sameBasis = g.held.every((r) => JSON.stringify(r.citations) === basis);
    return {
      sheet: first.sheet,
      rowNumber: first.rowNumber,
      code: g.mainCode,
      name: g.mainName,
      mainItemName: null,
      departmentText: first.departmentText,
      fields: { ...first.fields!, name: g.mainName },
      citations: sameBasis ? first.citations : [],
      prerequisites: [],
      disposition: first.disposition,
      dispositionReason: first.dispositionReason,
      errors: [],
      madeMain: true,
      warnings: [
        {
          column: nameColumn,
          cell: g.mainName,
          message: `主项“${g.mainName}”在表中没有自己的一行，已按其子项生成主项（事项编码：${g.mainCode ?? '确认时自动生成'}）`,
        },
      ],
    };
  };

  /** Settles the main item's code on the rows held, makes the main item when it has no row, and lets them go. */
  const settle = (g: Group): ImportedRow[] => {
    g.settled = true;
    const out: ImportedRow[] = [];
    if (g.mainRow) g.mainCode = g.mainRow.code;
    else {
      const key = mainKey(g.sheet, g.department, g.mainName);
      const earlier = made.get(key);
      if (earlier) {
        g.mainCode = earlier.mainCode;
        g.count = earlier.count;
        g.madeRow = earlier.madeRow;
        g.replaced = earlier.replaced;
      } else {
        const codes = new Set(g.held.map((r) => r.code));
        g.mainCode = codes.size === 1 && g.held.length > 1 ? [...codes][0]! : null;
        const main = mainFrom(g);
        g.madeRow = main.rowNumber;
        out.push(main);
      }
      made.set(key, g);
    }
    for (const r of g.held) out.push(derived(g, r));
    g.held = [];
    return out;
  };

  const close = (): ImportedRow[] => {
    const g = group;
    group = null;
    return g && !g.settled ? settle(g) : [];
  };

  const isSub = (row: ImportedRow) => row.errors.length === 0 && row.fields !== null && row.mainItemName !== null;
  const inGroup = (g: Group | null, row: ImportedRow, name: string | null): g is Group =>
    g !== null && g.sheet === row.sheet && g.mainName === name && g.department === row.departmentText;

  return {
    sheet(column) {
      const out = close();
      nameColumn = column;
      lastItem = null;
      made = new Map();
      return out;
    },
    push(row) {
      if (!isSub(row)) {
        // The main item's own row among its sub-items: it goes first, and its code is the main code.
        if (row.errors.length === 0 && inGroup(group, row, row.name) && !group.settled && !group.mainRow) {
          group.mainRow = row;
          lastItem = row;
          return [row];
        }
        const out = close();
        if (row.errors.length === 0) {
          // The main item's own row after its sub-items: it takes the place of the main item made from them.
          const madeFor = row.name !== null ? made.get(mainKey(row.sheet, row.departmentText, row.name)) : undefined;
          if (madeFor && madeFor.madeRow !== null && !madeFor.replaced) {
            madeFor.replaced = true;
            row = { ...row, code: row.code ?? madeFor.mainCode, replacesMadeMain: madeFor.madeRow };
          }
          lastItem = row;
        }
        out.push(row);
        return out;
      }
      if (inGroup(group, row, row.mainItemName)) {
        if (group.settled) return [derived(group, row)];
        group.held.push(row);
        return group.held.length >= MAX_HELD ? settle(group) : [];
      }
      const out = close();
      const main = lastItem && lastItem.sheet === row.sheet && lastItem.name === row.mainItemName && lastItem.departmentText === row.departmentText ? lastItem : null;
      group = { sheet: row.sheet, mainName: row.mainItemName!, department: row.departmentText, mainRow: main, settled: false, mainCode: null, count: 0, held: [row], madeRow: null, replaced: false };
      return out;
    },
    end: close,
  };
}
