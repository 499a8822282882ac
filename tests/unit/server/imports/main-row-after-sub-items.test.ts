// Some lists put a main item's own row after its 子项 rows. Read, staged and confirmed, the file makes
// one main item with its sub-items under it, never a duplicate of the main item.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confirmImport } from '../../../../server/imports/confirm.js';
import { writeWorkbook } from '../../../support/sheets.js';
import { importAsFirstClerk } from '../../../support/imports.js';
import { PROPOSAL_OF_SI } from '../../../../db/queries/review/proposal.js';

const dir = mkdtempSync(join(tmpdir(), 'main-row-after-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FOOD_BASIS = '《中华人民共和国食品安全法》第三十五条';

describe('a main item row after its sub-items', () => {
  it('a main item row that comes after its 子项 rows (another item between) makes one main item, not a duplicate', async () => {
    const file = await writeWorkbook(join(dir, 'scjg.xlsx'), [
      {
        name: '行政许可',
        rows: [
          ['区市场监管局权责清单'],
          ['序号', '事项编码', '事项名称', '子项', '事项类型', '实施主体', '设定依据', '备注'],
          [1, 'SCJG-XK-901', '食品经营许可', '新办', '行政许可', '区市场监管局', FOOD_BASIS, null],
          [null, null, null, '变更', null, null, null, null],
          [null, null, null, '延续', null, null, null, null],
          [2, 'SCJG-XK-902', '小餐饮登记', null, '行政许可', '区市场监管局', FOOD_BASIS, null],
          [3, 'SCJG-XK-901', '食品经营许可', null, '行政许可', '区市场监管局', FOOD_BASIS, '主项'],
        ],
        merges: ['A3:A5', 'B3:B5', 'C3:C5', 'E3:E5', 'F3:F5', 'G3:G5'],
      },
    ]);
    const { db, deps, actor, subject, report } = await importAsFirstClerk(dir, file);
    expect(report.errors).toEqual([]);
    // One main item, three sub-items, one other item: nothing twice, no duplicate code.
    expect(report).toMatchObject({ rows: 5, items: 5, new: 5 });
    const staged = db.$client.prepare('SELECT item_code AS code, name, row_number AS row FROM import_rows WHERE import_id = ? ORDER BY item_code').all(report.importId) as { code: string; name: string; row: number }[];
    expect(staged).toEqual([
      { code: 'SCJG-XK-901', name: '食品经营许可', row: 7 },
      { code: 'SCJG-XK-901-01', name: '新办', row: 3 },
      { code: 'SCJG-XK-901-02', name: '变更', row: 4 },
      { code: 'SCJG-XK-901-03', name: '延续', row: 5 },
      { code: 'SCJG-XK-902', name: '小餐饮登记', row: 6 },
    ]);
    // The main item is the sheet's own row (its 备注), not one made from the sub-items (no warning).
    expect(report.warnings.filter((w) => w.message.includes('没有自己的一行'))).toEqual([]);
    const result = confirmImport(deps, report.importId!, actor, subject);
    expect(result.submissions.map((s) => s.items)).toEqual([5]);
    const proposed = db.$client
      .prepare(`SELECT json_extract(${PROPOSAL_OF_SI}, '$.fields.name') AS name, json_extract(${PROPOSAL_OF_SI}, '$.mainItemName') AS main FROM submission_items si WHERE submission_id = ? ORDER BY id`)
      .all(result.submissions[0]!.id) as { name: string; main: string | null }[];
    expect(proposed.filter((p) => p.name === '食品经营许可')).toEqual([{ name: '食品经营许可', main: null }]);
    expect(proposed.filter((p) => p.main === '食品经营许可').map((p) => p.name)).toEqual(['新办', '变更', '延续']);
  });
});
