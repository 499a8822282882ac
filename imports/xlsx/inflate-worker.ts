// The thread that inflates and decodes a large zip entry beside the parsing (ZipArchive.text in zip.ts):
// reads the entry's compressed bytes, inflates and decodes them, and posts text chunks with the real
// byte counts. It stays at most `slots` chunks ahead; the main thread counts the bytes against the caps
// and terminates the thread the moment one is crossed.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createInflateRaw, type ZlibOptions } from 'node:zlib';
import type { InflateJob, InflateMessage } from './inflate-protocol.js';

const { path, start, end, deflated, mode, ring, slots, slotBytes, chunkSize } = workerData as InflateJob;
const port = parentPort!;
let free = slots;
let next = 0;
let wake: (() => void) | null = null;
port.on('message', (n: number) => {
  free += n;
  if (wake) {
    const w = wake;
    wake = null;
    w();
  }
});

/** Writes a piece into a slot: how many bytes it took, and whether they are UTF-16 code units. */
type Fill = (target: Buffer) => [length: number, wide: boolean];

// Text crosses in a ring of shared slots as UTF-16 (or latin1 when it fits): turning that back into a
// string is a plain copy on the main thread, much cheaper than cloning the string or decoding UTF-8
// there, and no buffer is allocated per chunk.
const NOT_LATIN1 = /[^\u0000-\u00ff]/;

async function put(real: number, consumed: number, fill: Fill, done: boolean): Promise<void> {
  while (free <= 0) await new Promise<void>((resolve) => (wake = resolve));
  free--;
  const slot = next;
  next = (next + 1) % slots;
  const [length, wide] = fill(Buffer.from(ring, slot * slotBytes, slotBytes));
  port.postMessage({ real, consumed, slot, length, wide, done } satisfies InflateMessage);
}

const textInto =
  (text: string): Fill =>
  (target) => {
    const wide = NOT_LATIN1.test(text);
    if (text.length * (wide ? 2 : 1) > target.length) throw new Error('slot overflow');
    return [text.length === 0 ? 0 : target.write(text, wide ? 'ucs2' : 'latin1'), wide];
  };

async function run(): Promise<void> {
  const source = createReadStream(path, { start, end, highWaterMark: chunkSize });
  const inflate = deflated ? createInflateRaw({ chunkSize, readableHighWaterMark: 2 * chunkSize } as ZlibOptions) : null;
  if (inflate) {
    source.on('error', (error) => inflate.destroy(error));
    source.pipe(inflate);
  }
  let decoder: TextDecoder | null = null;
  let latin1 = false;
  let real = 0;
  let carry = '';
  let carryBytes = Buffer.alloc(0);
  // A stream read can hand over more than one chunk at once: cut it so that every piece fits a slot.
  for await (const data of (inflate ?? source) as AsyncIterable<Buffer>) {
    for (let at = 0; at < data.length; at += chunkSize) {
      const chunk = data.subarray(at, at + chunkSize);
      real += chunk.length;
      if (decoder === null && !latin1) {
        const le = chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe;
        const be = chunk.length >= 2 && chunk[0] === 0xfe && chunk[1] === 0xff;
        if (mode === 'markup' && !le && !be) latin1 = true;
        else decoder = new TextDecoder(le ? 'utf-16le' : be ? 'utf-16be' : 'utf-8');
      }
      const consumed = inflate ? inflate.bytesWritten : real;
      // Each piece ends just after a '>' (the rest waits for the next one), so that a tag never straddles
      // two pieces: the reader then seldom has to join strings, and joined strings are slow to scan.
      if (latin1) {
        const bytes = carryBytes.length > 0 ? Buffer.concat([carryBytes, chunk]) : chunk;
        const cut = bytes.lastIndexOf(0x3e) + 1 || bytes.length;
        carryBytes = Buffer.from(bytes.subarray(cut));
        await put(real, consumed, (target) => [bytes.copy(target, 0, 0, cut), false], false);
      } else {
        const text = carry + decoder!.decode(chunk, { stream: true });
        const cut = text.lastIndexOf('>') + 1 || text.length;
        carry = text.slice(cut);
        await put(real, consumed, textInto(text.slice(0, cut)), false);
      }
    }
  }
  const rest = latin1 ? carryBytes.toString('latin1') : carry + (decoder ? decoder.decode() : '');
  await put(real, inflate ? inflate.bytesWritten : real, textInto(rest), true);
}

run().catch((error: unknown) => {
  const e = error as { code?: unknown; message?: unknown } | null | undefined;
  port.postMessage({ real: 0, consumed: 0, slot: 0, length: 0, error: String((e && e.code) || (e && e.message) || error) } satisfies InflateMessage);
});
