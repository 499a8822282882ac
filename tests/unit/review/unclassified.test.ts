// An item imported without a category anyone understood is kept as 待分类; the legal office must settle
// its category before finalising it: finalising it as it is is refused and changes nothing.
import { describe, it, expect, beforeAll, inject } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../db/client.js';
import { main, type Io } from '../../../server/cli.js';
import { HEADER, writeWorkbook } from '../../support/sheets.js';
import { assignExperts, closeExpertReview, createCampaign, decideItems, finaliseItems, type Reviewer } from '../../../server/review/service.js';
import { createReviewRepository, type ReviewRepository } from '../../../db/queries/review/index.js';
import { effectsOf, leavesUnclassified } from '../../../server/review/dispositions.js';

let db: Db;
let review: ReviewRepository;
let legal: Reviewer;
let expert: Reviewer;

const user = (username: string) =>
  db.$client.prepare('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?').get(username) as Reviewer;
const proposal = (name: string) =>
  db.$client.prepare('SELECT id, state, category, row_version AS rowVersion FROM submission_items WHERE name = ? ORDER BY id DESC LIMIT 1').get(name) as {
    id: number;
    state: string;
    category: string;
    rowVersion: number;
  };
const sel = (name: string) => [{ id: proposal(name).id, rowVersion: proposal(name).rowVersion }];

/** A new item decided and past expert review: ready to finalise. */
function readyToFinalise(name: string, decision: Record<string, string>): void {
  decideItems(review, legal, sel(name), { disposition: 'new', reason: '依据充分，同意新增', ...decision });
  assignExperts(review, legal, sel(name), [expert.id!]);
  closeExpertReview(review, legal, proposal(name).id, { reason: '按法制办意见定稿', rowVersion: proposal(name).rowVersion });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unclassified-'));
  const path = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), path);
  db = openDatabase(path);
  createCampaign(createReviewRepository(db), user('legal'), { name: '2026年清理', startsOn: '2026-11-01', dueOn: '2026-12-31' });
  const sheet = await writeWorkbook(join(dir, 'list.xlsx'), [
    {
      rows: [
        HEADER,
        [1, '', '某某资格审查甲', '', '行政审查', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '', '', '', '', ''],
        [2, '', '某某资格审查乙', '', '', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '', '', '', '', ''],
      ],
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

describe('an item imported as 待分类', () => {
  it('a row with an unknown or a missing category is proposed, as 待分类', () => {
    expect(proposal('某某资格审查甲').category).toBe('unclassified');
    expect(proposal('某某资格审查乙').category).toBe('unclassified');
  });

  it('finalising it while still 待分类 is refused with a Chinese message, and nothing changes', () => {
    readyToFinalise('某某资格审查甲', {});
    const before = proposal('某某资格审查甲');
    expect(() => finaliseItems(review, legal, sel('某某资格审查甲'))).toThrow(/事项类型仍为“待分类”，不能定稿/);
    expect(proposal('某某资格审查甲')).toEqual(before);
    expect(db.$client.prepare("SELECT count(*) FROM items WHERE name = '某某资格审查甲'").pluck().get()).toBe(0);
  });

  it('once the legal office settles its category in the decision, it is finalised with that category', () => {
    readyToFinalise('某某资格审查乙', { newCategory: 'permit' });
    const result = finaliseItems(review, legal, sel('某某资格审查乙'));
    expect(result.created).toHaveLength(1);
    expect(db.$client.prepare('SELECT category FROM items WHERE code = ?').pluck().get(result.created[0])).toBe('permit');
  });
});

describe('leavesUnclassified', () => {
  const decision = (kind: 'new' | 'change' | 'remove', disposition: 'new' | 'retain' | 'cancel' | 'change_mode', details: Record<string, string> = {}) =>
    effectsOf({ kind, disposition, details, hasProposal: kind !== 'remove' });

  it('a new or changed item whose proposal is 待分类 stays 待分类 unless the decision sets a category', () => {
    expect(leavesUnclassified(decision('new', 'new'), 'unclassified', null)).toBe(true);
    expect(leavesUnclassified(decision('new', 'new', { category: 'permit' }), 'unclassified', null)).toBe(false);
    expect(leavesUnclassified(decision('change', 'retain'), 'unclassified', 'permit')).toBe(true);
    expect(leavesUnclassified(decision('change', 'change_mode', { mode: '改为备案', category: 'filing' }), 'unclassified', 'unclassified')).toBe(false);
  });

  it('an item that leaves the catalogue, or never enters it, needs no category', () => {
    expect(leavesUnclassified(decision('remove', 'cancel'), null, 'unclassified')).toBe(false);
    expect(leavesUnclassified(decision('new', 'cancel'), 'unclassified', null)).toBe(false);
  });
});
