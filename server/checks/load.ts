// Building the checks' input from the database: items with their citations resolved against the
// registry (unregistered instruments get an inferred rank), in keyset pages so a million items stream.
import type { Db } from '../../db/client.js';
import type { CitationRowForCheck, ChecksRepository, InstrumentRowForCheck, ItemRowForCheck, StepRow } from '../../db/queries/checks.js';
import { cachedProcessSteps, type ProcessStep } from '../domain/process-steps.js';
import { inferRank, versionYearOf } from '../domain/instrument-title.js';
import type { ServiceObject } from '../domain/vocabulary.js';
import { buildCheckContext, checkDeps } from './context.js';
import { checkItem } from './engine.js';
import type { Finding, CheckedCitation, CheckedInstrument, CheckedItem } from './types.js';

function stepsByItem(rows: StepRow[]): Map<number, ProcessStep[]> {
  const byItem = new Map<number, ProcessStep[]>();
  for (const r of rows) {
    const steps = (JSON.parse(r.steps) as [string, string | null, number | null][]).map(([name, post, limitDays]) => ({ name, post, limitDays }));
    byItem.set(r.item_id, steps);
  }
  return byItem;
}

function toInstrument(id: number, title: string, r: InstrumentRowForCheck): CheckedInstrument {
  return {
    id,
    title,
    rank: r.rank!,
    rankInferred: r.rank_inferred === 1,
    status: r.status!,
    effectiveOn: r.effective_on,
    publishedOn: r.published_on,
    replacedBy: r.replaced_by_id ? { id: r.replaced_by_id, title: r.replaced_title!, publishedOn: r.replaced_published } : null,
    region: r.region,
    issuingBody: r.issuing_body,
  };
}

