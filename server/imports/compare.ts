// Comparing what a row proposes with the item in the catalogue, field by field: the one place that
// says which fields changed and what counts as the same value. Pure.
import { ITEM_FIELD_LABELS, type ItemFields } from '../domain/item-fields.js';
import { normaliseArticle } from '../../imports/legal-basis.js';

export type { Proposal, ProposedCitation } from '../domain/proposal.js';
import { LEAVING_DISPOSITIONS } from '../domain/proposal.js';

/** Dispositions a department's 处理意见 proposes for an existing item even when no field changes. */
const PROPOSING_DISPOSITIONS: readonly string[] = [...LEAVING_DISPOSITIONS, 'change_mode'];

/** What a row matched to an item proposes: a change when a field differs or its 处理意见 asks for one. */
export const matchedKind = (changes: readonly unknown[], disposition: string | null | undefined): 'changed' | 'unchanged' =>
  changes.length > 0 || (!!disposition && PROPOSING_DISPOSITIONS.includes(disposition)) ? 'changed' : 'unchanged';
import type { Proposal } from '../domain/proposal.js';

export interface CurrentItem {
  fields: ItemFields;
  mainItemName: string | null;
  citations: { title: string; article: string | null; role: string }[];
  /** The 前置事项 as written; needed only when the sheet has the column. */
  prerequisites?: string[];
}

export interface FieldChange {
  field: string;
  label: string;
  before: unknown;
  after: unknown;
}

// Written forms that mean the same citation compare equal: 第（四）项 = 第四项 = 第4项.
const citationKey = (c: { title: string; article: string | null; role: string }) =>
  `${c.role}|${nfkc(c.title).replace(/[《》〈〉\s]/g, '')}|${normaliseArticle(nfkc(c.article ?? '').replace(/\s/g, ''))}`;
export const citationsText = (list: { title: string; article: string | null; role: string }[]) =>
  list.map((c) => `${c.role === 'implementing' ? '［实施］' : ''}《${c.title.replace(/^《|》$/g, '')}》${c.article ?? ''}`).join('；');

// Full-width and half-width forms say the same (８ = 8, （ = (): the reader stores text in NFKC form, so a
// value the catalogue holds in full width is not changed by a file that writes it back unchanged.
const nfkc = (s: string) => s.normalize('NFKC');
const same = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' ? nfkc(a) === nfkc(b) : JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameWritten = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The item fields (and citations, 前置事项) a sheet carries: a column it does not have is never compared. */
export type PresentField = keyof ItemFields | 'citations' | 'implementingCitations' | 'prerequisites';

/**
 * What counts as the same value. `meaning`, for the preview, the counts and the reviewer: values that
 * say the same are equal (服务对象 in any order, 即办 days 0 or empty, 第（四）项 = 第四项, citations and
 * 前置事项 in any order). `written`, for applying a proposal: any difference in how a value is written
 * is a change, so the catalogue then reads as the proposal wrote it.
 */
export type Sameness = 'meaning' | 'written';

// 前置事项 compare as sets of what was written, spaces aside.
const prerequisiteKeys = (list: string[]) => [...new Set(list.map((p) => nfkc(p).replace(/\s+/g, '')).filter(Boolean))].sort();
const writtenCitation = (c: { title: string; article: string | null; role: string }) => ({ title: c.title, article: c.article, role: c.role });

/**
 * What would change. A column the sheet does not have is not compared (a sheet without 申请材料 does not
 * erase the catalogue's materials): `present` lists the item fields the sheet carries.
 */
export function compareItem(current: CurrentItem, proposal: Proposal, present: ReadonlySet<PresentField>, sameness: Sameness = 'meaning'): FieldChange[] {
  const changes: FieldChange[] = [];
  const byMeaning = sameness === 'meaning';
  const bothInstant = byMeaning && current.fields.instant && proposal.fields.instant;
  for (const key of Object.keys(ITEM_FIELD_LABELS) as (keyof ItemFields)[]) {
    if (!present.has(key)) continue;
    let before = current.fields[key];
    let after = proposal.fields[key];
    // "即办" is written for an instant item whether its days were stored as 0 or left empty.
    if (bothInstant && (key === 'promisedLimitDays' || key === 'statutoryLimitDays')) {
      before ??= 0;
      after ??= 0;
    }
    const equal = !byMeaning ? sameWritten(before, after) : key === 'serviceObjects' ? same([...(before as string[])].sort(), [...(after as string[])].sort()) : same(before, after);
    if (!equal) {
      changes.push({ field: key, label: ITEM_FIELD_LABELS[key], before, after });
    }
  }
  if (present.has('citations')) {
    // Without an implementing-basis column the sheet says nothing about implementing citations.
    const compared = present.has('implementingCitations') ? current.citations : current.citations.filter((c) => c.role === 'setting');
    const equal = byMeaning
      ? same(compared.map(citationKey).sort(), proposal.citations.map(citationKey).sort())
      : sameWritten(compared.map(writtenCitation), proposal.citations.map(writtenCitation));
    if (!equal) changes.push({ field: 'citations', label: '设定依据', before: citationsText(compared), after: citationsText(proposal.citations) });
  }
  if (present.has('prerequisites')) {
    const before = current.prerequisites ?? [];
    const after = proposal.prerequisites ?? [];
    if (byMeaning ? !same(prerequisiteKeys(before), prerequisiteKeys(after)) : !sameWritten(before, after)) changes.push({ field: 'prerequisites', label: '前置事项', before: before.join('；'), after: after.join('；') });
  }
  return changes;
}
