// The review workflow's use cases: campaigns, submissions, the legal office's decisions item by item,
// expert opinions, finalising into the working catalogue and the delegation/cancellation register.
// Every state change goes through the pure transition table (states.ts), checks the row version the
// person read, and writes its audit entry in the same transaction.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { CATEGORY_CODES, DISPOSITIONS, LEVEL_CODES, LEVELS, CATEGORIES, type Disposition, type Role } from '../domain/vocabulary.js';
import { can } from '../auth/policy.js';
import { errors } from '../errors.js';
import { fieldErrors } from '../catalogue/item-fields.js';
import { proposalWriter, type StoredProposal } from '../catalogue/apply-proposal.js';
import { checkItem } from '../checks/engine.js';
import { registryForChecks } from '../checks/load.js';
import { buildCheckContext, checkDeps } from '../checks/context.js';
import { proposalCheckedItem } from '../checks/proposals.js';
import { recheckItems } from '../checks/store.js';
import { DISPOSITIONS_FOR, REVIEW_ACTIONS, needsExpertReview, submissionStateOf, transition, type ProposalKind, type ReviewAction, type ReviewState, type TransitionFacts } from './states.js';

/** Who acts: the signed-in user as the workflow sees them. */
export interface Reviewer {
  id: number | null;
  username: string;
  role: Role;
  departmentId: number | null;
}
const actorOf = (r: Reviewer): Actor => ({ id: r.id, name: r.username });
const today = () => new Date().toISOString().slice(0, 10);
const nowIso = () => new Date().toISOString();

const isoDate = (message = '日期格式应为 2026-01-31') => z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, message);
const optionalDate = z.preprocess((v) => (v === '' || v === undefined ? null : v), isoDate().nullable());
const optionalText = (max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v ?? null), z.string().trim().max(max, `不能超过 ${max} 字`).nullable());
const requiredText = (max: number, message: string) => z.string({ message }).trim().min(1, message).max(max, `不能超过 ${max} 字`);

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  return parsed.data;
}

/* ------------------------------------------------------------------------------------------------
 * Campaigns
 * ---------------------------------------------------------------------------------------------- */

export const campaignSchema = z.object({
  name: requiredText(100, '请填写专项行动名称'),
  startsOn: isoDate(),
  judgedAt: optionalDate,
  dueOn: optionalDate,
  note: optionalText(2000),
});

export function createCampaign(db: Db, reviewer: Reviewer, input: unknown): number {
  const c = parse(campaignSchema, input);
  return withTransaction(db, () => {
    const id = Number(
      db.$client
        .prepare('INSERT INTO campaigns (name, starts_on, judged_at, due_on, note, created_by) VALUES (?, ?, ?, ?, ?, ?)')
        .run(c.name, c.startsOn, c.judgedAt ?? c.startsOn, c.dueOn, c.note, reviewer.username).lastInsertRowid,
    );
    appendAudit(db, actorOf(reviewer), { action: 'campaign.create', entityType: 'campaign', entityId: id, after: c });
    return id;
  });
}

export const deadlineSchema = z.object({ department: requiredText(32, '请选择部门'), dueOn: isoDate() });

export function setDeadline(db: Db, reviewer: Reviewer, campaignId: number, input: unknown): void {
  const d = parse(deadlineSchema, input);
  withTransaction(db, () => {
    const department = db.$client.prepare('SELECT id FROM departments WHERE code = ?').get(d.department) as { id: number } | undefined;
    if (!department) throw errors.invalid('部门不存在。', { department: '部门不存在' });
    if (!db.$client.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(campaignId)) throw errors.notFound('专项行动');
    db.$client
      .prepare('INSERT INTO campaign_deadlines (campaign_id, department_id, due_on) VALUES (?, ?, ?) ON CONFLICT (campaign_id, department_id) DO UPDATE SET due_on = excluded.due_on')
      .run(campaignId, department.id, d.dueOn);
    appendAudit(db, actorOf(reviewer), { action: 'campaign.deadline', entityType: 'campaign', entityId: campaignId, after: d });
  });
}

