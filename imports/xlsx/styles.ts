// Which cell styles show numbers as dates, and Excel's date serials.
import { parsePart } from './parts.js';
import { attributeValue, readAttributes } from './tokenizer.js';
import type { ZipArchive, ZipEntry } from './zip.js';

const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** True when a number format code shows a date or time: y/m/d/h/s outside quotes, brackets and escapes. */
export function isDateFormatCode(code: string): boolean {
  let bare = '';
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '"') {
      const close = code.indexOf('"', i + 1);
      i = close === -1 ? code.length : close;
    } else if (c === '[') {
      const close = code.indexOf(']', i + 1);
      i = close === -1 ? code.length : close;
    } else if (c === '\\' || c === '_' || c === '*') {
      i++;
    } else {
      bare += c;
    }
  }
  if (/general/i.test(bare)) bare = bare.replace(/general/gi, '');
  return /[ymdhs]/i.test(bare);
}

/** Which cell styles (indexes into cellXfs) show numbers as dates. */
export async function readDateStyles(zip: ZipArchive, entry: ZipEntry | undefined): Promise<boolean[]> {
  if (!entry) return [];
  const customFormats = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  await parsePart(zip, entry, {
    wantsText: false,
    open(name, buf, start, end) {
      if (name === 'numFmt') {
        const attributes = readAttributes(buf, start, end);
        customFormats.set(Number(attributes.get('numFmtId')), attributes.get('formatCode') ?? '');
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        xfFormats.push(Number(attributeValue(buf, start, end, 'numFmtId') ?? 0));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
    cdata() {},
  });
  return xfFormats.map((id) => {
    const custom = customFormats.get(id);
    return custom !== undefined ? isDateFormatCode(custom) : BUILT_IN_DATE_FORMATS.has(id);
  });
}

const DAY_MS = 86_400_000;

/** An Excel date serial as a UTC Date; undefined outside Excel's date range. */
export function excelSerialToDate(serial: number, date1904: boolean): Date | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_466) return undefined;
  if (date1904) return new Date(Date.UTC(1904, 0, 1) + Math.round(serial * DAY_MS));
  // Excel counts a 29 February 1900 that never was: serials before it are one day off the plain formula.
  const days = serial < 61 ? serial + 1 : serial;
  return new Date(Date.UTC(1899, 11, 30) + Math.round(days * DAY_MS));
}
