// Finalising: the legal office's decision reaches the working catalogue and the register. Which
// effects a decision has is the pure rule in dispositions.ts; this applies them, in order, and audits.
// No item stays in the catalogue with an error-severity finding nobody set aside: finalising such an
// item needs a written reason, recorded as the set-aside of each open error (and so in the 备案).
import { z } from 'zod';
import { appendAudit, withTransaction } from '../../db/audit.js';
import type { ReviewRepository, SubmissionItemRow } from '../../db/queries/review/index.js';
import { errors } from '../errors.js';
import { proposalWriter, type StoredProposal } from '../catalogue/apply-proposal.js';
import { checkDeps } from '../checks/context.js';
import { recheckItems } from '../checks/store.js';
import { ruleTitle } from '../checks/engine.js';
import { effectsOf, leavesUnclassified, staysInCatalogue, type Effect } from './dispositions.js';
import { CATEGORIES, type Category } from '../domain/vocabulary.js';
import { FINALISE_MESSAGES } from '../domain/labels.js';
import { actorOf, loadItem, move, nowIso, optionalText, parse, today, type Reviewer, type Selection } from './workflow.js';

/** What a finalise form may carry besides the selection: the reason for setting aside the errors still open. */
export const finaliseSchema = z.object({ setAsideReason: optionalText(1000) });

export interface FinaliseResult {
  finalised: number;
  /** Codes of the items created. */
  created: string[];
  /** Codes of the items that left the catalogue. */
  removed: string[];
}

/** The error-severity rules among an item's findings that nobody has set aside, each once. */
export function openErrors(flags: readonly { rule: string; severity: string }[], overridden: readonly string[]): string[] {
  const set = new Set(overridden);
  return [...new Set(flags.filter((f) => f.severity === 'error' && !set.has(f.rule)).map((f) => f.rule))];
}

const effectsOfRow = (row: SubmissionItemRow): Effect[] =>
  effectsOf({ kind: row.kind, disposition: row.disposition!, details: row.dispositionDetails ?? {}, hasProposal: row.proposal !== null });

/** The errors still open on an item the decision keeps in the catalogue (none for an item that leaves it, or an undecided one). */
export function openErrorsAtFinalise(review: ReviewRepository, row: SubmissionItemRow): string[] {
  if (!row.disposition || !staysInCatalogue(effectsOfRow(row))) return [];
  return openErrors(review.items.flags(row.id), review.items.overriddenRules(row.id));
}

/**
 * Finalises items: each decision is applied to the working catalogue; items that leave it are registered.
 * An item kept with errors still open is finalised only with `setAsideReason`, which sets each of them
 * aside (who, when, why: flag_overrides, audited); without it nothing is finalised, and the refusal
 * names every such item of the selection.
 */
export function finaliseItems(review: ReviewRepository, reviewer: Reviewer, selection: Selection, input: unknown = {}): FinaliseResult {
  if (selection.length === 0) throw errors.invalid('请至少选择一个事项。');
  const { setAsideReason } = parse(finaliseSchema, input ?? {});
  return withTransaction(review.db, () => {
    const apply = effectApplier(review, reviewer);
    const touched: number[] = [];
    const rows = selection.map((s) => loadItem(review, reviewer, s.id));
    const open = rows.map((row) => ({ row, rules: openErrorsAtFinalise(review, row) })).filter((o) => o.rules.length > 0);
    if (open.length > 0 && !setAsideReason) {
      throw errors.invalid(FINALISE_MESSAGES.openErrors(open.map((o) => ({ name: o.row.name ?? '该事项', rules: o.rules.map(ruleTitle) }))), {
        setAsideReason: FINALISE_MESSAGES.reasonNeeded,
      });
    }
    for (const { row, rules } of open) setAside(review, reviewer, row.id, rules, setAsideReason!);
    for (const [i, s] of selection.entries()) {
      const row = rows[i]!;
      const effects = effectsOfRow(row);
      move(review, reviewer, row, 'finalise', s.rowVersion, { finalisedBy: reviewer.username, finalisedAt: nowIso() });
      refuseUnclassified(review, row, effects);
      const itemId = apply(row, effects);
      if (itemId !== null) touched.push(itemId);
    }
    // The catalogue changed: keep the stored findings of the items still in it current.
    const stillIn = touched.filter((id) => review.catalogue.isLive(id));
    if (stillIn.length) recheckItems(checkDeps(review.db), stillIn);
    return { finalised: selection.length, created: apply.created, removed: apply.removed };
  });
}

