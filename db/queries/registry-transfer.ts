// Reads and writes of the registry's bulk import and export (drizzle's builder throughout).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { legalInstruments, registryImports } from '../schema.js';
import type { InstrumentStatus, Rank } from '../../server/domain/vocabulary.js';

/** The fields a registry file carries for one instrument, as stored. */
export interface RegistryFields {
  title: string;
  rank: Rank;
  issuingBody: string | null;
  region: string | null;
  documentNumber: string | null;
  publishedOn: string | null;
  effectiveOn: string | null;
  repealedOn: string | null;
  status: InstrumentStatus;
  replacedById: number | null;
}

export interface StoredInstrument extends RegistryFields {
  id: number;
}

const now = sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')`;

export function createRegistryTransferRepository(db: Db) {
  return {
    /** Every instrument, in id order: what an export writes and an import is compared with. */
    all: (): StoredInstrument[] =>
      db
        .select({
          id: legalInstruments.id,
          title: legalInstruments.title,
          rank: legalInstruments.rank,
          issuingBody: legalInstruments.issuingBody,
          region: legalInstruments.region,
          documentNumber: legalInstruments.documentNumber,
          publishedOn: legalInstruments.publishedOn,
          effectiveOn: legalInstruments.effectiveOn,
          repealedOn: legalInstruments.repealedOn,
          status: legalInstruments.status,
          replacedById: legalInstruments.replacedById,
        })
        .from(legalInstruments)
        .orderBy(legalInstruments.id)
        .all(),
    insert: (f: RegistryFields & { normalizedTitle: string }, editedBy: string): number =>
      db
        .insert(legalInstruments)
        .values({ ...f, rankInferred: false, source: 'import', editedAt: now, editedBy })
        .returning({ id: legalInstruments.id })
        .get().id,
    update: (id: number, f: Partial<RegistryFields> & { normalizedTitle?: string }, editedBy: string): void => {
      db.update(legalInstruments)
        .set({ ...f, rankInferred: false, updatedAt: now, editedAt: now, editedBy })
        .where(eq(legalInstruments.id, id))
        .run();
    },
    savePending: (fileName: string, rows: unknown[], createdBy: string): number =>
      db.insert(registryImports).values({ fileName, rows, createdBy }).returning({ id: registryImports.id }).get().id,
    pending: (id: number) => db.select().from(registryImports).where(eq(registryImports.id, id)).get() ?? null,
    finish: (id: number, state: 'confirmed' | 'discarded', result: Record<string, unknown>): void => {
      db.update(registryImports).set({ state, result }).where(eq(registryImports.id, id)).run();
    },
  };
}
