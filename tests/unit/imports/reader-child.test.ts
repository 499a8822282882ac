// The reading child: started on a file before the caller knows how to read its rows, it reads ahead,
// then reads the rows as told; one given up is stopped.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { openReader, type ReadRows } from '../../../imports/run-worker.js';
import type { RowMessage } from '../../../imports/row-message.js';
import { HEADER, tempDir, writeWorkbook } from '../../support/sheets.js';

const gone = async (pid: number) => {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
};

const rowsOf = (into: RowMessage[]): ReadRows => ({ registry: [], onRows: (rows) => void into.push(...rows) });

describe('the reading child', () => {
  it('reads its rows as told after reading ahead, however long the caller took to say how', async () => {
    const path = await writeWorkbook(join(tempDir(), 'ahead.xlsx'), [
      { rows: [HEADER, [1, 'A-1', '甲许可', '', '行政许可', '区交通运输局'], [2, 'A-2', '乙许可', '', '行政许可', '区交通运输局']] },
    ]);
    const reader = await openReader(path, { memoryMb: 200, timeoutMs: 60_000 });
    // The caller gets ready meanwhile (the child has only been told the file).
    await new Promise((r) => setTimeout(r, 300));
    const rows: RowMessage[] = [];
    const result = await reader.read(rowsOf(rows));
    expect(result.rowsRead).toBe(2);
    expect(rows.map((r) => r.proposal?.fields.name)).toEqual(['甲许可', '乙许可']);
    expect(await gone(reader.pid!)).toBe(true);
  });

  it("a system error in the child reaches the caller with its code (so a full disk is named as one)", async () => {
    // A folder where a file is expected: reading it fails with EISDIR, in the child.
    const reader = await openReader(tempDir(), { memoryMb: 200, timeoutMs: 60_000 });
    const failure = await reader.read(rowsOf([])).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(failure?.message).toMatch(/^读取文件时出错：/);
    expect(failure?.code).toBe('EISDIR');
  });

  it('a file refused while it is read ahead is refused when read, with its reason', async () => {
    const path = join(tempDir(), 'empty.csv');
    (await import('node:fs')).writeFileSync(path, '');
    const reader = await openReader(path, { memoryMb: 200, timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 200));
    await expect(reader.read(rowsOf([]))).rejects.toMatchObject({ code: 'format.empty' });
  });

  it('one given up without reading is stopped, and leaves no process behind', async () => {
    const path = await writeWorkbook(join(tempDir(), 'unread.xlsx'), [{ rows: [HEADER, [1, 'A-1', '甲许可', '', '行政许可', '区交通运输局']] }]);
    const reader = await openReader(path, { memoryMb: 200, timeoutMs: 60_000 });
    reader.close();
    expect(await gone(reader.pid!)).toBe(true);
    await expect(reader.read(rowsOf([]))).rejects.toThrow();
  });
});
