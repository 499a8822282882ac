// A small RFC 4180 CSV reader for the seed data: quoted fields, doubled quotes, commas and line
// breaks inside quotes, CRLF or LF line ends, an optional UTF-8 BOM.
import { readFileSync } from 'node:fs';

/** Parse CSV text into rows of fields. A final line break does not make an empty last row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  // Whether anything (a field, a separator or a quote) has been seen on the current row.
  let rowStarted = false;

  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
    rowStarted = false;
  };

  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      // A quote opens a quoted section; a stray quote inside an unquoted field is kept as text.
      if (field === '') quoted = true;
      else field += ch;
      rowStarted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      rowStarted = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      rowStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: a quoted field is not closed before the end of the text');
  if (rowStarted || field !== '') endRow();
  return rows;
}

/**
 * Read a UTF-8 CSV file whose first row is the header into one object per row, keyed by header.
 * Missing trailing fields become ''; blank lines are skipped.
 */
export function readCsvObjects(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) return [];
  const keys = header.map((h) => h.trim());
  const out: Record<string, string>[] = [];
  for (const fields of rows) {
    if (fields.every((f) => f.trim() === '')) continue;
    const obj: Record<string, string> = {};
    keys.forEach((key, idx) => {
      obj[key] = fields[idx] ?? '';
    });
    out.push(obj);
  }
  return out;
}
