// Default limits for reading an upload. A real department list is a few thousand rows; a whole
// province's catalogue is about a million. Anything beyond Excel's own sheet size is refused.

/** How much of an upload a reader may read before it refuses it. */
export interface ReadLimits {
  /** Most bytes the whole file may inflate to (real bytes counted while inflating, not declared sizes). */
  maxInflatedBytes: number;
  /** Most parts (files) inside the zip. */
  maxParts: number;
  /** Most data rows per sheet (and per CSV). */
  maxRows: number;
  /** Most columns a row may have. */
  maxColumns: number;
}

export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxInflatedBytes: 2 * 1024 ** 3,
  maxParts: 2_000,
  maxRows: EXCEL_MAX_ROWS,
  maxColumns: 200,
};
