// The read limits now live in server/domain/limits.ts; this re-export keeps xlsx-reader.ts (being split
// elsewhere) unchanged until that lands. New code imports server/domain/limits.js.
export { DEFAULT_READ_LIMITS, EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS } from '../server/domain/limits.js';