/** Sets each open error aside with the reason given at finalising, as the flag page's own set-aside does. */
function setAside(review: ReviewRepository, reviewer: Reviewer, id: number, rules: string[], reason: string): void {
  for (const rule of rules) {
    review.items.override(id, rule, reason, reviewer.username);
    appendAudit(review.db, actorOf(reviewer), { action: 'review.override', entityType: 'submission_item', entityId: id, after: { rule, reason, atFinalise: true } });
  }
}

/** An item still 待分类 (imported without a category anyone understood) is not finalised into the catalogue. */
function refuseUnclassified(review: ReviewRepository, row: SubmissionItemRow, effects: Effect[]): void {
  const proposed = ((row.proposal as unknown as StoredProposal | null)?.fields.category ?? null) as Category | null;
  const current = row.itemId !== null ? (review.catalogue.item(row.itemId)?.category ?? null) : null;
  if (!leavesUnclassified(effects, proposed, current as Category | null)) return;
  throw errors.invalid(
    `“${row.name ?? '该事项'}”的事项类型仍为“${CATEGORIES.unclassified}”，不能定稿。请先确定事项类型：在处理决定中选择事项类型后重新作出决定，或退回部门修改。`,
  );
}

/** Applies a decision's effects to the catalogue item it concerns (or creates it); returns that item's id, if any. */
function effectApplier(review: ReviewRepository, reviewer: Reviewer) {
  const actor = actorOf(reviewer);
  const writer = proposalWriter(review.db, actor, { review: true });
  const created: string[] = [];
  const removed: string[] = [];

  const apply = (row: SubmissionItemRow, effects: Effect[]): number | null => {
    const proposal = row.proposal as unknown as StoredProposal | null;
    let itemId = row.itemId;
    // A proposal about an existing item whose item is not on file has nothing to act on.
    if (row.kind !== 'new' && itemId === null) return null;
    const item = itemId !== null ? review.catalogue.item(itemId) : null;
    for (const effect of effects) {
      switch (effect.type) {
        case 'create_item_from_proposal': {
          const made = writer.create(row.departmentId, proposal!);
          itemId = made.id;
          created.push(made.code);
          review.items.linkItem(row.id, made.id);
          appendAudit(review.db, actor, { action: 'item.create', entityType: 'item', entityId: made.code, after: { name: proposal!.fields.name, disposition: row.disposition, submissionItem: row.id } });
          break;
        }
        case 'update_item_from_proposal':
          writer.update(item!.id, proposal!);
          break;
        case 'change_category':
          review.catalogue.changeCategory(itemId!, effect.category);
          break;
        case 'register':
          review.register.add({
            itemId: item!.id,
            itemCode: item!.code,
            itemName: item!.name,
            category: item!.category,
            departmentId: item!.departmentId,
            disposition: effect.disposition,
            destination: effect.destination,
            details: row.dispositionDetails ?? {},
            reason: row.reason ?? '',
            legalGround: row.legalGround,
            campaignId: row.campaignId,
            submissionItemId: row.id,
            decidedBy: reviewer.username,
            effectiveOn: today(),
          });
          appendAudit(review.db, actor, { action: `item.${row.disposition}`, entityType: 'item', entityId: item!.code, after: { destination: effect.destination, reason: row.reason, submissionItem: row.id } });
          break;
        case 'move_to_department':
          review.catalogue.moveToDepartment(item!.id, effect.department);
          break;
        case 'remove_from_catalogue':
          review.catalogue.remove(item!.id);
          removed.push(item!.code);
          break;
        case 'set_disposition':
          review.catalogue.setFinalDisposition(itemId!, effect.disposition);
          break;
      }
    }
    return itemId;
  };
  return Object.assign(apply, { created, removed });
}
