// A minimal zip reader for uploads: lists the central directory and streams one entry's inflated bytes,
// counting the bytes that really come out of the inflater, because the sizes a zip declares can lie.
import { createReadStream, existsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createInflateRaw, type ZlibOptions } from 'node:zlib';
import { RefusedUpload, type ReadLimits } from '../types.js';
import { workerCommand, type WorkerCommand } from '../worker-bundle.js';
import type { InflateJob, InflateMessage, TextMode } from './inflate-protocol.js';

export type { TextMode } from './inflate-protocol.js';

export interface ZipEntry {
  /** The name as stored, with backslashes turned into slashes. */
  readonly name: string;
  /** 0 = stored, 8 = deflate. */
  readonly method: number;
  readonly compressedSize: number;
  /** The uncompressed size the central directory claims. Only used to refuse honest bombs early. */
  readonly declaredSize: number;
  readonly localHeaderOffset: number;
}

/**
 * The compression-ratio guard: once an entry has really inflated past RATIO_GUARD_FROM_BYTES, its output
 * may not be more than RATIO_GUARD_MAX times the compressed bytes the inflater has consumed so far. Sheet
 * XML measured at 1,000,000 rows (deflate level 6) stays at or below about 45× (rows of empty cells:
 * 12×; one shared string everywhere: 19×; one inline string everywhere: 28×; LibreOffice's empty
 * formatted rows: 45×), while a bomb runs at deflate's limit of about 1,030×, so a bomb is stopped
 * after 50 MB of output, within a fraction of a second.
 */
export const RATIO_GUARD_MAX = 100;
export const RATIO_GUARD_FROM_BYTES = 50 * 1024 * 1024;

const CORRUPT = '文件不完整或已损坏，请重新保存后上传。';
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024;

function corrupt(detail?: string): RefusedUpload {
  return new RefusedUpload('zip.corrupt', detail ? `${CORRUPT}（${detail}）` : CORRUPT);
}