export function closeCampaign(db: Db, reviewer: Reviewer, campaignId: number): void {
  withTransaction(db, () => {
    const changed = db.$client.prepare("UPDATE campaigns SET closed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND closed_at IS NULL").run(campaignId).changes;
    if (!changed) throw errors.conflict('该专项行动不存在或已经结束。');
    appendAudit(db, actorOf(reviewer), { action: 'campaign.close', entityType: 'campaign', entityId: campaignId });
  });
}

export interface CampaignRow {
  id: number;
  name: string;
  startsOn: string;
  judgedAt: string;
  dueOn: string | null;
  note: string | null;
  closedAt: string | null;
}
const CAMPAIGN_SQL = 'SELECT id, name, starts_on AS startsOn, judged_at AS judgedAt, due_on AS dueOn, note, closed_at AS closedAt FROM campaigns';

/** The campaign submissions go to now: the latest one not closed. */
export const currentCampaign = (db: Db): CampaignRow | null =>
  (db.$client.prepare(`${CAMPAIGN_SQL} WHERE closed_at IS NULL ORDER BY id DESC LIMIT 1`).get() as CampaignRow | undefined) ?? null;
export const getCampaign = (db: Db, id: number): CampaignRow | null => (db.$client.prepare(`${CAMPAIGN_SQL} WHERE id = ?`).get(id) as CampaignRow | undefined) ?? null;
export const listCampaigns = (db: Db): CampaignRow[] => db.$client.prepare(`${CAMPAIGN_SQL} ORDER BY id DESC`).all() as CampaignRow[];

/* ------------------------------------------------------------------------------------------------
 * Submissions
 * ---------------------------------------------------------------------------------------------- */

/**
 * Completes a submission just created (from a confirmed upload or a department's draft): attaches it
 * to the current campaign and stores, for each proposal, the name, category and the checks' findings
 * as of the campaign's date.
 */
export function prepareSubmission(db: Db, submissionId: number): void {
  const sqlite = db.$client;
  const campaign = currentCampaign(db);
  sqlite.prepare('UPDATE submissions SET campaign_id = coalesce(campaign_id, ?), submitted_at = coalesce(submitted_at, ?) WHERE id = ?').run(campaign?.id ?? null, nowIso(), submissionId);
  checkSubmissionItems(db, submissionId, campaign?.judgedAt ?? today());
}

function checkSubmissionItems(db: Db, submissionId: number, asOf: string, onlyItemId?: number): void {
  const sqlite = db.$client;
  const deps = checkDeps(db);
  const registry = registryForChecks(deps.checks);
  const ctx = buildCheckContext(deps, { asOf, scope: 'items' });
  const department = sqlite.prepare('SELECT d.code, d.name FROM submissions s JOIN departments d ON d.id = s.department_id WHERE s.id = ?').get(submissionId) as { code: string; name: string };
  const rows = sqlite
    .prepare(
      `SELECT si.id, si.kind, si.proposal, si.item_id, i.name AS item_name, i.category AS item_category FROM submission_items si LEFT JOIN items i ON i.id = si.item_id
        WHERE si.submission_id = ? AND (? IS NULL OR si.id = ?)`,
    )
    .all(submissionId, onlyItemId ?? null, onlyItemId ?? null) as { id: number; kind: ProposalKind; proposal: string | null; item_id: number | null; item_name: string | null; item_category: string | null }[];
  const update = sqlite.prepare('UPDATE submission_items SET name = ?, category = ?, flags = ? WHERE id = ?');
  const storedFlags = sqlite.prepare('SELECT rule, severity, message, suggestion_text AS suggestion, ground FROM item_flags WHERE item_id = ? ORDER BY id');
  for (const r of rows) {
    if (r.proposal) {
      const proposal = JSON.parse(r.proposal) as StoredProposal;
      const findings = checkItem(
        proposalCheckedItem(registry, proposal, {
          key: `submission-item:${r.id}`,
          departmentCode: department.code,
          departmentName: department.name,
          isNew: r.kind === 'new',
          previousName: r.item_name && r.item_name !== proposal.fields.name ? r.item_name : null,
        }),
        ctx,
      );
      const flags = findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, suggestion: f.suggestionText, ground: f.ground }));
      update.run(proposal.fields.name, proposal.fields.category, JSON.stringify(flags), r.id);
    } else {
      update.run(r.item_name, r.item_category, JSON.stringify(r.item_id ? storedFlags.all(r.item_id) : []), r.id);
    }
  }
}

