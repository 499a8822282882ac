// What a penalty article provides, read from the words the department quoted: the kinds of penalty and
// the highest fine. The rank rule judges a rule-set penalty by these (行政处罚法 arts. 13, 14), not by
// the item's name. Pure.
import { chineseToNumber } from '../domain/time-limits.js';
import type { Rank } from '../domain/vocabulary.js';

/** Penalties beyond 警告、通报批评、罚款: not by rules (arts. 13, 14). */
export const BEYOND_RULES_RE = /吊销|责令停产停业|责令关闭|没收|暂扣|降低资质等级|限制开展生产经营活动|限制从业|拘留|限制人身自由/g;

export interface PenaltyText {
  /** The penalty kinds beyond 警告、通报批评、罚款 the text provides, as written (吊销许可证, 没收违法所得 …). */
  beyondRules: string[];
  /** The highest fine in yuan the text provides, or null when it names no fixed amount. */
  maxFine: number | null;
  /** The fine as written around its highest figure ("一万元以上三万元以下罚款"), for the message. */
  fineText: string | null;
}

const AMOUNT = '[0-9０-９]+(?:[.．][0-9０-９]+)?|[零〇一二两三四五六七八九十百千万]+';
/** An amount of money: 3万元, 三万元, 30000元, 五千元, 1.5万元, 二十万元. */
const MONEY_RE = new RegExp(`(${AMOUNT})\\s*(万)?\\s*元`, 'g');
/** A fine clause: "处……罚款", "并处……的罚款", "罚款……元". */
const FINE_CLAUSE_RE = /[^，。；,;]*罚款[^，。；,;]*|[^，。；,;]*罚[^，。；,;]*元[^，。；,;]*/g;

function yuan(amount: string, wan: string | undefined): number | null {
  const n = chineseToNumber(amount);
  if (n === null || !Number.isFinite(n)) return null;
  return wan ? n * 10_000 : n;
}

/** The kinds and the highest fine the quoted article provides. */
export function readPenaltyText(text: string): PenaltyText {
  const t = text.normalize('NFKC');
  const beyondRules = [...new Set([...t.matchAll(BEYOND_RULES_RE)].map((m) => phraseAround(t, m.index!, m[0])))];
  let maxFine: number | null = null;
  let fineText: string | null = null;
  for (const clause of t.match(FINE_CLAUSE_RE) ?? []) {
    for (const m of clause.matchAll(MONEY_RE)) {
      const v = yuan(m[1]!, m[2]);
      if (v !== null && (maxFine === null || v > maxFine)) {
        maxFine = v;
        fineText = clause.replace(/^\s*(?:并|或者|或|可以|处以|处)+/, '').trim();
      }
    }
  }
  return { beyondRules, maxFine, fineText };
}

/** The penalty word with what it acts on: 吊销 → 吊销许可证, 没收 → 没收违法所得. */
function phraseAround(text: string, at: number, word: string): string {
  const rest = text.slice(at + word.length).match(/^[^，。；、,;和及或并]{0,8}/)?.[0] ?? '';
  return (word + rest).replace(/的?$/, '');
}

export interface FineLimit {
  rank: Extract<Rank, 'department_rule'>;
  /** From when the limit applies (the notice's date) up to, not including, `to`. */
  from: string;
  to: string | null;
  /** The highest fine a rule may set without the State Council's approval, in yuan. */
  limit: number;
  /** A higher ceiling for special fields, where the source sets one. */
  specialLimit: number | null;
  source: string;
}

/**
 * The fines department rules may set (行政处罚法 2021 art. 13: limits set by the State Council;
 * 1996 art. 12 the same). Local government rules' limits are set by each province's standing committee
 * (art. 14) and are not in this table: their fines are judged by kind only.
 */
export const RULE_FINE_LIMITS: readonly FineLimit[] = [
  {
    rank: 'department_rule',
    from: '1996-04-15',
    to: '2021-11-15',
    limit: 30_000,
    specialLimit: null,
    source:
      '《国务院关于贯彻实施〈中华人民共和国行政处罚法〉的通知》（国发〔1996〕13号）：部门规章对经营活动中的违法行为设定罚款不得超过3万元（没有违法所得的不得超过1万元，非经营活动不得超过1000元），超过限额的应当报国务院批准',
  },
  {
    rank: 'department_rule',
    from: '2021-11-15',
    to: null,
    limit: 100_000,
    specialLimit: 200_000,
    source:
      '《国务院关于进一步贯彻实施〈中华人民共和国行政处罚法〉的通知》（国发〔2021〕26号）：部门规章设定罚款最高不得超过10万元，涉及公民生命健康安全、金融安全且有危害后果的最高不得超过20万元，超过限额的要报国务院批准',
  },
];

/** The limit that applies to a rule of this rank on this day, if the table has one. */
export function fineLimitFor(rank: Rank, asOf: string): FineLimit | null {
  return RULE_FINE_LIMITS.find((l) => l.rank === rank && l.from <= asOf && (l.to === null || asOf < l.to)) ?? null;
}

/** 30000 → "3万元", 1000 → "1000元". */
export function yuanText(n: number): string {
  return n >= 10_000 && n % 1_000 === 0 ? `${n / 10_000}万元` : `${n}元`;
}
