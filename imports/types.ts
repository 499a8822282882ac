// Shapes shared by the import layers: bytes → rows (readers) → text (normalise) → items (mapping).

/** A cell as a reader hands it over: primitives, or one of exceljs's object shapes (normalise handles all). */
export type CellValue = string | number | boolean | Date | null | undefined | { error: string } | Record<string, unknown>;

/** A cell range in a sheet, 1-based inclusive, as in "B3:B7". */
export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Events a reader yields, in order: each sheet's start (with its merges), then its rows. */
export type ReaderEvent =
  | { type: 'sheet'; name: string; index: number; merges: CellRange[] }
  | {
      type: 'row';
      sheet: string;
      /** The row number the clerk sees in Excel (1-based). For CSV: the line's record number (1-based). */
      rowNumber: number;
      /** cells[0] is column A. Missing cells are undefined. */
      cells: CellValue[];
    };

/** Why an upload was refused before any row was read: a code and a Chinese message for the clerk. */
export class RefusedUpload extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export type RefusalCode =
  | 'format.legacy_xls'
  | 'format.wps_et'
  | 'format.encrypted'
  | 'format.pdf'
  | 'format.unknown'
  | 'format.empty'
  | 'zip.corrupt'
  | 'zip.too_many_parts'
  | 'zip.too_large'
  | 'zip.ratio'
  | 'xml.doctype'
  | 'xml.malformed'
  | 'cell.too_long'
  | 'sheet.too_many_rows'
  | 'sheet.range_too_large'
  | 'sheet.no_header'
  | 'limits.timeout'
  | 'limits.memory';

/** Limits applied while reading an upload, with their defaults: server/domain/limits.ts. */
export type { ReadLimits } from '../server/domain/limits.js';
