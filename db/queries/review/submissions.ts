// Submissions: a department's batch of proposals (an upload or the item form's draft) — what the
// review use cases write, and the lists a department and the legal office read.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { departments, submissionItems, submissions } from '../../schema.js';
import type { ReviewState } from '../../../server/domain/vocabulary.js';

export interface SubmissionSummary {
  id: number;
  departmentCode: string;
  departmentName: string;
  campaignName: string | null;
  source: string;
  state: string;
  createdBy: string;
  createdAt: string;
  rowVersion: number;
  items: number;
  returned: number;
}

const NOW = sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')`;
const SUMMARY = (extra = '') => `SELECT s.id${extra}, d.code AS departmentCode, d.name AS departmentName, c.name AS campaignName, s.source, s.state,
        s.created_by AS createdBy, s.created_at AS createdAt, s.row_version AS rowVersion,
        (SELECT count(*) FROM submission_items si WHERE si.submission_id = s.id) AS items,
        (SELECT count(*) FROM submission_items si WHERE si.submission_id = s.id AND si.state = 'returned') AS returned
   FROM submissions s JOIN departments d ON d.id = s.department_id LEFT JOIN campaigns c ON c.id = s.campaign_id`;

export function createSubmissionsRepository(db: Db) {
  const sqlite = db.$client;
  const byId = db
    .select({ id: submissions.id, departmentId: submissions.departmentId, state: submissions.state, rowVersion: submissions.rowVersion })
    .from(submissions)
    .where(eq(submissions.id, sql.placeholder('id')))
    .prepare();
  const departmentOf = db
    .select({ code: departments.code, name: departments.name })
    .from(submissions)
    .innerJoin(departments, eq(departments.id, submissions.departmentId))
    .where(eq(submissions.id, sql.placeholder('id')))
    .prepare();
  const itemIds = db.select({ id: submissionItems.id }).from(submissionItems).where(eq(submissionItems.submissionId, sql.placeholder('id'))).orderBy(submissionItems.id).prepare();
  const itemStates = db.select({ state: submissionItems.state }).from(submissionItems).where(eq(submissionItems.submissionId, sql.placeholder('id'))).prepare();
  const setState = db
    .update(submissions)
    .set({ state: sql.placeholder('state') as never, rowVersion: sql`${submissions.rowVersion} + 1`, updatedAt: NOW })
    .where(eq(submissions.id, sql.placeholder('id')))
    .prepare();
  const draftOf = db
    .select({ id: submissions.id })
    .from(submissions)
    .where(and(eq(submissions.departmentId, sql.placeholder('departmentId')), eq(submissions.source, 'form'), eq(submissions.state, 'draft')))
    .orderBy(desc(submissions.id))
    .limit(1)
    .prepare();
  const list = sqlite.prepare(`${SUMMARY()} WHERE (@department IS NULL OR s.department_id = @department) ORDER BY s.id DESC LIMIT 500`);
  const summary = sqlite.prepare(`${SUMMARY(', s.department_id AS departmentId')} WHERE s.id = ?`);

  return {
    /** The columns the rules need: whose it is, its state and version. */
    get: (id: number) => byId.get({ id }) ?? null,
    departmentOf: (id: number): { code: string; name: string } => departmentOf.get({ id })!,
    /**
     * Attaches a submission to the campaign open as it is submitted (a draft begun in an earlier campaign
     * goes to the one open now; none open: it waits) and stamps it submitted, unless it already is.
     */
    attach: (id: number, campaignId: number | null, submittedAt: string): void => {
      db.update(submissions)
        .set({ campaignId, submittedAt: sql`coalesce(${submissions.submittedAt}, ${submittedAt})` })
        .where(eq(submissions.id, id))
        .run();
    },
    itemIds: (id: number): number[] => itemIds.all({ id }).map((r) => r.id),
    itemStates: (id: number): ReviewState[] => itemStates.all({ id }).map((r) => r.state),
    setState: (id: number, state: ReviewState): void => {
      setState.run({ id, state });
    },
    /** The department's draft submission made from the item form, if one is open. */
    draftOf: (departmentId: number): number | null => draftOf.get({ departmentId })?.id ?? null,
    insertDraft: (d: { departmentId: number; campaignId: number | null; createdBy: string; createdById: number | null }): number =>
      db.insert(submissions).values({ ...d, source: 'form', state: 'draft' }).returning({ id: submissions.id }).get().id,
    delete: (id: number): void => {
      db.delete(submissions).where(eq(submissions.id, id)).run();
    },
    list: (departmentId: number | null): SubmissionSummary[] => list.all({ department: departmentId }) as SubmissionSummary[],
    summary: (id: number): (SubmissionSummary & { departmentId: number }) | null => (summary.get(id) as (SubmissionSummary & { departmentId: number }) | undefined) ?? null,
  };
}

export type SubmissionsRepository = ReturnType<typeof createSubmissionsRepository>;
