// The real instrument registry (data/registry/*.csv) as the checks see it, and catalogue rows turned
// into CheckedItems the way the import does: split the basis text, match each citation, infer the
// rank of what the registry does not know.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvObjects } from '../../../db/seed/csv.js';
import {
  buildRegistryIndex,
  matchCitation,
  splitCitations,
  type RegistryIndex,
  type RegistryInstrument,
} from '../../../imports/legal-basis.js';
import { inferRank, normalizeInstrumentTitle, versionYearOf } from '../../../server/domain/instrument-title.js';
import type { InstrumentStatus, Rank } from '../../../server/domain/vocabulary.js';
import type { CheckedCitation, CheckedInstrument, CheckedItem } from '../../../server/checks/types.js';
import type { RealRow } from '../../fixtures/checks/real-rows.js';

const REGISTRY = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'data', 'registry');
const NATIONAL_RANKS: Record<string, Rank> = { 宪法: 'constitution', 法律: 'law', 行政法规: 'administrative_regulation' };

export interface Registry {
  index: RegistryIndex;
  byId: Map<number, CheckedInstrument>;
  /** The registered instrument a title means, or null. */
  instrumentForTitle: (title: string) => CheckedInstrument | null;
}

export function loadRealRegistry(): Registry {
  const rows: (RegistryInstrument & { instrument: CheckedInstrument; source: string })[] = [];
  const push = (source: string, title: string, rank: Rank, status: InstrumentStatus, fields: Partial<CheckedInstrument>) => {
    const id = rows.length + 1;
    const instrument: CheckedInstrument = {
      id,
      title,
      rank,
      rankInferred: false,
      status,
      effectiveOn: null,
      publishedOn: null,
      replacedBy: null,
      region: null,
      issuingBody: null,
      ...fields,
    };
    rows.push({ id, title, normalizedTitle: normalizeInstrumentTitle(title), status, publishedOn: instrument.publishedOn, instrument, source });
  };
  for (const r of readCsvObjects(join(REGISTRY, 'national-laws.csv'))) {
    push('national', r.title!.trim(), NATIONAL_RANKS[r.rank!.trim()]!, r.status!.trim() as InstrumentStatus, {
      issuingBody: r.issuing_body || null,
      publishedOn: r.published || null,
      effectiveOn: r.effective || null,
    });
  }
  for (const r of readCsvObjects(join(REGISTRY, 'local-regulations.csv'))) {
    push('local', r.title!.trim(), 'local_regulation', r.superseded?.trim() === '1' ? 'amended' : 'in_force', {
      region: r.region || null,
      publishedOn: r.published || null,
      effectiveOn: r.effective || null,
    });
  }
  // An amended version points at the later version of the same text in force (as db/seed/registry.ts does).
  for (const old of rows) {
    if (old.status !== 'amended') continue;
    const current = rows
      .filter((c) => c.normalizedTitle === old.normalizedTitle && c.source === old.source && c.status === 'in_force' && c.id !== old.id)
      .filter((c) => old.publishedOn === null || (c.publishedOn ?? '') > old.publishedOn)
      .sort((a, b) => (b.publishedOn ?? '').localeCompare(a.publishedOn ?? ''))[0];
    if (current) old.instrument.replacedBy = { id: current.id, title: current.title, publishedOn: current.publishedOn };
  }
  const index = buildRegistryIndex(rows);
  const byId = new Map(rows.map((r) => [r.id, r.instrument]));
  const instrumentForTitle = (title: string) => {
    const m = matchCitation(index, { title });
    return m.instrumentId === null ? null : byId.get(m.instrumentId)!;
  };
  return { index, byId, instrumentForTitle };
}

function citationsOf(text: string | undefined, role: CheckedCitation['role'], registry: Registry): CheckedCitation[] {
  if (!text) return [];
  return splitCitations(text).map((p) => {
    const match = matchCitation(registry.index, p);
    const instrument: CheckedInstrument =
      match.instrumentId !== null
        ? registry.byId.get(match.instrumentId)!
        : {
            id: null,
            title: p.title,
            rank: inferRank(p.title, p.documentNumber),
            rankInferred: true,
            status: 'unknown',
            effectiveOn: null,
            publishedOn: null,
            replacedBy: null,
            region: null,
            issuingBody: null,
          };
    return {
      title: p.title,
      article: p.article,
      documentNumber: p.documentNumber,
      role,
      tag: p.tag,
      instrument,
      versionYear: versionYearOf(p.title),
      quotedText: p.quotedText,
    };
  });
}

export function itemFromRow(row: RealRow, registry: Registry): CheckedItem {
  return {
    key: row.id,
    code: null,
    name: row.name,
    category: row.category,
    departmentCode: row.department,
    departmentName: row.department,
    serviceObjects: row.serviceObjects ?? ['citizens', 'enterprises'],
    feeCharged: row.feeCharged ?? false,
    feeStandard: row.feeStandard ?? null,
    feeBasis: row.feeBasis ?? null,
    statutoryLimitDays: row.statutoryLimitDays ?? null,
    promisedLimitDays: row.promisedLimitDays ?? null,
    instant: false,
    processText: null,
    citations: [...citationsOf(row.setting, 'setting', registry), ...citationsOf(row.implementing, 'implementing', registry)],
    isNew: false,
    previousName: null,
  };
}
