// The one comparison of a proposal with its catalogue item: which fields changed, and what counts as
// the same value (by meaning for the preview and the reviewer; as written for applying a proposal).
import { describe, it, expect } from 'vitest';
import { compareItem, type CurrentItem, type PresentField, type Proposal, type ProposedCitation } from '../../../../server/imports/compare.js';
import type { ItemFields } from '../../../../server/domain/item-fields.js';

const FIELDS: ItemFields = {
  name: '食品经营许可',
  category: 'permit',
  level: null,
  serviceObjects: ['citizens', 'enterprises'],
  statutoryLimitDays: 20,
  promisedLimitDays: 10,
  instant: false,
  feeCharged: false,
  feeStandard: null,
  feeBasis: null,
  conditions: null,
  materials: '申请书',
  processText: null,
  contactPhone: null,
  supervisionPhone: null,
  remarks: null,
  servicePlace: null,
  serviceHours: null,
  onSiteVisits: null,
  onlineDepth: null,
  resultName: null,
};

const cite = (title: string, article: string | null, role: 'setting' | 'implementing' = 'setting'): ProposedCitation => ({
  title,
  article,
  role,
  documentNumber: null,
  tag: null,
  quotedText: null,
  instrumentId: null,
});

const current = (over: Partial<CurrentItem> = {}): CurrentItem => ({ fields: FIELDS, mainItemName: null, citations: [], prerequisites: [], ...over });
const proposal = (over: Partial<Omit<Proposal, 'fields'>> & { fields?: Partial<ItemFields> } = {}): Proposal => ({
  code: null,
  mainItemName: null,
  citations: [],
  prerequisites: [],
  disposition: null,
  ...over,
  fields: { ...FIELDS, ...over.fields },
});
const present = (...fields: PresentField[]) => new Set<PresentField>(['name', 'category', ...fields]);
const changedFields = (...args: Parameters<typeof compareItem>) => compareItem(...args).map((c) => c.field);

describe('comparing a proposal with the catalogue item', () => {
  it('a changed field is reported with its Chinese label, the value before and the value after', () => {
    expect(compareItem(current(), proposal({ fields: { name: '食品经营许可（改）' } }), present())).toEqual([
      { field: 'name', label: '事项名称', before: '食品经营许可', after: '食品经营许可（改）' },
    ]);
  });

  it('a column the sheet does not have is not compared: its absence erases nothing', () => {
    const withoutMaterials = proposal({ fields: { materials: null } });
    expect(changedFields(current(), withoutMaterials, present())).toEqual([]);
    expect(changedFields(current(), withoutMaterials, present('materials'))).toEqual(['materials']);
  });

  it('服务对象 in another order mean the same, but are written differently', () => {
    const reordered = proposal({ fields: { serviceObjects: ['enterprises', 'citizens'] } });
    expect(changedFields(current(), reordered, present('serviceObjects'))).toEqual([]);
    expect(changedFields(current(), reordered, present('serviceObjects'), 'written')).toEqual(['serviceObjects']);
  });

  it('an instant item’s days mean the same stored as 0 or left empty; a time-limited item’s do not', () => {
    const instant = current({ fields: { ...FIELDS, instant: true, statutoryLimitDays: 0, promisedLimitDays: null } });
    const empty = proposal({ fields: { instant: true, statutoryLimitDays: null, promisedLimitDays: 0 } });
    const days = present('statutoryLimitDays', 'promisedLimitDays', 'instant');
    expect(changedFields(instant, empty, days)).toEqual([]);
    expect(changedFields(instant, empty, days, 'written')).toEqual(['statutoryLimitDays', 'promisedLimitDays']);
    const timed = current({ fields: { ...FIELDS, statutoryLimitDays: 0 } });
    expect(changedFields(timed, proposal({ fields: { statutoryLimitDays: null } }), days)).toEqual(['statutoryLimitDays']);
  });

  it('an empty value and a missing one mean the same', () => {
    const missing = proposal();
    delete (missing.fields as Partial<ItemFields>).remarks;
    expect(changedFields(current(), missing, present('remarks'))).toEqual([]);
    expect(changedFields(current(), missing, present('remarks'), 'written')).toEqual(['remarks']);
  });

  it('citations written differently mean the same: 第（四）项 = 第四项, book-title marks and spaces aside, in any order', () => {
    const before = current({ citations: [cite('中华人民共和国食品安全法', '第三十五条第（四）项'), cite('食品经营许可管理办法', '第二条')] });
    const after = proposal({ citations: [cite('《食品经营许可管理办法》', '第二条'), cite('中华人民共和国 食品安全法', '第三十五条第四项')] });
    expect(changedFields(before, after, present('citations'))).toEqual([]);
    expect(changedFields(before, after, present('citations'), 'written')).toEqual(['citations']);
  });

  it('citations are reported as text, implementing ones marked', () => {
    const before = current({ citations: [cite('食品安全法', '第三十五条'), cite('实施条例', '第五条', 'implementing')] });
    const after = proposal({ citations: [cite('食品安全法', '第三十六条')] });
    expect(compareItem(before, after, present('citations', 'implementingCitations'))).toEqual([
      { field: 'citations', label: '设定依据', before: '《食品安全法》第三十五条；［实施］《实施条例》第五条', after: '《食品安全法》第三十六条' },
    ]);
  });

  it('an implementing citation is compared only when the sheet has the 实施依据 column', () => {
    const before = current({ citations: [cite('食品安全法', '第三十五条'), cite('实施条例', '第五条', 'implementing')] });
    const settingOnly = proposal({ citations: [cite('食品安全法', '第三十五条')] });
    expect(changedFields(before, settingOnly, present('citations'))).toEqual([]);
    expect(changedFields(before, settingOnly, present('citations'), 'written')).toEqual([]);
    expect(changedFields(before, settingOnly, present('citations', 'implementingCitations'))).toEqual(['citations']);
  });

  it('citations are not compared when the sheet has no basis column', () => {
    expect(changedFields(current({ citations: [cite('食品安全法', '第三十五条')] }), proposal(), present())).toEqual([]);
  });

  it('前置事项 are compared only when the sheet has the column, as a set of what was written, spaces aside', () => {
    const before = current({ prerequisites: ['营业执照核发', '卫生 许可'] });
    const same = proposal({ prerequisites: ['卫生许可', '营业执照核发', '卫生许可'] });
    expect(changedFields(before, same, present('prerequisites'))).toEqual([]);
    expect(changedFields(before, proposal({ prerequisites: ['营业执照核发'] }), present())).toEqual([]);
    expect(compareItem(before, proposal({ prerequisites: ['营业执照核发'] }), present('prerequisites'))).toEqual([
      { field: 'prerequisites', label: '前置事项', before: '营业执照核发；卫生 许可', after: '营业执照核发' },
    ]);
  });
});
