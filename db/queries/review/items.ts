// Submission items: one proposal each, moved through the review states. The row the rules read, the
// writes of each transition (always against the row version read), the checks' stored findings, the
// findings set aside (flag_overrides), and the department's draft proposals from the item form.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { proposalOf } from './proposal.js';
import { citations, expertReviews, flagOverrides, items, itemFlags, submissionItems, submissions } from '../../schema.js';
import type { Category, Disposition, ProposalKind, ReviewState } from '../../../server/domain/vocabulary.js';

/** One item under review as the rules read it. */
export interface SubmissionItemRow {
  id: number;
  submissionId: number;
  itemId: number | null;
  kind: ProposalKind;
  name: string | null;
  proposal: Record<string, unknown> | null;
  state: ReviewState;
  disposition: Disposition | null;
  dispositionDetails: Record<string, string> | null;
  reason: string | null;
  legalGround: string | null;
  expertReviewClosedReason: string | null;
  rowVersion: number;
  departmentId: number;
  campaignId: number | null;
}

export interface StoredFlag {
  rule: string;
  severity: string;
  message: string;
  suggestion: string;
  ground: string;
}

/** The columns a transition may write along with the new state. */
export type TransitionColumns = Partial<
  Pick<
    typeof submissionItems.$inferInsert,
    'disposition' | 'dispositionDetails' | 'reason' | 'legalGround' | 'decidedBy' | 'decidedAt' | 'returnRequest' | 'departmentAnswer' | 'expertReviewClosedReason' | 'finalisedBy' | 'finalisedAt'
  >
>;

const id = sql.placeholder('id');
/** Items read at a time when a submission is checked. */
const CHECK_PAGE = 1000;

/** A submission's removals after an id, a page at a time (see removalsForChecks below). */
export const REMOVALS_FOR_CHECKS = `SELECT si.id, si.item_id AS itemId, i.name AS itemName, i.category AS itemCategory,
       si.name AS storedName, si.category AS storedCategory, si.flags AS storedFlags
  FROM submission_items si INDEXED BY submission_items_removals_idx LEFT JOIN items i ON i.id = si.item_id
 WHERE si.submission_id = @submissionId AND si.proposal IS NULL AND si.import_row_id IS NULL AND si.id > @after
 ORDER BY si.id LIMIT ${CHECK_PAGE}`;

/** A removal as its submission's checks read it: its item, and what the proposal last stored. */
interface RemovalForChecks {
  id: number;
  itemId: number | null;
  itemName: string | null;
  itemCategory: Category | null;
  storedName: string | null;
  storedCategory: Category | null;
  storedFlags: string | null;
}

