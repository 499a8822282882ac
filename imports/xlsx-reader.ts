// Streams the rows of every worksheet of an .xlsx, reading the XML with a small tokenizer of our own:
// exact for Chinese text split across chunks, tolerant of what Excel, WPS and LibreOffice write, and
// refusing DOCTYPE and out-of-range sheets before any row is handed over.
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS } from './limits.js';
import { RefusedUpload, type CellRange, type CellValue, type ReadLimits, type ReaderEvent } from './types.js';
import { ZipArchive, type ZipEntry } from './zip.js';

/** Rows a sheet may have above its data rows (titles, blank lines, the header) on top of limits.maxRows. */
export const HEADER_ROWS_MARGIN = 20;
/** Most merged ranges a sheet may declare: one per row of a full sheet is already far beyond real lists. */
export const MAX_MERGES = EXCEL_MAX_ROWS;
/** Longest text a single cell (or tag) may hold; Excel itself stops at 32,767 characters. */
export const MAX_CELL_CHARS = 1024 * 1024;

const MESSAGES = {
  doctype: (part: string) =>
    `文件中的“${part}”含有 DOCTYPE/ENTITY 声明，正常的电子表格不会包含这些内容（可能是恶意构造的文件），已拒绝读取。请在 Excel/WPS 中重新保存为 .xlsx 后上传。`,
  malformed: (part: string) => `文件中的“${part}”内容已损坏，无法读取。请在 Excel/WPS 中打开并重新保存为 .xlsx 后上传。`,
  cellTooLong: (part: string) => `文件中的“${part}”有一个单元格或标记超过 ${MAX_CELL_CHARS} 个字符，不像是正常的电子表格，已拒绝读取。`,
  noWorksheet: '工作簿是空的：其中没有任何工作表。请检查是否上传了正确的文件。',
  rangeTooLarge: (sheet: string, what: string) =>
    `工作表“${sheet}”的${what}超出了 Excel 的表格范围（最多 ${EXCEL_MAX_ROWS} 行、${EXCEL_MAX_COLUMNS} 列），文件可能已损坏或被恶意构造，已拒绝读取。`,
  tooManyRows: (sheet: string, max: number) =>
    `工作表“${sheet}”超过了允许的 ${max} 行数据，请拆分成多个文件后分别上传。`,
  tooManyColumns: (sheet: string, row: number, column: number, max: number) =>
    `工作表“${sheet}”第 ${row} 行第 ${columnName(column)} 列有内容，超出了允许的 ${max} 列。请删除表格右侧多余的内容后重新上传。`,
  badSharedString: (sheet: string, row: number) => `工作表“${sheet}”第 ${row} 行引用了不存在的共享字符串，文件已损坏。请在 Excel/WPS 中重新保存后上传。`,
} as const;

// ───────────────────────────── XML tokenizer ─────────────────────────────

/** What the tokenizer reports. Names are local names (a prefix such as `x:` is dropped). */
export interface XmlHandler {
  /** When false, text between tags is skipped without being kept. */
  wantsText: boolean;
  /**
   * attributes are buf[attrStart, attrEnd), read them with readAttributes / attributeValue. A handler
   * may take a whole simple element at once (its content and end tag, when they are all in `buf`): it
   * then returns the index just past what it took, and the tokenizer goes on from there.
   */
  open(name: string, buf: string, attrStart: number, attrEnd: number, selfClosing: boolean): number | void;
  close(name: string): void;
  /** Text with its entities still encoded; never splits an entity. */
  text(raw: string): void;
  /** CDATA content, literal. */
  cdata(text: string): void;
}

const TEXT_FLUSH_CHARS = 64 * 1024;

/**
 * A push tokenizer over decoded text chunks: keeps an unfinished token for the next chunk, nothing else.
 * Made by a factory so that each kind of part gets its own copy of the code, and with it its own inline
 * caches: the calls into the sheet handler, millions per sheet, then stay monomorphic (measured: about
 * a third faster than one tokenizer shared by every kind of handler).
 */
