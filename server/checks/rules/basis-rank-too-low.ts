// BASIS_RANK_TOO_LOW: the highest setting basis is below what the category needs — permits
// (行政许可法 arts. 14–17), penalties (行政处罚法 arts. 10–14, 16), enforcement (行政强制法 arts. 10,
// 13), non-permit approvals (seed 000 二(一)2). The registry's rank counts, never the department's tag.
import { CATEGORIES, rankOrder, type Rank } from '../../domain/vocabulary.js';
import { ENFORCEMENT_LAW_EFFECTIVE, GROUND, PENALTY_LAW_2021, PERMIT_LAW_EFFECTIVE } from '../grounds.js';
import { citationLabel, citationList, findingOf, NO_FINDINGS, rankLabel, weighSettingBases, type RankedBasis } from '../basis.js';
import type { CheckedItem, Finding, Rule, Severity, SuggestedDisposition } from '../types.js';
import { BEYOND_RULES_RE, fineLimitFor, readPenaltyText, yuanText } from '../penalty-text.js';

type Code = 'BASIS_RANK_TOO_LOW';

interface Verdict {
  severity: Severity;
  suggestion: SuggestedDisposition;
  reason: string;
  suggestionText: string;
  ground: string;
}

const LOCAL_REGULATION = rankOrder('local_regulation');
const ADMINISTRATIVE_REGULATION = rankOrder('administrative_regulation');
const STATE_COUNCIL_DECISION = rankOrder('state_council_decision');
const atLeast = (rank: Rank, order: number): boolean => rankOrder(rank) <= order;

const CANCEL = '建议取消；如有更高位阶的法律、法规设定该事项，补充该设定依据';

/* 行政许可法 arts. 14–17 ------------------------------------------------------------------------- */

function addOneYear(isoDate: string): string {
  const y = Number(isoDate.slice(0, 4));
  return `${y + 1}${isoDate.slice(4)}`;
}

function judgePermit(best: RankedBasis, asOf: string): Verdict | null {
  if (atLeast(best.rank, LOCAL_REGULATION)) return null;
  if (best.rank === 'local_government_rule' && best.level === 'provincial') {
    const since = best.citation.instrument.effectiveOn;
    const overAYear = since !== null && addOneYear(since) <= asOf;
    return {
      severity: 'warning',
      suggestion: 'review',
      reason:
        '省级人民政府规章只能设定临时性行政许可，实施满一年需继续实施的，应当提请本级人民代表大会及其常务委员会制定地方性法规' +
        (overAYear ? `；该规章自${since}施行，已满一年` : ''),
      suggestionText: '临时性行政许可，实施满一年需提请制定地方性法规；未制定的，建议取消',
      ground: GROUND.permitArt15,
    };
  }
  if (best.rank === 'local_government_rule' && (best.level === null || best.level === 'national')) {
    return {
      severity: 'warning',
      suggestion: 'review',
      reason: '无法判断是省级还是设区的市级政府规章：省级政府规章只能设定临时性行政许可（第十五条），其他政府规章不得设定行政许可（第十七条）',
      suggestionText: '核实该规章的制定机关；设区的市、县级规章设定的，建议取消',
      ground: GROUND.permitRanks,
    };
  }
  const what =
    best.rank === 'department_rule'
      ? '部门规章不得设定行政许可'
      : best.rank === 'local_government_rule'
        ? '省级以外的政府规章不得设定行政许可'
        : '法律、法规、省级政府规章以外的规范性文件一律不得设定行政许可';
  return { severity: 'error', suggestion: 'cancel', reason: what, suggestionText: CANCEL, ground: GROUND.permitArt17 };
}

/* 行政处罚法 arts. 10–14, 16 (1996: arts. 9–14) ----------------------------------------------------- */

/** Penalties only a law may set (art. 10): restricting personal freedom. */
const FREEDOM_RE = /拘留|限制人身自由/;
/** Revoking a business licence: not by a local regulation (art. 12). */
const LICENCE_RE = /吊销(?:企业)?营业执照/;

