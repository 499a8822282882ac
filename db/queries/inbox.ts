// The counts behind each person's inbox (工作台 待办) and the menu's badges. Each count walks an index
// range of exactly what it counts, and takes a cap: the menu asks "more than 99?" and stops reading at
// 100 rows, the inbox page asks for the exact figure (cap -1, SQLite's "no limit").
import type { Db } from '../client.js';

/** No cap: count every row. */
export const EXACT = -1;

/**
 * What the legal office may finalise now (on `si`, a submission item; `@needsExperts` the `kind:disposition`
 * pairs that need experts first): one condition per state, so each reads its own range of the state index.
 * The inbox counts it, the review queue lists it (`waiting=finalise`).
 */
export const READY_TO_FINALISE = {
  decided: `si.state = 'decided' AND (si.kind || ':' || coalesce(si.disposition, '')) NOT IN (SELECT value FROM json_each(@needsExperts))`,
  reviewed: `si.state = 'in_expert_review' AND (si.expert_review_closed_reason IS NOT NULL
      OR (EXISTS (SELECT 1 FROM expert_reviews e WHERE e.submission_item_id = si.id)
          AND NOT EXISTS (SELECT 1 FROM expert_reviews e WHERE e.submission_item_id = si.id AND e.answered_at IS NULL)))`,
} as const;

export function createInboxRepository(db: Db) {
  const sqlite = db.$client;
  const capped = (inner: string) => sqlite.prepare(`SELECT count(*) AS n FROM (${inner} LIMIT @cap)`);
  const statements = {
    // submission_items_state_idx: an index-only range for the legal office (every department).
    itemsInState: capped(`SELECT 1 FROM submission_items si WHERE si.state = @state`),
    // A department's own: its submissions (submissions_department_idx), then each one's items in the state
    // (submission_items_submission_state_idx). CROSS JOIN keeps that order whatever the other departments hold.
    ownItemsInState: capped(
      `SELECT 1 FROM submissions s CROSS JOIN submission_items si ON si.submission_id = s.id AND si.state = @state WHERE s.department_id = @department`,
    ),
    // expert_reviews_unhandled_idx: only answered, unhandled opinions are in the index at all.
    opinionsToHandle: capped(
      `SELECT 1 FROM expert_reviews e INDEXED BY expert_reviews_unhandled_idx JOIN submission_items si ON si.id = e.submission_item_id
        WHERE e.answered_at IS NOT NULL AND e.handled_at IS NULL AND si.state = 'in_expert_review'`,
    ),
    // expert_reviews_expert_idx (expert_id, answered_at): this expert's unanswered assignments.
    awaitingOpinion: capped(
      `SELECT 1 FROM expert_reviews e JOIN submission_items si ON si.id = e.submission_item_id
        WHERE e.expert_id = @expert AND e.answered_at IS NULL AND si.state = 'in_expert_review'`,
    ),
    // Decided items whose decision needs no experts, and items whose expert review is over.
    readyToFinalise: capped(
      `SELECT 1 FROM submission_items si WHERE ${READY_TO_FINALISE.decided}
       UNION ALL
       SELECT 1 FROM submission_items si WHERE ${READY_TO_FINALISE.reviewed}`,
    ),
    // item_flags_rule_idx (rule, severity).
    flagsOfRule: capped(`SELECT 1 FROM item_flags WHERE rule = @rule`),
    // feedback_open_idx: a citizen's message nobody has answered yet.
    openFeedback: capped(`SELECT 1 FROM feedback WHERE answered_at IS NULL`),
    // audit_log_at_idx.
    auditSince: capped(`SELECT 1 FROM audit_log WHERE at >= @since`),
    deadline: sqlite.prepare(
      `SELECT c.id AS campaignId, c.name AS campaignName, coalesce(cd.due_on, c.due_on) AS dueOn
         FROM campaigns c LEFT JOIN campaign_deadlines cd ON cd.campaign_id = c.id AND cd.department_id = @department
        WHERE c.closed_at IS NULL ORDER BY c.id DESC LIMIT 1`,
    ),
  };
  const n = (row: unknown) => (row as { n: number }).n;
  return {
    /** Proposals in a review state: every department's, or one department's when given. */
    itemsInState: (state: string, departmentId: number | null, cap: number): number =>
      departmentId === null
        ? n(statements.itemsInState.get({ state, cap }))
        : n(statements.ownItemsInState.get({ state, department: departmentId, cap })),
    /** Expert opinions given and not yet handled by the legal office, on items still in expert review. */
    opinionsToHandle: (cap: number): number => n(statements.opinionsToHandle.get({ cap })),
    /** Items in expert review assigned to this expert that still wait for their opinion. */
    awaitingOpinion: (expertId: number, cap: number): number => n(statements.awaitingOpinion.get({ expert: expertId, cap })),
    /**
     * Items the legal office may finalise now. `needsExperts` lists the `kind:disposition` pairs that must
     * pass expert review first (the review workflow's rule, passed in so this count cannot disagree with it).
     */
    readyToFinalise: (needsExperts: readonly string[], cap: number): number =>
      n(statements.readyToFinalise.get({ needsExperts: JSON.stringify(needsExperts), cap })),
    /** Stored check findings of one rule. */
    flagsOfRule: (rule: string, cap: number): number => n(statements.flagsOfRule.get({ rule, cap })),
    openFeedback: (cap: number): number => n(statements.openFeedback.get({ cap })),
    /** Audit entries written at or after an instant (ISO, UTC). */
    auditSince: (since: string, cap: number): number => n(statements.auditSince.get({ since, cap })),
    /** The open campaign and the deadline it gives one department (its own, or the campaign's). */
    deadline: (departmentId: number): { campaignId: number; campaignName: string; dueOn: string | null } | null =>
      (statements.deadline.get({ department: departmentId }) as { campaignId: number; campaignName: string; dueOn: string | null } | undefined) ?? null,
  };
}

export type InboxRepository = ReturnType<typeof createInboxRepository>;
