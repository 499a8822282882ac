// What a finalised decision does to the working catalogue, as a list of effects: the rule of each
// disposition in one pure function, so finalising (finalise.ts) only applies what this returns.
import { CATEGORIES, LEVELS, label, type Category, type Disposition, type ProposalKind } from '../domain/vocabulary.js';

/** The dispositions by which an item leaves a department's catalogue and enters the register. */
export type LeavingDisposition = 'cancel' | 'delegate' | 'transfer' | 'merge';
const LEAVING: readonly Disposition[] = ['cancel', 'delegate', 'transfer', 'merge'] satisfies LeavingDisposition[];

/** A decision as it stands when the legal office finalises it. */
export interface FinalisedDecision {
  kind: ProposalKind;
  disposition: Disposition;
  /**
   * The decision's details (disposition_details): delegate {level, body}; merge {intoCode, intoName};
   * transfer {body, department?}; change_mode {mode, category?}; new and retain {category?} (the legal
   * office settles an item imported as 待分类).
   */
  details: Record<string, string>;
  /** Whether the department's proposal (the fields it asks for) is on file. */
  hasProposal: boolean;
}

export type Effect =
  /** A new item made from the proposal, in the proposing department. */
  | { type: 'create_item_from_proposal' }
  /** The proposal's fields and citations applied to the item. */
  | { type: 'update_item_from_proposal' }
  | { type: 'change_category'; category: Category }
  /** An entry in the delegation and cancellation register, with where the item went in words. */
  | { type: 'register'; disposition: LeavingDisposition; destination: string | null }
  /** The item moves, whole, to another department of the same government. */
  | { type: 'move_to_department'; department: string }
  /** The item leaves the working catalogue; its stored findings go with it. */
  | { type: 'remove_from_catalogue' }
  /** The item records the decision and its review is over. */
  | { type: 'set_disposition'; disposition: Disposition };

/** Where an item that leaves goes, as the register writes it. */
export function registerDestination(disposition: LeavingDisposition, details: Record<string, string>): string | null {
  switch (disposition) {
    case 'delegate':
      return `下放至${LEVELS[details.level as keyof typeof LEVELS] ?? ''}：${details.body}`;
    case 'merge':
      return `并入“${details.intoName}”（${details.intoCode}）`;
    case 'transfer':
      return `转移至${details.body}`;
    case 'cancel':
      return null;
  }
}

/**
 * Where a decision sends an item, in words, to follow the disposition's name: 下放（乡镇（街道）级：各街道办事处）.
 * Codes in the stored details (a level, a category) are named; null when the decision sends it nowhere.
 */
export function destinationText(disposition: string | null, details: Record<string, string> | null): string | null {
  if (!details || !disposition) return null;
  switch (disposition) {
    case 'delegate':
      return `${label(LEVELS, details.level)}：${details.body ?? ''}`;
    case 'merge':
      return `并入“${details.intoName ?? ''}”（${details.intoCode ?? ''}）`;
    case 'transfer':
      return details.body ?? null;
    case 'change_mode':
      return details.mode ? `${details.mode}${details.category ? `，事项类型改为${label(CATEGORIES, details.category)}` : ''}` : null;
    default:
      return null;
  }
}

const isLeaving = (d: Disposition): d is LeavingDisposition => LEAVING.includes(d);

/** The effects of one finalised decision on the working catalogue, in the order they apply. */
export function effectsOf(decision: FinalisedDecision): Effect[] {
  const { kind, disposition, details } = decision;
  if (kind === 'new') {
    // A proposed item that is not accepted never reaches the catalogue: nothing to undo, nothing to register.
    if (disposition !== 'new' && disposition !== 'accept_from_above') return [];
    const settle: Effect[] = details.category ? [{ type: 'change_category', category: details.category as Category }] : [];
    return [{ type: 'create_item_from_proposal' }, ...settle, { type: 'set_disposition', disposition }];
  }
  const effects: Effect[] = [];
  // Only a proposed change carries fields to apply; a proposed removal that is refused keeps the item as it is.
  if ((disposition === 'retain' || disposition === 'change_mode') && decision.hasProposal && kind === 'change') {
    effects.push({ type: 'update_item_from_proposal' });
  }
  if (details.category && !isLeaving(disposition)) effects.push({ type: 'change_category', category: details.category as Category });
  if (isLeaving(disposition)) {
    effects.push({ type: 'register', disposition, destination: registerDestination(disposition, details) });
    // A transfer to a department on file moves the item there; to a body outside the catalogue, it leaves.
    if (disposition === 'transfer' && details.department) effects.push({ type: 'move_to_department', department: details.department });
    else effects.push({ type: 'remove_from_catalogue' });
  }
  effects.push({ type: 'set_disposition', disposition });
  return effects;
}

/**
 * Whether finalising would leave the item in the catalogue as 待分类 (imported without a category it
 * understood): the category the decision sets, else the proposal's when it is applied, else the item's.
 * An item that leaves the catalogue, or never enters it, needs none.
 */
export function leavesUnclassified(effects: readonly Effect[], proposedCategory: Category | null, currentCategory: Category | null): boolean {
  if (effects.length === 0 || effects.some((e) => e.type === 'remove_from_catalogue')) return false;
  let category = currentCategory;
  for (const e of effects) {
    if (e.type === 'create_item_from_proposal' || e.type === 'update_item_from_proposal') category = proposedCategory;
    else if (e.type === 'change_category') category = e.category;
  }
  return category === 'unclassified';
}

/**
 * Whether finalising leaves the item in the working catalogue (kept, changed, moved, or made from a new
 * proposal): such an item is published, so its error-severity findings must each be set aside first.
 * An item that leaves, or never enters, carries none into the catalogue.
 */
export function staysInCatalogue(effects: readonly Effect[]): boolean {
  return effects.length > 0 && !effects.some((e) => e.type === 'remove_from_catalogue');
}
