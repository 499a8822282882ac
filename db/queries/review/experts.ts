// Expert review: who is assigned to which item under review, the opinion each gave, and how the
// legal office handled it.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { expertReviews, users } from '../../schema.js';
import type { Opinion } from '../../../server/domain/vocabulary.js';

const NOW = sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')`;

export function createExpertsRepository(db: Db) {
  const activeExpert = db
    .select({ username: users.username })
    .from(users)
    .where(and(eq(users.id, sql.placeholder('id')), eq(users.role, 'expert'), eq(users.disabled, false)))
    .prepare();
  const assign = db
    .insert(expertReviews)
    .values({ submissionItemId: sql.placeholder('itemId') as never, expertId: sql.placeholder('expertId') as never, assignedBy: sql.placeholder('by') as never })
    .onConflictDoNothing()
    .prepare();
  const assignment = db
    .select({ id: expertReviews.id, rowVersion: expertReviews.rowVersion })
    .from(expertReviews)
    .where(and(eq(expertReviews.submissionItemId, sql.placeholder('itemId')), eq(expertReviews.expertId, sql.placeholder('expertId'))))
    .prepare();
  const byId = db
    .select({ submissionItemId: expertReviews.submissionItemId, opinion: expertReviews.opinion })
    .from(expertReviews)
    .where(eq(expertReviews.id, sql.placeholder('id')))
    .prepare();
  const active = db
    .select({ id: users.id, name: sql<string>`coalesce(${users.displayName}, ${users.username})` })
    .from(users)
    .where(and(eq(users.role, 'expert'), eq(users.disabled, false)))
    .orderBy(users.id)
    .prepare();

  return {
    /** The username of an active expert account, or null when the id is not one. */
    activeExpertName: (userId: number): string | null => activeExpert.get({ id: userId })?.username ?? null,
    /** The experts the legal office can assign (active accounts with the expert role). */
    list: (): { id: number; name: string }[] => active.all(),
    /** Assigns an expert to an item; assigning the same expert twice changes nothing. */
    assign: (submissionItemId: number, expertId: number, assignedBy: string): void => {
      assign.run({ itemId: submissionItemId, expertId, by: assignedBy });
    },
    /** An expert's assignment to an item, if they have one. */
    assignment: (submissionItemId: number, expertId: number | null) => assignment.get({ itemId: submissionItemId, expertId }) ?? null,
    /** Records an opinion, only if the assignment is still at the version read. */
    answer: (id: number, version: number, opinion: Opinion, notes: string | null): boolean =>
      db
        .update(expertReviews)
        .set({ opinion, notes, answeredAt: NOW, rowVersion: sql`${expertReviews.rowVersion} + 1` })
        .where(and(eq(expertReviews.id, id), eq(expertReviews.rowVersion, version)))
        .run().changes > 0,
    get: (id: number) => byId.get({ id }) ?? null,
    /** The item under review an expert's opinion belongs to. */
    itemOf: (id: number): number | null => byId.get({ id })?.submissionItemId ?? null,
    handle: (id: number, handling: string, handledBy: string): void => {
      db.update(expertReviews)
        .set({ handling, handledBy, handledAt: NOW, rowVersion: sql`${expertReviews.rowVersion} + 1` })
        .where(eq(expertReviews.id, id))
        .run();
    },
  };
}

export type ExpertsRepository = ReturnType<typeof createExpertsRepository>;