function tokenizerClass() {
  return class XmlTokenizer {
  private pending = '';
  private sawRoot = false;
  private carriageReturn = false;

  /** XML turns CRLF and lone CR into LF before parsing; a CR at the end of a chunk waits for the next. */
  private normaliseLineEnds(text: string): string {
    let chunk = this.carriageReturn ? `\r${text}` : text;
    this.carriageReturn = false;
    if (chunk.indexOf('\r') === -1) return chunk;
    if (chunk.charCodeAt(chunk.length - 1) === 13) {
      this.carriageReturn = true;
      chunk = chunk.slice(0, -1);
    }
    return chunk.replace(/\r\n?/g, '\n');
  }

  constructor(
    private readonly handler: XmlHandler,
    private readonly part: string,
  ) {}

  write(text: string): void {
    const chunk = this.normaliseLineEnds(text);
    const buf = this.pending.length > 0 ? this.pending + chunk : chunk;
    const pos = this.scan(buf, false);
    this.pending = pos < buf.length ? buf.slice(pos) : '';
    if (this.pending.length > MAX_CELL_CHARS) throw new RefusedUpload('cell.too_long', MESSAGES.cellTooLong(this.part));
  }

  end(): void {
    if (this.carriageReturn) this.pending += '\n';
    this.carriageReturn = false;
    const pos = this.scan(this.pending, true);
    const rest = this.pending.slice(pos);
    this.pending = '';
    if (rest.trim() !== '' || !this.sawRoot) throw new RefusedUpload('xml.malformed', MESSAGES.malformed(this.part));
  }

  private scan(buf: string, final: boolean): number {
    const h = this.handler;
    const len = buf.length;
    let pos = 0;
    while (pos < len) {
      let lt = pos;
      if (buf.charCodeAt(pos) !== 60 /* < */) {
        lt = buf.indexOf('<', pos);
        if (lt === -1) {
          if (!h.wantsText) return len;
          if (final) return pos;
          if (len - pos > TEXT_FLUSH_CHARS) {
            // Hand over a long text in pieces, cut before an entity that may be unfinished.
            const amp = buf.lastIndexOf('&');
            const cut = amp >= pos && buf.indexOf(';', amp) === -1 ? amp : len;
            if (cut > pos) h.text(buf.slice(pos, cut));
            return cut;
          }
          return pos;
        }
        if (h.wantsText) h.text(buf.slice(pos, lt));
        pos = lt;
      }
      if (lt + 1 >= len) return pos;
      const c = buf.charCodeAt(lt + 1);
      if (c === 47 /* / */) {
        // End tag: the name, optional spaces, '>'.
        let i = lt + 2;
        let colon = -1;
        let ch = 0;
        for (; i < len; i++) {
          ch = buf.charCodeAt(i);
          if (ch === 62 || ch <= 32) break;
          if (ch === 58) colon = i;
        }
        const nameEnd = i;
        while (i < len && ch !== 62) ch = buf.charCodeAt(++i);
        if (i >= len) return pos;
        h.close(internName(buf, colon === -1 ? lt + 2 : colon + 1, nameEnd));
        pos = i + 1;
      } else if (c === 33 /* ! */) {
        if (buf.startsWith('<!--', lt)) {
          const end = buf.indexOf('-->', lt + 4);
          if (end === -1) return pos;
          pos = end + 3;
        } else if (buf.startsWith('<![CDATA[', lt)) {
          const end = buf.indexOf(']]>', lt + 9);
          if (end === -1) return pos;
          if (h.wantsText) h.cdata(buf.slice(lt + 9, end));
          pos = end + 3;
        } else if (buf.startsWith('<!DOCTYPE', lt) || buf.startsWith('<!ENTITY', lt)) {
          throw new RefusedUpload('xml.doctype', MESSAGES.doctype(this.part));
        } else if (len - lt < 9 && !final) {
          return pos;
        } else {
          throw new RefusedUpload('xml.malformed', MESSAGES.malformed(this.part));
        }
      } else if (c === 63 /* ? */) {
        const end = buf.indexOf('?>', lt + 2);
        if (end === -1) return pos;
        pos = end + 2;
      } else {
        // Start tag: the name (noting a prefix), then attributes up to a '>' outside quotes.
        let i = lt + 1;
        let colon = -1;
        let ch = 0;
        for (; i < len; i++) {
          ch = buf.charCodeAt(i);
          if (ch === 62 || ch === 47 || ch <= 32) break;
          if (ch === 58) colon = i;
        }
        const nameEnd = i;
        if (nameEnd === lt + 1) throw new RefusedUpload('xml.malformed', MESSAGES.malformed(this.part));
        const gt = ch === 62 ? i : tagEnd(buf, i);
        if (gt === -1) return pos;
        if (gt === -2) throw new RefusedUpload('xml.malformed', MESSAGES.malformed(this.part));
        const selfClosing = buf.charCodeAt(gt - 1) === 47;
        const name = internName(buf, colon === -1 ? lt + 1 : colon + 1, nameEnd);
        this.sawRoot = true;
        const taken = h.open(name, buf, nameEnd, selfClosing ? gt - 1 : gt, selfClosing);
        if (taken) {
          pos = taken;
          continue;
        }
        if (selfClosing) h.close(name);
        pos = gt + 1;
      }
    }
    return pos;
  }
  };
}

