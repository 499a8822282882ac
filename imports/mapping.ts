// What a person says a file means where the reader's own names do not reach: which column each header
// is (or that it is ignored), and which catalogue value a file's value stands for. The reader
// (imports/table.ts) takes it as input; the values it still does not understand are counted here.
import { COLUMNS, COLUMN_KEYS, normaliseHeader, type ColumnKey } from './columns.js';
import { cleanText, stripListMarker } from './normalise.js';
import { parseCategory, parseDisposition, parseLevel } from './vocabulary-parsers.js';

/** A header's meaning as a person chose it: one of the template's columns, or "ignore". */
export type ColumnChoice = ColumnKey | 'ignore';

/** The columns whose values a person may map: their text must be understood as one of the catalogue's values. */
export const VALUE_COLUMNS = ['category', 'level', 'department', 'disposition'] as const;
export type ValueColumn = (typeof VALUE_COLUMNS)[number];

export interface ReadMapping {
  /** Header text (as normaliseHeader gives it) → column or ignore. */
  columns: Record<string, ColumnChoice>;
  /** Column → file value (as valueKey gives it) → the catalogue's value (a code the parsers accept). */
  values: Partial<Record<ValueColumn, Record<string, string>>>;
}

/** A mapping remembered for a header set: applied to a sheet whose header row has exactly that set. */
export interface RememberedMapping extends ReadMapping {
  id: number;
  headerKey: string;
}

export interface ReadOptions {
  /** Given now (the command line's flags, the preview's form): it wins over a remembered one. */
  mapping?: ReadMapping;
  /** The department's remembered mappings. */
  remembered?: RememberedMapping[];
}

/** How the reader saw one sheet's header row: the preview's column-mapping form is built from it. */
export interface SheetLayout {
  sheet: string;
  headerRow: number;
  headerKey: string;
  /** True when the row names the item column (by its name or a mapping); false: only the likeliest header row. */
  found: boolean;
  /** Every filled header cell, in column order, with the column it was read as (null: none; ignored: by choice). */
  columns: { index: number; header: string; key: ColumnKey | null; ignored: boolean }[];
  /** The first rows under the header, one text per column of `columns`. */
  samples: string[][];
  /** The remembered mapping the sheet was read with, if any. */
  rememberedId: number | null;
}

export const emptyMapping = (): ReadMapping => ({ columns: {}, values: {} });

/** A file value as mappings compare it: one line, clean, without a list marker. */
export const valueKey = (text: string): string => stripListMarker(cleanText(text)).trim();

/** What identifies a header row: its filled cells' texts, normalised, distinct, sorted. */
export function headerKeyOf(texts: string[]): string {
  const set = new Set<string>();
  for (const t of texts) {
    const h = normaliseHeader(t);
    if (h) set.add(h);
  }
  return [...set].sort().join('|');
}

/** `over`'s choices on top of `base`'s. */
export function mergeMappings(base: ReadMapping | undefined, over: ReadMapping | undefined): ReadMapping {
  const out: ReadMapping = { columns: { ...base?.columns, ...over?.columns }, values: {} };
  for (const c of VALUE_COLUMNS) {
    const merged = { ...base?.values[c], ...over?.values[c] };
    if (Object.keys(merged).length) out.values[c] = merged;
  }
  return out;
}

/** A column by the template's label (事项名称) or its key (name); null when neither. */
export function columnByLabel(text: string): ColumnKey | null {
  const t = normaliseHeader(text);
  for (const key of COLUMN_KEYS) if (normaliseHeader(COLUMNS[key].label) === t || key === t) return key;
  return null;
}

/** Whether the catalogue understands a value of this column as written (the department column: decided by the caller). */
const RECOGNISED: Record<Exclude<ValueColumn, 'department'>, (text: string) => unknown> = {
  category: parseCategory,
  level: parseLevel,
  disposition: parseDisposition,
};

/** A value mapping's target as the catalogue understands it (a code), or null: for the command line's --value. */
export function catalogueValue(column: Exclude<ValueColumn, 'department'>, text: string): string | null {
  return (RECOGNISED[column](text) as string | null) ?? null;
}

/** Distinct values kept per column: a file with more unrecognised values than this needs fixing, not mapping. */
const MAX_DISTINCT = 200;

/** The distinct values of the category, level and disposition columns the parsers do not understand, with their row counts. */
export class UnrecognisedValues {
  private readonly counts: Partial<Record<ValueColumn, Map<string, number>>> = {};
  /** Per column, each distinct cell text as written → its value key, or null when the parser understands it. */
  private readonly seen: Record<string, Map<string, string | null>> = { category: new Map(), level: new Map(), disposition: new Map() };

  add(values: Partial<Record<ColumnKey, string>>): void {
    for (const column of ['category', 'level', 'disposition'] as const) {
      const raw = values[column];
      if (raw === undefined) continue;
      const seen = this.seen[column]!;
      let text = seen.get(raw);
      if (text === undefined) {
        const key = valueKey(raw);
        text = key && RECOGNISED[column](key) === null ? key : null;
        if (seen.size >= 10_000) seen.clear();
        seen.set(raw, text);
      }
      if (text === null) continue;
      const map = (this.counts[column] ??= new Map());
      const n = map.get(text);
      if (n !== undefined) map.set(text, n + 1);
      else if (map.size < MAX_DISTINCT) map.set(text, 1);
    }
  }

  result(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [column, map] of Object.entries(this.counts)) if (map && map.size) out[column] = Object.fromEntries(map);
    return out;
  }
}
