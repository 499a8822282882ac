// Departments as the admin adds them: the uniqueness checks and the insert (drizzle: ordinary reads and writes).
import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { departments } from '../schema.js';
import type { Level } from '../../server/domain/vocabulary.js';

export function createDepartmentsRepository(db: Db) {
  return {
    idOfCode: (code: string): number | null => db.select({ id: departments.id }).from(departments).where(eq(departments.code, code)).get()?.id ?? null,
    nameTaken: (name: string): boolean => db.select({ id: departments.id }).from(departments).where(eq(departments.name, name)).get() !== undefined,
    insert: (d: { code: string; name: string; level: Level; parentId: number | null }): number =>
      db.insert(departments).values(d).returning({ id: departments.id }).get().id,
  };
}

export type DepartmentsRepository = ReturnType<typeof createDepartmentsRepository>;