/** The tokenizer for small parts (workbook, relationships, styles) and for tests. */
export const XmlTokenizer = tokenizerClass();
export type XmlTokenizer = InstanceType<typeof XmlTokenizer>;
const SharedStringsTokenizer = tokenizerClass();
const SheetTokenizer = tokenizerClass();

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The element's local name; the names met once per cell come back as constants, not new strings. */
function internName(buf: string, start: number, end: number): string {
  const a = buf.charCodeAt(start);
  switch (end - start) {
    case 1:
      if (a === 99) return 'c';
      if (a === 118) return 'v';
      if (a === 116) return 't';
      if (a === 102) return 'f';
      if (a === 114) return 'r';
      break;
    case 2:
      if (a === 105 && buf.charCodeAt(start + 1) === 115) return 'is';
      if (a === 115 && buf.charCodeAt(start + 1) === 105) return 'si';
      break;
    case 3:
      if (a === 114 && buf.charCodeAt(start + 1) === 111 && buf.charCodeAt(start + 2) === 119) return 'row';
      break;
  }
  return buf.slice(start, end);
}

/** The index of the '>' closing a start tag, skipping '>' inside quoted attribute values; -1 if not yet there. */
function tagEnd(buf: string, from: number): number {
  let quote = 0;
  for (let i = from; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 62 /* > */) {
      return i;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 60 /* < */) {
      return -2;
    }
  }
  return -1;
}

/** All attributes of a tag as [qualified name, decoded value] pairs. */
export function readAttributes(buf: string, start: number, end: number): Map<string, string> {
  const attributes = new Map<string, string>();
  let i = start;
  while (i < end) {
    while (i < end && isSpace(buf.charCodeAt(i))) i++;
    if (i >= end) break;
    const nameStart = i;
    while (i < end && buf.charCodeAt(i) !== 61 /* = */ && !isSpace(buf.charCodeAt(i))) i++;
    const name = buf.slice(nameStart, i);
    while (i < end && isSpace(buf.charCodeAt(i))) i++;
    if (buf.charCodeAt(i) !== 61) break;
    i++;
    while (i < end && isSpace(buf.charCodeAt(i))) i++;
    const quote = buf.charCodeAt(i);
    if (quote !== 34 && quote !== 39) break;
    const close = buf.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (close === -1 || close > end) break;
    attributes.set(name, decodeEntities(buf.slice(i + 1, close)));
    i = close + 1;
  }
  return attributes;
}

/** One attribute by local name (prefix ignored), or undefined. */
export function attributeValue(buf: string, start: number, end: number, wanted: string): string | undefined {
  for (const [name, value] of readAttributes(buf, start, end)) {
    const colon = name.indexOf(':');
    if ((colon === -1 ? name : name.slice(colon + 1)) === wanted) return value;
  }
  return undefined;
}

