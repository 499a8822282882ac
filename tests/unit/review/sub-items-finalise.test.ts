// Sub-items proposed by a department reach the catalogue under their main item, whichever of them the
// legal office finalises first.
import { describe, it, expect, beforeAll, inject } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../db/client.js';
import { main, type Io } from '../../../server/cli.js';
import { HEADER, writeWorkbook } from '../../support/sheets.js';
import { assignExperts, closeExpertReview, createCampaign, decideItems, finaliseItems, type Reviewer } from '../../../server/review/service.js';
import { createReviewRepository, type ReviewRepository } from '../../../db/queries/review/index.js';

let db: Db;
let review: ReviewRepository;
let legal: Reviewer;
let expert: Reviewer;

const user = (username: string) =>
  db.$client.prepare('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?').get(username) as Reviewer;
const proposal = (name: string) =>
  db.$client.prepare('SELECT id, row_version AS rowVersion FROM submission_items WHERE name = ? ORDER BY id DESC LIMIT 1').get(name) as { id: number; rowVersion: number };
const sel = (name: string) => [proposal(name)];

function finalise(name: string): void {
  decideItems(review, legal, sel(name), { disposition: 'new', reason: '同意新增' });
  assignExperts(review, legal, sel(name), [expert.id!]);
  closeExpertReview(review, legal, proposal(name).id, { reason: '按法制办意见定稿', rowVersion: proposal(name).rowVersion });
  finaliseItems(review, legal, sel(name));
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sub-items-'));
  const path = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), path);
  db = openDatabase(path);
  createCampaign(createReviewRepository(db), user('legal'), { name: '2026年清理', startsOn: '2026-11-01', dueOn: '2026-12-31' });
  const basis = '《中华人民共和国行政许可法》第十二条';
  const sheet = await writeWorkbook(join(dir, 'list.xlsx'), [
    {
      rows: [
        HEADER,
        [1, 'XZ-T-9001', '某某设施经营许可', '新办', '行政许可', '区行政审批局', basis, '', '', '', '', ''],
        [null, null, null, '变更', null, null, null, '', '', '', '', ''],
      ],
      merges: ['A2:A3', 'B2:B3', 'C2:C3', 'E2:E3', 'F2:F3', 'G2:G3'],
    },
  ]);
  const io: Io = { out: () => undefined, err: () => undefined, readStdin: async () => '' };
  db.$client.close();
  expect(await main(['import', sheet, '--department', 'XZSPJ', '--user', 'dept-xzsp', '--db', path], io, {})).toBe(0);
  db = openDatabase(path);
  review = createReviewRepository(db);
  legal = user('legal');
  expert = user('expert');
});

describe('sub-items through review', () => {
  it('a sub-item finalised before its main item hangs under it once the main item is finalised; codes main + "-01", "-02"', () => {
    finalise('新办');
    finalise('某某设施经营许可');
    finalise('变更');
    const rows = db.$client
      .prepare("SELECT i.code, i.name, p.code AS parent FROM items i LEFT JOIN items p ON p.id = i.parent_id WHERE i.code LIKE 'XZ-T-9001%' ORDER BY i.code")
      .all();
    expect(rows).toEqual([
      { code: 'XZ-T-9001', name: '某某设施经营许可', parent: null },
      { code: 'XZ-T-9001-01', name: '新办', parent: 'XZ-T-9001' },
      { code: 'XZ-T-9001-02', name: '变更', parent: 'XZ-T-9001' },
    ]);
  });
});
