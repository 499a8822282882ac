// Registry upkeep: the legal office and admins correct an instrument's rank, status, dates and successor.
// Every change re-checks at once the items that cite the instrument, in the same request.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { INSTRUMENT_STATUS_CODES, RANK_CODES } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { itemsCiting, recheckItems, type StateChange } from '../checks/store.js';
import { quickCheckContext } from '../checks/load.js';
import { fieldErrors } from './item-fields.js';

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
    const result = recheckItems(db, itemsCiting(db, id), quickCheckContext(db));
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
