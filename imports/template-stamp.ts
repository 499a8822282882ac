// The catalogue state a pre-filled template was made from, kept in a hidden sheet of the template: when
// it was made, and each row's item version with the values it was exported with. An upload of the
// template after the catalogue moved on then tells a clerk's edit from a field the file still has as
// it was exported (which would undo a later decision). Written by exports/template.ts, read here.
import { DEFAULT_READ_LIMITS } from '../server/domain/limits.js';
import type { ItemFields } from '../server/domain/item-fields.js';
import { decodedChunks } from './xlsx/parts.js';
import { readSharedStrings } from './xlsx/shared-strings.js';
import { SheetHandler, SheetTokenizer } from './xlsx/sheet.js';
import { readDateStyles } from './xlsx/styles.js';
import { readWorkbook } from './xlsx/workbook.js';
import { ZipArchive } from './xlsx/zip.js';

/** The hidden sheet's name; its first row says what it is, so no other sheet is mistaken for it. */
export const STAMP_SHEET = '模板版本';
export const STAMP_MARK = 'catalogue-template-stamp';
const STAMP_FORMAT = 1;
/** A JSON cell longer than this goes on in the next cell (Excel's cell limit is 32,767 characters). */
const CHUNK = 30_000;
/** A stamp sheet larger than this is not read (a department's template is far smaller). */
const MAX_STAMP_BYTES = 64 * 1048576;

/** An item as the template exported it: the values compareItem compares (server/imports/compare.ts). */
export interface ExportedItem {
  fields: ItemFields;
  mainItemName: string | null;
  citations: { title: string; article: string | null; role: string }[];
  prerequisites: string[];
}

export interface StampedItem {
  code: string;
  /** The item's row version when the template was made. */
  version: number;
  exported: ExportedItem;
}

export interface TemplateStamp {
  /** ISO time the template was made. */
  madeAt: string;
  departmentCode: string | null;
  items: Map<string, StampedItem>;
}

/** The stamp sheet's rows: the mark row, then one row per item (code, version, exported values as JSON in pieces). */
export function stampRows(stamp: { madeAt: string; departmentCode: string | null; items: readonly StampedItem[] }): (string | number)[][] {
  const rows: (string | number)[][] = [[STAMP_MARK, STAMP_FORMAT, stamp.madeAt, stamp.departmentCode ?? '']];
  for (const item of stamp.items) {
    const json = JSON.stringify(item.exported);
    const pieces: string[] = [];
    for (let i = 0; i < json.length; i += CHUNK) pieces.push(json.slice(i, i + CHUNK));
    rows.push([item.code, item.version, ...pieces]);
  }
  return rows;
}

const isExported = (v: unknown): v is ExportedItem =>
  !!v && typeof v === 'object' && typeof (v as ExportedItem).fields === 'object' && Array.isArray((v as ExportedItem).citations) && Array.isArray((v as ExportedItem).prerequisites);

/** The stamp from the sheet's rows; null when they are not a stamp. Malformed item rows are left out. */
export function stampFromRows(rows: readonly (readonly unknown[])[]): TemplateStamp | null {
  const head = rows[0];
  if (!head || head[0] !== STAMP_MARK || Number(head[1]) !== STAMP_FORMAT) return null;
  const items = new Map<string, StampedItem>();
  for (const row of rows.slice(1)) {
    const code = typeof row[0] === 'string' ? row[0].trim() : '';
    const version = Number(row[1]);
    if (!code || !Number.isSafeInteger(version)) continue;
    try {
      const exported = JSON.parse(row.slice(2).map((c) => (typeof c === 'string' ? c : '')).join('')) as unknown;
      if (isExported(exported)) items.set(code, { code, version, exported });
    } catch {
      // A cell someone edited: that row simply has no stamp.
    }
  }
  return { madeAt: String(head[2] ?? ''), departmentCode: head[3] ? String(head[3]) : null, items };
}

/**
 * The stamp of an .xlsx made from the pre-filled template; null for any other file, or when the stamp
 * cannot be read (the file is then compared with the catalogue as any other file is).
 */
export async function readTemplateStamp(path: string): Promise<TemplateStamp | null> {
  let zip: ZipArchive | null = null;
  try {
    zip = await ZipArchive.open(path, DEFAULT_READ_LIMITS);
    const workbook = await readWorkbook(zip);
    const sheet = workbook.sheets.find((s) => s.name === STAMP_SHEET);
    if (!sheet || sheet.entry.declaredSize > MAX_STAMP_BYTES) return null;
    const [dateStyles, strings] = await Promise.all([readDateStyles(zip, workbook.styles), readSharedStrings(zip, workbook.sharedStrings)]);
    const handler = new SheetHandler(sheet, strings, dateStyles, workbook.date1904, DEFAULT_READ_LIMITS);
    const tokenizer = new SheetTokenizer(handler, sheet.entry.name);
    const rows: unknown[][] = [];
    const take = () => {
      for (const row of handler.ready) rows.push(row.cells);
      handler.ready.length = 0;
    };
    for await (const text of decodedChunks(zip, sheet.entry)) {
      tokenizer.write(text);
      take();
    }
    tokenizer.end();
    take();
    return stampFromRows(rows);
  } catch {
    return null;
  } finally {
    await zip?.close();
  }
}
