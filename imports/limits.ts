// Default limits for reading an upload. A real department list is a few thousand rows; a whole
// province's catalogue is about a million. Anything beyond Excel's own sheet size is refused.
import type { ReadLimits } from './types.js';

export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxInflatedBytes: 2 * 1024 ** 3,
  maxParts: 2_000,
  maxRows: EXCEL_MAX_ROWS,
  maxColumns: 200,
};
