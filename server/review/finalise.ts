// Finalising: the legal office's decision reaches the working catalogue and the register. Which
// effects a decision has is the pure rule in dispositions.ts; this applies them, in order, and audits.
import { appendAudit, withTransaction } from '../../db/audit.js';
import type { ReviewRepository, SubmissionItemRow } from '../../db/queries/review/index.js';
import { errors } from '../errors.js';
import { proposalWriter, type StoredProposal } from '../catalogue/apply-proposal.js';
import { checkDeps } from '../checks/context.js';
import { recheckItems } from '../checks/store.js';
import { effectsOf, leavesUnclassified, type Effect } from './dispositions.js';
import { CATEGORIES, type Category } from '../domain/vocabulary.js';
import { actorOf, loadItem, move, nowIso, today, type Reviewer, type Selection } from './workflow.js';

export interface FinaliseResult {
  finalised: number;
  /** Codes of the items created. */
  created: string[];
  /** Codes of the items that left the catalogue. */
  removed: string[];
}

/** Finalises items: each decision is applied to the working catalogue; items that leave it are registered. */
export function finaliseItems(review: ReviewRepository, reviewer: Reviewer, selection: Selection): FinaliseResult {
  if (selection.length === 0) throw errors.invalid('请至少选择一个事项。');
  return withTransaction(review.db, () => {
    const apply = effectApplier(review, reviewer);
    const touched: number[] = [];
    for (const s of selection) {
      const row = loadItem(review, reviewer, s.id);
      const effects = effectsOf({ kind: row.kind, disposition: row.disposition!, details: row.dispositionDetails ?? {}, hasProposal: row.proposal !== null });
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