/** An attribute whose value needs no decoding (a number, a cell reference), found without allocating. */
function plainAttribute(buf: string, start: number, end: number, wanted: string): string | undefined {
  let i = start;
  while (i < end) {
    const eq = buf.indexOf('=', i);
    if (eq === -1 || eq >= end) return undefined;
    let q = eq + 1;
    while (q < end && isSpace(buf.charCodeAt(q))) q++;
    const quote = buf.charCodeAt(q);
    if (quote !== 34 && quote !== 39) return undefined;
    const close = buf.indexOf(quote === 39 ? "'" : '"', q + 1);
    if (close === -1 || close > end) return undefined;
    let nameEnd = eq;
    while (nameEnd > i && isSpace(buf.charCodeAt(nameEnd - 1))) nameEnd--;
    if (nameEnd - wanted.length >= i && buf.startsWith(wanted, nameEnd - wanted.length)) {
      const before = buf.charCodeAt(nameEnd - wanted.length - 1);
      if (isSpace(before) || before === 58 /* : */ || nameEnd - wanted.length === i) return buf.slice(q + 1, close);
    }
    i = close + 1;
  }
  return undefined;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references (line ends were normalised before). */
export function decodeEntities(raw: string): string {
  if (raw.indexOf('&') === -1) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.charCodeAt(0) === 35 /* # */) {
      const code = body.charCodeAt(1) === 120 ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

/** OOXML escapes characters XML cannot carry as _xHHHH_ (e.g. _x000D_ for a carriage return). */
function decodeOoxmlEscapes(text: string): string {
  if (text.indexOf('_x') === -1) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// ───────────────────────────── cell references ─────────────────────────────

/** Column number (1-based) of a reference such as "AB12" starting at buf[start]; 0 if none. */
function columnOf(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) column = column * 26 + (c - 64);
    else if (c >= 97 && c <= 122) column = column * 26 + (c - 96);
    else if (c === 36 /* $ */ && i === 0) continue;
    else break;
    if (column > 1e9) break;
  }
  return column;
}

function rowOf(ref: string): number {
  const match = /(\d+)\s*$/.exec(ref);
  return match ? Number(match[1]) : 0;
}

export function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** "B3:B7" → { top: 3, left: 2, bottom: 7, right: 2 }; undefined when it is not a range. */
export function parseRange(ref: string): CellRange | undefined {
  const [from, to] = ref.replace(/\$/g, '').trim().split(':');
  if (!from) return undefined;
  const end = to ?? from;
  const range = { top: rowOf(from), left: columnOf(from), bottom: rowOf(end), right: columnOf(end) };
  if (!range.top || !range.left || !range.bottom || !range.right) return undefined;
  return {
    top: Math.min(range.top, range.bottom),
    left: Math.min(range.left, range.right),
    bottom: Math.max(range.top, range.bottom),
    right: Math.max(range.left, range.right),
  };
}

// ───────────────────────────── parts of the package ─────────────────────────────

interface SheetInfo {
  name: string;
  /** 0-based position of the sheet's tab in the workbook. */
  index: number;
  entry: ZipEntry;
}

interface Workbook {
  sheets: SheetInfo[];
  date1904: boolean;
  sharedStrings?: ZipEntry;
  styles?: ZipEntry;
}

/** A part's text, decoded exactly across chunk boundaries. */
function decodedChunks(zip: ZipArchive, entry: ZipEntry): AsyncGenerator<string> {
  return zip.text(entry, 'text');
}

/** A part's text for searching ASCII markup only (one character per byte, no decoding cost). */
function markupChunks(zip: ZipArchive, entry: ZipEntry): AsyncGenerator<string> {
  return zip.text(entry, 'markup');
}

/** Runs a handler over a whole part. */
async function parsePart(zip: ZipArchive, entry: ZipEntry, handler: XmlHandler, Tokenizer = XmlTokenizer): Promise<void> {
  const tokenizer = new Tokenizer(handler, entry.name);
  for await (const text of decodedChunks(zip, entry)) tokenizer.write(text);
  tokenizer.end();
}

/** A handler that only looks at start tags. */
function startTags(visit: (name: string, buf: string, start: number, end: number) => void): XmlHandler {
  return { wantsText: false, open: visit, close() {}, text() {}, cdata() {} };
}

function resolveTarget(baseDir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${baseDir}${target}`).replace(/\\/g, '/').split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

interface Relationship {
  type: string;
  target: string;
}

async function readRelationships(zip: ZipArchive, partName: string): Promise<Map<string, Relationship>> {
  const slash = partName.lastIndexOf('/');
  const dir = partName.slice(0, slash + 1);
  const relsEntry = zip.find(`${dir}_rels/${partName.slice(slash + 1)}.rels`);
  const relationships = new Map<string, Relationship>();
  if (!relsEntry) return relationships;
  await parsePart(
    zip,
    relsEntry,
    startTags((name, buf, start, end) => {
      if (name !== 'Relationship') return;
      const attributes = readAttributes(buf, start, end);
      const id = attributes.get('Id');
      const target = attributes.get('Target');
      if (!id || !target || attributes.get('TargetMode') === 'External') return;
      relationships.set(id, { type: attributes.get('Type') ?? '', target: resolveTarget(dir, target) });
    }),
  );
  return relationships;
}

async function readWorkbook(zip: ZipArchive): Promise<Workbook> {
  const rootRels = await readRelationships(zip, '');
  let workbookName = 'xl/workbook.xml';
  for (const rel of rootRels.values()) {
    if (rel.type.endsWith('/officeDocument') && zip.find(rel.target)) workbookName = rel.target;
  }
  const workbookEntry = zip.find(workbookName);
  if (!workbookEntry) throw new RefusedUpload('format.unknown', MESSAGES.malformed('xl/workbook.xml'));
  const rels = await readRelationships(zip, workbookEntry.name);

  const declared: { name: string; rid?: string }[] = [];
  let date1904 = false;
  await parsePart(
    zip,
    workbookEntry,
    startTags((name, buf, start, end) => {
      if (name === 'sheet') {
        const attributes = readAttributes(buf, start, end);
        let rid: string | undefined;
        for (const [key, value] of attributes) if (key === 'r:id' || key.endsWith(':id')) rid = value;
        declared.push({ name: attributes.get('name') ?? `Sheet${declared.length + 1}`, rid });
      } else if (name === 'workbookPr') {
        const value = attributeValue(buf, start, end, 'date1904');
        date1904 = value === '1' || value === 'true';
      }
    }),
  );

  const sheets: SheetInfo[] = [];
  declared.forEach((sheet, index) => {
    const rel = sheet.rid ? rels.get(sheet.rid) : undefined;
    if (rel && !/\/worksheet$/.test(rel.type)) return; // chartsheets, dialogsheets, macrosheets
    const entry = rel ? zip.find(rel.target) : zip.find(`xl/worksheets/sheet${index + 1}.xml`);
    if (entry) sheets.push({ name: sheet.name, index, entry });
  });

  const byType = (suffix: string, fallback: string): ZipEntry | undefined => {
    for (const rel of rels.values()) if (rel.type.endsWith(suffix)) return zip.find(rel.target);
    return zip.find(fallback);
  };
  return {
    sheets,
    date1904,
    sharedStrings: byType('/sharedStrings', 'xl/sharedStrings.xml'),
    styles: byType('/styles', 'xl/styles.xml'),
  };
}

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
async function readDateStyles(zip: ZipArchive, entry: ZipEntry | undefined): Promise<boolean[]> {
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

/**
 * The shared strings, kept compactly: every 4,096 strings are joined into one block string with their
 * offsets in a typed array, so a million distinct strings cost their characters plus four bytes each,
 * not a string object and a pointer each (measured at 13.8 million strings: about 40% less memory).
 */
export class SharedStrings {
  private static readonly BLOCK = 4096;
  private readonly blocks: string[] = [];
  private readonly starts: Uint32Array[] = [];
  private current: string[] = [];
  private currentStarts = new Uint32Array(SharedStrings.BLOCK + 1);
  private currentLength = 0;
  private count = 0;

  push(text: string): void {
    this.currentStarts[this.current.length] = this.currentLength;
    this.current.push(text);
    this.currentLength += text.length;
    this.count++;
    if (this.current.length === SharedStrings.BLOCK) this.seal();
  }

  finish(): void {
    if (this.current.length > 0) this.seal();
  }

  get size(): number {
    return this.count;
  }

  get(index: number): string | undefined {
    if (!(index >= 0 && index < this.count) || !Number.isInteger(index)) return undefined;
    const n = Math.floor(index / SharedStrings.BLOCK);
    const block = this.blocks[n];
    const starts = this.starts[n];
    if (block === undefined || starts === undefined) return undefined;
    const i = index - n * SharedStrings.BLOCK;
    return block.slice(starts[i], starts[i + 1]);
  }

  private seal(): void {
    const size = this.current.length;
    this.currentStarts[size] = this.currentLength;
    this.blocks.push(this.current.join(''));
    this.starts.push(this.currentStarts.slice(0, size + 1));
    this.current = [];
    this.currentLength = 0;
  }
}

async function readSharedStrings(zip: ZipArchive, entry: ZipEntry | undefined): Promise<SharedStrings> {
  const strings = new SharedStrings();
  if (!entry) return strings;
  let text = '';
  let inItem = false;
  let phonetic = 0;
  const handler: XmlHandler = {
    wantsText: false,
    open(name, buf, _start, end, selfClosing) {
      if (name === 'si') {
        if (!selfClosing) {
          // The usual <si><t>…</t></si> in one step; rich text and anything unusual goes through the tokenizer.
          const taken = simpleSharedString(buf, end + 1);
          if (taken) return taken;
        }
        inItem = true;
        text = '';
      } else if (name === 'rPh') {
        phonetic++;
      } else if (name === 't' && inItem && phonetic === 0) {
        handler.wantsText = true;
      }
    },
    close(name) {
      if (name === 't') {
        handler.wantsText = false;
      } else if (name === 'rPh') {
        phonetic--;
      } else if (name === 'si') {
        strings.push(decodeOoxmlEscapes(text));
        inItem = false;
      }
    },
    text(raw) {
      text += decodeEntities(raw);
      if (text.length > MAX_CELL_CHARS) throw new RefusedUpload('cell.too_long', MESSAGES.cellTooLong(entry.name));
    },
    cdata(literal) {
      text += literal;
    },
  };
  const simpleSharedString = (buf: string, at: number): number => {
    let textStart: number;
    if (buf.startsWith('<t>', at)) textStart = at + 3;
    else if (buf.startsWith('<t xml:space="preserve">', at)) textStart = at + 24;
    else return 0;
    const close = buf.indexOf('<', textStart);
    if (close === -1 || close - textStart > MAX_CELL_CHARS || !startsWithAt(buf, close, '</t></si>')) return 0;
    strings.push(decodeOoxmlEscapes(decodeEntities(buf.slice(textStart, close))));
    return close + 9;
  };
  await parsePart(zip, entry, handler, SharedStringsTokenizer);
  strings.finish();
  return strings;
}

// ───────────────────────────── worksheets ─────────────────────────────

/**
 * The fast first look at a sheet: its merges, and whether it is hostile (DOCTYPE, rows or a dimension out
 * of range). Searches the text for the few things it needs instead of tokenizing every cell.
 */
async function prescanSheet(zip: ZipArchive, sheet: SheetInfo, limits: ReadLimits): Promise<CellRange[]> {
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

const enum CellType {
  Number,
  Shared,
  String,
  Inline,
  Boolean,
  Error,
  Date,
}

/** The t attribute of a cell, read in place. */
function cellTypeAt(buf: string, start: number, end: number): CellType {
  const a = buf.charCodeAt(start);
  switch (end - start) {
    case 1:
      return a === 115 ? CellType.Shared : a === 98 ? CellType.Boolean : a === 101 ? CellType.Error : a === 100 ? CellType.Date : CellType.Number;
    case 3:
      return a === 115 ? CellType.String : CellType.Number;
    case 9:
      return a === 105 ? CellType.Inline : CellType.Number;
    default:
      return CellType.Number;
  }
}

/** The column of a reference such as "AB12" (or "$AB$12") read in place; 0 when there are no letters. */
function columnAt(buf: string, start: number, end: number): number {
  let column = 0;
  for (let i = start; i < end && column <= EXCEL_MAX_COLUMNS; i++) {
    const c = buf.charCodeAt(i) | 32; // lower case
    if (c >= 97 && c <= 122) column = column * 26 + (c - 96);
    else if (c !== 36 /* $ */) break;
  }
  return column;
}

const V_END = '</v></c>';
const IS_END = '</t></is></c>';

/** buf has `text` at `at` (character by character: cheaper than startsWith for a few characters). */
function startsWithAt(buf: string, at: number, text: string): boolean {
  if (at + text.length > buf.length) return false;
  for (let i = 0; i < text.length; i++) if (buf.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  return true;
}

function isDigits(buf: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const d = buf.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
  }
  return true;
}

function integerAt(buf: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = buf.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return value;
    value = value * 10 + d;
  }
  return value;
}

/** Turns the XML of one worksheet into rows, collected per chunk for the generator to hand out. */
class SheetHandler implements XmlHandler {
  wantsText = false;
  readonly ready: { rowNumber: number; cells: CellValue[] }[] = [];

  private rowNumber = 0;
  private rowsWithContent = 0;
  private cells: CellValue[] = [];
  private hasContent = false;
  private column = 0;
  private inCell = false;
  private cellType = CellType.Number;
  private cellStyle = 0;
  private buffered = '';
  private hasValue = false;
  private hasFormula = false;
  private inlineString = false;
  private inInline = false;
  private phonetic = 0;
  private readonly maxRow: number;

  constructor(
    private readonly sheet: SheetInfo,
    private readonly strings: SharedStrings,
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
    private readonly limits: ReadLimits,
  ) {
    this.maxRow = Math.min(EXCEL_MAX_ROWS, limits.maxRows + HEADER_ROWS_MARGIN);
  }

  open(name: string, buf: string, start: number, end: number, selfClosing: boolean): number | void {
    switch (name) {
      case 'c': {
        this.inCell = true;
        this.cellType = CellType.Number;
        this.cellStyle = 0;
        this.buffered = '';
        this.hasValue = false;
        this.hasFormula = false;
        this.inlineString = false;
        // Attributes of <c> by hand, without allocating: this runs once per cell.
        let column = 0;
        let i = start;
        while (i < end) {
          const eq = buf.indexOf('=', i);
          if (eq === -1 || eq >= end) break;
          let q = eq + 1;
          while (q < end && isSpace(buf.charCodeAt(q))) q++;
          const quote = buf.charCodeAt(q);
          const close = buf.indexOf(quote === 39 ? "'" : '"', q + 1);
          if (close === -1 || close > end) break;
          let nameEnd = eq;
          while (nameEnd > i && isSpace(buf.charCodeAt(nameEnd - 1))) nameEnd--;
          if (nameEnd - 1 === i || isSpace(buf.charCodeAt(nameEnd - 2))) {
            const key = buf.charCodeAt(nameEnd - 1);
            if (key === 114 /* r */) column = columnAt(buf, q + 1, close);
            else if (key === 116 /* t */) this.cellType = cellTypeAt(buf, q + 1, close);
            else if (key === 115 /* s */) this.cellStyle = integerAt(buf, q + 1, close);
          }
          i = close + 1;
        }
        this.column = column > 0 ? column : this.column + 1;
        if (this.column > EXCEL_MAX_COLUMNS) {
          throw new RefusedUpload('sheet.range_too_large', MESSAGES.rangeTooLarge(this.sheet.name, `第 ${this.rowNumber} 行的单元格`));
        }
        return selfClosing ? undefined : this.simpleCell(buf, end + 1);
      }
      case 'v':
        if (this.inCell) {
          this.wantsText = true;
          this.buffered = '';
        }
        break;
      case 'f':
        if (this.inCell) this.hasFormula = true;
        break;
      case 'is':
        if (this.inCell) {
          this.inInline = true;
          this.inlineString = true;
          this.buffered = '';
        }
        break;
      case 'rPh':
        this.phonetic++;
        break;
      case 't':
        if (this.inInline && this.phonetic === 0) this.wantsText = true;
        break;
      case 'row': {
        const r = plainAttribute(buf, start, end, 'r');
        const number = r === undefined ? this.rowNumber + 1 : Number(r);
        this.rowNumber = Number.isInteger(number) && number > 0 ? number : this.rowNumber + 1;
        if (this.rowNumber > EXCEL_MAX_ROWS) {
          throw new RefusedUpload('sheet.range_too_large', MESSAGES.rangeTooLarge(this.sheet.name, `第 ${this.rowNumber} 行`));
        }
        this.cells = [];
        this.hasContent = false;
        this.column = 0;
        break;
      }
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v':
        if (this.inCell) {
          this.wantsText = false;
          this.hasValue = true;
        }
        break;
      case 't':
        if (this.inInline) this.wantsText = false;
        break;
      case 'rPh':
        this.phonetic--;
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'c':
        this.finishCell();
        break;
      case 'row':
        if (this.hasContent) {
          if (this.rowNumber > this.maxRow || ++this.rowsWithContent > this.maxRow) {
            throw new RefusedUpload('sheet.too_many_rows', MESSAGES.tooManyRows(this.sheet.name, this.limits.maxRows));
          }
          this.ready.push({ rowNumber: this.rowNumber, cells: this.cells });
        }
        this.cells = [];
        this.hasContent = false;
        break;
    }
  }

  text(raw: string): void {
    this.buffered += decodeEntities(raw);
    if (this.buffered.length > MAX_CELL_CHARS) throw new RefusedUpload('cell.too_long', MESSAGES.cellTooLong(this.sheet.entry.name));
  }

  cdata(literal: string): void {
    this.buffered += literal;
  }

  /**
   * The shapes almost every cell has, `<v>…</v></c>` and `<is><t>…</t></is></c>` without prefixes, taken
   * in one step instead of four tokens; anything else (formulas, rich text, CDATA, a chunk boundary) is
   * left to the tokenizer. Returns the index after `</c>`, or 0.
   */
  private simpleCell(buf: string, at: number): number {
    if (buf.charCodeAt(at) !== 60 /* < */) return 0;
    let textStart: number;
    let tail: string;
    if (buf.charCodeAt(at + 1) === 118 /* v */ && buf.charCodeAt(at + 2) === 62 /* > */) {
      textStart = at + 3;
      tail = V_END;
    } else if (buf.startsWith('<is><t>', at)) {
      textStart = at + 7;
      tail = IS_END;
    } else if (buf.startsWith('<is><t xml:space="preserve">', at)) {
      textStart = at + 28;
      tail = IS_END;
    } else {
      return 0;
    }
    const close = buf.indexOf('<', textStart);
    if (close === -1 || close - textStart > MAX_CELL_CHARS || !startsWithAt(buf, close, tail)) return 0;
    if (tail === IS_END) {
      this.inlineString = true;
      this.buffered = decodeEntities(buf.slice(textStart, close));
    } else if (this.cellType === CellType.Shared && close > textStart && close - textStart < 10) {
      // A shared string index: read the digits in place, no substring.
      const index = integerAt(buf, textStart, close);
      const value = this.strings.get(index);
      if (value === undefined || !isDigits(buf, textStart, close)) {
        this.buffered = buf.slice(textStart, close);
      } else {
        this.hasValue = true;
        this.finishCellWith(value);
        return close + tail.length;
      }
    } else {
      this.buffered = decodeEntities(buf.slice(textStart, close));
    }
    this.hasValue = true;
    this.finishCell();
    return close + tail.length;
  }

  private finishCell(): void {
    this.finishCellWith(this.cellValue());
  }

  private finishCellWith(value: CellValue): void {
    this.inCell = false;
    this.wantsText = false;
    if (value === undefined) return;
    if (this.rowNumber === 0) this.rowNumber = 1; // a cell outside any <row>: be forgiving
    if (value !== null && value !== '') {
      if (this.column > this.limits.maxColumns) {
        throw new RefusedUpload(
          'sheet.range_too_large',
          MESSAGES.tooManyColumns(this.sheet.name, this.rowNumber, this.column, this.limits.maxColumns),
        );
      }
      this.hasContent = true;
    }
    this.cells[this.column - 1] = value;
  }

  private cellValue(): CellValue {
    if (this.inlineString) return decodeOoxmlEscapes(this.buffered);
    if (!this.hasValue) return this.hasFormula ? null : undefined;
    const text = this.buffered;
    switch (this.cellType) {
      case CellType.Shared: {
        const value = this.strings.get(Number(text));
        if (value === undefined) {
          throw new RefusedUpload('xml.malformed', MESSAGES.badSharedString(this.sheet.name, this.rowNumber));
        }
        return value;
      }
      case CellType.String:
      case CellType.Inline:
        return decodeOoxmlEscapes(text);
      case CellType.Boolean:
        return text === '1' || text.trim().toLowerCase() === 'true';
      case CellType.Error:
        return { error: text };
      case CellType.Date: {
        const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`;
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? text : date;
      }
      default: {
        if (text.trim() === '') return null;
        const number = Number(text);
        if (Number.isNaN(number)) return text;
        if (this.dateStyles[this.cellStyle] === true) return excelSerialToDate(number, this.date1904) ?? number;
        return number;
      }
    }
  }
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

