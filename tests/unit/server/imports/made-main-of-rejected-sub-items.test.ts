// A main item is made from its sub-items (imports/sub-items.ts) for their sake: when every sub-item row
// is rejected (here: their codes are another department's items, which a department may not change),
// no main item is proposed on its own; a group with a sub-item that stands keeps its made main item.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { writeWorkbook } from '../../../support/sheets.js';
import { importAsFirstClerk } from '../../../support/imports.js';

const dir = mkdtempSync(join(tmpdir(), 'made-main-rejected-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASIS = '《中华人民共和国食品安全法》第三十五条';

describe('a main item made from sub-items that are all rejected', () => {
  it('is not proposed when every sub-item row is an error; a group with a sub-item that stands keeps it', async () => {
    // Two items of another department: their codes, given as sub-items, are errors for this clerk.
    const demo = new Database(inject('demoDbPath'), { readonly: true });
    const others = demo
      .prepare("SELECT code FROM items WHERE department_id <> (SELECT department_id FROM users WHERE role = 'department' ORDER BY id LIMIT 1) AND removed_at IS NULL ORDER BY id LIMIT 2")
      .pluck()
      .all() as string[];
    demo.close();
    expect(others).toHaveLength(2);
    const file = await writeWorkbook(join(dir, 'list.xlsx'), [
      {
        name: '事项',
        rows: [
          ['事项编码', '事项名称', '子项', '事项类型', '实施主体', '设定依据'],
          [others[0]!, '别的部门的主项', '新办', '行政许可', '区司法局', BASIS],
          [others[1]!, '别的部门的主项', '变更', '行政许可', '区司法局', BASIS],
          ['ZXBZ-9001', '本部门的主项', '新办', '行政许可', '区行政审批局', BASIS],
          ['ZXBZ-9002', '本部门的主项', '延续', '行政许可', '区行政审批局', BASIS],
        ],
      },
    ]);
    const { db, report } = await importAsFirstClerk(dir, file);
    // The two rejected sub-items are errors; the main item made from them is not proposed.
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [2, '事项编码'],
      [3, '事项编码'],
    ]);
    expect(report).toMatchObject({ rows: 4, items: 3, new: 3 });
    const staged = db.$client.prepare("SELECT name, kind FROM import_rows WHERE import_id = ? AND kind <> 'error' ORDER BY id").all(report.importId) as { name: string; kind: string }[];
    expect(staged).toEqual([
      { name: '本部门的主项', kind: 'new' },
      { name: '新办', kind: 'new' },
      { name: '延续', kind: 'new' },
    ]);
    db.$client.close();
  });
});