/** An instrument the registry does not hold: its rank guessed from the title and document number. */
function unregistered(title: string, documentNumber: string | null): CheckedInstrument {
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

/**
 * What many citations share, made once per run: a catalogue cites a few thousand instruments a million
 * times (npm run bench:check). The instruments and cited years are read, never changed, by the rules.
 */
class CitationParts {
  private readonly instruments = new Map<number, CheckedInstrument>();
  private readonly unregistered = new Map<string, CheckedInstrument>();
  private readonly years = new Map<string, number | null>();
  private readonly serviceObjects = new Map<string, ServiceObject[]>();

  constructor(private readonly checks: ChecksRepository) {}

  instrument(c: CitationRowForCheck): CheckedInstrument {
    if (c.instrument_id !== null) {
      let hit = this.instruments.get(c.instrument_id);
      if (!hit) {
        const row = this.checks.instrumentById(c.instrument_id);
        // A dangling id (the foreign key forbids it) reads as the unregistered title it was cited by.
        if (!row) return unregistered(c.title, c.document_number);
        this.instruments.set(c.instrument_id, (hit = toInstrument(row.id, row.title, row)));
      }
      return hit;
    }
    const key = `${c.title}\u0000${c.document_number ?? ''}`;
    let hit = this.unregistered.get(key);
    if (!hit) {
      if (this.unregistered.size >= 100_000) this.unregistered.clear();
      this.unregistered.set(key, (hit = unregistered(c.title, c.document_number)));
    }
    return hit;
  }

  versionYear(title: string): number | null {
    let hit = this.years.get(title);
    if (hit === undefined) {
      if (this.years.size >= 100_000) this.years.clear();
      this.years.set(title, (hit = versionYearOf(title)));
    }
    return hit;
  }

  /** A fresh array each time: an item's list may be changed by whoever holds it. */
  serviceObjectsOf(json: string): ServiceObject[] {
    let hit = this.serviceObjects.get(json);
    if (!hit) {
      if (this.serviceObjects.size >= 1_000) this.serviceObjects.clear();
      this.serviceObjects.set(json, (hit = JSON.parse(json) as ServiceObject[]));
    }
    return hit.slice();
  }
}

function toCitation(c: CitationRowForCheck, parts: CitationParts): CheckedCitation {
  return {
    title: c.title,
    article: c.article,
    documentNumber: c.document_number,
    role: c.role,
    tag: c.tag,
    quotedText: c.quoted_text,
    versionYear: parts.versionYear(c.title),
    instrument: parts.instrument(c),
  };
}

/** One item of the working catalogue as the checks see it. */
export function checkedItem(checks: ChecksRepository, code: string): (CheckedItem & { id: number }) | null {
  const row = checks.itemByCode(code);
  if (!row) return null;
  const parts = new CitationParts(checks);
  return toCheckedItem(row, checks.citationsBetween(row.id, row.id).map((c) => toCitation(c, parts)), stepsByItem(checks.stepsBetween(row.id, row.id)).get(row.id));
}

/** The checks' findings on one item of the working catalogue, as they are now (item page, item JSON). */
export function findingsOfItem(db: Db, code: string): Finding[] | null {
  const deps = checkDeps(db);
  const item = checkedItem(deps.checks, code);
  return item ? checkItem(item, buildCheckContext(deps, { scope: 'items' })) : null;
}

function toCheckedItem(r: ItemRowForCheck, citations: CheckedCitation[], steps: readonly ProcessStep[] | undefined, parts?: CitationParts): CheckedItem & { id: number } {
  return {
    id: r.id,
    key: r.code,
    code: r.code,
    name: r.name,
    category: r.category,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    serviceObjects: parts ? parts.serviceObjectsOf(r.service_objects) : (JSON.parse(r.service_objects) as ServiceObject[]),
    feeCharged: r.fee_charged === 1,
    feeStandard: r.fee_standard,
    feeBasis: r.fee_basis,
    statutoryLimitDays: r.statutory_limit_days,
    promisedLimitDays: r.promised_limit_days,
    instant: r.instant === 1,
    processText: r.process_text,
    steps: steps ?? cachedProcessSteps(r.process_text),
    citations,
    isNew: false,
    previousName: null,
  };
}

/** The working catalogue's items as the checks see them, a page at a time. */
export function* checkedItems(
  checks: ChecksRepository,
  options: { department?: string | null; pageSize?: number; ids?: number[] | null } = {},
): Generator<CheckedItem & { id: number }> {
  const parts = new CitationParts(checks);
  const cite = (c: CitationRowForCheck) => toCitation(c, parts);
  if (options.ids) {
    // A chosen set (a re-check after a registry change): in chunks of ids.
    const ids = [...options.ids].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of checks.itemsByIds(ids.slice(i, i + 500))) {
        yield toCheckedItem(r, checks.citationsBetween(r.id, r.id).map(cite), stepsByItem(checks.stepsBetween(r.id, r.id)).get(r.id), parts);
      }
    }
    return;
  }
  let after = 0;
  for (;;) {
    const rows = checks.itemPage(after, options.department ?? null, options.pageSize ?? 5000);
    if (rows.length === 0) return;
    const first = rows[0]!.id;
    const last = rows[rows.length - 1]!.id;
    const byItem = new Map<number, CheckedCitation[]>();
    for (const c of checks.citationsBetween(first, last)) {
      const list = byItem.get(c.item_id);
      if (list) list.push(cite(c));
      else byItem.set(c.item_id, [cite(c)]);
    }
    const stepsOf = stepsByItem(checks.stepsBetween(first, last));
    for (const r of rows) yield toCheckedItem(r, byItem.get(r.id) ?? [], stepsOf.get(r.id), parts);
    after = last;
  }
}

/** The registry as the checks see it, by instrument id: for checking proposals that are not yet items. */
export function registryForChecks(checks: ChecksRepository): Map<number, CheckedInstrument> {
  return new Map(checks.registeredInstruments().map((r) => [r.id, toInstrument(r.id, r.title, r)]));
}

/** A citation of a proposal (an import row) resolved against the registry map. */
export function proposedCitation(
  registry: Map<number, CheckedInstrument>,
  c: { title: string; article: string | null; documentNumber: string | null; role: 'setting' | 'implementing'; tag: string | null; instrumentId: number | null; quotedText?: string | null },
): CheckedCitation {
  const known = c.instrumentId !== null ? registry.get(c.instrumentId) : undefined;
  return {
    title: c.title,
    article: c.article,
    documentNumber: c.documentNumber,
    quotedText: c.quotedText ?? null,
    role: c.role,
    tag: c.tag,
    versionYear: versionYearOf(c.title),
    instrument: known ?? unregistered(c.title, c.documentNumber),
  };
}
