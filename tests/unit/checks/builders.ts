// Small builders for checked items, citations and instruments: the rule tests say only what matters.
import { inferRank } from '../../../server/domain/instrument-title.js';
import type { Category, InstrumentStatus, Rank } from '../../../server/domain/vocabulary.js';
import { createCheckContext } from '../../../server/checks/context.js';
import type { CheckContext, CheckedCitation, CheckedInstrument, CheckedItem } from '../../../server/checks/types.js';

let nextId = 1;

/** A registered instrument (in force unless told). */
export function registered(title: string, rank: Rank, fields: Partial<CheckedInstrument> = {}): CheckedInstrument {
  return {
    id: nextId++,
    title,
    rank,
    rankInferred: false,
    status: 'in_force' as InstrumentStatus,
    effectiveOn: null,
    publishedOn: null,
    replacedBy: null,
    region: null,
    issuingBody: null,
    ...fields,
  };
}

/** An instrument the registry does not know: rank inferred from title and number, status unknown. */
export function unregistered(title: string, documentNumber: string | null = null): CheckedInstrument {
  return {
    id: null,
    title,
    rank: inferRank(title, documentNumber),
    rankInferred: true,
    status: 'unknown',
    effectiveOn: null,
    publishedOn: null,
    replacedBy: null,
    region: null,
    issuingBody: null,
  };
}

export const law = (title: string, fields: Partial<CheckedInstrument> = {}) => registered(title, 'law', fields);
export const regulation = (title: string, fields: Partial<CheckedInstrument> = {}) =>
  registered(title, 'administrative_regulation', fields);

/** A setting citation of the instrument (implementing with role). */
export function cite(instrument: CheckedInstrument, fields: Partial<CheckedCitation> = {}): CheckedCitation {
  return {
    title: instrument.title,
    article: null,
    documentNumber: null,
    role: 'setting',
    tag: null,
    instrument,
    versionYear: null,
    ...fields,
  };
}

/** An unregistered instrument cited with its document number. */
export function citeUnregistered(title: string, documentNumber: string | null, fields: Partial<CheckedCitation> = {}) {
  return cite(unregistered(title, documentNumber), { documentNumber, ...fields });
}

let nextKey = 1;
export function item(fields: Partial<CheckedItem> & { category?: Category } = {}): CheckedItem {
  const key = fields.key ?? `row-${nextKey++}`;
  return {
    key,
    code: null,
    name: '测试事项',
    category: 'permit',
    departmentCode: 'D01',
    departmentName: '区住建局',
    serviceObjects: ['citizens', 'enterprises'],
    feeCharged: false,
    feeStandard: null,
    feeBasis: null,
    statutoryLimitDays: null,
    promisedLimitDays: null,
    instant: false,
    processText: null,
    citations: [],
    isNew: false,
    previousName: null,
    ...fields,
  };
}

export const context = (asOf = '2024-06-30', lookups: Partial<Omit<CheckContext, 'asOf'>> = {}): CheckContext =>
  createCheckContext(asOf, lookups);
