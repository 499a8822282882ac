// BASIS_AMENDED: a citation of a version that has since been amended should cite the text in force
// (article numbers often move between versions).
import { GROUND } from '../grounds.js';
import { documentNumberKey, documentSeriesOf } from '../../domain/document-number.js';
import { citationLabel, findingOf, NO_FINDINGS, titleOf } from '../basis.js';
import type { CheckedCitation, Rule } from '../types.js';

const yearOf = (date: string | null): number | null => {
  if (!date || date.length < 4) return null;
  const y = Number(date.slice(0, 4));
  return Number.isFinite(y) ? y : null;
};

/**
 * The citation names the text in force by a number of the same series that is not its number: a list
 * citing 《治安管理处罚法》主席令第72号 when the text in force is 主席令第49号 does not cite the text in force,
 * whichever earlier text (or mistyped number) it meant. Numbers of another series (a 国务院令 cited beside a
 * law) say nothing about which version of the law is meant.
 */
function numberNotInForce(c: CheckedCitation): boolean {
  const registered = c.instrument.documentNumber;
  if (!c.documentNumber || !registered || c.instrument.status !== 'in_force') return false;
  const cited = documentNumberKey(c.documentNumber);
  const current = documentNumberKey(registered);
  return cited !== current && documentSeriesOf(cited) === documentSeriesOf(current);
}

/** The citation names a version older than the one the registry holds in force, or an amended one. */
function superseded(c: CheckedCitation): boolean {
  const { instrument } = c;
  if (instrument.id === null || instrument.status === 'repealed') return false;
  if (instrument.status === 'amended') return true;
  if (numberNotInForce(c)) return true;
  if (c.versionYear === null || instrument.status !== 'in_force') return false;
  const current = yearOf(instrument.publishedOn);
  return current !== null && c.versionYear < current;
}

function describe(c: CheckedCitation): string {
  if (c.versionYear === null && numberNotInForce(c)) {
    return `${citationLabel(c, { withNumber: true })}（现行有效文本的文号为${c.instrument.documentNumber}）`;
  }
  const cited = c.versionYear !== null ? `（${c.versionYear}年版本）` : `（${yearOf(c.instrument.publishedOn) ?? '旧'}年版本）`;
  return `${citationLabel(c)}${cited}`;
}

function currentVersion(c: CheckedCitation): string {
  const { instrument } = c;
  if (instrument.status === 'in_force') {
    const y = yearOf(instrument.publishedOn);
    return `${titleOf(instrument.title)}${y !== null ? `（${y}年版本）` : ''}`;
  }
  const next = instrument.replacedBy;
  if (!next) return '';
  const y = yearOf(next.publishedOn ?? null);
  return `${titleOf(next.title)}${y !== null ? `（${y}年版本）` : ''}`;
}

export const basisAmended: Rule<'BASIS_AMENDED'> = {
  code: 'BASIS_AMENDED',
  severity: 'warning',
  title: '引用了已修改的旧版本',
  explanation:
    '依据引用的是已被修改的旧版本（法规库中该版本为“已修改”，引用时注明的年份早于现行有效版本，或注明的文号不是现行有效版本的文号）。' +
    '应改引现行有效版本，并核对条款序号和内容是否变化。设定依据和实施依据都检查；已废止的依据由“设定依据已废止”规则处理。',
  ground: GROUND.amended,
  suggestion: 'fix_data',
  effective: {},
  scope: 'item',
  check(item) {
    let old: CheckedCitation[] | null = null;
    for (const c of item.citations) if (superseded(c)) (old ??= []).push(c);
    if (!old) return NO_FINDINGS;
    const currents = old.map(currentVersion).filter((t) => t !== '');
    return [
      findingOf(basisAmended, {
        message: `引用的${old.map(describe).join('、')}已被修改`,
        suggestionText: currents.length
          ? `改引现行有效版本：${[...new Set(currents)].join('、')}，并核对条款序号`
          : '改引现行有效版本，并核对条款序号',
        details: {
          amended: old.map((c) => ({
            title: c.instrument.title,
            instrumentId: c.instrument.id,
            versionYear: c.versionYear,
            replacedBy: c.instrument.replacedBy,
          })),
        },
      }),
    ];
  },
};
