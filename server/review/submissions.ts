// A department's submission on its way to the legal office: attached to the campaign and checked when
// it arrives, withdrawn by the department while untouched, taken into review, returned and answered.
import { z } from 'zod';
import { withTransaction } from '../../db/audit.js';
import type { ReviewRepository } from '../../db/queries/review/index.js';
import { can } from '../auth/policy.js';
import { errors } from '../errors.js';
import type { StoredProposal } from '../catalogue/apply-proposal.js';
import type { StoredFlag } from '../../db/queries/review/items.js';
import type { Category } from '../domain/vocabulary.js';
import { checkItem } from '../checks/engine.js';
import { registryForChecks } from '../checks/load.js';
import { buildCheckContext, checkDeps } from '../checks/context.js';
import { proposalCheckedItem } from '../checks/proposals.js';
import { STALE, loadItem, move, nowIso, parse, requiredText, today, versionOf, type Reviewer, type Selection } from './workflow.js';

/**
 * Completes a submission just created (from a confirmed upload or a department's draft): attaches it
 * to the current campaign and stores, for each proposal, the name, category and the checks' findings
 * as of the campaign's date.
 */
export function prepareSubmission(review: ReviewRepository, submissionId: number, options: { checkedOn?: string } = {}): void {
  const campaign = review.campaigns.current();
  review.submissions.attach(submissionId, campaign?.id ?? null, nowIso());
  const asOf = campaign?.judgedAt ?? today();
  // Proposals stored with the findings of the same checks as of the same date (a confirmed upload whose
  // staged findings still hold, server/imports/confirm.ts): only the removals take their item's findings.
  if (options.checkedOn === asOf) checkSubmissionItems(review, submissionId, asOf, undefined, false, true);
  else checkSubmissionItems(review, submissionId, asOf);
}

/** From this many items a submission is checked as the catalogue is (indexes loaded once). */
const MANY_ITEMS = 200;

/**
 * A submission that waited for a campaign, now in one: its items not yet finalised (or withdrawn) are
 * checked again as of the campaign's date, as they would have been had it been open when they arrived.
 */
export function recheckForCampaign(review: ReviewRepository, submissionId: number, asOf: string): void {
  checkSubmissionItems(review, submissionId, asOf, undefined, true);
}

export function checkSubmissionItems(review: ReviewRepository, submissionId: number, asOf: string, onlyItemId?: number, openOnly = false, removalsOnly = false): void {
  if (removalsOnly) {
    for (const r of review.items.removalsForChecks(submissionId)) setChecks(review, r, r.itemName, r.itemCategory, r.itemId ? review.items.storedFlags(r.itemId) : []);
    return;
  }
  const deps = checkDeps(review.db);
  const registry = registryForChecks(deps.checks);
  // Many items (an upload's submission): the catalogue-wide lookups answered from indexes loaded once,
  // as the import's preview does; a few: per item. The answers are the same (checks/context.ts).
  const many = onlyItemId === undefined && review.items.count(submissionId) > MANY_ITEMS;
  const ctx = buildCheckContext(deps, { asOf, scope: many ? 'catalogue' : 'items' });
  const department = review.submissions.departmentOf(submissionId);
  for (const r of review.items.forChecks(submissionId, onlyItemId ?? null)) {
    if (openOnly && (r.state === 'final' || r.state === 'withdrawn')) continue;
    if (r.proposal) {
      const proposal = r.proposal as unknown as StoredProposal;
      const findings = checkItem(
        proposalCheckedItem(registry, proposal, {
          key: `submission-item:${r.id}`,
          departmentCode: department.code,
          departmentName: department.name,
          isNew: r.kind === 'new',
          previousName: r.itemName && r.itemName !== proposal.fields.name ? r.itemName : null,
        }),
        ctx,
      );
      const flags = findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, suggestion: f.suggestionText, ground: f.ground }));
      setChecks(review, r, proposal.fields.name, proposal.fields.category, flags);
    } else {
      // A proposal without fields (a removal) carries the item's own current findings.
      setChecks(review, r, r.itemName, r.itemCategory, r.itemId ? review.items.storedFlags(r.itemId) : []);
    }
  }
}

/**
 * Stores a submission item's name, category and findings, unless it holds them already: an upload's
 * proposals arrive with their name and category and no findings (db/queries/imports/rows.ts), and
 * rewriting 100,000 unflagged rows to the same values would cost as much as writing them did.
 */
function setChecks(
  review: ReviewRepository,
  r: { id: number; storedName: string | null; storedCategory: string | null; storedFlags: unknown },
  name: string | null,
  category: Category | null,
  flags: StoredFlag[],
): void {
  const same = r.storedName === name && r.storedCategory === category && r.storedFlags !== null && JSON.stringify(r.storedFlags) === JSON.stringify(flags);
  if (!same) review.items.setChecks(r.id, name, category, flags);
}

/** A department withdraws a submission nobody has started reviewing. */
export function withdrawSubmission(review: ReviewRepository, reviewer: Reviewer, submissionId: number, input: Record<string, unknown>): void {
  withTransaction(review.db, () => {
    const s = review.submissions.get(submissionId);
    if (!s || !can(reviewer, 'read:submission', { departmentId: s.departmentId })) throw errors.notFound('申报');
    if (Number(input.rowVersion) !== s.rowVersion) throw errors.conflict(STALE);
    for (const id of review.submissions.itemIds(submissionId)) {
      const row = loadItem(review, reviewer, id);
      if (row.state !== 'submitted') throw errors.conflict('法制办已开始审核这份申报中的事项，不能再撤回。如需修改，请联系法制办退回。');
      move(review, reviewer, row, 'withdraw', null);
    }
  });
}

export function startReview(review: ReviewRepository, reviewer: Reviewer, selection: Selection): number {
  if (selection.length === 0) throw errors.invalid('请至少选择一个事项。');
  return withTransaction(review.db, () => {
    for (const s of selection) move(review, reviewer, loadItem(review, reviewer, s.id), 'start_review', s.rowVersion);
    return selection.length;
  });
}

export const returnSchema = z.object({ request: requiredText(2000, '请写明退回的原因和需要部门补正的内容') });

export function returnItem(review: ReviewRepository, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  const { request } = parse(returnSchema, input);
  withTransaction(review.db, () => {
    let row = loadItem(review, reviewer, id);
    const version = versionOf(input);
    if (row.state === 'submitted' || row.state === 'resubmitted') row = move(review, reviewer, row, 'start_review', version);
    else if (version !== row.rowVersion) throw errors.conflict(STALE);
    move(review, reviewer, row, 'return', null, { returnRequest: request, departmentAnswer: null }, { request });
  });
}

export const answerSchema = z.object({ answer: requiredText(2000, '请填写对退回意见的答复') });

/** The department answers a returned item; it goes back to the legal office, re-checked. */
export function answerItem(review: ReviewRepository, reviewer: Reviewer, id: number, input: Record<string, unknown>): void {
  const { answer } = parse(answerSchema, input);
  withTransaction(review.db, () => {
    const row = loadItem(review, reviewer, id);
    move(review, reviewer, row, 'answer', versionOf(input), { departmentAnswer: answer }, { answer });
    const campaign = row.campaignId ? review.campaigns.get(row.campaignId) : null;
    checkSubmissionItems(review, row.submissionId, campaign?.judgedAt ?? today(), row.id);
  });
}