/** The words of the setting articles the department quoted, or null when it quoted none. */
function quotedSettingText(item: CheckedItem): string | null {
  let text: string | null = null;
  for (const c of item.citations) if (c.role === 'setting' && c.quotedText) text = text === null ? c.quotedText : `${text}；${c.quotedText}`;
  return text;
}

/** What the name itself says of the penalty kinds beyond rules (an item named 吊销… is one). */
const beyondInName = (name: string): string[] => [...new Set([...name.matchAll(BEYOND_RULES_RE)].map((m) => m[0]))];

function judgePenalty(best: RankedBasis, item: CheckedItem, asOf: string): Verdict | null {
  const since2021 = asOf >= PENALTY_LAW_2021;
  const ground = since2021 ? GROUND.penaltyRanks2021 : GROUND.penaltyRanks1996;
  const quoted = quotedSettingText(item);
  const says = (re: RegExp) => re.test(item.name) || (quoted !== null && re.test(quoted));
  if (says(FREEDOM_RE) && !atLeast(best.rank, rankOrder('law'))) {
    return { severity: 'error', suggestion: 'cancel', reason: '限制人身自由的行政处罚只能由法律设定', suggestionText: CANCEL, ground };
  }
  if (says(LICENCE_RE) && !atLeast(best.rank, STATE_COUNCIL_DECISION)) {
    return {
      severity: 'error',
      suggestion: 'cancel',
      reason: '吊销营业执照只能由法律、行政法规设定，地方性法规和规章不得设定',
      suggestionText: CANCEL,
      ground,
    };
  }
  if (atLeast(best.rank, LOCAL_REGULATION)) return null;
  if (best.rank === 'department_rule' || best.rank === 'local_government_rule') {
    const departmentRule = best.rank === 'department_rule';
    const ruleGround = departmentRule
      ? since2021 ? GROUND.penaltyDepartmentRule2021 : GROUND.penaltyDepartmentRule1996
      : since2021 ? GROUND.penaltyLocalRule2021 : GROUND.penaltyLocalRule1996;
    const kinds = since2021 ? '警告、通报批评或者一定数额罚款' : '警告或者一定数量罚款';
    const read = quoted !== null ? readPenaltyText(quoted) : null;
    const beyond = [...new Set([...beyondInName(item.name), ...(read?.beyondRules ?? [])])];
    if (beyond.length > 0) {
      return {
        severity: 'error',
        suggestion: 'cancel',
        reason: `规章只能设定${kinds}，${read?.beyondRules.length ? '所引条文规定的' : '该处罚的'}“${beyond.join('、')}”超出规章可设定的种类`,
        suggestionText: CANCEL,
        ground: ruleGround,
      };
    }
    if (read) {
      // The quoted article provides only warnings, 通报批评 or fines: lawful, unless a fine passes its limit.
      const limit = read.maxFine !== null ? fineLimitFor(best.rank, asOf) : null;
      if (!limit || read.maxFine === null || read.maxFine <= limit.limit) return null;
      const special = limit.specialLimit !== null && read.maxFine <= limit.specialLimit;
      return {
        severity: 'warning',
        suggestion: 'review',
        reason:
          `所引条文规定的罚款“${read.fineText}”最高${yuanText(read.maxFine)}，超过部门规章设定罚款的限额${yuanText(limit.limit)}` +
          (special ? `（涉及公民生命健康安全、金融安全且有危害后果的可至${yuanText(limit.specialLimit!)}）` : '') +
          `；依据：${limit.source}`,
        suggestionText: special ? '核对是否属于涉及公民生命健康安全、金融安全且有危害后果的情形，或是否经国务院批准；都不是的，超出限额的部分不得适用' : '核对该罚款限额是否经国务院批准；未经批准的，超出限额的部分不得适用',
        ground: ruleGround,
      };
    }
    return {
      severity: 'info',
      suggestion: 'review',
      reason: `规章只能设定${kinds}；依据未引用条文内容，无法核对所设处罚的种类和罚款数额`,
      suggestionText: '在设定依据中补充引用条文内容后重新检查，或由法制机构人工核对处罚种类和罚款限额',
      ground: ruleGround,
    };
  }
  return {
    severity: 'error',
    suggestion: 'cancel',
    reason: '法律、法规、规章以外的规范性文件不得设定行政处罚',
    suggestionText: CANCEL,
    ground,
  };
}