/* ------------------------------------------------------------------------------------------------
 * Moving items through the states
 * ---------------------------------------------------------------------------------------------- */

interface ItemRow {
  id: number;
  submission_id: number;
  item_id: number | null;
  kind: ProposalKind;
  name: string | null;
  proposal: string | null;
  state: ReviewState;
  disposition: Disposition | null;
  disposition_details: string | null;
  reason: string | null;
  legal_ground: string | null;
  expert_review_closed_reason: string | null;
  row_version: number;
  department_id: number;
  campaign_id: number | null;
}

const ITEM_SQL = `SELECT si.id, si.submission_id, si.item_id, si.kind, si.name, si.proposal, si.state, si.disposition, si.disposition_details, si.reason,
        si.legal_ground, si.expert_review_closed_reason, si.row_version, s.department_id, s.campaign_id
   FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE si.id = ?`;

function loadItem(db: Db, reviewer: Reviewer, id: number): ItemRow {
  const row = db.$client.prepare(ITEM_SQL).get(id) as ItemRow | undefined;
  // Another department's item is as good as missing.
  if (!row || !can(reviewer, 'read:review', { departmentId: row.department_id })) throw errors.notFound('申报事项');
  return row;
}

function factsOf(db: Db, row: ItemRow, disposition: Disposition | null = row.disposition): TransitionFacts {
  const experts = db.$client
    .prepare('SELECT count(*) AS assigned, sum(CASE WHEN answered_at IS NULL THEN 1 ELSE 0 END) AS pending FROM expert_reviews WHERE submission_item_id = ?')
    .get(row.id) as { assigned: number; pending: number | null };
  return { kind: row.kind, disposition, expertsAssigned: experts.assigned, expertsPending: experts.pending ?? 0, expertReviewClosed: row.expert_review_closed_reason !== null };
}

const STALE = '该事项已被他人处理（您看到的是旧版本），本次操作未保存。请刷新页面查看最新状态后再操作。';

/**
 * Applies one transition to one item: the transition table decides, the row version must be the one
 * the person read, and the columns in `set` are written with the new state. Audited.
 */
function move(
  db: Db,
  reviewer: Reviewer,
  row: ItemRow,
  action: ReviewAction,
  rowVersion: number | null,
  set: Record<string, string | number | null> = {},
  auditExtra: Record<string, unknown> = {},
  disposition: Disposition | null = row.disposition,
): ItemRow {
  if (rowVersion !== null && rowVersion !== row.row_version) throw errors.conflict(STALE);
  const result = transition(row.state, action, reviewer.role, factsOf(db, row, disposition));
  if (!result.ok) throw errors.conflict(`“${row.name ?? '该事项'}”：${result.reason}`);
  const columns = Object.keys(set);
  const changed = db.$client
    .prepare(
      `UPDATE submission_items SET state = @state, row_version = row_version + 1${columns.map((c) => `, ${c} = @${c}`).join('')} WHERE id = @id AND row_version = @version`,
    )
    .run({ ...set, state: result.to, id: row.id, version: row.row_version }).changes;
  if (changed === 0) throw errors.conflict(STALE);
  refreshSubmissionState(db, row.submission_id);
  if (row.item_id !== null) {
    const status = result.to === 'withdrawn' ? 'none' : result.to;
    db.$client.prepare('UPDATE items SET review_status = ? WHERE id = ?').run(status, row.item_id);
  }
  appendAudit(db, actorOf(reviewer), {
    action: `review.${action}`,
    entityType: 'submission_item',
    entityId: row.id,
    before: { state: row.state },
    after: { state: result.to, ...auditExtra },
  });
  return db.$client.prepare(ITEM_SQL).get(row.id) as ItemRow;
}

