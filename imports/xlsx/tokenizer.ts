// A small XML tokenizer of our own: exact for Chinese text split across chunks, tolerant of what Excel,
// WPS and LibreOffice write, refusing DOCTYPE and ENTITY declarations; with the attribute and entity
// readers the parts' handlers use.
import { RefusedUpload } from '../types.js';
import { MAX_CELL_CHARS, MESSAGES } from './messages.js';

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
  /**
   * Set by a handler (in close) to have the tokenizer stop just after the element it closed; the caller
   * takes what the handler collected, then resumes (feed / resume below).
   */
  pause?: boolean;
}

const TEXT_FLUSH_CHARS = 64 * 1024;

/**
 * A push tokenizer over decoded text chunks: keeps an unfinished token for the next chunk, nothing else.
 * Made by a factory so that each kind of part gets its own copy of the code, and with it its own inline
 * caches: the calls into the sheet handler, millions per sheet, then stay monomorphic (measured: about
 * a third faster than one tokenizer shared by every kind of handler).
 */
export function tokenizerClass() {
  return class XmlTokenizer {
  private pending = '';
  private sawRoot = false;
  private carriageReturn = false;
  /** The text fed and not yet scanned (feed / resume), and where scanning goes on in it. */
  private fed = '';
  private at = 0;

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
    this.feed(text);
    while (this.resume());
  }

  /** Takes the next chunk, to be scanned by resume(). */
  feed(text: string): void {
    const chunk = this.normaliseLineEnds(text);
    this.fed = this.pending.length > 0 ? this.pending + chunk : chunk;
    this.at = 0;
    this.pending = '';
  }

  /**
   * Scans the fed chunk on: true when the handler paused (the caller takes what it collected and calls
   * again), false when the chunk is used up (its unfinished end is kept for the next one).
   */
  resume(): boolean {
    const buf = this.fed;
    const pos = this.scan(buf, false, this.at);
    if (this.handler.pause) {
      this.handler.pause = false;
      this.at = pos;
      return true;
    }
    this.pending = pos < buf.length ? buf.slice(pos) : '';
    this.fed = '';
    if (this.pending.length > MAX_CELL_CHARS) throw new RefusedUpload('cell.too_long', MESSAGES.cellTooLong(this.part));
    return false;
  }

  end(): void {
    if (this.carriageReturn) this.pending += '\n';
    this.carriageReturn = false;
    let pos = 0;
    do {
      this.handler.pause = false;
      pos = this.scan(this.pending, true, pos);
    } while (this.handler.pause);
    const rest = this.pending.slice(pos);
    this.pending = '';
    if (rest.trim() !== '' || !this.sawRoot) throw new RefusedUpload('xml.malformed', MESSAGES.malformed(this.part));
  }

  private scan(buf: string, final: boolean, from: number): number {
    const h = this.handler;
    const len = buf.length;
    let pos = from;
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
        if (h.pause) return pos;
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
        pos = gt + 1;
        if (selfClosing) {
          h.close(name);
          if (h.pause) return pos;
        }
      }
    }
    return pos;
  }
  };
}

/** The tokenizer for small parts (workbook, relationships, styles) and for tests. */
export const XmlTokenizer = tokenizerClass();
export type XmlTokenizer = InstanceType<typeof XmlTokenizer>;

export function isSpace(c: number): boolean {
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
export function plainAttribute(buf: string, start: number, end: number, wanted: string): string | undefined {
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
export function decodeOoxmlEscapes(text: string): string {
  if (text.indexOf('_x') === -1) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** buf has `text` at `at` (character by character: cheaper than startsWith for a few characters). */
export function startsWithAt(buf: string, at: number, text: string): boolean {
  if (at + text.length > buf.length) return false;
  for (let i = 0; i < text.length; i++) if (buf.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  return true;
}
