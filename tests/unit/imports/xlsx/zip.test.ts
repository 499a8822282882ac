// The zip layer counts the bytes that really come out of the inflater, whatever the headers claim.
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { RefusedUpload } from '../../../../imports/types.js';
import { RATIO_GUARD_FROM_BYTES, ZipArchive } from '../../../../imports/xlsx/zip.js';
import { TempFiles } from '../../../fixtures/hostile.js';
import { buildZip, deflatedRepeat } from '../../../fixtures/zip-writer.js';

const temp = new TempFiles();
afterAll(() => temp.remove());
const LIMITS = { maxInflatedBytes: 2 * 1024 ** 3, maxParts: 2000 };

async function drain(zip: ZipArchive, name: string): Promise<number> {
  const entry = zip.find(name);
  if (!entry) throw new Error(`no ${name}`);
  let bytes = 0;
  for await (const chunk of zip.stream(entry)) bytes += chunk.length;
  return bytes;
}

async function refusalOf(action: () => Promise<unknown>): Promise<RefusedUpload> {
  try {
    await action();
  } catch (error) {
    if (error instanceof RefusedUpload) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('reading a zip', () => {
  it('lists entries and streams stored and deflated entries exactly', async () => {
    const text = '事项名称，'.repeat(50_000);
    const path = temp.write('ok.zip', buildZip([{ name: 'a.txt', data: text }, { name: 'b.bin', data: Buffer.from([1, 2, 3]), store: true }]));
    const zip = await ZipArchive.open(path, LIMITS);
    try {
      expect(zip.entries.map((e) => e.name)).toEqual(['a.txt', 'b.bin']);
      expect((await zip.read(zip.find('a.txt')!)).toString('utf8')).toBe(text);
      expect([...(await zip.read(zip.find('B.BIN')!))]).toEqual([1, 2, 3]);
    } finally {
      await zip.close();
    }
  });

  it('hands over large entries as text exactly, whichever way they are read (worker thread or not)', async () => {
    // Over 1 MB compressed, so the worker thread is used; CJK, four-byte characters and ASCII runs mixed.
    const random = randomBytes(2 * 1024 * 1024).toString('hex');
    const text = `${random.slice(0, 1_000_000)}${'事项𠀀名称😀'.repeat(150_000)}${random.slice(1_000_000)}`;
    const path = temp.write('big.zip', buildZip([{ name: 'big.xml', data: text }]));
    const zip = await ZipArchive.open(path, LIMITS);
    try {
      const entry = zip.find('big.xml')!;
      expect(entry.compressedSize).toBeGreaterThan(1024 * 1024);
      let decoded = '';
      for await (const chunk of zip.text(entry, 'text')) decoded += chunk;
      expect(decoded === text).toBe(true);
      let markup = '';
      for await (const chunk of zip.text(entry, 'markup')) markup += chunk;
      expect(markup === Buffer.from(text).toString('latin1')).toBe(true);
    } finally {
      await zip.close();
    }
  });

  it('counts real inflated bytes against the total, not the declared sizes, and stops at the cap', async () => {
    // Random hex inflates at a modest ratio, so only the real-byte count can catch this lie.
    const data = Buffer.from(randomBytes(6 * 1024 * 1024).toString('hex'));
    const path = temp.write('lying-total.zip', buildZip([{ name: 'sheet.xml', data, declaredSize: 100 }]));
    const zip = await ZipArchive.open(path, { maxInflatedBytes: 4 * 1024 * 1024, maxParts: 10 });
    try {
      const error = await refusalOf(() => drain(zip, 'sheet.xml'));
      expect(error.code).toBe('zip.too_large');
      expect(zip.inflatedBytes).toBeGreaterThan(4 * 1024 * 1024);
      expect(zip.inflatedBytes).toBeLessThan(6 * 1024 * 1024); // stopped, not inflated to the end
    } finally {
      await zip.close();
    }
  });

  it('counts an entry once however often it is read', async () => {
    const path = temp.write('twice.zip', buildZip([{ name: 'a.xml', data: 'x'.repeat(3 * 1024 * 1024) }]));
    const zip = await ZipArchive.open(path, { maxInflatedBytes: 4 * 1024 * 1024, maxParts: 10 });
    try {
      expect(await drain(zip, 'a.xml')).toBe(3 * 1024 * 1024);
      expect(await drain(zip, 'a.xml')).toBe(3 * 1024 * 1024);
      expect(zip.inflatedBytes).toBe(3 * 1024 * 1024);
    } finally {
      await zip.close();
    }
  });

  it('stops a lying bomb by its compression ratio soon after the guard threshold', async () => {
    const path = temp.write('bomb.zip', buildZip([{ name: 'sheet.xml', deflated: deflatedRepeat(0x30, 1500), size: 1500 * 1024 * 1024, declaredSize: 10 }]));
    const zip = await ZipArchive.open(path, LIMITS);
    try {
      const error = await refusalOf(() => drain(zip, 'sheet.xml'));
      expect(error.code).toBe('zip.ratio');
      expect(error.message).toContain('压缩炸弹');
      expect(zip.inflatedBytes).toBeLessThan(RATIO_GUARD_FROM_BYTES + 8 * 1024 * 1024);
    } finally {
      await zip.close();
    }
  });

  it('refuses an honest bomb from its declared sizes before inflating anything', async () => {
    const path = temp.write('honest.zip', buildZip([{ name: 'sheet.xml', deflated: deflatedRepeat(0x30, 500), size: 500 * 1024 * 1024 }]));
    const error = await refusalOf(() => ZipArchive.open(path, LIMITS));
    expect(error.code).toBe('zip.ratio');
  });

  it('refuses more parts than allowed', async () => {
    const parts = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.xml`, data: 'x' }));
    const error = await refusalOf(() => ZipArchive.open(temp.write('parts.zip', buildZip(parts)), { ...LIMITS, maxParts: 10 }));
    expect(error.code).toBe('zip.too_many_parts');
    expect(error.message).toContain('10');
  });

  describe('refuses as corrupt what no spreadsheet writer produces', () => {
    const base = () => buildZip([{ name: 'a.xml', data: '<a/>' }, { name: 'b.xml', data: '<b/>' }]);
    const endOf = (zip: Buffer) => zip.length - 22;
    const cases: [string, () => Buffer][] = [
      ['a truncated file', () => base().subarray(0, 40)],
      ['no end-of-central-directory record', () => base().subarray(0, endOf(base()))],
      [
        'a zip64 marker',
        () => {
          const zip = Buffer.from(base());
          zip.writeUInt32LE(0xffffffff, endOf(zip) + 16);
          return zip;
        },
      ],
      [
        'a multi-disk archive',
        () => {
          const zip = Buffer.from(base());
          zip.writeUInt16LE(1, endOf(zip) + 4);
          return zip;
        },
      ],
      [
        'a central directory offset beyond the file',
        () => {
          const zip = Buffer.from(base());
          zip.writeUInt32LE(zip.length + 100, endOf(zip) + 16);
          return zip;
        },
      ],
      ['an encrypted entry', () => buildZip([{ name: 'a.xml', data: '<a/>', encryptedFlag: true }])],
      ['two entries with the same name', () => buildZip([{ name: 'a.xml', data: '<a/>' }, { name: 'a.xml', data: '<b/>' }])],
    ];
    for (const [what, make] of cases) {
      it(what, async () => {
        const error = await refusalOf(() => ZipArchive.open(temp.write('bad.zip', make()), LIMITS));
        expect(error.code).toBe('zip.corrupt');
        expect(error.message).toContain('文件不完整或已损坏');
      });
    }

    it('deflate data that breaks off', async () => {
      const text = Buffer.from(randomBytes(50_000).toString('hex'));
      const whole = deflateRawSync(text);
      const path = temp.write('cut.zip', buildZip([{ name: 'a.xml', deflated: whole.subarray(0, whole.length >> 1), size: text.length }]));
      const zip = await ZipArchive.open(path, LIMITS);
      try {
        const error = await refusalOf(() => drain(zip, 'a.xml'));
        expect(error.code).toBe('zip.corrupt');
      } finally {
        await zip.close();
      }
    });
  });
});