export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLowerName = new Map<string, ZipEntry>();
  /** Real inflated bytes counted per entry (the most seen in any one read of it). */
  private readonly counted = new Map<ZipEntry, number>();
  private total = 0;
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly file: FileHandle,
    private readonly centralDirectoryOffset: number,
    readonly entries: readonly ZipEntry[],
    private readonly limits: Pick<ReadLimits, 'maxInflatedBytes' | 'maxParts'>,
  ) {
    for (const entry of entries) {
      const key = normaliseName(entry.name);
      if (this.byName.has(key)) throw corrupt('压缩包中有重名的部件');
      this.byName.set(key, entry);
      if (!this.byLowerName.has(key.toLowerCase())) this.byLowerName.set(key.toLowerCase(), entry);
    }
  }

  /** Opens a zip and reads its central directory; refuses what a genuine spreadsheet never is. */
  static async open(path: string, limits: Pick<ReadLimits, 'maxInflatedBytes' | 'maxParts'>): Promise<ZipArchive> {
    const file = await open(path, 'r');
    try {
      const { offset, entries } = await readCentralDirectory(file, limits);
      return new ZipArchive(path, file, offset, entries, limits);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** Closes the file; a read still running elsewhere stops at its next chunk. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.file.close();
  }

  /** Real bytes inflated so far, each entry counted once however often it is read. */
  get inflatedBytes(): number {
    return this.total;
  }

  /** Finds an entry by name: exact first, then ignoring case, a leading slash and backslashes. */
  find(name: string): ZipEntry | undefined {
    const key = normaliseName(name);
    return this.byName.get(key) ?? this.byLowerName.get(key.toLowerCase());
  }

  /** Streams an entry's inflated bytes; refuses (and stops inflating) the moment a cap is crossed. */
  async *stream(entry: ZipEntry, chunkSize = 1024 * 1024): AsyncGenerator<Buffer> {
    const start = await this.dataStart(entry);
    if (entry.compressedSize === 0) {
      if (entry.method === 8) throw corrupt('压缩数据缺失');
      return;
    }
    const source = createReadStream(this.path, {
      start,
      end: start + entry.compressedSize - 1,
      highWaterMark: Math.max(64 * 1024, Math.min(chunkSize, 1024 * 1024)),
    });
    const inflate = entry.method === 8 ? createInflateRaw({ chunkSize, readableHighWaterMark: 4 * chunkSize } as ZlibOptions) : undefined;
    if (inflate) {
      source.on('error', (error) => inflate.destroy(error));
      source.pipe(inflate);
    }
    let real = 0;
    try {
      for await (const chunk of (inflate ?? source) as AsyncIterable<Buffer>) {
        if (this.closed) throw new Error('zip closed');
        real += chunk.length;
        this.account(entry, real, inflate ? inflate.bytesWritten : real);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof RefusedUpload) throw error;
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('E') && !code.startsWith('ERR_')) throw error;
      throw corrupt();
    } finally {
      source.destroy();
      inflate?.destroy();
    }
  }

  /**
   * Streams an entry as text, exact across chunk boundaries: UTF-8, or UTF-16 when it starts with a BOM.
   * Every piece but the last ends just after a '>' when it holds one, so no tag straddles two pieces.
   * In 'markup' mode UTF-8 bytes are handed over one character per byte (latin1), which keeps every ASCII
   * byte in place for searching markup and costs no decoding. Large entries are inflated and decoded in a
   * worker thread, so that inflating runs beside the parsing instead of taking turns with it.
   */
  async *text(entry: ZipEntry, mode: TextMode = 'text'): AsyncGenerator<string> {
    if (entry.compressedSize >= WORKER_FROM_COMPRESSED_BYTES && workersAvailable) {
      yield* this.textInWorker(entry, mode);
      return;
    }
    let decoder: TextDecoder | undefined;
    let latin1 = false;
    let carry = '';
    for await (const bytes of this.stream(entry)) {
      if (!decoder && !latin1) {
        const encoding = bomEncoding(bytes);
        if (mode === 'markup' && encoding === 'utf-8') latin1 = true;
        else decoder = new TextDecoder(encoding);
      }
      const text = carry + (decoder ? decoder.decode(bytes, { stream: true }) : bytes.toString('latin1'));
      const cut = text.lastIndexOf('>') + 1 || text.length;
      carry = text.slice(cut);
      if (cut > 0) yield text.slice(0, cut);
    }
    const rest = carry + (decoder?.decode() ?? '');
    if (rest.length > 0) yield rest;
  }

  private async *textInWorker(entry: ZipEntry, mode: TextMode): AsyncGenerator<string> {
    const start = await this.dataStart(entry);
    if (entry.compressedSize === 0) return;
    // A piece holds at most what was carried over from the last chunk plus one decoded chunk, and a
    // decoded chunk never has more UTF-16 units than the bytes it came from (plus a few held back).
    // Chunks of 256 KB: a ring of three slots of four chunks is 3 MB; with chunks of 960 KB the reader,
    // with the shared strings and a sheet's pre-scan read side by side, held 23 MB of rings.
    const chunkSize = 256 * 1024;
    const slots = 3;
    const slotBytes = 4 * chunkSize + 64;
    const ring = new SharedArrayBuffer(slots * slotBytes);
    const workerData: InflateJob = {
      path: this.path,
      start,
      end: start + entry.compressedSize - 1,
      deflated: entry.method === 8,
      mode,
      ring,
      slots,
      slotBytes,
      chunkSize,
    };
    const command = await inflateWorkerCommand();
    let worker: Worker | undefined;
    try {
      if (command) {
        worker = new Worker(command.file, {
          execArgv: command.execArgv,
          resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 8 },
          workerData,
        });
      }
    } catch {
      // Threads cannot be started here.
    }
    if (!worker) {
      workersAvailable = false;
      yield* this.text(entry, mode);
      return;
    }
    const queue: InflateMessage[] = [];
    let failure: unknown;
    let finished = false;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    worker.on('message', (message: InflateMessage) => {
      queue.push(message);
      notify();
    });
    worker.on('error', (error) => {
      failure ??= error;
      notify();
    });
    worker.on('exit', () => {
      if (!finished) failure ??= corrupt();
      notify();
    });
    try {
      for (;;) {
        while (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
        const message = queue.shift();
        if (!message) throw failure;
        if (this.closed) throw new Error('zip closed');
        if (message.error !== undefined) {
          if (/^E[A-Z]/.test(message.error) && !message.error.startsWith('ERR_')) throw new Error(message.error);
          throw corrupt();
        }
        this.account(entry, message.real, message.consumed);
        const text = message.length > 0 ? Buffer.from(ring, message.slot * slotBytes, message.length).toString(message.wide ? 'ucs2' : 'latin1') : '';
        if (message.done) {
          finished = true;
          if (text) yield text;
          return;
        }
        worker.postMessage(1);
        if (text) yield text;
      }
    } finally {
      finished = true;
      void worker.terminate();
    }
  }

  /** Reads a whole (small) entry into memory, still counted against the caps. */
  async read(entry: ZipEntry): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(entry)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  private account(entry: ZipEntry, real: number, consumed: number): void {
    const before = this.counted.get(entry) ?? 0;
    if (real > before) {
      this.total += real - before;
      this.counted.set(entry, real);
    }
    if (this.total > this.limits.maxInflatedBytes) throw tooLarge(this.limits.maxInflatedBytes);
    if (real > RATIO_GUARD_FROM_BYTES && real > RATIO_GUARD_MAX * Math.max(consumed, 1)) {
      throw ratioRefusal(entry.name);
    }
  }

  private async dataStart(entry: ZipEntry): Promise<number> {
    if (this.closed) throw new Error('zip closed');
    const header = Buffer.alloc(30);
    const { bytesRead } = await this.file.read(header, 0, 30, entry.localHeaderOffset);
    if (bytesRead < 30 || header.readUInt32LE(0) !== SIG_LOCAL) throw corrupt();
    if (header.readUInt16LE(6) & 1) throw encryptedEntry();
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > this.centralDirectoryOffset) throw corrupt();
    return start;
  }
}

