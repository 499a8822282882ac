// The review workflow's use cases on a real SQLite file: a department's upload becomes a submission,
// the legal office decides, experts give opinions, finalising changes the catalogue and the register.
import { describe, it, expect, beforeAll } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../../db/client.js';
import { main, type Io } from '../../../server/cli.js';
import { HEADER, writeWorkbook } from '../../support/sheets.js';
import {
  answerItem,
  assignExperts,
  closeExpertReview,
  createCampaign,
  decideItems,
  finaliseItems,
  overrideFlag,
  recordOpinion,
  returnItem,
  withdrawSubmission,
  type Reviewer,
} from '../../../server/review/service.js';
import { verifyAuditLog } from '../../../db/audit.js';
import { saveItemEdit, submitDraft } from '../../../server/review/drafts.js';
import { readFields } from '../../../server/catalogue/items.js';
import { checkItem } from '../../../server/checks/engine.js';
import { buildCheckContext, checkDeps } from '../../../server/checks/context.js';
import type { CheckedItem } from '../../../server/checks/types.js';
import { createReviewRepository, type ReviewRepository } from '../../../db/queries/review/index.js';

const checkedStub: CheckedItem = {
  key: 'x', code: null, name: '', category: 'permit', departmentCode: 'XZSPJ', departmentName: '区行政审批局', serviceObjects: ['citizens'],
  feeCharged: false, feeStandard: null, feeBasis: null, statutoryLimitDays: null, promisedLimitDays: null, instant: false, processText: null,
  citations: [], isNew: true, previousName: null,
};

let db: Db;
let review: ReviewRepository;
let legal: Reviewer;
let dept: Reviewer;
let expert: Reviewer;
let otherDept: Reviewer;

const user = (username: string): Reviewer => {
  const u = db.$client.prepare('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?').get(username) as Reviewer;
  return u;
};
const itemsOf = (submissionId: number) =>
  db.$client.prepare('SELECT id, kind, name, state, row_version AS rowVersion, flags FROM submission_items WHERE submission_id = ? ORDER BY id').all(submissionId) as {
    id: number;
    kind: string;
    name: string;
    state: string;
    rowVersion: number;
    flags: string;
  }[];
const byName = (submissionId: number, name: string) => itemsOf(submissionId).find((i) => i.name === name)!;
const sel = (i: { id: number; rowVersion: number }) => [{ id: i.id, rowVersion: i.rowVersion }];

let submissionId: number;
let existing: { code: string; name: string };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'review-'));
  const path = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), path);
  db = openDatabase(path);
  review = createReviewRepository(db);
  legal = user('legal');
  dept = user('dept-xzsp');
  expert = user('expert');
  otherDept = user('dept-rsj');
  createCampaign(review, legal, { name: '2026年行政权力清单清理', startsOn: '2026-11-01', dueOn: '2026-12-31' });
  existing = db.$client
    .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1")
    .get() as typeof existing;
  const sheet = await writeWorkbook(join(dir, 'list.xlsx'), [
    {
      rows: [
        HEADER,
        [1, '', '新设的某某经营许可', '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', ''],
        [2, existing.code, existing.name, '', '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '15个工作日', '10个工作日', '不收费', '身份证', ''],
        [3, '', '另一个新设事项登记', '', '行政确认', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '', '', '', '', ''],
      ],
    },
  ]);
  const io: Io = { out: () => undefined, err: () => undefined, readStdin: async () => '' };
  db.$client.close();
  expect(await main(['import', sheet, '--department', 'XZSPJ', '--user', 'dept-xzsp', '--complete', '--db', path], io, {})).toBe(0);
  db = openDatabase(path);
  review = createReviewRepository(db);
  submissionId = db.$client.prepare('SELECT id FROM submissions ORDER BY id DESC LIMIT 1').pluck().get() as number;
});

describe('submissions', () => {
  it('a confirmed upload becomes a submission of the current campaign, each proposal with its name and the checks it fails', () => {
    const s = db.$client.prepare('SELECT campaign_id, state FROM submissions WHERE id = ?').get(submissionId) as { campaign_id: number; state: string };
    expect(s).toMatchObject({ campaign_id: expect.any(Number), state: 'submitted' });
    const fresh = byName(submissionId, '新设的某某经营许可');
    expect(fresh.kind).toBe('new');
    expect(JSON.parse(fresh.flags).map((f: { rule: string }) => f.rule)).toContain('NO_BASIS');
  });

  it('another department can neither see nor act on it', () => {
    const fresh = byName(submissionId, '新设的某某经营许可');
    expect(() => answerItem(review, otherDept, fresh.id, { answer: 'x', rowVersion: fresh.rowVersion })).toThrow(/不存在|找不到/);
    expect(() => withdrawSubmission(review, otherDept, submissionId, { rowVersion: 1 })).toThrow(/不存在|找不到/);
  });
});