function refreshSubmissionState(db: Db, submissionId: number): void {
  const states = db.$client.prepare('SELECT state FROM submission_items WHERE submission_id = ?').pluck().all(submissionId) as ReviewState[];
  db.$client
    .prepare("UPDATE submissions SET state = ?, row_version = row_version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?")
    .run(submissionStateOf(states), submissionId);
}

/** Items chosen on a list: `id:rowVersion` pairs (a checkbox carries the version its row showed). */
export function parseSelection(raw: unknown): { id: number; rowVersion: number | null }[] {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw];
  return list
    .map((v) => {
      if (typeof v === 'number') return { id: v, rowVersion: null };
      if (typeof v === 'object' && v !== null) {
        const o = v as { id?: unknown; rowVersion?: unknown };
        return { id: Number(o.id), rowVersion: o.rowVersion === undefined ? null : Number(o.rowVersion) };
      }
      const [id, version] = String(v).split(':');
      return { id: Number(id), rowVersion: version === undefined ? null : Number(version) };
    })
    .filter((s) => Number.isSafeInteger(s.id) && s.id > 0 && (s.rowVersion === null || Number.isSafeInteger(s.rowVersion)));
}

const versionOf = (input: Record<string, unknown>): number | null => {
  const v = Number(input.rowVersion);
  if (!Number.isSafeInteger(v)) throw errors.invalid('缺少版本号，请刷新页面后重试。');
  return v;
};

/** A department withdraws a submission nobody has started reviewing. */
export function withdrawSubmission(db: Db, reviewer: Reviewer, submissionId: number, input: Record<string, unknown>): void {
  withTransaction(db, () => {
    const s = db.$client.prepare('SELECT id, department_id, row_version FROM submissions WHERE id = ?').get(submissionId) as
      | { id: number; department_id: number; row_version: number }
      | undefined;
    if (!s || !can(reviewer, 'read:submission', { departmentId: s.department_id })) throw errors.notFound('申报');
    if (Number(input.rowVersion) !== s.row_version) throw errors.conflict(STALE);
    const ids = db.$client.prepare('SELECT id FROM submission_items WHERE submission_id = ? ORDER BY id').pluck().all(submissionId) as number[];
    for (const id of ids) {
      const row = loadItem(db, reviewer, id);
      if (row.state !== 'submitted') throw errors.conflict('法制办已开始审核这份申报中的事项，不能再撤回。如需修改，请联系法制办退回。');
      move(db, reviewer, row, 'withdraw', null);
    }
  });
}

export function startReview(db: Db, reviewer: Reviewer, selection: { id: number; rowVersion: number | null }[]): number {
  if (selection.length === 0) throw errors.invalid('请至少选择一个事项。');
  return withTransaction(db, () => {
    for (const s of selection) move(db, reviewer, loadItem(db, reviewer, s.id), 'start_review', s.rowVersion);
    return selection.length;
  });
}

export const returnSchema = z.object({ request: requiredText(2000, '请写明退回的原因和需要部门补正的内容') });

export function returnItem(db: Db, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  const { request } = parse(returnSchema, input);
  withTransaction(db, () => {
    let row = loadItem(db, reviewer, id);
    const version = versionOf(input);
    if (row.state === 'submitted' || row.state === 'resubmitted') row = move(db, reviewer, row, 'start_review', version);
    else if (version !== row.row_version) throw errors.conflict(STALE);
    move(db, reviewer, row, 'return', null, { return_request: request, department_answer: null }, { request });
  });
}

export const answerSchema = z.object({ answer: requiredText(2000, '请填写对退回意见的答复') });

/** The department answers a returned item; it goes back to the legal office, re-checked. */
export function answerItem(db: Db, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  const { answer } = parse(answerSchema, input);
  withTransaction(db, () => {
    const row = loadItem(db, reviewer, id);
    move(db, reviewer, row, 'answer', versionOf(input), { department_answer: answer }, { answer });
    const campaign = row.campaign_id ? getCampaign(db, row.campaign_id) : null;
    checkSubmissionItems(db, row.submission_id, campaign?.judgedAt ?? today(), row.id);
  });
}

/* ------------------------------------------------------------------------------------------------
 * Decisions
 * ---------------------------------------------------------------------------------------------- */

