// Decides what an upload is from its bytes (never its name): an .xlsx, a text table (CSV), or a refusal
// that tells the clerk in plain Chinese what the file is and how to re-save it.
import { open, type FileHandle } from 'node:fs/promises';
import { DEFAULT_READ_LIMITS } from '../server/domain/limits.js';
import { RefusedUpload, type ReadLimits } from './types.js';
import { ZipArchive } from './xlsx/zip.js';

export type SniffedFormat = 'xlsx' | 'csv';

const RESAVE_AS_XLSX =
  '请在 Excel 中选择“文件 → 另存为 → Excel 工作簿（*.xlsx）”，或在 WPS 中“文件 → 另存为 → Microsoft Excel 文件（*.xlsx）”后重新上传。';

export const SNIFF_MESSAGES = {
  empty: '文件是空的（0 字节），请检查是否选错了文件。',
  pdf: '这是 PDF 文件，不是电子表格，无法读取其中的表格。请上传 Excel（.xlsx）或 CSV 文件；如只有 PDF，请先将清单整理到电子表格中。',
  encrypted: '工作簿设置了密码，无法读取。请在 Excel/WPS 中取消密码后另存为 .xlsx 再上传（Excel：“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清空密码）。',
  legacyXls: `这是旧版 Excel（.xls）或 WPS 表格（.et）格式，系统只能读取 .xlsx。${RESAVE_AS_XLSX}`,
  word: '这是 Word 文档，不是电子表格。请把清单放在 Excel 表格中，另存为 .xlsx 后上传。',
  ods: `这是 OpenDocument 表格（.ods），系统只能读取 .xlsx。请在 WPS 或 LibreOffice 中“另存为 → Excel 2007-365（.xlsx）”后重新上传。`,
  xlsb: `这是 Excel 二进制工作簿（.xlsb），系统只能读取 .xlsx。${RESAVE_AS_XLSX}`,
  zip: '这是一个压缩包，不是电子表格。请解压后上传其中的 .xlsx 或 .csv 文件。',
  unknown: '无法识别的文件格式：不是 .xlsx 工作簿，也不是 CSV 文本。请上传 Excel 工作簿（.xlsx）或 CSV 文件。',
} as const;

const SAMPLE_BYTES = 64 * 1024;
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Tells whether an upload is an .xlsx or a CSV; throws RefusedUpload for anything else. */
export async function sniffFile(
  path: string,
  limits: Pick<ReadLimits, 'maxInflatedBytes' | 'maxParts'> = DEFAULT_READ_LIMITS,
): Promise<{ format: SniffedFormat }> {
  const file = await open(path, 'r');
  let sample: Buffer;
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SAMPLE_BYTES, 0);
    sample = buffer.subarray(0, bytesRead);
    if (sample.length === 0) throw new RefusedUpload('format.empty', SNIFF_MESSAGES.empty);
    if (sample.subarray(0, 8).equals(CFB_MAGIC)) throw await refuseCompoundFile(file);
  } finally {
    await file.close();
  }

  if (sample.subarray(0, 1024).includes('%PDF-')) throw new RefusedUpload('format.pdf', SNIFF_MESSAGES.pdf);
  const magic = sample.length >= 4 ? sample.readUInt32LE(0) : 0;
  if (magic === 0x04034b50 || magic === 0x06054b50) {
    return { format: await judgeZip(path, limits) };
  }
  if (looksLikeText(sample)) return { format: 'csv' };
  throw new RefusedUpload('format.unknown', SNIFF_MESSAGES.unknown);
}

async function judgeZip(path: string, limits: Pick<ReadLimits, 'maxInflatedBytes' | 'maxParts'>): Promise<SniffedFormat> {
  const zip = await ZipArchive.open(path, limits);
  try {
    const has = (name: string) => zip.find(name) !== undefined;
    if (has('[Content_Types].xml') && has('xl/workbook.xml')) return 'xlsx';
    if (has('[Content_Types].xml') && has('xl/workbook.bin')) throw new RefusedUpload('format.unknown', SNIFF_MESSAGES.xlsb);
    if (has('word/document.xml')) throw new RefusedUpload('format.unknown', SNIFF_MESSAGES.word);
    if (has('mimetype') && has('content.xml')) throw new RefusedUpload('format.unknown', SNIFF_MESSAGES.ods);
    throw new RefusedUpload('format.unknown', SNIFF_MESSAGES.zip);
  } finally {
    await zip.close();
  }
}