describe('the legal office reviews item by item', () => {
  it('cancels a new item for NO_BASIS with a reason; a decision without a reason is refused and changes nothing', () => {
    const fresh = byName(submissionId, '新设的某某经营许可');
    expect(() => decideItems(review, legal, sel(fresh), { disposition: 'cancel', reason: '' })).toThrow();
    expect(byName(submissionId, '新设的某某经营许可').state).toBe('submitted');
    decideItems(review, legal, sel(fresh), { disposition: 'cancel', reason: '没有法律、法规依据（NO_BASIS）', legalGround: '《国务院关于严格控制新设行政许可的通知》' });
    expect(byName(submissionId, '新设的某某经营许可').state).toBe('decided');
  });

  it('a second reviewer saving over the same version is refused and the first decision stays', () => {
    const changed = byName(submissionId, existing.name);
    decideItems(review, legal, sel(changed), { disposition: 'retain', reason: '依据有效，承诺时限缩短' });
    expect(() => decideItems(review, legal, sel(changed), { disposition: 'cancel', reason: '另一位审核人' })).toThrow(/他人/);
    expect(db.$client.prepare('SELECT disposition, reason FROM submission_items WHERE id = ?').get(changed.id)).toEqual({ disposition: 'retain', reason: '依据有效，承诺时限缩短' });
  });

  it('returns one item; the department answers it and it comes back re-checked', () => {
    const other = byName(submissionId, '另一个新设事项登记');
    returnItem(review, legal, other.id, { request: '请补充设定依据的条款', rowVersion: other.rowVersion });
    expect(byName(submissionId, '另一个新设事项登记').state).toBe('returned');
    const returned = byName(submissionId, '另一个新设事项登记');
    answerItem(review, dept, returned.id, { answer: '依据为行政许可法第十二条第一项', rowVersion: returned.rowVersion });
    expect(byName(submissionId, '另一个新设事项登记').state).toBe('resubmitted');
  });

  it('a flag can be set aside only with a reason, which is kept', () => {
    const fresh = byName(submissionId, '新设的某某经营许可');
    expect(() => overrideFlag(review, legal, fresh.id, { rule: 'NO_BASIS', reason: '' })).toThrow();
    overrideFlag(review, legal, fresh.id, { rule: 'NO_BASIS', reason: '已取消，无需再提示' });
    expect(db.$client.prepare('SELECT reason FROM flag_overrides WHERE submission_item_id = ?').pluck().get(fresh.id)).toBe('已取消，无需再提示');
  });

  it('the department cannot withdraw a submission the legal office has started on', () => {
    const v = db.$client.prepare('SELECT row_version FROM submissions WHERE id = ?').pluck().get(submissionId) as number;
    expect(() => withdrawSubmission(review, dept, submissionId, { rowVersion: v })).toThrow(/不能再撤回/);
  });
});