export const decisionSchema = z
  .object({
    disposition: z.enum(Object.keys(DISPOSITIONS) as [Disposition, ...Disposition[]], { message: '请选择处理决定' }),
    reason: requiredText(2000, '请写明处理理由'),
    legalGround: optionalText(500),
    delegateLevel: z.preprocess((v) => (v === '' ? undefined : v), z.enum(LEVEL_CODES, { message: '请选择下放到的层级' }).optional()),
    delegateBody: optionalText(100),
    mergeInto: optionalText(100),
    transferTo: optionalText(100),
    newCategory: z.preprocess((v) => (v === '' ? undefined : v), z.enum(CATEGORY_CODES, { message: '请选择改变后的事项类型' }).optional()),
    newMode: optionalText(100),
  })
  .superRefine((d, ctx) => {
    const need = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (d.disposition === 'delegate') {
      if (!d.delegateLevel) need('delegateLevel', '请选择下放到的层级');
      if (!d.delegateBody) need('delegateBody', '请填写承接的机关');
    }
    if (d.disposition === 'merge' && !d.mergeInto) need('mergeInto', '请填写并入事项的编码');
    if (d.disposition === 'transfer' && !d.transferTo) need('transferTo', '请填写转移到的部门或机构');
    if (d.disposition === 'change_mode' && !d.newMode) need('newMode', '请写明改变后的管理方式（如：改为备案）');
  });
export type DecisionInput = z.infer<typeof decisionSchema>;

function detailsOf(db: Db, d: DecisionInput, row: ItemRow): { details: Record<string, string>; destination: string | null } {
  switch (d.disposition) {
    case 'delegate':
      return { details: { level: d.delegateLevel!, body: d.delegateBody! }, destination: `下放至${LEVELS[d.delegateLevel!]}：${d.delegateBody}` };
    case 'merge': {
      const target = db.$client.prepare('SELECT id, code, name FROM items WHERE code = ? AND removed_at IS NULL').get(d.mergeInto) as { id: number; code: string; name: string } | undefined;
      if (!target) throw errors.invalid(`目录中没有编码为“${d.mergeInto}”的事项。`, { mergeInto: '找不到该编码的事项' });
      if (target.id === row.item_id) throw errors.invalid('不能并入事项本身。', { mergeInto: '不能并入事项本身' });
      return { details: { intoCode: target.code, intoName: target.name }, destination: `并入“${target.name}”（${target.code}）` };
    }
    case 'transfer': {
      const department = db.$client.prepare('SELECT code, name FROM departments WHERE code = ? OR name = ?').get(d.transferTo, d.transferTo) as { code: string; name: string } | undefined;
      return department
        ? { details: { department: department.code, body: department.name }, destination: `转移至${department.name}` }
        : { details: { body: d.transferTo! }, destination: `转移至${d.transferTo}` };
    }
    case 'change_mode':
      return {
        details: { mode: d.newMode!, ...(d.newCategory ? { category: d.newCategory } : {}) },
        destination: `改变管理方式：${d.newMode}${d.newCategory ? `（改为${CATEGORIES[d.newCategory]}）` : ''}`,
      };
    default:
      return { details: {}, destination: null };
  }
}

/**
 * The legal office's decision on one or more items with the same reason (a bulk decision records
 * one decision per item). An item not yet under review is taken into review first.
 */
export function decideItems(db: Db, reviewer: Reviewer, selection: { id: number; rowVersion: number | null }[], input: unknown): number {
  const d = parse(decisionSchema, input);
  if (selection.length === 0) throw errors.invalid('请至少选择一个事项。');
  return withTransaction(db, () => {
    for (const s of selection) {
      let row = loadItem(db, reviewer, s.id);
      if (!DISPOSITIONS_FOR[row.kind].includes(d.disposition)) {
        const kindName = { new: '新增申报', change: '变更申报', remove: '拟删除' }[row.kind];
        throw errors.invalid(`“${row.name}”是${kindName}，不能作出“${DISPOSITIONS[d.disposition]}”的决定。`, { disposition: '该处理决定不适用于此事项' });
      }
      const { details, destination } = detailsOf(db, d, row);
      if (row.state === 'submitted' || row.state === 'resubmitted') row = move(db, reviewer, row, 'start_review', s.rowVersion);
      else if (s.rowVersion !== null && s.rowVersion !== row.row_version) throw errors.conflict(STALE);
      move(
        db,
        reviewer,
        row,
        'decide',
        null,
        {
          disposition: d.disposition,
          disposition_details: JSON.stringify(details),
          reason: d.reason,
          legal_ground: d.legalGround,
          decided_by: reviewer.username,
          decided_at: nowIso(),
        },
        { disposition: d.disposition, destination, reason: d.reason, legalGround: d.legalGround, bulk: selection.length > 1 },
        d.disposition,
      );
    }
    return selection.length;
  });
}

