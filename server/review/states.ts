// The review workflow's states and transitions (seed 000): a department reports, the legal office
// reviews item by item and decides, experts look at what is kept with changes, new, delegated or
// changed in mode, and the legal office finalises. One pure table; every service goes through
// `transition`, so no role can skip a state.
import type { Disposition, Role } from '../domain/vocabulary.js';

export { REVIEW_STATES, REVIEW_STATE_CODES, type ReviewState } from '../domain/vocabulary.js';
import { REVIEW_STATES, type ReviewState } from '../domain/vocabulary.js';

export { REVIEW_ACTIONS, type ReviewAction } from '../domain/vocabulary.js';
import { REVIEW_ACTIONS, type ReviewAction } from '../domain/vocabulary.js';

interface TransitionRule {
  from: readonly ReviewState[];
  to: ReviewState;
  roles: readonly Role[];
}

/** Who may move an item from where to where. Admins act for the legal office. */
export const TRANSITIONS: Record<ReviewAction, TransitionRule> = {
  submit: { from: ['draft'], to: 'submitted', roles: ['department'] },
  withdraw: { from: ['submitted'], to: 'withdrawn', roles: ['department'] },
  start_review: { from: ['submitted', 'resubmitted'], to: 'under_review', roles: ['legal_office', 'admin'] },
  return: { from: ['under_review'], to: 'returned', roles: ['legal_office', 'admin'] },
  answer: { from: ['returned'], to: 'resubmitted', roles: ['department'] },
  decide: { from: ['under_review'], to: 'decided', roles: ['legal_office', 'admin'] },
  send_to_experts: { from: ['decided'], to: 'in_expert_review', roles: ['legal_office', 'admin'] },
  finalise: { from: ['decided', 'in_expert_review'], to: 'final', roles: ['legal_office', 'admin'] },
  reopen: { from: ['decided', 'in_expert_review'], to: 'under_review', roles: ['legal_office', 'admin'] },
};

/** The proposal a department made about one item. */
export type { ProposalKind } from '../domain/vocabulary.js';
import type { ProposalKind } from '../domain/vocabulary.js';

/** Dispositions the legal office may record for each kind of proposal. */
export const DISPOSITIONS_FOR: Record<ProposalKind, readonly Disposition[]> = {
  new: ['new', 'accept_from_above', 'cancel'],
  change: ['retain', 'cancel', 'delegate', 'merge', 'transfer', 'change_mode'],
  remove: ['cancel', 'retain', 'delegate', 'merge', 'transfer', 'change_mode'],
};

/**
 * Seed 000, 二(五)3: items kept with changes, new items, delegated items and items whose management
 * mode changes go to expert review before publication.
 */
export function needsExpertReview(kind: ProposalKind, disposition: Disposition | null): boolean {
  if (!disposition) return false;
  if (disposition === 'new' || disposition === 'accept_from_above') return true;
  if (disposition === 'delegate' || disposition === 'change_mode') return true;
  return disposition === 'retain' && kind === 'change';
}

/** What the transition rules need to know beyond the state. */
export interface TransitionFacts {
  kind: ProposalKind;
  disposition: Disposition | null;
  /** Experts assigned and not yet answered. */
  expertsPending: number;
  /** Experts assigned at all. */
  expertsAssigned: number;
  /** The legal office closed the expert review with a reason. */
  expertReviewClosed: boolean;
}

export type TransitionResult = { ok: true; to: ReviewState } | { ok: false; reason: string };

const refuse = (reason: string): TransitionResult => ({ ok: false, reason });

/** Whether `role` may apply `action` to an item in `state`, and the state it leads to; the reason in Chinese when not. */
export function transition(state: ReviewState, action: ReviewAction, role: Role, facts: TransitionFacts): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.roles.includes(role)) return refuse(`当前角色不能${REVIEW_ACTIONS[action]}。`);
  if (!rule.from.includes(state)) {
    return refuse(`该事项处于“${REVIEW_STATES[state]}”状态，不能${REVIEW_ACTIONS[action]}（只能在${rule.from.map((s) => `“${REVIEW_STATES[s]}”`).join('或')}状态下进行）。`);
  }
  const experts = needsExpertReview(facts.kind, facts.disposition);
  if (action === 'send_to_experts') {
    if (!experts) return refuse('该处理决定不需要专家评审，可直接定稿。');
  }
  if (action === 'finalise') {
    if (state === 'decided' && experts) return refuse('保留并修改、新增、下放和改变管理方式的事项须先经专家评审，才能定稿。');
    if (state === 'in_expert_review') {
      if (facts.expertsAssigned === 0 && !facts.expertReviewClosed) return refuse('尚未指派专家，不能定稿。');
      if (facts.expertsPending > 0 && !facts.expertReviewClosed) {
        return refuse(`还有 ${facts.expertsPending} 位专家尚未提出意见；如需定稿，请先填写理由结束专家评审。`);
      }
    }
  }
  return { ok: true, to: rule.to };
}

/** A submission's state as its items make it: withdrawn or final when all are, otherwise the earliest open state. */
export function submissionStateOf(itemStates: readonly ReviewState[]): ReviewState {
  if (itemStates.length === 0) return 'submitted';
  const order: Exclude<ReviewState, 'withdrawn'>[] = ['draft', 'returned', 'submitted', 'resubmitted', 'under_review', 'decided', 'in_expert_review', 'final'];
  const open = itemStates.filter((s): s is Exclude<ReviewState, 'withdrawn'> => s !== 'withdrawn');
  if (open.length === 0) return 'withdrawn';
  return order.find((s) => open.includes(s))!;
}

/** The actions `role` may take on an item now: what a page offers is what `transition` would allow. */
export function allowedActions(state: ReviewState, role: Role, facts: TransitionFacts): Set<ReviewAction> {
  return new Set((Object.keys(TRANSITIONS) as ReviewAction[]).filter((action) => transition(state, action, role, facts).ok));
}
