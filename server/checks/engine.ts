// The rule engine: the registry of rules and the functions that run them over items.
// Adding a rule = one module in rules/ and one line in RULES below; its code becomes a RuleCode.
import { basisAmended } from './rules/basis-amended.js';
import { basisRankTooLow } from './rules/basis-rank-too-low.js';
import { basisRepealed } from './rules/basis-repealed.js';
import { cancelledAbove } from './rules/cancelled-above.js';
import { duplicateAcrossDepartments } from './rules/duplicate-across-departments.js';
import { feeWithoutBasis } from './rules/fee-without-basis.js';
import { nameNotStandard } from './rules/name-not-standard.js';
import { noBasis } from './rules/no-basis.js';
import { nonPermitAbolished } from './rules/non-permit-abolished.js';
import { prerequisiteCycle } from './rules/prerequisite-cycle.js';
import { promisedExceedsStatutory } from './rules/promised-exceeds-statutory.js';
import { recreatedAfterCancel } from './rules/recreated-after-cancel.js';
import { statutoryOverLegalDefault } from './rules/statutory-over-legal-default.js';
import { stepLimitsExceedItemLimit } from './rules/step-limits-exceed-item-limit.js';
import { tooManyReviewPosts } from './rules/too-many-review-posts.js';
import { unknownInstrument } from './rules/unknown-instrument.js';
import type { CheckContext, CheckedItem, Finding, Rule, Severity, SuggestedDisposition } from './types.js';

/** Every rule, in the order findings are listed: basis first, then catalogue-wide, then process. */
export const RULES = [
  noBasis,
  basisRepealed,
  basisAmended,
  basisRankTooLow,
  nonPermitAbolished,
  unknownInstrument,
  feeWithoutBasis,
  cancelledAbove,
  recreatedAfterCancel,
  duplicateAcrossDepartments,
  nameNotStandard,
  prerequisiteCycle,
  promisedExceedsStatutory,
  statutoryOverLegalDefault,
  stepLimitsExceedItemLimit,
  tooManyReviewPosts,
] as const;

export type RuleCode = (typeof RULES)[number]['code'];
export const RULE_CODES = RULES.map((r) => r.code) as RuleCode[];

/** A rule applies to a catalogue judged on `asOf` when asOf lies in [from, to). */
export function appliesOn(rule: Pick<Rule, 'effective'>, asOf: string): boolean {
  const { from, to } = rule.effective;
  return (from === undefined || asOf >= from) && (to === undefined || asOf < to);
}

/** What the UI and the API show about a rule. */
export interface RuleDescription<C extends string = RuleCode> {
  code: C;
  severity: Severity;
  title: string;
  explanation: string;
  ground: string;
  suggestion: SuggestedDisposition;
  effective: { from?: string; to?: string };
  scope: 'item' | 'catalogue';
}

export interface RunOptions<C extends string = RuleCode> {
  /** Only these rules (still only those in force on ctx.asOf). */
  rules?: readonly C[];
}

export interface Checker<C extends string> {
  readonly rules: readonly Rule<C>[];
  /** Findings by item key; items without findings are left out. */
  runChecks(items: Iterable<CheckedItem>, ctx: CheckContext, options?: RunOptions<C>): Map<string, Finding<C>[]>;
  checkItem(item: CheckedItem, ctx: CheckContext, options?: RunOptions<C>): Finding<C>[];
  ruleCatalogue(): RuleDescription<C>[];
}

/** A checker over any set of rules; the exported functions below use RULES. */
export function createChecker<C extends string>(rules: readonly Rule<C>[]): Checker<C> {
  const byCode = new Map<string, Rule<C>>();
  for (const rule of rules) {
    if (byCode.has(rule.code)) throw new Error(`规则代码重复：${rule.code}`);
    byCode.set(rule.code, rule);
  }

  // A full check asks for the rules in force item by item: the answer for a date without a choice of
  // rules is kept, so a million items do not filter the rules a million times.
  let inForce: { asOf: string; rules: Rule<C>[] } | null = null;
  const active = (asOf: string, options?: RunOptions<C>): Rule<C>[] => {
    if (!options?.rules) {
      if (inForce?.asOf !== asOf) inForce = { asOf, rules: rules.filter((r) => appliesOn(r, asOf)) };
      return inForce.rules;
    }
    const unknown = options.rules.filter((code) => !byCode.has(code));
    if (unknown.length) throw new Error(`未知的检查规则：${unknown.join('、')}`);
    const wanted = new Set<string>(options.rules);
    return rules.filter((r) => wanted.has(r.code) && appliesOn(r, asOf));
  };

  const apply = (selected: readonly Rule<C>[], item: CheckedItem, ctx: CheckContext): Finding<C>[] | null => {
    let out: Finding<C>[] | null = null;
    for (const rule of selected) {
      const found = rule.check(item, ctx);
      if (found.length === 0) continue;
      if (out) for (const f of found) out.push(f);
      else out = [...found];
    }
    return out;
  };

  return {
    rules,
    runChecks(items, ctx, options) {
      const selected = active(ctx.asOf, options);
      const results = new Map<string, Finding<C>[]>();
      for (const item of items) {
        const found = apply(selected, item, ctx);
        if (!found) continue;
        const earlier = results.get(item.key);
        if (earlier) earlier.push(...found);
        else results.set(item.key, found);
      }
      return results;
    },
    checkItem(item, ctx, options) {
      return apply(active(ctx.asOf, options), item, ctx) ?? [];
    },
    ruleCatalogue() {
      return rules.map((r) => ({
        code: r.code,
        severity: r.severity,
        title: r.title,
        explanation: r.explanation,
        ground: r.ground,
        suggestion: r.suggestion,
        effective: { ...r.effective },
        scope: r.scope,
      }));
    },
  };
}

const checker = createChecker<RuleCode>(RULES);

/** Run the rules in force on ctx.asOf over the items: findings by item key (items without any left out). */
export const runChecks = checker.runChecks;
/** The findings of the rules in force on ctx.asOf for one item. */
export const checkItem = checker.checkItem;
/** Every rule described for the UI and the API. */
export const ruleCatalogue = checker.ruleCatalogue;

const RULE_TITLE_BY_CODE = new Map<string, string>(RULES.map((r) => [r.code, r.title]));
/** A rule's Chinese title, as every page names it (the code goes only into a tooltip). Unknown codes come back as given. */
export const ruleTitle = (code: string): string => RULE_TITLE_BY_CODE.get(code) ?? code;
