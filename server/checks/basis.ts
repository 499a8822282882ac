// Reading an item's citations the way the rules need them: the setting bases that count, how to
// name an instrument and its rank in a message, and the general laws that set no power themselves.
import { normalizeInstrumentTitle } from '../domain/instrument-title.js';
import { RANKS, rankOrder, type Rank } from '../domain/vocabulary.js';
import { GOVERNMENT_LEVELS, governmentLevelOf, levelOrder, type GovernmentLevel } from './instrument-level.js';
import type { CheckedCitation, CheckedInstrument, CheckedItem, Finding, Rule } from './types.js';

/** What a rule returns when it finds nothing: shared, so the hot path allocates nothing. */
export const NO_FINDINGS: readonly never[] = Object.freeze([]);

/** A finding with the rule's code and, unless given, its severity, suggestion and ground. */
export function findingOf<C extends string>(
  rule: Pick<Rule<C>, 'code' | 'severity' | 'suggestion' | 'ground'>,
  fields: Pick<Finding<C>, 'message' | 'suggestionText'> & Partial<Omit<Finding<C>, 'rule'>>,
): Finding<C> {
  return {
    rule: rule.code,
    severity: fields.severity ?? rule.severity,
    message: fields.message,
    suggestion: fields.suggestion ?? rule.suggestion,
    suggestionText: fields.suggestionText,
    ground: fields.ground ?? rule.ground,
    ...(fields.details ? { details: fields.details } : {}),
  };
}

/* Naming ------------------------------------------------------------------------------------- */

/** A citation of a bare document number (国务院令第412号, 国发〔2015〕27号) is not a title. */
const BARE_NUMBER_RE = /^[\u4e00-\u9fa5]{1,20}?(?:令\s*(?:〔\d{4}〕|\d{4}年)?\s*第\s*[\d一二三四五六七八九十百零〇]+\s*号|第\s*\d+\s*号令|〔\d{4}〕\s*第?\s*\d+\s*号)$/;

/** 《中华人民共和国外资企业法》, or 国务院令第412号 for a citation that names only a number. */
export function titleOf(title: string): string {
  const t = title.trim();
  if (t.startsWith('《') || BARE_NUMBER_RE.test(t)) return t;
  return `《${t}》`;
}

/**
 * How the item cites it: 《中华人民共和国外资企业法》第六条 (with the registry's title when known);
 * with `withNumber`, the document number before the article: 《…办法》（建设部令第142号）第十条.
 */
export function citationLabel(c: CheckedCitation, options: { withNumber?: boolean } = {}): string {
  const title = titleOf(c.instrument.id !== null ? c.instrument.title : c.title);
  const number =
    options.withNumber && c.documentNumber && !title.includes(c.documentNumber) ? `（${c.documentNumber}）` : '';
  return `${title}${number}${c.article ?? ''}`;
}

/** Several citations named in one message: 《A》第三条、《B》第六条. */
export function citationList(citations: readonly CheckedCitation[]): string {
  return citations.map((c) => citationLabel(c)).join('、');
}

/** 法律, 部门规章（依标题和文号推断，待确认）, 设区的市级地方政府规章. */
export function rankLabel(rank: Rank, level: GovernmentLevel | null, inferred: boolean): string {
  const levelled =
    level && (rank === 'local_government_rule' || rank === 'normative_document')
      ? `${GOVERNMENT_LEVELS[level]}${RANKS[rank]}`
      : rank === 'unknown'
        ? '位阶不明'
        : RANKS[rank];
  return inferred ? `${levelled}（位阶依标题和文号推断，待确认）` : levelled;
}

/* Which bases count ------------------------------------------------------------------------------ */

/**
 * Laws that regulate how powers are exercised without creating any particular one. Citing
 * 《行政许可法》第十二条 says what may be a permit, not that this item is one: alone it is no basis.
 * Not 行政强制法: it sets 加处罚款或者滞纳金 (art. 45) and 代履行 (art. 50) itself.
 */
const GENERAL_LAWS = new Set([
  '行政许可法',
  '行政处罚法',
  '行政复议法',
  '行政诉讼法',
  '国家赔偿法',
  '立法法',
  '国务院组织法',
  '地方各级人民代表大会和地方各级人民政府组织法',
]);
const generalCache = new Map<string, boolean>();
const CACHE_LIMIT = 50_000;

/** One of the general procedural laws (行政许可法, 行政处罚法, 地方组织法 …). */
export function isGeneralLaw(instrument: CheckedInstrument): boolean {
  if (instrument.rank !== 'law' && instrument.rank !== 'unknown') return false;
  const cached = generalCache.get(instrument.title);
  if (cached !== undefined) return cached;
  const result = GENERAL_LAWS.has(normalizeInstrumentTitle(instrument.title));
  if (generalCache.size >= CACHE_LIMIT) generalCache.clear();
  generalCache.set(instrument.title, result);
  return result;
}

export const isSetting = (c: CheckedCitation): boolean => c.role === 'setting';
export const isRepealed = (c: CheckedCitation): boolean => c.instrument.status === 'repealed';

/** The item has at least one setting citation. */
export function hasSetting(item: CheckedItem): boolean {
  for (const c of item.citations) if (c.role === 'setting') return true;
  return false;
}

/** The highest-ranked of the given citations, with its level (for rules and normative documents). */
export interface RankedBasis {
  citation: CheckedCitation;
  rank: Rank;
  level: GovernmentLevel | null;
}

/** Level matters only between two rules or two normative documents. */
function levelledRank(c: CheckedCitation): RankedBasis {
  const rank = c.instrument.rank;
  const level = rank === 'local_government_rule' || rank === 'normative_document' ? governmentLevelOf(c) : null;
  return { citation: c, rank, level };
}

/**
 * The setting bases a rank rule weighs: not repealed and not a general procedural law.
 * `best` is the highest among those of known rank; `unknown` counts those whose rank no one knows.
 */
export function weighSettingBases(item: CheckedItem): {
  best: RankedBasis | null;
  unknown: readonly CheckedCitation[];
  counted: number;
} {
  let best: RankedBasis | null = null;
  let unknown: CheckedCitation[] | null = null;
  let counted = 0;
  for (const c of item.citations) {
    if (c.role !== 'setting' || c.instrument.status === 'repealed' || isGeneralLaw(c.instrument)) continue;
    counted++;
    if (c.instrument.rank === 'unknown') {
      (unknown ??= []).push(c);
      continue;
    }
    if (best && rankOrder(c.instrument.rank) > rankOrder(best.rank)) continue;
    const candidate = levelledRank(c);
    if (
      !best ||
      rankOrder(candidate.rank) < rankOrder(best.rank) ||
      levelOrder(candidate.level) < levelOrder(best.level)
    ) {
      best = candidate;
    }
  }
  return { best, unknown: unknown ?? NO_FINDINGS, counted };
}