/* 行政强制法 arts. 10, 13 ----------------------------------------------------------------------- */

/** Enforcement of a decision (行政强制执行): only a law may set it (art. 13). */
const EXECUTION_RE = /强制执行|代履行|加处罚款|加处滞纳金|强制拆除|强制划拨|强制清除/;
/** Measures reserved to law (art. 10): freezing deposits, restricting personal freedom. */
const LAW_ONLY_MEASURE_RE = /冻结|限制人身自由|约束|强制隔离|强制戒毒/;
/** What a local regulation may set (art. 10(3)). */
const SEAL_OR_SEIZE_RE = /查封|扣押/;

function judgeEnforcement(best: RankedBasis, item: CheckedItem): Verdict | null {
  const ground = GROUND.enforcementRanks;
  const isLaw = atLeast(best.rank, rankOrder('law'));
  if (EXECUTION_RE.test(item.name)) {
    if (isLaw) return null;
    return { severity: 'error', suggestion: 'cancel', reason: '行政强制执行只能由法律设定（第十三条）', suggestionText: CANCEL, ground };
  }
  if (isLaw) return null;
  if (atLeast(best.rank, STATE_COUNCIL_DECISION)) {
    if (!LAW_ONLY_MEASURE_RE.test(item.name)) return null;
    return {
      severity: 'error',
      suggestion: 'cancel',
      reason: '冻结存款、汇款和限制公民人身自由的行政强制措施只能由法律设定',
      suggestionText: CANCEL,
      ground,
    };
  }
  if (best.rank === 'local_regulation') {
    if (SEAL_OR_SEIZE_RE.test(item.name) && !LAW_ONLY_MEASURE_RE.test(item.name)) return null;
    return {
      severity: 'warning',
      suggestion: 'review',
      reason: '地方性法规只能设定查封场所、设施或者财物和扣押财物两种行政强制措施',
      suggestionText: '核对该措施是否属于查封、扣押；不属于的，建议取消',
      ground,
    };
  }
  return {
    severity: 'error',
    suggestion: 'cancel',
    reason: '法律、法规以外的其他规范性文件（含规章）不得设定行政强制措施',
    suggestionText: CANCEL,
    ground,
  };
}

/* Seed 000 二(一)2: 法律法规规章和省、市规范性文件 ------------------------------------------------ */

function judgeNonPermit(best: RankedBasis): Verdict | null {
  if (best.rank !== 'normative_document') return null;
  if (best.level === 'national' || best.level === 'provincial' || best.level === 'municipal') return null;
  if (best.level === null) {
    return {
      severity: 'info',
      suggestion: 'review',
      reason: '无法判断该规范性文件的制定层级；只有省、市两级（及以上）的规范性文件可以作为非行政许可审批的依据',
      suggestionText: '核实文件的制定机关；县级及以下文件设定的，建议取消',
      ground: GROUND.nonPermitRanks,
    };
  }
  return {
    severity: 'error',
    suggestion: 'cancel',
    reason: '县级规范性文件不能作为非行政许可审批的依据，须有法律、法规、规章或者省、市规范性文件',
    suggestionText: CANCEL,
    ground: GROUND.nonPermitRanks,
  };
}

function verdictFor(item: CheckedItem, best: RankedBasis, asOf: string): Verdict | null {
  switch (item.category) {
    case 'permit':
      return asOf >= PERMIT_LAW_EFFECTIVE ? judgePermit(best, asOf) : null;
    case 'penalty':
      return judgePenalty(best, item, asOf);
    case 'enforcement':
      return asOf >= ENFORCEMENT_LAW_EFFECTIVE ? judgeEnforcement(best, item) : null;
    case 'non_permit_approval':
      return judgeNonPermit(best);
    default:
      return null;
  }
}

