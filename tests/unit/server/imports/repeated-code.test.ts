// A code a file gives twice is an error on the later row, naming the earlier one, wherever the two rows
// are in the file (staging reads rows in batches; a code is looked for in the staged rows only when the
// codes staged so far may hold it: server/imports/key-filter.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeWorkbook } from '../../../support/sheets.js';
import { importAsFirstClerk } from '../../../support/imports.js';

const dir = mkdtempSync(join(tmpdir(), 'repeated-code-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASIS = '《中华人民共和国食品安全法》第三十五条';

describe('a code repeated in one file', () => {
  it('the later row with an earlier row’s code is an error naming the earlier row, even a thousand rows on', async () => {
    const rows: (string | number | null)[][] = [['序号', '事项编码', '事项名称', '事项类型', '实施主体', '设定依据']];
    for (let i = 1; i <= 1200; i++) rows.push([i, `CFXM-${String(i).padStart(5, '0')}`, `重复编码测试事项第${i}项`, '行政许可', '区市场监管局', BASIS]);
    // Row 1,202 (the 1,201st item) repeats the code of row 3; row 1,203 repeats the one just before it.
    rows.push([1201, 'CFXM-00002', '另一个事项', '行政许可', '区市场监管局', BASIS]);
    rows.push([1202, 'CFXM-01200', '又一个事项', '行政许可', '区市场监管局', BASIS]);
    const file = await writeWorkbook(join(dir, 'list.xlsx'), [{ name: '行政许可', rows }]);
    const { db, report } = await importAsFirstClerk(dir, file, 'dry_run');
    expect(report).toMatchObject({ rows: 1202, items: 1200 });
    expect(report.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [1202, '事项编码', '事项编码“CFXM-00002”在本文件中重复（第 3 行已出现）'],
      [1203, '事项编码', '事项编码“CFXM-01200”在本文件中重复（第 1201 行已出现）'],
    ]);
    db.$client.close();
  });
});
