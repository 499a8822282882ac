// The shared strings part: every distinct text of the workbook, which cells name by index.
import { closeSync, mkdirSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { RefusedUpload } from '../types.js';
import { MAX_CELL_CHARS, MESSAGES } from './messages.js';
import { parsePart } from './parts.js';
import { decodeEntities, decodeOoxmlEscapes, startsWithAt, tokenizerClass, type XmlHandler } from './tokenizer.js';
import type { ZipArchive, ZipEntry } from './zip.js';

/** The tokenizer of shared strings: a copy of its own (see tokenizerClass). */
const SharedStringsTokenizer = tokenizerClass();

/**
 * Where a large shared-string table goes once `keepChars` characters are held: the strings beyond it are
 * written to a file of their own in `dir` (removed from the folder as soon as it is open, so nothing is
 * left behind whatever ends the reader) and read back from there.
 */
export interface SpillOptions {
  dir: string;
  keepChars: number;
}

/**
 * The shared strings, kept compactly: every 4,096 strings are joined into one block string with their
 * offsets in a typed array, so a million distinct strings cost their characters plus four bytes each,
 * not a string object and a pointer each (measured at 13.8 million strings: about 40% less memory).
 *
 * With `spill`, the blocks after the first `keepChars` characters are written to a file, their offsets
 * then their characters as UTF-16, and read back a page at a time: a sheet names its strings roughly in the order they were first written (the
 * order Excel, WPS and exceljs give them), so the pages most recently read serve almost every cell, and
 * the strings written early, which name the values repeated all along (categories, departments, laws),
 * stay in memory. A million-row workbook's five million strings cost the reader 165 MB of heap held whole.
 */
export class SharedStrings {
  private static readonly BLOCK = 4096;
  /** Bytes of the spill file read at once, and how many such pages are kept. */
  private static readonly PAGE_BYTES = 32 * 1024;
  private static readonly CACHED_PAGES = 64;
  /** Each block's text and offsets, or null where they are in the spill file (at spilledAt). */
  private readonly blocks: (string | null)[] = [];
  private readonly starts: (Uint32Array | null)[] = [];
  private readonly spilledAt: number[] = [];
  private current: string[] = [];
  private currentStarts = new Uint32Array(SharedStrings.BLOCK + 1);
  private currentLength = 0;
  private count = 0;
  private heldChars = 0;
  private file: number | null = null;
  private fileBytes = 0;
  private namedFile: string | null = null;
  /** Pages of the spill file, least recently read first, and the one read last. */
  private readonly pages = new Map<number, Buffer>();
  private lastPage = -1;
  private lastBytes: Buffer | null = null;

  constructor(private readonly spill?: SpillOptions) {}

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

  /** Strings written to the spill file so far, in blocks (none without `spill`). */
  get spilledBlocks(): number {
    return this.blocks.reduce((n, b) => (b === null ? n + 1 : n), 0);
  }

  get(index: number): string | undefined {
    if (!(index >= 0 && index < this.count) || !Number.isInteger(index)) return undefined;
    const n = Math.floor(index / SharedStrings.BLOCK);
    const block = this.blocks[n];
    const starts = this.starts[n];
    if (block === undefined || starts === undefined) return undefined;
    const i = index - n * SharedStrings.BLOCK;
    if (block !== null && starts !== null) return block.slice(starts[i], starts[i + 1]);
    // In the file: the block's size + 1 offsets (four bytes each), then its characters.
    const at = this.spilledAt[n]!;
    const size = Math.min(SharedStrings.BLOCK, this.count - n * SharedStrings.BLOCK);
    const from = this.uint32At(at + i * 4);
    const to = this.uint32At(at + (i + 1) * 4);
    return this.readSpilled(at + (size + 1) * 4 + from * 2, (to - from) * 2);
  }

  /** Closes the spill file (its space is given back then: it has no name in the folder). */
  close(): void {
    if (this.file !== null) closeSync(this.file);
    this.file = null;
    this.pages.clear();
    this.lastPage = -1;
    this.lastBytes = null;
    if (this.namedFile !== null) rmSync(this.namedFile, { force: true });
    this.namedFile = null;
  }

  private seal(): void {
    const size = this.current.length;
    this.currentStarts[size] = this.currentLength;
    const text = this.current.join('');
    if (this.spill && this.heldChars + text.length > this.spill.keepChars) {
      this.spilledAt.push(this.writeSpilled(this.currentStarts.subarray(0, size + 1), text));
      this.starts.push(null);
      this.blocks.push(null);
    } else {
      this.spilledAt.push(-1);
      this.starts.push(this.currentStarts.slice(0, size + 1));
      this.blocks.push(text);
      this.heldChars += text.length;
    }
    this.current = [];
    this.currentLength = 0;
  }

  /**
   * Appends a block to the spill file, its offsets (little-endian) then its text as UTF-16 (a character is
   * two bytes), padded to four bytes so that no offset straddles a page; returns where it starts.
   */
  private writeSpilled(starts: Uint32Array, text: string): number {
    if (this.file === null) {
      mkdirSync(this.spill!.dir, { recursive: true });
      const path = join(this.spill!.dir, `.shared-strings-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
      this.file = openSync(path, 'w+', 0o600);
      // Nameless from now on: the space is given back when the file is closed, or the reader ends.
      try {
        unlinkSync(path);
      } catch {
        // A system that cannot remove an open file: close() removes it.
        this.namedFile = path;
      }
    }
    const at = this.fileBytes;
    const textBytes = text.length * 2;
    const bytes = Buffer.allocUnsafe(starts.length * 4 + textBytes + (textBytes % 4));
    for (let i = 0; i < starts.length; i++) bytes.writeUInt32LE(starts[i]!, i * 4);
    bytes.write(text, starts.length * 4, 'utf16le');
    bytes.fill(0, starts.length * 4 + textBytes);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.file, bytes, written, bytes.length - written, at + written);
    this.fileBytes += bytes.length;
    return at;
  }

  private uint32At(offset: number): number {
    const page = Math.floor(offset / SharedStrings.PAGE_BYTES);
    return this.page(page).readUInt32LE(offset - page * SharedStrings.PAGE_BYTES);
  }

  private readSpilled(offset: number, length: number): string {
    if (length === 0) return '';
    const PAGE = SharedStrings.PAGE_BYTES;
    const page = Math.floor(offset / PAGE);
    const end = offset + length;
    if (end > (page + 1) * PAGE) {
      // A string across pages (or longer than one): read on its own.
      const bytes = Buffer.allocUnsafe(length);
      readFully(this.file!, bytes, offset);
      return bytes.toString('utf16le');
    }
    return this.page(page).toString('utf16le', offset - page * PAGE, end - page * PAGE);
  }

  /** A page of the spill file, read unless it is among the last ones read. */
  private page(page: number): Buffer {
    // The page read last, most often the one asked for again: no reordering.
    if (page === this.lastPage) return this.lastBytes!;
    const PAGE = SharedStrings.PAGE_BYTES;
    let bytes = this.pages.get(page);
    if (bytes !== undefined) {
      // Most recently read from now on (a Map keeps its keys in the order they were set).
      this.pages.delete(page);
    } else {
      // The page read least recently makes room (its buffer is reused).
      if (this.pages.size >= SharedStrings.CACHED_PAGES) {
        const [oldest, buffer] = this.pages.entries().next().value as [number, Buffer];
        this.pages.delete(oldest);
        bytes = buffer;
      } else bytes = Buffer.allocUnsafe(PAGE);
      readFully(this.file!, bytes.subarray(0, Math.min(PAGE, this.fileBytes - page * PAGE)), page * PAGE);
    }
    this.pages.set(page, bytes);
    this.lastPage = page;
    this.lastBytes = bytes;
    return bytes;
  }
}

function readFully(file: number, into: Buffer, position: number): void {
  let read = 0;
  while (read < into.length) {
    const n = readSync(file, into, read, into.length - read, position + read);
    if (n === 0) throw new Error('shared strings: the spill file ended early');
    read += n;
  }
}

export async function readSharedStrings(zip: ZipArchive, entry: ZipEntry | undefined, spill?: SpillOptions): Promise<SharedStrings> {
  const strings = new SharedStrings(spill);
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
  try {
    await parsePart(zip, entry, handler, SharedStringsTokenizer);
  } catch (error) {
    strings.close();
    throw error;
  }
  strings.finish();
  return strings;
}
