import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS } from '../../../../server/domain/limits.js';
import { SharedStrings, readXlsx } from '../../../../imports/xlsx/index.js';
import type { ReaderEvent } from '../../../../imports/types.js';
import { TempFiles } from '../../../fixtures/hostile.js';
import { writeChineseSheet } from '../../../fixtures/chinese-text.js';

const temp = new TempFiles();
const scratch = mkdtempSync(join(tmpdir(), 'shared-strings-'));
afterAll(() => {
  temp.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** Strings of every kind a table holds: empty, Chinese, astral characters (two UTF-16 units), long ones. */
function sampleStrings(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 97 === 0) out.push('');
    else if (i % 89 === 0) out.push(`𠮷𡈽${i}`.repeat(1 + (i % 7)));
    else if (i % 1001 === 0) out.push(`行政许可事项名称很长的一段文字${i}`.repeat(1200));
    else out.push(`${i % 3 === 0 ? '行政处罚' : 'permit'}-${i}-${'事'.repeat(i % 40)}`);
  }
  return out;
}

describe('shared strings beyond what is held in memory', () => {
  it('a table spilled to the scratch folder gives every string back exactly, in any order of reading', () => {
    const strings = sampleStrings(30_000);
    const spilled = new SharedStrings({ dir: scratch, keepChars: 50_000 });
    for (const s of strings) spilled.push(s);
    spilled.finish();
    expect(spilled.spilledBlocks).toBeGreaterThan(3);
    // In order, backwards, and jumping about (a sheet may name its strings in any order).
    for (let i = 0; i < strings.length; i++) expect(spilled.get(i)).toBe(strings[i]);
    for (let i = strings.length - 1; i >= 0; i -= 7) expect(spilled.get(i)).toBe(strings[i]);
    for (let k = 0, i = 12_345; k < 5_000; k++, i = (i * 7_919 + 13) % strings.length) expect(spilled.get(i)).toBe(strings[i]);
    expect(spilled.get(strings.length)).toBeUndefined();
    expect(spilled.get(-1)).toBeUndefined();
    spilled.close();
  });

  it('the spill file has no name in the folder while it is used, and its space is given back at close', () => {
    const dir = mkdtempSync(join(scratch, 'nameless-'));
    const spilled = new SharedStrings({ dir, keepChars: 10 });
    for (const s of sampleStrings(10_000)) spilled.push(s);
    spilled.finish();
    expect(spilled.spilledBlocks).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual([]);
    spilled.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a table within the budget is held in memory: nothing is written', () => {
    const held = new SharedStrings({ dir: scratch, keepChars: 10_000_000 });
    for (const s of sampleStrings(5_000)) held.push(s);
    held.finish();
    expect(held.spilledBlocks).toBe(0);
    held.close();
  });

  it('a workbook read with a scratch folder yields the same rows as one read in memory', async () => {
    const file = temp.path('shared.xlsx');
    await writeChineseSheet(file, 3_000, true);
    const read = async (): Promise<ReaderEvent[]> => {
      const out: ReaderEvent[] = [];
      for await (const e of readXlsx(file, DEFAULT_READ_LIMITS)) out.push(e);
      return out;
    };
    const inMemory = await read();
    // Held up to 1,000 characters: the rest of the table is read back from the scratch folder.
    const spilled: ReaderEvent[] = [];
    for await (const e of readXlsx(file, DEFAULT_READ_LIMITS, { scratchDir: scratch, keptStringChars: 1_000 })) spilled.push(e);
    expect(spilled).toEqual(inMemory);
    expect(inMemory.filter((e) => e.type === 'row').length).toBeGreaterThanOrEqual(3_000);
  });
});
