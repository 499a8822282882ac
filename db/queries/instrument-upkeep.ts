// Registry upkeep's reads and writes: one instrument's editable fields, its insert and update, and the
// citations still pointing at no instrument (drizzle for the ordinary ones).
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { citations, items, legalInstruments } from '../schema.js';
import type { InstrumentStatus, Rank } from '../../server/domain/vocabulary.js';

export interface InstrumentFields {
  rank: Rank;
  status: InstrumentStatus;
  issuingBody: string | null;
  publishedOn: string | null;
  effectiveOn: string | null;
  replacedById: number | null;
}

export function createInstrumentUpkeepRepository(db: Db) {
  return {
    /** The editable fields as stored, or null. */
    fieldsOf: (id: number) =>
      db
        .select({
          rank: legalInstruments.rank,
          status: legalInstruments.status,
          issuingBody: legalInstruments.issuingBody,
          publishedOn: legalInstruments.publishedOn,
          effectiveOn: legalInstruments.effectiveOn,
          replacedById: legalInstruments.replacedById,
          rankInferred: legalInstruments.rankInferred,
        })
        .from(legalInstruments)
        .where(eq(legalInstruments.id, id))
        .get() ?? null,
    exists: (id: number): boolean => db.select({ id: legalInstruments.id }).from(legalInstruments).where(eq(legalInstruments.id, id)).get() !== undefined,
    /** The instrument with this title and publication date (none given: none stored), if any. */
    sameTitle: (title: string, publishedOn: string | null): number | null =>
      db
        .select({ id: legalInstruments.id })
        .from(legalInstruments)
        .where(and(eq(legalInstruments.title, title), sql`coalesce(${legalInstruments.publishedOn}, '') = coalesce(${publishedOn}, '')`))
        .get()?.id ?? null,
    /**
     * Sets the fields a person confirmed (the rank is no longer a guess), and marks the row as edited by
     * them: an upgrade of the shipped registry leaves it alone.
     */
    update: (id: number, f: InstrumentFields, editedBy: string): void => {
      const now = sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')`;
      db.update(legalInstruments)
        .set({ ...f, rankInferred: false, updatedAt: now, editedAt: now, editedBy })
        .where(eq(legalInstruments.id, id))
        .run();
    },
    insertManual: (f: InstrumentFields & { title: string; normalizedTitle: string; region: string | null; documentNumber: string | null }): number =>
      db
        .insert(legalInstruments)
        .values({ ...f, rankInferred: false, source: 'manual' })
        .returning({ id: legalInstruments.id })
        .get().id,
    /** Citations registered to no instrument. */
    unknownCitations: () => db.select({ id: citations.id, itemId: citations.itemId, title: citations.title }).from(citations).where(isNull(citations.instrumentId)).all(),
    linkCitation: (citationId: number, instrumentId: number): void => {
      db.update(citations).set({ instrumentId }).where(eq(citations.id, citationId)).run();
    },
    /** Citations of items still in the catalogue that point at no instrument. */
    unknownCitationsOfActiveItems: () =>
      db
        .select({ itemId: citations.itemId, title: citations.title, documentNumber: citations.documentNumber })
        .from(citations)
        .innerJoin(items, eq(items.id, citations.itemId))
        .where(and(isNull(citations.instrumentId), isNull(items.removedAt)))
        .all(),
  };
}
