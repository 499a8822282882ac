// Reads .xlsx uploads: a zip reader that counts what it really inflates (zip.ts), an XML tokenizer of
// our own (tokenizer.ts), the workbook and its relationships (workbook.ts), styles and dates
// (styles.ts), shared strings (shared-strings.ts), the pre-scan of every sheet (prescan.ts) and the
// rows of a sheet (sheet.ts), put together by readXlsx (reader.ts).
export { readXlsx, SHARED_STRINGS_KEPT_CHARS, type XlsxOptions } from './reader.js';
export { HEADER_ROWS_MARGIN, MAX_CELL_CHARS, MAX_MERGES } from './messages.js';
export { XmlTokenizer, attributeValue, decodeEntities, readAttributes, type XmlHandler } from './tokenizer.js';
export { columnName, parseRange } from './cell-references.js';
export { excelSerialToDate, isDateFormatCode } from './styles.js';
export { SharedStrings, type SpillOptions } from './shared-strings.js';
