// Text a spreadsheet would run as a formula, made inert the one way every export does it. A cell whose
// text starts with = + - @, a tab or a carriage return gets a leading apostrophe (OWASP's advice for CSV
// injection), in every xlsx and csv the product writes (exports/). The importer takes that apostrophe off
// again (imports/normalise.ts), so a template filled in and uploaded back reads exactly what was written.

const TRIGGER = /^'*[=+\-@\t\r]/;

/** The text as written to a cell: an apostrophe before text a spreadsheet would evaluate. */
export function inertCell(text: string): string {
  // Text that already starts with apostrophes before a trigger gets one more, so restoring is exact.
  return TRIGGER.test(text) ? `'${text}` : text;
}

/** The text an export wrote, as it was before inertCell (for text read back from a cell). */
export function restoreInertCell(text: string): string {
  return text.startsWith("'") && TRIGGER.test(text.slice(1)) ? text.slice(1) : text;
}

/** Any cell value: strings made inert, numbers, dates and empty cells as they are. */
export const inertValue = <T>(value: T): T => (typeof value === 'string' ? (inertCell(value) as T) : value);

/** Every string of a row (an object of cells, or an array of them) made inert. */
export function inertRow<T extends Record<string, unknown> | unknown[]>(row: T): T {
  if (Array.isArray(row)) return row.map(inertValue) as T;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, inertValue(v)])) as T;
}
