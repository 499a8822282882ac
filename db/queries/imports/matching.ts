// What an import matches its rows against outside its own tables: departments by code and name (and
// the department a clerk creates while mapping a name), and the registry of legal instruments.
import { count, eq, max, sql } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { departments, legalInstruments } from '../../schema.js';
import type { RegistryInstrument } from '../../../server/domain/registry-instrument.js';

const p = sql.placeholder;

export function importMatching(db: Db) {
  const byCode = db.select({ id: departments.id, code: departments.code, name: departments.name }).from(departments).where(eq(departments.code, p('code'))).prepare();
  const byId = db.select({ id: departments.id, code: departments.code, name: departments.name }).from(departments).where(eq(departments.id, p('id'))).prepare();
  return {
    departmentByCode: (code: string) => byCode.get({ code }) ?? null,
    departmentById: (id: number) => byId.get({ id }) ?? null,
    /** Every department with the other names sheets write it as. */
    departmentNames: () => db.select({ id: departments.id, code: departments.code, name: departments.name, aliases: departments.aliases }).from(departments).all(),
    /** A department created for a name an upload used (district level, as the mapping form offers). */
    createDepartment: (code: string, name: string): number =>
      db.insert(departments).values({ code, name, level: 'district' }).returning({ id: departments.id }).get().id,

    /** Changes whenever an instrument is added or edited: the cache key of the registry the reader matches against. */
    registryVersion: (): string => {
      const { n, u } = db.select({ n: count(), u: max(legalInstruments.updatedAt) }).from(legalInstruments).get()!;
      return `${n}|${u ?? ''}`;
    },
    registryInstruments: (): RegistryInstrument[] =>
      db
        .select({
          id: legalInstruments.id,
          title: legalInstruments.title,
          normalizedTitle: legalInstruments.normalizedTitle,
          status: legalInstruments.status,
          publishedOn: legalInstruments.publishedOn,
          documentNumber: legalInstruments.documentNumber,
        })
        .from(legalInstruments)
        .all(),
  };
}
