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
    documentNumber: r.document_number,
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
  private departments: Map<number, { code: string; name: string }> | null = null;

  constructor(private readonly checks: ChecksRepository) {}

  instrument(instrumentId: number | null, title: string, documentNumber: string | null): CheckedInstrument {
    if (instrumentId !== null) {
      let hit = this.instruments.get(instrumentId);
      if (!hit) {
        const row = this.checks.instrumentById(instrumentId);
        // A dangling id (the foreign key forbids it) reads as the unregistered title it was cited by.
        if (!row) return unregistered(title, documentNumber);
        this.instruments.set(instrumentId, (hit = toInstrument(row.id, row.title, row)));
      }
      return hit;
    }
    const key = `${title}\u0000${documentNumber ?? ''}`;
    let hit = this.unregistered.get(key);
    if (!hit) {
      if (this.unregistered.size >= 100_000) this.unregistered.clear();
      this.unregistered.set(key, (hit = unregistered(title, documentNumber)));
    }
    return hit;
  }

  /** The item's department, code and name (read once per run). */
  department(id: number): { code: string; name: string } {
    let hit = (this.departments ??= this.checks.departmentsById()).get(id);
    if (!hit) {
      // A department added during the run.
      this.departments = this.checks.departmentsById();
      hit = this.departments.get(id) ?? { code: '', name: '' };
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
  const [, title, article, documentNumber, role, tag, quotedText, instrumentId] = c;
  return {
    title,
    article,
    documentNumber,
    role,
    tag,
    quotedText,
    versionYear: parts.versionYear(title),
    instrument: parts.instrument(instrumentId, title, documentNumber),
  };
}

/** One item of the working catalogue as the checks see it. */
export function checkedItem(checks: ChecksRepository, code: string): (CheckedItem & { id: number }) | null {
  const row = checks.itemByCode(code);
  if (!row) return null;
  const parts = new CitationParts(checks);
  const id = row[0];
  return toCheckedItem(row, checks.citationsBetween(id, id).map((c) => toCitation(c, parts)), stepsByItem(checks.stepsBetween(id, id)).get(id), parts);
}

/** The checks' findings on one item of the working catalogue, as they are now (item page, item JSON). */
export function findingsOfItem(db: Db, code: string): Finding[] | null {
  const deps = checkDeps(db);
  const item = checkedItem(deps.checks, code);
  return item ? checkItem(item, buildCheckContext(deps, { scope: 'items' })) : null;
}

function toCheckedItem(r: ItemRowForCheck, citations: CheckedCitation[], steps: readonly ProcessStep[] | undefined, parts: CitationParts): CheckedItem & { id: number } {
  const [id, code, name, category, departmentId, serviceObjects, feeCharged, feeStandard, feeBasis, statutoryLimitDays, promisedLimitDays, instant, processText, nameKey] = r;
  const department = parts.department(departmentId);
  return {
    id,
    key: code,
    code,
    name,
    nameKey,
    category,
    departmentCode: department.code,
    departmentName: department.name,
    serviceObjects: parts.serviceObjectsOf(serviceObjects),
    feeCharged: feeCharged === 1,
    feeStandard,
    feeBasis,
    statutoryLimitDays,
    promisedLimitDays,
    instant: instant === 1,
    processText,
    steps: steps ?? cachedProcessSteps(processText),
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
        const id = r[0];
        yield toCheckedItem(r, checks.citationsBetween(id, id).map(cite), stepsByItem(checks.stepsBetween(id, id)).get(id), parts);
      }
    }
    return;
  }
  let departmentId: number | null = null;
  if (options.department) {
    departmentId = checks.departmentIdOf(options.department);
    if (departmentId === null) return;
  }
  let after = 0;
  for (;;) {
    const rows = checks.itemPage(after, departmentId, options.pageSize ?? 5000);
    if (rows.length === 0) return;
    const first = rows[0]![0];
    const last = rows[rows.length - 1]![0];
    const byItem = new Map<number, CheckedCitation[]>();
    for (const c of checks.citationsBetween(first, last)) {
      const list = byItem.get(c[0]);
      if (list) list.push(cite(c));
      else byItem.set(c[0], [cite(c)]);
    }
    const stepsOf = stepsByItem(checks.stepsBetween(first, last));
    for (const r of rows) yield toCheckedItem(r, byItem.get(r[0]) ?? [], stepsOf.get(r[0]), parts);
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