export const overrideSchema = z.object({ rule: requiredText(40, '请选择要排除的问题'), reason: requiredText(1000, '排除问题必须写明理由') });

/** A reviewer sets a finding aside, with a reason that is kept (and shown in the filing record). */
export function overrideFlag(db: Db, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  const o = parse(overrideSchema, input);
  withTransaction(db, () => {
    const row = loadItem(db, reviewer, id);
    const flags = JSON.parse((db.$client.prepare('SELECT flags FROM submission_items WHERE id = ?').pluck().get(id) as string | null) ?? '[]') as { rule: string }[];
    if (!flags.some((f) => f.rule === o.rule)) throw errors.invalid('该事项没有这个问题标记。', { rule: '该事项没有这个问题标记' });
    if (row.state === 'final' || row.state === 'withdrawn') throw errors.conflict('已定稿或已撤回的事项不能再排除问题。');
    db.$client
      .prepare('INSERT INTO flag_overrides (submission_item_id, rule, reason, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (submission_item_id, rule) DO UPDATE SET reason = excluded.reason, created_by = excluded.created_by')
      .run(id, o.rule, o.reason, reviewer.username);
    db.$client.prepare('UPDATE submission_items SET row_version = row_version + 1 WHERE id = ?').run(id);
    appendAudit(db, actorOf(reviewer), { action: 'review.override', entityType: 'submission_item', entityId: id, after: o });
  });
}

/* ------------------------------------------------------------------------------------------------
 * Expert review
 * ---------------------------------------------------------------------------------------------- */

/** Assigns experts to decided items (sending them to expert review) or adds experts to items already there. */
export function assignExperts(db: Db, reviewer: Reviewer, selection: { id: number; rowVersion: number | null }[], expertIds: number[]): number {
  if (selection.length === 0) throw errors.invalid('请至少选择一个事项。');
  if (expertIds.length === 0) throw errors.invalid('请至少选择一位专家。', { experts: '请至少选择一位专家' });
  return withTransaction(db, () => {
    const isExpert = db.$client.prepare("SELECT username FROM users WHERE id = ? AND role = 'expert' AND disabled = 0");
    const names = expertIds.map((e) => {
      const name = isExpert.pluck().get(e) as string | undefined;
      if (!name) throw errors.invalid('所选账号不是专家。', { experts: '所选账号不是专家' });
      return name;
    });
    const insert = db.$client.prepare('INSERT INTO expert_reviews (submission_item_id, expert_id, assigned_by) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    for (const s of selection) {
      const row = loadItem(db, reviewer, s.id);
      for (const e of expertIds) insert.run(row.id, e, reviewer.username);
      if (row.state === 'decided') move(db, reviewer, row, 'send_to_experts', s.rowVersion, {}, { experts: names });
      else if (row.state === 'in_expert_review') {
        appendAudit(db, actorOf(reviewer), { action: 'review.assign_experts', entityType: 'submission_item', entityId: row.id, after: { experts: names } });
      } else throw errors.conflict(`“${row.name}”尚未作出处理决定，不能送专家评审。`);
    }
    return selection.length;
  });
}

export const opinionSchema = z.object({
  opinion: z.enum(['agree', 'disagree', 'amend'], { message: '请选择评审意见' }),
  notes: optionalText(2000),
});
export const OPINIONS = { agree: '同意', disagree: '不同意', amend: '修改后同意' } as const;

