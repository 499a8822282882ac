// Registry upkeep: the legal office and admins correct an instrument's rank, status, dates and successor.
// Every change re-checks at once the items that cite the instrument, in the same request.
import { isoDate } from '../domain/schemas.js';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { createInstrumentUpkeepRepository, type InstrumentFields } from '../../db/queries/instrument-upkeep.js';
import { INSTRUMENT_STATUS_CODES, RANK_CODES } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { itemsCiting, recheckItems, type StateChange } from '../checks/store.js';
import { checkDeps } from '../checks/context.js';
import { fieldErrors } from '../domain/item-fields.js';
import { inferRank, normalizeInstrumentTitle } from '../domain/instrument-title.js';

const date = z.preprocess(
  (v) => (v === '' || v === undefined ? null : v),
  isoDate().nullable(),
);

export const instrumentUpdateSchema = z.object({
  rank: z.enum(RANK_CODES, { message: '请选择效力位阶' }),
  status: z.enum(INSTRUMENT_STATUS_CODES, { message: '请选择状态' }),
  issuingBody: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().trim().max(100, '制定机关过长').nullable()),
  publishedOn: date,
  effectiveOn: date,
  replacedById: z.preprocess((v) => (v === '' || v === undefined || v === null ? null : v), z.coerce.number().int().positive('现行版本编号无效').nullable()),
});

export function updateInstrument(
  db: Db,
  actor: Actor,
  id: number,
  input: unknown,
  registry = createInstrumentUpkeepRepository(db),
): { changed: StateChange[]; rechecked: number } {
  const parsed = instrumentUpdateSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  const next = parsed.data;
  return withTransaction(db, () => {
    const row = registry.fieldsOf(id);
    if (!row) throw errors.notFound('法律依据');
    if (next.replacedById !== null) {
      if (next.replacedById === id) throw errors.invalid('现行版本不能是它自己。', { replacedById: '现行版本不能是它自己' });
      if (!registry.exists(next.replacedById)) {
        throw errors.invalid(`编号 ${next.replacedById} 的法律依据不存在。`, { replacedById: '找不到该编号的法律依据' });
      }
    }
    const before = { rank: row.rank, status: row.status, issuingBody: row.issuingBody, publishedOn: row.publishedOn, effectiveOn: row.effectiveOn, replacedById: row.replacedById, rankInferred: row.rankInferred };
    registry.update(id, fieldsOf(next), actor.name);
    const deps = checkDeps(db);
    const result = recheckItems(deps, itemsCiting(deps, id), undefined, undefined, 'registry');
    appendAudit(db, actor, {
      action: 'instrument.update',
      entityType: 'legal_instrument',
      entityId: id,
      before,
      after: { ...next, rankInferred: false, itemsChangedState: result.changed.length },
    });
    return { changed: result.changed, rechecked: result.items };
  });
}

const fieldsOf = (next: z.output<typeof instrumentUpdateSchema>): InstrumentFields => ({
  rank: next.rank,
  status: next.status,
  issuingBody: next.issuingBody,
  publishedOn: next.publishedOn,
  effectiveOn: next.effectiveOn,
  replacedById: next.replacedById,
});

export const instrumentCreateSchema = instrumentUpdateSchema.extend({
  title: z
    .string({ message: '请填写标题' })
    .trim()
    .min(2, '请填写标题')
    .max(200, '标题过长')
    .transform((t) => t.replace(/^《|》$/g, '')),
  documentNumber: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().trim().max(60, '文号过长').nullable()),
  region: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().trim().max(60, '地区过长').nullable()),
});

/**
 * Registers an instrument the registry did not know. Citations that named it (same title once
 * normalised) and were kept as unknown are linked to it, and their items re-checked at once:
 * UNKNOWN_INSTRUMENT goes, the rank and status rules now see what the person entered.
 */
export function createInstrument(
  db: Db,
  actor: Actor,
  input: unknown,
  registry = createInstrumentUpkeepRepository(db),
): { id: number; linked: number; changed: StateChange[]; rechecked: number } {
  const parsed = instrumentCreateSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  const next = parsed.data;
  const normalized = normalizeInstrumentTitle(next.title);
  return withTransaction(db, () => {
    const same = registry.sameTitle(next.title, next.publishedOn);
    if (same !== null) throw errors.conflict(`依据库中已有《${next.title}》（编号 ${same}），请直接修改该条。`);
    if (next.replacedById !== null && !registry.exists(next.replacedById)) {
      throw errors.invalid(`编号 ${next.replacedById} 的法律依据不存在。`, { replacedById: '找不到该编号的法律依据' });
    }
    const id = registry.insertManual({ ...fieldsOf(next), title: next.title, normalizedTitle: normalized, region: next.region, documentNumber: next.documentNumber });
    // Unknown citations of the same instrument: compared in the same normalised form citations are matched on.
    const itemIds = new Set<number>();
    let linked = 0;
    for (const c of registry.unknownCitations()) {
      if (normalizeInstrumentTitle(c.title) !== normalized) continue;
      registry.linkCitation(c.id, id);
      itemIds.add(c.itemId);
      linked++;
    }
    const result = itemIds.size > 0 ? recheckItems(checkDeps(db), [...itemIds], undefined, undefined, 'registry') : { changed: [], items: 0 };
    appendAudit(db, actor, {
      action: 'instrument.create',
      entityType: 'legal_instrument',
      entityId: id,
      after: { ...next, citationsLinked: linked, itemsChangedState: result.changed.length },
    });
    return { id, linked, changed: result.changed, rechecked: result.items };
  });
}

export interface UnregisteredInstrument {
  title: string;
  documentNumber: string | null;
  citations: number;
  items: number;
  inferredRank: string;
}

/** Titles cited but not in the registry, most cited first: what the legal office should register. */
export function unregisteredInstruments(db: Db, limit = 50): { total: number; instruments: UnregisteredInstrument[] } {
  const groups = new Map<string, { title: string; documentNumber: string | null; citations: number; items: Set<number> }>();
  for (const r of createInstrumentUpkeepRepository(db).unknownCitationsOfActiveItems()) {
    const key = normalizeInstrumentTitle(r.title);
    const g = groups.get(key) ?? { title: r.title.replace(/^《|》$/g, ''), documentNumber: null, citations: 0, items: new Set<number>() };
    g.citations++;
    g.items.add(r.itemId);
    g.documentNumber ??= r.documentNumber;
    groups.set(key, g);
  }
  const all = [...groups.values()].sort((a, b) => b.items.size - a.items.size || a.title.localeCompare(b.title, 'zh'));
  return {
    total: all.length,
    instruments: all.slice(0, limit).map((g) => ({
      title: g.title,
      documentNumber: g.documentNumber,
      citations: g.citations,
      items: g.items.size,
      inferredRank: inferRank(g.title, g.documentNumber),
    })),
  };
}