/** Entries at least this large (compressed) are inflated and decoded in a worker thread. */
const WORKER_FROM_COMPRESSED_BYTES = 1024 * 1024;
/** Turned off for the rest of the process if a worker thread cannot be started here. */
let workersAvailable = true;

const HERE = dirname(fileURLToPath(import.meta.url));
let inflateWorker: Promise<WorkerCommand | null> | undefined;

/**
 * How to start the inflate thread (inflate-worker.ts): bundled once per process like the other workers
 * (worker-bundle.ts). Code that runs bundled itself, where this file's folder is the bundle's, is told
 * where the thread's code is (useInflateWorker); without it, entries are inflated in the caller's thread.
 */
export function inflateWorkerCommand(): Promise<WorkerCommand | null> {
  inflateWorker ??= existsSync(join(HERE, 'inflate-worker.ts')) || existsSync(join(HERE, 'inflate-worker.js'))
    ? workerCommand(join(HERE, 'inflate-worker.ts'), join(HERE, '..', '..'), 'inflate-worker')
    : Promise.resolve(null);
  return inflateWorker;
}

/** Starts the inflate thread with this command (from inflateWorkerCommand in the process that bundled this code). */
export function useInflateWorker(command: WorkerCommand | null): void {
  inflateWorker = Promise.resolve(command && existsSync(command.file) ? command : null);
}

function bomEncoding(bytes: Buffer): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

function normaliseName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '');
}

function tooLarge(max: number): RefusedUpload {
  const mb = Math.round(max / 1024 / 1024);
  return new RefusedUpload(
    'zip.too_large',
    `文件解压后超过 ${mb} MB，超出了允许的大小，可能不是正常的电子表格。请删除无关的工作表、图片或格式后重新保存上传。`,
  );
}

function ratioRefusal(name: string): RefusedUpload {
  return new RefusedUpload(
    'zip.ratio',
    `文件中的“${name}”解压后的大小与压缩大小极不相称（压缩炸弹的特征），已拒绝读取。请在 Excel/WPS 中打开并重新保存为 .xlsx 后上传。`,
  );
}