/** A CSV is text: no NUL bytes, few control characters, and valid UTF-8, UTF-16 with a BOM, or GB18030. */
export function looksLikeText(sample: Buffer): boolean {
  if (sample.length >= 2 && ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff))) {
    return decodes(sample.subarray(2), sample[0] === 0xff ? 'utf-16le' : 'utf-16be');
  }
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1a) control++;
  }
  if (control > sample.length / 100) return false;
  return decodes(sample, 'utf-8') || decodes(sample, 'gb18030');
}

function decodes(bytes: Buffer, encoding: string): boolean {
  try {
    // stream: true so that a multi-byte character cut off at the end of the sample is not an error.
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * An OLE compound file: a legacy .xls/.et, or an OOXML workbook encrypted with a password (which Office
 * stores as a compound file with EncryptionInfo and EncryptedPackage streams). Tells which by its directory.
 */
async function refuseCompoundFile(file: FileHandle): Promise<RefusedUpload> {
  let names: string[];
  try {
    names = await compoundFileStreamNames(file);
  } catch {
    names = [];
  }
  if (names.includes('EncryptionInfo') || names.includes('EncryptedPackage')) {
    return new RefusedUpload('format.encrypted', SNIFF_MESSAGES.encrypted);
  }
  if (names.includes('WordDocument')) return new RefusedUpload('format.unknown', SNIFF_MESSAGES.word);
  return new RefusedUpload('format.legacy_xls', SNIFF_MESSAGES.legacyXls);
}

const END_OF_CHAIN = 0xfffffffe;
const MAX_SECTOR = 0xfffffffa;

/** Names in a compound file's directory, following the FAT chain of the directory sectors. */
export async function compoundFileStreamNames(file: FileHandle): Promise<string[]> {
  const { size } = await file.stat();
  const header = Buffer.alloc(512);
  await file.read(header, 0, 512, 0);
  const shift = header.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) throw new Error('bad sector size');
  const sectorSize = 1 << shift;
  const sectorCount = Math.ceil(size / sectorSize);
  const readSector = async (n: number): Promise<Buffer> => {
    if (n > MAX_SECTOR || n + 1 >= sectorCount) throw new Error('sector out of range');
    const buffer = Buffer.alloc(sectorSize);
    await file.read(buffer, 0, sectorSize, (n + 1) * sectorSize);
    return buffer;
  };

  // FAT sector numbers: 109 in the header, the rest in the DIFAT chain.
  const fatSectors: number[] = [];
  const fatCount = Math.min(header.readUInt32LE(0x2c), sectorCount);
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) fatSectors.push(header.readUInt32LE(0x4c + i * 4));
  let difat = header.readUInt32LE(0x44);
  for (let guard = 0; fatSectors.length < fatCount && difat <= MAX_SECTOR && guard < sectorCount; guard++) {
    const sector = await readSector(difat);
    const perSector = sectorSize / 4 - 1;
    for (let i = 0; i < perSector && fatSectors.length < fatCount; i++) fatSectors.push(sector.readUInt32LE(i * 4));
    difat = sector.readUInt32LE(perSector * 4);
  }
  const fat = Buffer.concat(await Promise.all(fatSectors.map(readSector)));
  const next = (n: number): number => (n * 4 + 4 <= fat.length ? fat.readUInt32LE(n * 4) : END_OF_CHAIN);

  const names: string[] = [];
  let sector = header.readUInt32LE(0x30);
  for (let guard = 0; sector <= MAX_SECTOR && guard < sectorCount && names.length < 10_000; guard++) {
    const data = await readSector(sector);
    for (let offset = 0; offset + 128 <= data.length; offset += 128) {
      const nameBytes = data.readUInt16LE(offset + 64);
      const type = data[offset + 66];
      if (type === 0 || nameBytes < 2 || nameBytes > 64) continue;
      names.push(data.toString('utf16le', offset, offset + nameBytes - 2));
    }
    sector = next(sector);
  }
  return names;
}
