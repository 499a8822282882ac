// Reading a higher-level list: the annex of a cancellation or delegation decision, or a standard base
// catalogue, as a spreadsheet or as text pasted from a web page or a Word file. Pure: reader events or
// text in, entries out. Only names matter for matching; department and decision number are kept to
// show the person who confirms a match.
import { REFERENCE_COLUMNS, normaliseHeader, type ReferenceColumnKey } from './columns.js';
import { findDocumentNumber } from './legal-basis.js';
import { cellToText, cleanText, stripListMarker } from './normalise.js';
import type { ReaderEvent } from './types.js';
import type { ReferenceEntryInput } from '../server/domain/reference-entry.js';

export type { ReferenceEntryInput };

/** Lists are annexes of a few hundred to a few thousand rows; a base catalogue of a province stays under this. */
export const MAX_REFERENCE_ENTRIES = 50_000;
/** Longest name kept; anything longer is a paragraph pasted by mistake. */
const MAX_NAME_LENGTH = 200;
const HEADER_SEARCH_ROWS = 30;

export interface ReferenceListReading {
  entries: ReferenceEntryInput[];
  /** Lines or rows that could not be read as an entry, with why (Chinese). */
  skipped: { where: string; message: string }[];
}

export class ReferenceListRefused extends Error {}

const ALIASES: Map<string, ReferenceColumnKey> = (() => {
  const m = new Map<string, ReferenceColumnKey>();
  for (const key of Object.keys(REFERENCE_COLUMNS) as ReferenceColumnKey[]) {
    for (const alias of REFERENCE_COLUMNS[key].aliases) m.set(normaliseHeader(alias), key);
  }
  return m;
})();

function referenceColumnFor(text: string): ReferenceColumnKey | null {
  const h = normaliseHeader(text);
  return ALIASES.get(h) ?? ALIASES.get(h.replace(/[(（【[].*?[)）】\]]/g, '')) ?? null;
}

const NOTE_RE = /^(注|说明|备注)[：:]/;
const SEQ_ONLY_RE = /^[0-9０-９一二三四五六七八九十百]+[、.．]?$/;

function clean(s: string | undefined): string | null {
  if (s === undefined) return null;
  const t = cleanText(s).trim();
  return t === '' ? null : t;
}

function entryOf(values: Partial<Record<ReferenceColumnKey, string>>, where: string): ReferenceEntryInput | { skip: string } | null {
  const rawName = clean(values.name);
  const remarks = clean(values.remarks);
  if (!rawName) return null;
  if (NOTE_RE.test(rawName)) return null;
  const name = stripListMarker(rawName).trim();
  if (!name || SEQ_ONLY_RE.test(name)) return null;
  if (name.length > MAX_NAME_LENGTH) return { skip: `名称超过 ${MAX_NAME_LENGTH} 个字，不像一个事项名称，已跳过。` };
  const decisionText = clean(values.decisionNumber);
  const decisionNumber = (decisionText && (findDocumentNumber(decisionText) ?? decisionText)) ?? (remarks ? findDocumentNumber(remarks) : null);
  return { name, departmentText: clean(values.department), decisionNumber, remarks, where };
}

function push(reading: ReferenceListReading, entry: ReferenceEntryInput | { skip: string } | null, where: string): void {
  if (!entry) return;
  if ('skip' in entry) {
    reading.skipped.push({ where, message: entry.skip });
    return;
  }
  if (reading.entries.length >= MAX_REFERENCE_ENTRIES) {
    throw new ReferenceListRefused(`清单超过 ${MAX_REFERENCE_ENTRIES.toLocaleString('zh-CN')} 项，请拆分后分别上传。`);
  }
  reading.entries.push(entry);
}

/**
 * Rows of a spreadsheet: in each sheet, the first row (within the first 30) that names a 事项名称 column
 * is the header; rows below it are entries. A sheet without such a header is skipped; a file where no
 * sheet has one is refused.
 */
