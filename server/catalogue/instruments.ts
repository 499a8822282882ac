// Registry upkeep: the legal office and admins correct an instrument's rank, status, dates and successor.
// Every change re-checks at once the items that cite the instrument, in the same request.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { INSTRUMENT_STATUS_CODES, RANK_CODES } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { itemsCiting, recheckItems, type StateChange } from '../checks/store.js';
import { checkDeps } from '../checks/context.js';
import { fieldErrors } from './item-fields.js';
import { inferRank, normalizeInstrumentTitle } from '../domain/instrument-title.js';

const date = z.preprocess(
  (v) => (v === '' || v === undefined ? null : v),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 2024-01-31').nullable(),
);

export const instrumentUpdateSchema = z.object({
  rank: z.enum(RANK_CODES, { message: '请选择效力位阶' }),
  status: z.enum(INSTRUMENT_STATUS_CODES, { message: '请选择状态' }),
  issuingBody: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().trim().max(100, '制定机关过长').nullable()),
  publishedOn: date,
  effectiveOn: date,
  replacedById: z.preprocess((v) => (v === '' || v === undefined || v === null ? null : v), z.coerce.number().int().positive('现行版本编号无效').nullable()),
});

export function updateInstrument(db: Db, actor: Actor, id: number, input: unknown): { changed: StateChange[]; rechecked: number } {
  const parsed = instrumentUpdateSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  const next = parsed.data;
  return withTransaction(db, () => {
    const sqlite = db.$client;
    const row = sqlite.prepare('SELECT id, title, rank, rank_inferred, status, issuing_body, published_on, effective_on, replaced_by_id FROM legal_instruments WHERE id = ?').get(id) as
      | { id: number; title: string; rank: string; rank_inferred: number; status: string; issuing_body: string | null; published_on: string | null; effective_on: string | null; replaced_by_id: number | null }
      | undefined;
    if (!row) throw errors.notFound('法律依据');
    if (next.replacedById !== null) {
      if (next.replacedById === id) throw errors.invalid('现行版本不能是它自己。', { replacedById: '现行版本不能是它自己' });
      if (!sqlite.prepare('SELECT 1 FROM legal_instruments WHERE id = ?').get(next.replacedById)) {
        throw errors.invalid(`编号 ${next.replacedById} 的法律依据不存在。`, { replacedById: '找不到该编号的法律依据' });
      }
    }
    const before = { rank: row.rank, status: row.status, issuingBody: row.issuing_body, publishedOn: row.published_on, effectiveOn: row.effective_on, replacedById: row.replaced_by_id, rankInferred: row.rank_inferred === 1 };
    sqlite
      .prepare(
        `UPDATE legal_instruments SET rank = @rank, rank_inferred = 0, status = @status, issuing_body = @issuingBody, published_on = @publishedOn,
                effective_on = @effectiveOn, replaced_by_id = @replacedById, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = @id`,
      )
      .run({ ...next, id });
    const deps = checkDeps(db);
    const result = recheckItems(deps, itemsCiting(deps, id));
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
export function createInstrument(db: Db, actor: Actor, input: unknown): { id: number; linked: number; changed: StateChange[]; rechecked: number } {
  const parsed = instrumentCreateSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  const next = parsed.data;
  const normalized = normalizeInstrumentTitle(next.title);
  return withTransaction(db, () => {
    const sqlite = db.$client;
    const same = sqlite.prepare('SELECT id FROM legal_instruments WHERE title = ? AND coalesce(published_on, \'\') = coalesce(?, \'\')').get(next.title, next.publishedOn) as
      | { id: number }
      | undefined;
    if (same) throw errors.conflict(`依据库中已有《${next.title}》（编号 ${same.id}），请直接修改该条。`);
    if (next.replacedById !== null && !sqlite.prepare('SELECT 1 FROM legal_instruments WHERE id = ?').get(next.replacedById)) {
      throw errors.invalid(`编号 ${next.replacedById} 的法律依据不存在。`, { replacedById: '找不到该编号的法律依据' });
    }
    const id = Number(
      sqlite
        .prepare(
          `INSERT INTO legal_instruments (title, normalized_title, rank, rank_inferred, issuing_body, region, document_number, published_on, effective_on, status, replaced_by_id, source)
           VALUES (@title, @normalized, @rank, 0, @issuingBody, @region, @documentNumber, @publishedOn, @effectiveOn, @status, @replacedById, 'manual')`,
        )
        .run({ ...next, normalized }).lastInsertRowid,
    );
    // Unknown citations of the same instrument: compared in the same normalised form citations are matched on.
    const link = sqlite.prepare('UPDATE citations SET instrument_id = ? WHERE id = ?');
    const itemIds = new Set<number>();
    let linked = 0;
    for (const c of sqlite.prepare('SELECT id, item_id, title FROM citations WHERE instrument_id IS NULL').all() as { id: number; item_id: number; title: string }[]) {
      if (normalizeInstrumentTitle(c.title) !== normalized) continue;
      link.run(id, c.id);
      itemIds.add(c.item_id);
      linked++;
    }
    const result = itemIds.size > 0 ? recheckItems(checkDeps(db), [...itemIds]) : { changed: [], items: 0 };
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
  const rows = db.$client
    .prepare('SELECT c.item_id, c.title, c.document_number FROM citations c JOIN items i ON i.id = c.item_id WHERE c.instrument_id IS NULL AND i.removed_at IS NULL')
    .all() as { item_id: number; title: string; document_number: string | null }[];
  for (const r of rows) {
    const key = normalizeInstrumentTitle(r.title);
    const g = groups.get(key) ?? { title: r.title.replace(/^《|》$/g, ''), documentNumber: null, citations: 0, items: new Set<number>() };
    g.citations++;
    g.items.add(r.item_id);
    g.documentNumber ??= r.document_number;
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
