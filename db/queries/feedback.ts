// Citizens' feedback on items: stored on arrival, listed for the legal office, answered, and the answers
// made public read under the guide. Public reads select no contact and no address.
import { and, count, desc, eq, isNotNull, isNull, max } from 'drizzle-orm';
import type { Db } from '../client.js';
import { feedback } from '../schema.js';
import type { FeedbackKind } from '../../server/domain/vocabulary.js';

export interface FeedbackRecord {
  id: number;
  itemCode: string;
  itemName: string;
  kind: FeedbackKind;
  body: string;
  contact: string | null;
  address: string | null;
  answer: string | null;
  answerPublic: boolean;
  answeredBy: string | null;
  answeredAt: string | null;
  rowVersion: number;
  createdAt: string;
}

/** What the public sees of an answered, public feedback: no contact, no address, no staff name. */
export interface PublicFeedback {
  id: number;
  kind: FeedbackKind;
  body: string;
  answer: string;
  createdAt: string;
  answeredAt: string;
}

export type FeedbackState = 'open' | 'answered' | 'all';

/** Feedback nobody has answered yet: the count the legal office's inbox shows. */
export const countOpenFeedback = (db: Db): number => db.select({ n: count() }).from(feedback).where(isNull(feedback.answeredAt)).get()!.n;

export function createFeedbackRepository(db: Db) {
  return {
    insert(row: { itemCode: string; itemName: string; kind: FeedbackKind; body: string; contact: string | null; address: string | null }): number {
      return Number(db.insert(feedback).values(row).run().lastInsertRowid);
    },
    get(id: number): FeedbackRecord | null {
      return (db.select().from(feedback).where(eq(feedback.id, id)).get() as FeedbackRecord | undefined) ?? null;
    },
    /** Newest first, a page at a time. */
    list(state: FeedbackState, page: number, pageSize: number): { total: number; rows: FeedbackRecord[] } {
      const where = state === 'open' ? isNull(feedback.answeredAt) : state === 'answered' ? isNotNull(feedback.answeredAt) : undefined;
      const total = db.select({ n: count() }).from(feedback).where(where).get()!.n;
      const rows = db
        .select()
        .from(feedback)
        .where(where)
        .orderBy(desc(feedback.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all() as FeedbackRecord[];
      return { total, rows };
    },
    /** Writes the answer if the row is still at `rowVersion`; false when someone answered meanwhile. */
    answer(id: number, rowVersion: number, values: { answer: string; answerPublic: boolean; answeredBy: string; answeredAt: string }): boolean {
      return (
        db
          .update(feedback)
          .set({ ...values, rowVersion: rowVersion + 1 })
          .where(and(eq(feedback.id, id), eq(feedback.rowVersion, rowVersion)))
          .run().changes === 1
      );
    },
    /** The public answers on an item, oldest first. */
    publicAnswers(itemCode: string): PublicFeedback[] {
      return db
        .select({ id: feedback.id, kind: feedback.kind, body: feedback.body, answer: feedback.answer, createdAt: feedback.createdAt, answeredAt: feedback.answeredAt })
        .from(feedback)
        .where(and(eq(feedback.itemCode, itemCode), eq(feedback.answerPublic, true), isNotNull(feedback.answer)))
        .orderBy(feedback.id)
        .all() as PublicFeedback[];
    },
    /** When the item's public answers last changed (for the published page's ETag); '' when it has none. */
    publicStamp(itemCode: string): string {
      const r = db
        .select({ n: count(), last: max(feedback.answeredAt) })
        .from(feedback)
        .where(and(eq(feedback.itemCode, itemCode), eq(feedback.answerPublic, true)))
        .get()!;
      return r.n ? `${r.n}@${r.last}` : '';
    },
  };
}
export type FeedbackRepository = ReturnType<typeof createFeedbackRepository>;