export async function readReferenceSheet(events: AsyncIterable<ReaderEvent>): Promise<ReferenceListReading> {
  const reading: ReferenceListReading = { entries: [], skipped: [] };
  let columns: Map<number, ReferenceColumnKey> | null = null;
  let sheetsWithHeader = 0;
  let sheetCount = 0;
  let sheetName = '';
  for await (const event of events) {
    if (event.type === 'sheet') {
      columns = null;
      sheetName = event.name;
      sheetCount++;
      continue;
    }
    const texts = event.cells.map((c) => cellToText(c));
    if (!columns) {
      if (event.rowNumber > HEADER_SEARCH_ROWS) continue;
      const found = new Map<number, ReferenceColumnKey>();
      texts.forEach((t, i) => {
        const key = t ? referenceColumnFor(t) : null;
        // Several note-like columns (处理决定, 备注) are all kept as remarks.
        if (key && (key === 'remarks' || ![...found.values()].includes(key))) found.set(i, key);
      });
      if ([...found.values()].includes('name')) {
        columns = found;
        sheetsWithHeader++;
      }
      continue;
    }
    const values: Partial<Record<ReferenceColumnKey, string>> = {};
    for (const [i, key] of columns) {
      const text = texts[i]?.trim();
      if (text) values[key] = values[key] ? `${values[key]}；${text}` : text;
    }
    const where = sheetCount > 1 ? `${sheetName} 第${event.rowNumber}行` : `第${event.rowNumber}行`;
    // A repeated header row (a list printed over several pages) is not an entry.
    if (values.name && referenceColumnFor(values.name) === 'name') continue;
    push(reading, entryOf(values, where), where);
  }
  if (sheetsWithHeader === 0) {
    throw new ReferenceListRefused('文件中找不到表头：需要有一列名为“事项名称”（也可写作“项目名称”“审批项目名称”“权力名称”）。');
  }
  return reading;
}

const SPLIT_RE = /\t|\s{2,}|,\s*/;

/**
 * Text pasted from a decision's annex: one item per line. A line may carry more, separated by tabs (a
 * copy from Excel or a Word table) or commas: name, department, decision number. A first line naming
 * the columns is recognised and used; list markers ("1、", "（一）") and empty lines are dropped.
 */
export function readReferenceText(text: string): ReferenceListReading {
  const reading: ReferenceListReading = { entries: [], skipped: [] };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let columns: (ReferenceColumnKey | null)[] | null = null;
  lines.forEach((line, index) => {
    const where = `第${index + 1}行`;
    const trimmed = line.trim();
    if (!trimmed) return;
    // Tabs or wide gaps split reliably; commas only when the line has no Chinese comma in a name.
    const parts = line.replace(/^\s+|\s+$/g, (m) => m.replace(/[^\t]/g, '')).split(SPLIT_RE).map((p) => p.trim());
    if (!columns && reading.entries.length === 0) {
      const keys = parts.map((p) => referenceColumnFor(p));
      if (keys.includes('name')) {
        // Columns it does not know (序号, 设定依据 …) are left out.
        columns = keys;
        return;
      }
    }
    const values: Partial<Record<ReferenceColumnKey, string>> = {};
    if (columns) {
      columns.forEach((key, i) => {
        if (key && parts[i] && !values[key]) values[key] = parts[i];
      });
    } else {
      // A leading sequence number cell: "1\t名称\t…".
      if (parts.length > 1 && SEQ_ONLY_RE.test(parts[0]!)) parts.shift();
      // Without a header: the name first; a part holding a document number is the decision; the next
      // remaining part is the department.
      values.name = parts[0];
      for (const part of parts.slice(1)) {
        if (!values.decisionNumber && findDocumentNumber(part)) values.decisionNumber = part;
        else if (!values.department) values.department = part;
        else values.remarks = values.remarks ? `${values.remarks} ${part}` : part;
      }
    }
    push(reading, entryOf(values, where), where);
  });
  if (reading.entries.length === 0) throw new ReferenceListRefused('没有读到任何事项名称：请每行粘贴一个事项。');
  return reading;
}