function encryptedEntry(): RefusedUpload {
  return corrupt('压缩包中的部件被加密，请在 Excel/WPS 中取消密码后另存为 .xlsx');
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead < length) throw corrupt();
  return buffer;
}

async function readCentralDirectory(
  file: FileHandle,
  limits: Pick<ReadLimits, 'maxInflatedBytes' | 'maxParts'>,
): Promise<{ offset: number; entries: ZipEntry[] }> {
  const { size } = await file.stat();
  if (size < 22) throw corrupt();
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(file, size - tailLength, tailLength);

  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt();
  const eocdPosition = size - tailLength + eocd;
  const disk = tail.readUInt16LE(eocd + 4);
  const centralDisk = tail.readUInt16LE(eocd + 6);
  const entriesHere = tail.readUInt16LE(eocd + 8);
  const entryCount = tail.readUInt16LE(eocd + 10);
  const centralSize = tail.readUInt32LE(eocd + 12);
  const centralOffset = tail.readUInt32LE(eocd + 16);

  if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === SIG_ZIP64_LOCATOR) throw zip64();
  if (entryCount === 0xffff || centralSize === 0xffffffff || centralOffset === 0xffffffff) throw zip64();
  if (disk !== 0 || centralDisk !== 0 || entriesHere !== entryCount) {
    throw corrupt('这是分卷压缩文件，不是电子表格');
  }
  if (entryCount > limits.maxParts) throw tooManyParts(limits.maxParts);
  if (centralOffset + centralSize > eocdPosition || centralSize > MAX_CENTRAL_DIRECTORY_BYTES) throw corrupt();
  if (centralSize < entryCount * 46) throw corrupt();

  const directory = await readAt(file, centralOffset, centralSize);
  const entries: ZipEntry[] = [];
  let declaredTotal = 0;
  let p = 0;
  for (let n = 0; n < entryCount; n++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== SIG_CENTRAL) throw corrupt();
    const flags = directory.readUInt16LE(p + 8);
    const method = directory.readUInt16LE(p + 10);
    const compressedSize = directory.readUInt32LE(p + 20);
    const declaredSize = directory.readUInt32LE(p + 24);
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    const diskStart = directory.readUInt16LE(p + 34);
    const localHeaderOffset = directory.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) throw corrupt();
    const name = directory.toString('utf8', p + 46, p + 46 + nameLength).replace(/\\/g, '/');
    p = end;

    if (compressedSize === 0xffffffff || declaredSize === 0xffffffff || localHeaderOffset === 0xffffffff) throw zip64();
    if (diskStart === 0xffff) throw zip64();
    if (diskStart !== 0) throw corrupt('这是分卷压缩文件，不是电子表格');
    if (flags & 1) throw encryptedEntry();
    if (method !== 0 && method !== 8) throw corrupt('使用了不支持的压缩方式');
    if (localHeaderOffset + 30 + compressedSize > centralOffset) throw corrupt();
    if (method === 0 && compressedSize !== declaredSize) throw corrupt();

    declaredTotal += declaredSize;
    if (declaredTotal > limits.maxInflatedBytes) throw tooLarge(limits.maxInflatedBytes);
    if (declaredSize > RATIO_GUARD_FROM_BYTES && declaredSize > RATIO_GUARD_MAX * Math.max(compressedSize, 1)) {
      throw ratioRefusal(name);
    }
    entries.push({ name, method, compressedSize, declaredSize, localHeaderOffset });
  }
  return { offset: centralOffset, entries };
}

function zip64(): RefusedUpload {
  return corrupt('文件使用了 ZIP64 格式，正常的电子表格不会这样保存，请在 Excel/WPS 中重新另存为 .xlsx');
}

function tooManyParts(max: number): RefusedUpload {
  return new RefusedUpload(
    'zip.too_many_parts',
    `文件包含的部件超过 ${max} 个，不像是正常的电子表格。请删除无关的工作表、图片或批注后重新保存上传。`,
  );
}
