// FEE_WITHOUT_BASIS: a fee needs its own fee basis; a permit may charge only where a law or an
// administrative regulation provides (行政许可法 art. 58).
import { inferRank } from '../../domain/instrument-title.js';
import { RANKS, rankOrder } from '../../domain/vocabulary.js';
import { GROUND } from '../grounds.js';
import { findingOf, NO_FINDINGS, titleOf } from '../basis.js';
import type { CheckContext, NamedRank, Rule } from '../types.js';

/** 《…》 titles in the fee-basis text. */
const TITLE_RE = /[《〈]([^《》〈〉]{2,80})[》〉]/g;
/** Document numbers outside titles: 国务院令第412号, 计价格〔1999〕1707号, 川价费[2006]123号. */
const DOC_NUMBER_RE = /[\u4e00-\u9fa5]{1,12}?(?:令\s*第\s*\d+\s*号|[〔[(（【]\s*\d{4}\s*[〕\])）】]\s*第?\s*\d+\s*号)/g;
const SPACES_RE = /\s+/g;
const BLANK_RE = /^(?:\s|无|暂无|—|-|\/|\\)*$/;
const ADMINISTRATIVE_REGULATION = rankOrder('administrative_regulation');

const CACHE_LIMIT = 20_000;

/** The instruments named in a fee basis with their ranks, remembered in the context for the texts items share. */
function feeInstruments(text: string, ctx: CheckContext): NamedRank[] {
  let memo = ctx.memo.feeBasis;
  if (!memo || memo.lookup !== ctx.instrumentForTitle) memo = ctx.memo.feeBasis = { lookup: ctx.instrumentForTitle, byText: new Map() };
  const parsed = memo.byText;
  const cached = parsed.get(text);
  if (cached) return cached;
  const out: NamedRank[] = [];
  TITLE_RE.lastIndex = 0;
  for (let m = TITLE_RE.exec(text); m; m = TITLE_RE.exec(text)) {
    const title = m[1]!.trim();
    const after = text.slice(TITLE_RE.lastIndex, TITLE_RE.lastIndex + 30);
    DOC_NUMBER_RE.lastIndex = 0;
    const doc = DOC_NUMBER_RE.exec(after);
    const docNumber = doc && doc.index <= 2 ? doc[0] : null;
    const registered = ctx.instrumentForTitle?.(title) ?? null;
    out.push(
      registered
        ? { name: titleOf(title), rank: registered.rank, inferred: registered.rankInferred }
        : { name: titleOf(title), rank: inferRank(title, docNumber), inferred: true },
    );
  }
  const withoutTitles = text.replace(TITLE_RE, ' ');
  DOC_NUMBER_RE.lastIndex = 0;
  for (let m = DOC_NUMBER_RE.exec(withoutTitles); m; m = DOC_NUMBER_RE.exec(withoutTitles)) {
    const number = m[0].replace(SPACES_RE, '');
    out.push({ name: number, rank: inferRank(number, number), inferred: true });
  }
  if (parsed.size >= CACHE_LIMIT) parsed.clear();
  parsed.set(text, out);
  return out;
}

export const feeWithoutBasis: Rule<'FEE_WITHOUT_BASIS'> = {
  code: 'FEE_WITHOUT_BASIS',
  severity: 'error',
  title: '收费无依据',
  explanation:
    '收费的事项必须写明收费依据。行政许可原则上不收费，只有法律、行政法规规定可以收费的才能收取（行政许可法第五十八条）：' +
    '许可事项的收费依据中位阶最高的文件低于行政法规的（如价格、财政部门的收费文件），视为无权收费。' +
    '收费依据按其中《》内的文件名和文号判断位阶；识别不出文件的提示人工核对。',
  ground: GROUND.feeBasis,
  suggestion: 'fix_data',
  effective: {},
  scope: 'item',
  check(item, ctx) {
    if (!item.feeCharged) return NO_FINDINGS;
    const basis = item.feeBasis ?? '';
    if (BLANK_RE.test(basis)) {
      return [
        findingOf(feeWithoutBasis, {
          message: `“${item.name}”收费${item.feeStandard ? `（${item.feeStandard}）` : ''}，但没有填写收费依据`,
          suggestionText: '补充收费依据（文件名称、文号及条款）；没有依据的停止收费',
        }),
      ];
    }
    if (item.category !== 'permit') return NO_FINDINGS;
    const named = feeInstruments(basis, ctx);
    let best: NamedRank | null = null;
    let unknown = 0;
    for (const n of named) {
      if (n.rank === 'unknown') unknown++;
      else if (!best || rankOrder(n.rank) < rankOrder(best.rank)) best = n;
    }
    if (best && rankOrder(best.rank) <= ADMINISTRATIVE_REGULATION) return NO_FINDINGS;
    if (!best || unknown > 0) {
      return [
        findingOf(feeWithoutBasis, {
          severity: 'info',
          suggestion: 'review',
          message: `无法判断行政许可“${item.name}”的收费依据“${basis}”是否为法律或行政法规`,
          suggestionText: '核对收费依据：只有法律、行政法规规定收费的，行政许可才可以收费',
          ground: GROUND.fee,
        }),
      ];
    }
    return [
      findingOf(feeWithoutBasis, {
        message: `行政许可“${item.name}”收费，收费依据中位阶最高的${best.name}为${RANKS[best.rank]}${best.inferred ? '（依标题和文号判断）' : ''}；行政许可只有法律、行政法规规定的才可以收费`,
        suggestionText: '停止收费；确有法律、行政法规规定收费的，补充该依据',
        ground: GROUND.fee,
        details: { feeBasis: basis, rank: best.rank },
      }),
    ];
  },
};