const JUDGED = new Set(['permit', 'penalty', 'enforcement', 'non_permit_approval']);

export const basisRankTooLow: Rule<Code> = {
  code: 'BASIS_RANK_TOO_LOW',
  severity: 'error',
  title: '设定依据位阶不足',
  explanation:
    '取有效设定依据中位阶最高的一项（已废止的和《行政许可法》等通用法律不计），看它能否设定该类事项。' +
    '行政许可：法律、行政法规、国务院决定、地方性法规可以设定；省级政府规章只能设定临时性行政许可，实施满一年需制定地方性法规（警告）；' +
    '部门规章、设区的市和县级政府规章、规范性文件不得设定（错误）。' +
    '行政处罚：规范性文件不得设定（错误）；规章只能设定警告、通报批评和一定数额罚款：按所引条文的内容判断，只规定警告、通报批评、罚款的合法，规定吊销、责令停产停业、责令关闭、没收、暂扣、限制从业、拘留等的为错误，部门规章的罚款超过国务院规定限额的为警告（限额表注明出处和施行日期；地方政府规章的限额由省级人大常委会规定，不在表内），未引用条文内容的提示人工核对；限制人身自由只能由法律设定，吊销营业执照不能由地方性法规设定。' +
    '行政强制：强制执行只能由法律设定；行政法规不得设定冻结和限制人身自由；地方性法规只能设定查封、扣押；规章和规范性文件不得设定（错误）。' +
    '非行政许可审批：须有法律、法规、规章或省、市规范性文件，县级文件不够（错误）。' +
    '位阶以法规库登记为准，部门填写的【法律】【规章】等标签不作数；未登记的依据按标题和文号推断位阶并注明“推断”，推断不出的只生成一项“在法规库登记”任务（见“依据未在法规库登记”）。' +
    '行政征收和其他类别不适用本规则。',
  ground: GROUND.permitRanks,
  suggestion: 'cancel',
  effective: {},
  scope: 'item',
  check(item, ctx): readonly Finding<Code>[] {
    if (!JUDGED.has(item.category)) return NO_FINDINGS;
    const { best, unknown, counted } = weighSettingBases(item);
    if (counted === 0) return NO_FINDINGS;
    const verdict = best ? verdictFor(item, best, ctx.asOf) : null;
    const category = CATEGORIES[item.category];
    if (best && !verdict) return NO_FINDINGS;
    // Bases of a rank nobody can tell: one task, "register this instrument" (UNKNOWN_INSTRUMENT), not a
    // second flag saying the rank cannot be judged.
    if (!best) return NO_FINDINGS;
    if (unknown.length > 0) {
      const known = best
        ? `；已知最高的依据${citationLabel(best.citation)}为${rankLabel(best.rank, best.level, best.citation.instrument.rankInferred)}，${verdict!.reason}`
        : '';
      return [
        findingOf(basisRankTooLow, {
          severity: 'info',
          suggestion: 'review',
          message: `无法判断设定依据${citationList(unknown)}的位阶（法规库未登记，标题和文号也看不出），不能确定其能否设定${category}${known}`,
          suggestionText: '登记该依据的位阶后重新检查，或由法制机构人工判断',
          ground: verdict?.ground ?? basisRankTooLow.ground,
          details: { unknown: unknown.map((c) => c.title) },
        }),
      ];
    }
    if (!best || !verdict) return NO_FINDINGS;
    const { instrument } = best.citation;
    return [
      findingOf(basisRankTooLow, {
        severity: verdict.severity,
        suggestion: verdict.suggestion,
        message: `${category}“${item.name}”位阶最高的设定依据${citationLabel(best.citation)}为${rankLabel(best.rank, best.level, instrument.rankInferred)}；${verdict.reason}`,
        suggestionText: verdict.suggestionText,
        ground: verdict.ground,
        details: {
          instrument: instrument.title,
          instrumentId: instrument.id,
          rank: best.rank,
          level: best.level,
          rankInferred: instrument.rankInferred,
          tag: best.citation.tag,
        },
      }),
    ];
  },
};