/** An expert records an opinion on an item assigned to them (and only on those). */
export function recordOpinion(db: Db, reviewer: Reviewer, submissionItemId: number, input: Record<string, unknown>): void {
  const o = parse(opinionSchema, input);
  if (o.opinion !== 'agree' && !o.notes) throw errors.invalid('不同意或需修改时，请写明意见。', { notes: '请写明意见' });
  withTransaction(db, () => {
    const review = db.$client.prepare('SELECT id, row_version FROM expert_reviews WHERE submission_item_id = ? AND expert_id = ?').get(submissionItemId, reviewer.id) as
      | { id: number; row_version: number }
      | undefined;
    if (!review) throw errors.notFound('评审事项');
    const state = db.$client.prepare('SELECT state FROM submission_items WHERE id = ?').pluck().get(submissionItemId) as ReviewState;
    if (state !== 'in_expert_review') throw errors.conflict('该事项已不在专家评审中，意见未保存。');
    const version = Number(input.rowVersion);
    const changed = db.$client
      .prepare("UPDATE expert_reviews SET opinion = ?, notes = ?, answered_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), row_version = row_version + 1 WHERE id = ? AND row_version = ?")
      .run(o.opinion, o.notes, review.id, Number.isSafeInteger(version) ? version : review.row_version).changes;
    if (!changed) throw errors.conflict(STALE);
    appendAudit(db, actorOf(reviewer), { action: 'review.opinion', entityType: 'submission_item', entityId: submissionItemId, after: o });
  });
}

export const handlingSchema = z.object({ handling: requiredText(2000, '请写明对专家意见的处理情况') });

/** The legal office records how an expert's opinion was handled. */
export function handleOpinion(db: Db, reviewer: Reviewer, expertReviewId: number, input: Record<string, unknown>): void {
  const h = parse(handlingSchema, input);
  withTransaction(db, () => {
    const review = db.$client.prepare('SELECT submission_item_id, opinion FROM expert_reviews WHERE id = ?').get(expertReviewId) as { submission_item_id: number; opinion: string | null } | undefined;
    if (!review) throw errors.notFound('专家意见');
    if (!review.opinion) throw errors.conflict('专家尚未提出意见。');
    db.$client.prepare("UPDATE expert_reviews SET handling = ?, handled_by = ?, handled_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), row_version = row_version + 1 WHERE id = ?").run(h.handling, reviewer.username, expertReviewId);
    appendAudit(db, actorOf(reviewer), { action: 'review.handle_opinion', entityType: 'submission_item', entityId: review.submission_item_id, after: { expertReviewId, ...h } });
  });
}

export const closeExpertSchema = z.object({ reason: requiredText(1000, '结束专家评审必须写明理由') });

/** The legal office closes an item's expert review without waiting for every expert. */
export function closeExpertReview(db: Db, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  const c = parse(closeExpertSchema, input);
  withTransaction(db, () => {
    const row = loadItem(db, reviewer, id);
    if (row.state !== 'in_expert_review') throw errors.conflict('该事项不在专家评审中。');
    if (versionOf(input) !== row.row_version) throw errors.conflict(STALE);
    db.$client.prepare('UPDATE submission_items SET expert_review_closed_reason = ?, row_version = row_version + 1 WHERE id = ?').run(c.reason, id);
    appendAudit(db, actorOf(reviewer), { action: 'review.close_expert_review', entityType: 'submission_item', entityId: id, after: c });
  });
}

export function reopenItem(db: Db, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  withTransaction(db, () => {
    const row = loadItem(db, reviewer, id);
    move(db, reviewer, row, 'reopen', versionOf(input), { expert_review_closed_reason: null });
  });
}

/* ------------------------------------------------------------------------------------------------
 * Finalising: the decision reaches the working catalogue and the register
 * ---------------------------------------------------------------------------------------------- */

const LEAVES: Partial<Record<Disposition, 'cancel' | 'delegate' | 'transfer' | 'merge'>> = {
  cancel: 'cancel',
  delegate: 'delegate',
  transfer: 'transfer',
  merge: 'merge',
};

