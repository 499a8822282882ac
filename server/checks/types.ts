// The shapes the legal-basis checks work on: an item with its citations resolved against the
// instrument registry, what a rule finds, and the lookups catalogue-wide rules are given.
// Pure data: the caller (import preview, re-check after a repeal, the CLI) builds these.
import type { Category, InstrumentStatus, Rank, ServiceObject } from '../domain/vocabulary.js';
import type { RuleCode } from './engine.js';
import type { ProcessStep } from '../domain/process-steps.js';
import { SEVERITIES } from '../domain/labels.js';

export type { RuleCode };

/** An instrument as a citation resolved it. `id` null: not in the registry. */
export interface CheckedInstrument {
  id: number | null;
  /** The registry title; for an unregistered instrument, the title as cited. */
  title: string;
  /** From the registry; for an unregistered one, inferRank(title, documentNumber). */
  rank: Rank;
  /** The rank is a guess no person has confirmed (always true when id is null). */
  rankInferred: boolean;
  /** 'unknown' when id is null. */
  status: InstrumentStatus;
  effectiveOn: string | null;
  publishedOn: string | null;
  /** The version or instrument in force that replaced this one, when the registry knows it. */
  replacedBy: { id: number; title: string; publishedOn?: string | null } | null;
  /** The region it was made for (上海, 四川省广安市 …); null for national instruments. */
  region: string | null;
  issuingBody: string | null;
  /** The registry's document number of this version (主席令第49号), when it records one. */
  documentNumber?: string | null;
}

export interface CheckedCitation {
  /** As the department wrote it (without 《》). */
  title: string;
  article: string | null;
  documentNumber: string | null;
  role: 'setting' | 'implementing';
  /** The department's 【…】 label: shown to the reviewer, never trusted for the rank. */
  tag: string | null;
  instrument: CheckedInstrument;
  /** A cited version such as （2003年） or （2015年修正）. */
  versionYear: number | null;
  /** The article's words as the department quoted them, when it did (they may set a time limit). */
  quotedText?: string | null;
}

export interface CheckedItem {
  /** The item code, or a submission-row key for rows not yet in the catalogue. */
  key: string;
  code: string | null;
  name: string;
  /** The stored key of a catalogue item's name (items.name_key), when it was read with one. */
  nameKey?: string | null;
  category: Category;
  departmentCode: string;
  departmentName: string;
  serviceObjects: ServiceObject[];
  feeCharged: boolean;
  feeStandard: string | null;
  feeBasis: string | null;
  statutoryLimitDays: number | null;
  promisedLimitDays: number | null;
  instant: boolean;
  processText: string | null;
  /** The steps of its 办理流程 (stored, or parsed from processText); absent: the rules parse processText. */
  steps?: readonly ProcessStep[];
  citations: CheckedCitation[];
  /** Not in the last published catalogue. */
  isNew: boolean;
  /** The name it had before, when it was renamed. */
  previousName: string | null;
  /** A proposal's 前置事项 as written (absent: it proposes none, or the item is checked as stored). */
  prerequisites?: readonly string[];
}

export type Severity = 'error' | 'warning' | 'info';
export { SEVERITIES };
const _severitiesNamed: Record<Severity, string> = SEVERITIES;
void _severitiesNamed;

export type SuggestedDisposition = 'cancel' | 'reclassify' | 'review' | 'fix_data';
export const SUGGESTED_DISPOSITIONS = {
  cancel: '建议取消',
  reclassify: '建议调整类别',
  review: '需人工审核',
  fix_data: '需更正数据',
} as const satisfies Record<SuggestedDisposition, string>;

export interface Finding<C extends string = RuleCode> {
  rule: C;
  severity: Severity;
  /** Chinese, specific to the item: names the instrument and article. */
  message: string;
  suggestion: SuggestedDisposition;
  /** Chinese: what to do. */
  suggestionText: string;
  /** The legal ground, e.g. 《中华人民共和国行政许可法》第十四条至第十七条. */
  ground: string;
  details?: Record<string, unknown>;
}

