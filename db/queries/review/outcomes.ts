// The review's writes to the working catalogue: an item's review status as its proposal moves, and
// what a finalised decision does to it (see server/review/dispositions.ts for which effects apply).
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { departments, itemFlags, items, submissionItems } from '../../schema.js';
import { itemChanged, itemTouched } from '../item-stamps.js';
import type { Category, Disposition, ReviewStatus } from '../../../server/domain/vocabulary.js';

export function createOutcomesRepository(db: Db) {
  const item = db
    .select({ id: items.id, code: items.code, name: items.name, category: items.category, departmentId: items.departmentId })
    .from(items)
    .where(eq(items.id, sql.placeholder('id')))
    .prepare();
  const live = db
    .select({ id: items.id })
    .from(items)
    .where(and(eq(items.id, sql.placeholder('id')), isNull(items.removedAt)))
    .prepare();
  const liveByCode = db
    .select({ id: items.id, code: items.code, name: items.name })
    .from(items)
    .where(and(eq(items.code, sql.placeholder('code')), isNull(items.removedAt)))
    .prepare();
  const department = db
    .select({ code: departments.code, name: departments.name })
    .from(departments)
    .where(or(eq(departments.code, sql.placeholder('text')), eq(departments.name, sql.placeholder('text'))))
    .prepare();
  const reviewStatus = db.update(items).set({ reviewStatus: sql.placeholder('status') as never }).where(eq(items.id, sql.placeholder('id'))).prepare();

  return {
    /** An item's review status follows its open proposal (`none` when it has none). */
    setReviewStatus: (itemId: number, status: ReviewStatus): void => {
      reviewStatus.run({ id: itemId, status });
    },
    /** Every item a submission proposes to change is now submitted for review. */
    markSubmitted: (submissionId: number): void => {
      db.update(items)
        .set({ reviewStatus: 'submitted' })
        .where(inArray(items.id, db.select({ id: submissionItems.itemId }).from(submissionItems).where(eq(submissionItems.submissionId, submissionId))))
        .run();
    },
    item: (itemId: number) => item.get({ id: itemId })!,
    isLive: (itemId: number): boolean => live.get({ id: itemId }) !== undefined,
    /** A live item by code (what an item may be merged into). */
    liveByCode: (code: string) => liveByCode.get({ code }) ?? null,
    /** A department named by code or by name (where an item may be transferred). */
    department: (codeOrName: string) => department.get({ text: codeOrName }) ?? null,
    changeCategory: (itemId: number, category: Category): void => {
      db.update(items).set({ category, ...itemChanged() }).where(eq(items.id, itemId)).run();
    },
    moveToDepartment: (itemId: number, departmentCode: string): void => {
      db.update(items)
        .set({ departmentId: sql`(SELECT ${departments.id} FROM ${departments} WHERE ${departments.code} = ${departmentCode})`, ...itemChanged() })
        .where(eq(items.id, itemId))
        .run();
    },
    /** The item leaves the working catalogue; its stored findings go with it. */
    remove: (itemId: number): void => {
      db.update(items).set({ removedAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')`, ...itemChanged() }).where(eq(items.id, itemId)).run();
      db.delete(itemFlags).where(eq(itemFlags.itemId, itemId)).run();
    },
    /** The item records the decision and its review is over. */
    setFinalDisposition: (itemId: number, disposition: Disposition): void => {
      db.update(items).set({ disposition, reviewStatus: 'final', ...itemTouched() }).where(eq(items.id, itemId)).run();
    },
  };
}

export type OutcomesRepository = ReturnType<typeof createOutcomesRepository>;
