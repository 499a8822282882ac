// Reading one part (one file) of the package: its text in pieces, or through a tokenizer and a handler.
import { XmlTokenizer, type XmlHandler } from './tokenizer.js';
import type { ZipArchive, ZipEntry } from './zip.js';

/** A part's text, decoded exactly across chunk boundaries. */
export function decodedChunks(zip: ZipArchive, entry: ZipEntry): AsyncGenerator<string> {
  return zip.text(entry, 'text');
}

/** A part's text for searching ASCII markup only (one character per byte, no decoding cost). */
export function markupChunks(zip: ZipArchive, entry: ZipEntry): AsyncGenerator<string> {
  return zip.text(entry, 'markup');
}

/** Runs a handler over a whole part. */
export async function parsePart(zip: ZipArchive, entry: ZipEntry, handler: XmlHandler, Tokenizer = XmlTokenizer): Promise<void> {
  const tokenizer = new Tokenizer(handler, entry.name);
  for await (const text of decodedChunks(zip, entry)) tokenizer.write(text);
  tokenizer.end();
}

/** A handler that only looks at start tags. */
export function startTags(visit: (name: string, buf: string, start: number, end: number) => void): XmlHandler {
  return { wantsText: false, open: visit, close() {}, text() {}, cdata() {} };
}