/** Finalises items: each decision is applied to the working catalogue; items that leave it are registered. */
export function finaliseItems(db: Db, reviewer: Reviewer, selection: { id: number; rowVersion: number | null }[]): { finalised: number; created: string[]; removed: string[] } {
  if (selection.length === 0) throw errors.invalid('请至少选择一个事项。');
  return withTransaction(db, () => {
    const sqlite = db.$client;
    const actor = actorOf(reviewer);
    const writer = proposalWriter(db, actor, { review: true });
    const created: string[] = [];
    const removed: string[] = [];
    const touched: number[] = [];
    for (const s of selection) {
      const row = loadItem(db, reviewer, s.id);
      move(db, reviewer, row, 'finalise', s.rowVersion, { finalised_by: reviewer.username, finalised_at: nowIso() });
      const disposition = row.disposition!;
      const details = JSON.parse(row.disposition_details ?? '{}') as Record<string, string>;
      const proposal = row.proposal ? (JSON.parse(row.proposal) as StoredProposal) : null;
      let itemId = row.item_id;
      if (row.kind === 'new') {
        if (disposition === 'new' || disposition === 'accept_from_above') {
          const item = writer.create(row.department_id, proposal!);
          itemId = item.id;
          created.push(item.code);
          sqlite.prepare('UPDATE submission_items SET item_id = ? WHERE id = ?').run(item.id, row.id);
          appendAudit(db, actor, { action: 'item.create', entityType: 'item', entityId: item.code, after: { name: proposal!.fields.name, disposition, submissionItem: row.id } });
        }
      } else if (itemId !== null) {
        const item = sqlite.prepare('SELECT id, code, name, category, department_id FROM items WHERE id = ?').get(itemId) as { id: number; code: string; name: string; category: string; department_id: number };
        if ((disposition === 'retain' || disposition === 'change_mode') && proposal && row.kind === 'change') writer.update(item.id, proposal);
        if (disposition === 'change_mode' && details.category) {
          sqlite.prepare('UPDATE items SET category = ?, row_version = row_version + 1 WHERE id = ?').run(details.category, item.id);
        }
        const leaves = LEAVES[disposition];
        const movesToDepartment = disposition === 'transfer' && details.department;
        if (leaves) {
          const destination =
            disposition === 'delegate' ? `下放至${LEVELS[details.level as keyof typeof LEVELS] ?? ''}：${details.body}` :
            disposition === 'merge' ? `并入“${details.intoName}”（${details.intoCode}）` :
            disposition === 'transfer' ? `转移至${details.body}` : null;
          sqlite
            .prepare(
              `INSERT INTO register_entries (item_id, item_code, item_name, category, department_id, disposition, destination, details, reason, legal_ground, campaign_id, submission_item_id, decided_by, effective_on)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(item.id, item.code, item.name, item.category, item.department_id, leaves, destination, JSON.stringify(details), row.reason ?? '', row.legal_ground, row.campaign_id, row.id, reviewer.username, today());
          if (movesToDepartment) {
            sqlite.prepare('UPDATE items SET department_id = (SELECT id FROM departments WHERE code = ?), row_version = row_version + 1 WHERE id = ?').run(details.department, item.id);
          } else {
            sqlite.prepare("UPDATE items SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), row_version = row_version + 1 WHERE id = ?").run(item.id);
            sqlite.prepare('DELETE FROM item_flags WHERE item_id = ?').run(item.id);
            removed.push(item.code);
          }
          appendAudit(db, actor, { action: `item.${disposition}`, entityType: 'item', entityId: item.code, after: { destination, reason: row.reason, submissionItem: row.id } });
        }
      }
      if (itemId !== null) {
        sqlite.prepare("UPDATE items SET disposition = ?, review_status = 'final', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(disposition, itemId);
        touched.push(itemId);
      }
    }
    // The catalogue changed: keep the stored findings of the items still in it current.
    const stillIn = touched.filter((id) => sqlite.prepare('SELECT 1 FROM items WHERE id = ? AND removed_at IS NULL').get(id));
    if (stillIn.length) recheckItems(checkDeps(db), stillIn);
    return { finalised: selection.length, created, removed };
  });
}

export { REVIEW_ACTIONS, needsExpertReview };
