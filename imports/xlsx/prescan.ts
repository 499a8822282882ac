// The fast first look at every sheet, before any row is handed over.
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS } from '../limits.js';
import { RefusedUpload, type CellRange, type ReadLimits } from '../types.js';
import { parseRange } from './cell-references.js';
import { HEADER_ROWS_MARGIN, MAX_MERGES, MESSAGES } from './messages.js';
import { markupChunks } from './parts.js';
import { attributeValue, isSpace, plainAttribute } from './tokenizer.js';
import type { SheetInfo } from './workbook.js';
import type { ZipArchive } from './zip.js';

/**
 * The fast first look at a sheet: its merges, and whether it is hostile (DOCTYPE, rows or a dimension out
 * of range). Searches the text for the few things it needs instead of tokenizing every cell.
 */
export async function prescanSheet(zip: ZipArchive, sheet: SheetInfo, limits: ReadLimits): Promise<CellRange[]> {
  const merges: CellRange[] = [];
  const maxRow = Math.min(EXCEL_MAX_ROWS, limits.maxRows + HEADER_ROWS_MARGIN);
  const checkRow = (row: number) => {
    if (row > EXCEL_MAX_ROWS) throw new RefusedUpload('sheet.range_too_large', MESSAGES.rangeTooLarge(sheet.name, `第 ${row} 行`));
    if (row > maxRow) throw new RefusedUpload('sheet.too_many_rows', MESSAGES.tooManyRows(sheet.name, limits.maxRows));
  };
  const tagAt = (s: string, at: number, nameLength: number): { start: number; end: number } | undefined => {
    // at points at the local name; it must follow '<' or '<prefix:' and be followed by a space, '/' or '>'.
    let back = at - 1;
    if (s.charCodeAt(back) === 58 /* : */) {
      back--;
      while (back >= 0 && /[A-Za-z0-9_.-]/.test(s[back] ?? '')) back--;
    }
    if (s.charCodeAt(back) !== 60 /* < */) return undefined;
    const after = s.charCodeAt(at + nameLength);
    if (!(isSpace(after) || after === 47 || after === 62)) return undefined;
    const end = s.indexOf('>', at);
    return end === -1 ? undefined : { start: at + nameLength, end };
  };
  const scan = (s: string, from: number, limit: number) => {
    // '!' and 'o' are rare in sheet markup while '<' and 'r' are everywhere: search for the rare one.
    for (let i = s.indexOf('!', from); i !== -1 && i < limit; i = s.indexOf('!', i + 1)) {
      if (s.startsWith('<!DOCTYPE', i - 1) || s.startsWith('<!ENTITY', i - 1)) {
        throw new RefusedUpload('xml.doctype', MESSAGES.doctype(sheet.entry.name));
      }
    }
    for (let i = s.indexOf('ow', from + 1); i !== -1 && i < limit; i = s.indexOf('ow', i + 2)) {
      if (s.charCodeAt(i - 1) !== 114 /* r */) continue;
      const tag = tagAt(s, i - 1, 3);
      if (!tag) continue;
      const r = plainAttribute(s, tag.start, tag.end, 'r');
      if (r !== undefined) checkRow(Number(r));
    }
    for (let i = s.indexOf('mergeCell', from); i !== -1 && i < limit; i = s.indexOf('mergeCell', i + 9)) {
      const tag = tagAt(s, i, 9);
      if (!tag) continue;
      const range = parseRange(attributeValue(s, tag.start, tag.end, 'ref') ?? '');
      if (range) {
        if (range.bottom > EXCEL_MAX_ROWS || range.right > EXCEL_MAX_COLUMNS) {
          throw new RefusedUpload('sheet.range_too_large', MESSAGES.rangeTooLarge(sheet.name, '合并单元格'));
        }
        if (range.bottom > range.top || range.right > range.left) merges.push(range);
        if (merges.length > MAX_MERGES) {
          throw new RefusedUpload('sheet.range_too_large', MESSAGES.rangeTooLarge(sheet.name, `合并单元格数量（超过 ${MAX_MERGES} 个）`));
        }
      }
    }
    // <dimension> comes before <sheetData>: it is only looked for in the first piece.
    for (let i = first ? s.indexOf('dimension', from) : -1; i !== -1 && i < limit; i = s.indexOf('dimension', i + 9)) {
      const tag = tagAt(s, i, 9);
      if (!tag) continue;
      const range = parseRange(attributeValue(s, tag.start, tag.end, 'ref') ?? '');
      if (!range) continue;
      if (range.right > EXCEL_MAX_COLUMNS || range.bottom > EXCEL_MAX_ROWS) {
        throw new RefusedUpload('sheet.range_too_large', MESSAGES.rangeTooLarge(sheet.name, '数据范围（dimension）'));
      }
      if (range.bottom > maxRow) throw new RefusedUpload('sheet.too_many_rows', MESSAGES.tooManyRows(sheet.name, limits.maxRows));
    }
  };

  // ZipArchive.text cuts its pieces just after a '>', so every tag lies within one piece. (A tag cut
  // inside a piece with no '>' at all, which only a hostile file has, is caught by the main pass.)
  let first = true;
  for await (const text of markupChunks(zip, sheet.entry)) {
    scan(text, 0, text.length);
    first = false;
  }
  return merges;
}