export function createSubmissionItemsRepository(db: Db) {
  const row = db
    .select({
      id: submissionItems.id,
      submissionId: submissionItems.submissionId,
      itemId: submissionItems.itemId,
      kind: submissionItems.kind,
      name: submissionItems.name,
      proposal: proposalOf(),
      state: submissionItems.state,
      disposition: submissionItems.disposition,
      dispositionDetails: submissionItems.dispositionDetails,
      reason: submissionItems.reason,
      legalGround: submissionItems.legalGround,
      expertReviewClosedReason: submissionItems.expertReviewClosedReason,
      rowVersion: submissionItems.rowVersion,
      departmentId: submissions.departmentId,
      campaignId: submissions.campaignId,
    })
    .from(submissionItems)
    .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
    .where(eq(submissionItems.id, id))
    .prepare();
  const experts = db
    .select({ assigned: sql<number>`count(*)`, pending: sql<number | null>`sum(CASE WHEN ${expertReviews.answeredAt} IS NULL THEN 1 ELSE 0 END)` })
    .from(expertReviews)
    .where(eq(expertReviews.submissionItemId, id))
    .prepare();
  const forChecks = db
    .select({
      id: submissionItems.id,
      kind: submissionItems.kind,
      state: submissionItems.state,
      proposal: proposalOf(),
      itemId: submissionItems.itemId,
      itemName: items.name,
      itemCategory: items.category,
      // What is stored now: the checks write only what they change.
      storedName: submissionItems.name,
      storedCategory: submissionItems.category,
      storedFlags: submissionItems.flags,
    })
    .from(submissionItems)
    .leftJoin(items, eq(items.id, submissionItems.itemId))
    .where(
      and(
        eq(submissionItems.submissionId, sql.placeholder('submissionId')),
        sql`(${sql.placeholder('only')} IS NULL OR ${submissionItems.id} = ${sql.placeholder('only')})`,
        sql`${submissionItems.id} > ${sql.placeholder('after')}`,
      ),
    )
    .orderBy(submissionItems.id)
    .limit(CHECK_PAGE)
    .prepare();
  // The proposals without fields (removals) of a submission, in keyset pages like forChecks, through
  // their own partial index: the planner, without statistics, took the submission's index and read every
  // proposal's row to find the few without one (INDEXED BY, which drizzle's builder does not write).
  const removalsForChecks = db.$client.prepare(REMOVALS_FOR_CHECKS);
  const itemCount = db.select({ n: sql<number>`count(*)` }).from(submissionItems).where(eq(submissionItems.submissionId, sql.placeholder('submissionId'))).prepare();
  const setChecks = db
    .update(submissionItems)
    .set({ name: sql.placeholder('name') as never, category: sql.placeholder('category') as never, flags: sql.placeholder('flags') as never })
    .where(eq(submissionItems.id, id))
    .prepare();
  const storedFlags = db
    .select({ rule: itemFlags.rule, severity: itemFlags.severity, message: itemFlags.message, suggestion: itemFlags.suggestionText, ground: itemFlags.ground })
    .from(itemFlags)
    .where(eq(itemFlags.itemId, id))
    .orderBy(itemFlags.id)
    .prepare();
  const flagsOf = db.select({ flags: submissionItems.flags }).from(submissionItems).where(eq(submissionItems.id, id)).prepare();
  const overriddenRules = db.select({ rule: flagOverrides.rule }).from(flagOverrides).where(eq(flagOverrides.submissionItemId, id)).prepare();
  const stateOf = db.select({ state: submissionItems.state }).from(submissionItems).where(eq(submissionItems.id, id)).prepare();
  const bump = db.update(submissionItems).set({ rowVersion: sql`${submissionItems.rowVersion} + 1` }).where(eq(submissionItems.id, id)).prepare();
  const draftItem = db
    .select({ id: submissionItems.id })
    .from(submissionItems)
    .where(and(eq(submissionItems.submissionId, sql.placeholder('submissionId')), eq(submissionItems.itemId, sql.placeholder('itemId')), eq(submissionItems.state, 'draft')))
    .prepare();
  const draftProposal = db
    .select({ proposal: proposalOf() })
    .from(submissionItems)
    .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
    .where(
      and(
        eq(submissions.departmentId, sql.placeholder('departmentId')),
        eq(submissions.source, 'form'),
        eq(submissionItems.state, 'draft'),
        eq(submissionItems.itemId, sql.placeholder('itemId')),
      ),
    )
    .orderBy(desc(submissionItems.id))
    .limit(1)
    .prepare();
  const drafts = db
    .select({ id: submissionItems.id, kind: submissionItems.kind, state: submissionItems.state })
    .from(submissionItems)
    .where(and(eq(submissionItems.submissionId, sql.placeholder('submissionId')), eq(submissionItems.state, 'draft')))
    .prepare();
  const setState = db
    .update(submissionItems)
    .set({ state: sql.placeholder('state') as never, rowVersion: sql`${submissionItems.rowVersion} + 1` })
    .where(eq(submissionItems.id, id))
    .prepare();
  const citationsOf = db
    .select({
      title: citations.title,
      article: citations.article,
      documentNumber: citations.documentNumber,
      tag: citations.tag,
      quotedText: citations.quotedText,
      role: citations.role,
      instrumentId: citations.instrumentId,
    })
    .from(citations)
    .where(eq(citations.itemId, id))
    .orderBy(citations.seq)
    .prepare();

  return {
    get: (itemId: number): SubmissionItemRow | null => (row.get({ id: itemId }) as SubmissionItemRow | undefined) ?? null,
    /** How many experts are assigned to the item, and how many have not answered yet. */
    expertCounts: (itemId: number): { assigned: number; pending: number } => {
      const e = experts.get({ id: itemId })!;
      return { assigned: e.assigned, pending: e.pending ?? 0 };
    },
    /**
     * Writes a transition: the new state, the columns that go with it, and the next row version —
     * only if the row is still at the version read. Returns whether it was.
     */
    transition: (itemId: number, version: number, state: ReviewState, set: TransitionColumns): boolean =>
      db
        .update(submissionItems)
        .set({ ...set, state, rowVersion: sql`${submissionItems.rowVersion} + 1` })
        .where(and(eq(submissionItems.id, itemId), eq(submissionItems.rowVersion, version)))
        .run().changes > 0,
    /** A submission's proposals (or one of them) with the name and category of the item each is about. */
    /**
     * The submission's items (or the one asked for) with what the checks read, in keyset pages: an
     * upload's submission holds 100,000 proposals, never all in memory at once, and better-sqlite3
     * allows no write (the findings) while a statement is being iterated.
     */
    *forChecks(submissionId: number, onlyItemId: number | null) {
      let after = 0;
      for (;;) {
        const page = forChecks.all({ submissionId, only: onlyItemId, after });
        yield* page;
        if (page.length < CHECK_PAGE) return;
        after = page[page.length - 1]!.id;
      }
    },
    /** The submission's proposals without fields (removals), for their items' findings. */
    *removalsForChecks(submissionId: number) {
      let after = 0;
      for (;;) {
        const page = (removalsForChecks.all({ submissionId, after }) as RemovalForChecks[]).map((r) => ({ ...r, storedFlags: r.storedFlags === null ? null : (JSON.parse(r.storedFlags) as StoredFlag[]) }));
        yield* page;
        if (page.length < CHECK_PAGE) return;
        after = page[page.length - 1]!.id;
      }
    },
    /** How many items the submission has. */
    count: (submissionId: number): number => itemCount.get({ submissionId })?.n ?? 0,
    setChecks: (itemId: number, name: string | null, category: Category | null, flags: StoredFlag[]): void => {
      setChecks.run({ id: itemId, name, category, flags });
    },
    /** The checks' current findings on a catalogue item (a proposal without fields carries those). */
    storedFlags: (itemId: number): StoredFlag[] => storedFlags.all({ id: itemId }),
    flags: (itemId: number): { rule: string; severity: string }[] => (flagsOf.get({ id: itemId })?.flags ?? []) as { rule: string; severity: string }[],
    /** The rules whose findings on the item have been set aside. */
    overriddenRules: (itemId: number): string[] => overriddenRules.all({ id: itemId }).map((r) => r.rule),
    state: (itemId: number): ReviewState | null => stateOf.get({ id: itemId })?.state ?? null,
    /** Sets a finding aside (or rewrites the reason it was set aside for: who and when follow the new reason). */
    override: (itemId: number, rule: string, reason: string, createdBy: string): void => {
      db.insert(flagOverrides)
        .values({ submissionItemId: itemId, rule, reason, createdBy })
        .onConflictDoUpdate({ target: [flagOverrides.submissionItemId, flagOverrides.rule], set: { reason, createdBy, createdAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')` } })
        .run();
    },
    bumpVersion: (itemId: number): void => {
      bump.run({ id: itemId });
    },
    closeExpertReview: (itemId: number, reason: string): void => {
      db.update(submissionItems)
        .set({ expertReviewClosedReason: reason, rowVersion: sql`${submissionItems.rowVersion} + 1` })
        .where(eq(submissionItems.id, itemId))
        .run();
    },
    /** The catalogue item a new proposal became. */
    linkItem: (itemId: number, catalogueItemId: number): void => {
      db.update(submissionItems).set({ itemId: catalogueItemId }).where(eq(submissionItems.id, itemId)).run();
    },
    setState: (itemId: number, state: ReviewState): void => {
      setState.run({ id: itemId, state });
    },

    /* The item form's drafts */
    draftItemOf: (submissionId: number, itemId: number): number | null => draftItem.get({ submissionId, itemId })?.id ?? null,
    /** The proposal a department's pending draft holds for an item, the newest. */
    draftProposalOf: (departmentId: number, itemId: number): Record<string, unknown> | null => draftProposal.get({ departmentId, itemId })?.proposal ?? null,
    drafts: (submissionId: number) => drafts.all({ submissionId }),
    insertDraft: (d: { submissionId: number; itemId: number; name: string; category: Category; proposal: object; changes: object[] }): number =>
      db
        .insert(submissionItems)
        .values({ ...d, kind: 'change', state: 'draft', proposal: d.proposal as Record<string, unknown>, changes: d.changes as never })
        .returning({ id: submissionItems.id })
        .get().id,
    updateDraft: (itemId: number, d: { name: string; category: Category; proposal: object; changes: object[] }): void => {
      db.update(submissionItems)
        .set({ ...d, proposal: d.proposal as Record<string, unknown>, changes: d.changes as never, rowVersion: sql`${submissionItems.rowVersion} + 1` })
        .where(eq(submissionItems.id, itemId))
        .run();
    },
    delete: (itemId: number): void => {
      db.delete(submissionItems).where(eq(submissionItems.id, itemId)).run();
    },
    /** A catalogue item's citations as a proposal stores them. */
    citationsOf: (itemId: number) => citationsOf.all({ id: itemId }),
  };
}

export type SubmissionItemsRepository = ReturnType<typeof createSubmissionItemsRepository>;