// ───────────────────────────── the reader ─────────────────────────────

/**
 * Streams every worksheet of an .xlsx: a 'sheet' event (with its merges) then its rows with content.
 * Every sheet is pre-scanned before the first row is handed over, so a hostile sheet refuses the whole
 * upload before anything was read from it.
 */
export async function* readXlsx(path: string, limits: ReadLimits): AsyncGenerator<ReaderEvent> {
  const zip = await ZipArchive.open(path, limits);
  try {
    const workbook = await readWorkbook(zip);
    if (workbook.sheets.length === 0) throw new RefusedUpload('format.empty', MESSAGES.noWorksheet);
    // The pre-scans mostly wait for the inflater while parsing the shared strings keeps the CPU busy:
    // run them side by side. A refusal in one closes the zip, which stops the others.
    const [merges, dateStyles, strings] = await Promise.all([
      (async () => {
        const all: CellRange[][] = [];
        for (const sheet of workbook.sheets) all.push(await prescanSheet(zip, sheet, limits));
        return all;
      })(),
      readDateStyles(zip, workbook.styles),
      readSharedStrings(zip, workbook.sharedStrings),
    ]);

    for (const [n, sheet] of workbook.sheets.entries()) {
      yield { type: 'sheet', name: sheet.name, index: sheet.index, merges: merges[n] ?? [] };
      const handler = new SheetHandler(sheet, strings, dateStyles, workbook.date1904, limits);
      const tokenizer = new SheetTokenizer(handler, sheet.entry.name);
      for await (const text of decodedChunks(zip, sheet.entry)) {
        tokenizer.write(text);
        for (const row of handler.ready) yield { type: 'row', sheet: sheet.name, rowNumber: row.rowNumber, cells: row.cells };
        handler.ready.length = 0;
      }
      tokenizer.end();
      for (const row of handler.ready) yield { type: 'row', sheet: sheet.name, rowNumber: row.rowNumber, cells: row.cells };
      handler.ready.length = 0;
    }
  } finally {
    await zip.close();
  }
}