describe('expert review and finalising', () => {
  it('a retained-with-changes item cannot be finalised before the experts; an assigned expert agrees, then it is finalised into the catalogue', () => {
    const changed = byName(submissionId, existing.name);
    expect(() => finaliseItems(review, legal, sel(changed))).toThrow(/专家评审/);
    assignExperts(review, legal, sel(byName(submissionId, existing.name)), [expert.id!]);
    expect(byName(submissionId, existing.name).state).toBe('in_expert_review');
    expect(() => finaliseItems(review, legal, sel(byName(submissionId, existing.name)))).toThrow(/尚未提出意见/);
    expect(() => recordOpinion(review, dept, changed.id, { opinion: 'agree' })).toThrow();
    recordOpinion(review, expert, changed.id, { opinion: 'agree', notes: '' });
    finaliseItems(review, legal, sel(byName(submissionId, existing.name)));
    const item = db.$client.prepare('SELECT promised_limit_days, disposition, review_status FROM items WHERE code = ?').get(existing.code);
    expect(item).toEqual({ promised_limit_days: 10, disposition: 'retain', review_status: 'final' });
  });

  it('closing expert review with a reason lets an item be finalised without every expert', () => {
    const other = byName(submissionId, '另一个新设事项登记');
    decideItems(review, legal, sel(other), { disposition: 'new', reason: '依据充分，同意新增' });
    assignExperts(review, legal, sel(byName(submissionId, '另一个新设事项登记')), [expert.id!]);
    const waiting = byName(submissionId, '另一个新设事项登记');
    closeExpertReview(review, legal, waiting.id, { reason: '专家出差，按法制办意见定稿', rowVersion: waiting.rowVersion });
    const result = finaliseItems(review, legal, sel(byName(submissionId, '另一个新设事项登记')));
    expect(result.created).toHaveLength(1);
    expect(db.$client.prepare('SELECT name FROM items WHERE code = ?').pluck().get(result.created[0])).toBe('另一个新设事项登记');
  });

  it('a cancelled existing item leaves the catalogue and enters the register with its reason; a new item like it is then flagged RECREATED_AFTER_CANCEL', () => {
    const removal = itemsOf(submissionId).find((i) => i.kind === 'remove')!;
    decideItems(review, legal, sel(removal), { disposition: 'cancel', reason: '上级已取消' });
    finaliseItems(review, legal, sel(itemsOf(submissionId).find((i) => i.id === removal.id)!));
    const entry = db.$client.prepare('SELECT item_name, disposition, reason FROM register_entries WHERE submission_item_id = ?').get(removal.id) as { item_name: string; disposition: string; reason: string };
    expect(entry).toMatchObject({ disposition: 'cancel', reason: '上级已取消' });
    expect(db.$client.prepare('SELECT removed_at IS NOT NULL FROM items WHERE name = ? AND department_id = (SELECT id FROM departments WHERE code = ?)').pluck().get(entry.item_name, 'XZSPJ')).toBe(1);
    // 前清后立: the same power proposed again as a new item, named a little differently.
    const again = { ...checkedStub, name: `${entry.item_name}（含变更）`, isNew: true };
    const findings = checkItem(again, buildCheckContext(checkDeps(db), { scope: 'items' }));
    expect(findings.find((f) => f.rule === 'RECREATED_AFTER_CANCEL')?.message).toContain(entry.item_name);
    expect(checkItem({ ...again, isNew: false }, buildCheckContext(checkDeps(db), { scope: 'items' })).map((f) => f.rule)).not.toContain('RECREATED_AFTER_CANCEL');
  });

  it('every step is in the audit log and the chain verifies', () => {
    const actions = db.$client.prepare("SELECT DISTINCT action FROM audit_log WHERE action LIKE 'review.%'").pluck().all() as string[];
    expect(actions).toEqual(expect.arrayContaining(['review.start_review', 'review.decide', 'review.return', 'review.answer', 'review.override', 'review.send_to_experts', 'review.opinion', 'review.close_expert_review', 'review.finalise']));
    expect(verifyAuditLog(db).ok).toBe(true);
  });
});

describe('a department\'s form edit through review', () => {
  it('a draft proposal, once submitted, decided, agreed by the expert and finalised, changes exactly the proposed fields', () => {
    const target = db.$client
      .prepare("SELECT i.code, i.remarks, i.row_version AS rowVersion FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL ORDER BY i.id DESC LIMIT 1")
      .get() as { code: string; remarks: string | null; rowVersion: number };
    const current = db.$client.prepare('SELECT * FROM items WHERE code = ?').get(target.code) as Record<string, unknown>;
    const form = { ...readFields(current as never), rowVersion: target.rowVersion, remarks: '部门表单修改的备注' };
    const edit = saveItemEdit(review, { id: dept.id, name: dept.username }, { role: 'department', departmentId: dept.departmentId }, target.code, form);
    expect(edit.draft).not.toBeNull();
    expect(db.$client.prepare('SELECT remarks FROM items WHERE code = ?').pluck().get(target.code)).toBe(target.remarks);
    const version = db.$client.prepare('SELECT row_version FROM submissions WHERE id = ?').pluck().get(edit.draft!.submissionId) as number;
    expect(() => submitDraft(review, otherDept, edit.draft!.submissionId, { rowVersion: version })).toThrow();
    submitDraft(review, dept, edit.draft!.submissionId, { rowVersion: version });
    const row = () => db.$client.prepare('SELECT id, row_version AS rowVersion, state FROM submission_items WHERE id = ?').get(edit.draft!.submissionItemId) as { id: number; rowVersion: number; state: string };
    expect(row().state).toBe('submitted');
    decideItems(review, legal, [row()], { disposition: 'retain', reason: '同意修改备注' });
    assignExperts(review, legal, [row()], [expert.id!]);
    recordOpinion(review, expert, row().id, { opinion: 'agree' });
    finaliseItems(review, legal, [row()]);
    expect(db.$client.prepare('SELECT remarks FROM items WHERE code = ?').pluck().get(target.code)).toBe('部门表单修改的备注');
  });
});