/** An item cancelled by a higher level that a person confirmed this item matches. */
export interface CancelledAboveMatch {
  /** The list or decision: 《国务院关于取消和下放一批行政审批项目的决定》. */
  listTitle: string;
  /** 国发〔2014〕5号. */
  decisionNumber: string | null;
  /** The item's name on that list. */
  name: string;
  score: number;
}

/** An item cancelled earlier in this catalogue (the cancellation register) that resembles this one. */
export interface CancelledEarlierMatch {
  name: string;
  departmentName: string;
  /** ISO date of the cancellation. */
  cancelledOn: string | null;
  reason: string | null;
  score: number;
}

export interface DuplicateClaim {
  key: string;
  name: string;
  departmentName: string;
}

/** A loop of prerequisites through an item: the items in order starting with it, each requiring the next, the last requiring the first. */
export interface PrerequisiteLoop {
  items: { code: string; name: string; departmentName: string }[];
  /** Items in its strongly connected group (more than the loop when loops overlap). */
  groupSize: number;
}

export interface StandardName {
  name: string;
  score: number;
}

/**
 * What rules need beyond the item. Every lookup is a plain function the caller provides,
 * precomputed over the catalogue (fuzzy matches, confirmations); tests give fakes.
 */
export interface CheckContext {
  /** ISO date the catalogue is judged at (its publication or clean-up date). */
  asOf: string;
  /** Confirmed matches on higher-level cancellation lists. */
  cancelledAbove: (item: CheckedItem) => readonly CancelledAboveMatch[];
  /** Resembling items from the cancellation register. */
  cancelledEarlier: (item: CheckedItem) => readonly CancelledEarlierMatch[];
  /** The same power claimed by other departments. */
  duplicatesOf: (item: CheckedItem) => readonly DuplicateClaim[];
  /** The standard base-catalogue name this item matches, if any. */
  standardName: (item: CheckedItem) => StandardName | null;
  /** A registry lookup by title, for titles named in free text such as the fee basis. */
  instrumentForTitle?: (title: string) => CheckedInstrument | null;
  /** The prerequisite loop the item lies on (PREREQUISITE_CYCLE); absent: prerequisites not analysed. */
  prerequisiteLoop?: (item: CheckedItem) => PrerequisiteLoop | null;
  /** What rules remember while this context lives: a new context starts empty, so no answer outlives its catalogue. */
  readonly memo: CheckMemo;
}

/** An instrument a free text names (a fee basis), with its rank. */
export interface NamedRank {
  name: string;
  rank: Rank;
  inferred: boolean;
}

/** Work the rules keep between items of one run (a million items share a few fee-basis texts). */
export interface CheckMemo {
  /** The instruments each fee-basis text names, as ranked through `lookup` (another lookup may rank a title otherwise). */
  feeBasis?: { lookup: CheckContext['instrumentForTitle']; byText: Map<string, NamedRank[]> };
}

/**
 * A rule: one module under server/checks/rules/, registered in engine.ts.
 * `severity` and `suggestion` are the rule's main outcome; a finding may be milder (a partly
 * repealed basis is a warning) and says so itself.
 */
export interface Rule<C extends string = string> {
  code: C;
  severity: Severity;
  /** Chinese. */
  title: string;
  /** Chinese: what the rule says and why. */
  explanation: string;
  ground: string;
  suggestion: SuggestedDisposition;
  /** ISO dates; `from` inclusive, `to` exclusive. A rule applies when ctx.asOf lies in the range. */
  effective: { from?: string; to?: string };
  /** 'catalogue': compares the item with others, through the context's lookups. */
  scope: 'item' | 'catalogue';
  check(item: CheckedItem, ctx: CheckContext): readonly Finding<C>[];
}
