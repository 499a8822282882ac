// Campaigns (清理专项行动) and their per-department deadlines: what the review use cases write and
// the campaign pages read.
import { and, desc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { campaignDeadlines, campaigns, departments, registerEntries, submissionItems, submissions } from '../../schema.js';

export interface CampaignRow {
  id: number;
  name: string;
  startsOn: string;
  judgedAt: string;
  dueOn: string | null;
  note: string | null;
  closedAt: string | null;
}

export interface CampaignProgressRow {
  departmentCode: string;
  departmentName: string;
  dueOn: string | null;
  submissions: number;
  items: number;
  open: number;
  final: number;
  overdue: boolean;
}

const NOW = sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')`;
const columns = {
  id: campaigns.id,
  name: campaigns.name,
  startsOn: campaigns.startsOn,
  judgedAt: campaigns.judgedAt,
  dueOn: campaigns.dueOn,
  note: campaigns.note,
  closedAt: campaigns.closedAt,
};

export function createCampaignsRepository(db: Db) {
  const current = db.select(columns).from(campaigns).where(isNull(campaigns.closedAt)).orderBy(desc(campaigns.id)).limit(1).prepare();
  const byId = db.select(columns).from(campaigns).where(eq(campaigns.id, sql.placeholder('id'))).prepare();
  const all = db.select(columns).from(campaigns).orderBy(desc(campaigns.id)).prepare();
  const departmentByCode = db.select({ id: departments.id }).from(departments).where(eq(departments.code, sql.placeholder('code'))).prepare();
  // Four counts per department in one pass; kept in SQL as the page reads it.
  const progress = db.$client.prepare(
    `SELECT d.code AS departmentCode, d.name AS departmentName, coalesce(cd.due_on, c.due_on) AS dueOn,
            (SELECT count(*) FROM submissions s WHERE s.campaign_id = c.id AND s.department_id = d.id AND s.state != 'withdrawn') AS submissions,
            (SELECT count(*) FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.campaign_id = c.id AND s.department_id = d.id AND si.state != 'withdrawn') AS items,
            (SELECT count(*) FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.campaign_id = c.id AND s.department_id = d.id AND si.state NOT IN ('withdrawn', 'final')) AS open,
            (SELECT count(*) FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.campaign_id = c.id AND s.department_id = d.id AND si.state = 'final') AS final
       FROM departments d JOIN campaigns c ON c.id = @campaign LEFT JOIN campaign_deadlines cd ON cd.campaign_id = c.id AND cd.department_id = d.id
      WHERE @department IS NULL OR d.id = @department
      ORDER BY submissions > 0, d.code`,
  );

  /** Submissions that arrived with no campaign open: neither a draft nor withdrawn, and in no campaign. */
  const waitingWhere = and(isNull(submissions.campaignId), notInArray(submissions.state, ['draft', 'withdrawn']));
  const waitingIds = db.select({ id: submissions.id }).from(submissions).where(waitingWhere).orderBy(submissions.id).prepare();
  const waitingCount = db
    .select({ n: sql<number>`count(*)` })
    .from(submissions)
    .where(and(waitingWhere, sql`(${sql.placeholder('department')} IS NULL OR ${submissions.departmentId} = ${sql.placeholder('department')})`))
    .prepare();

  return {
    /** How many submissions wait for a campaign (of one department, or all). */
    waitingCount: (departmentId: number | null = null): number => waitingCount.get({ department: departmentId })!.n,
    /**
     * The submissions waiting for a campaign join this one, with the register entries their finalised
     * decisions made meanwhile (so the campaign's filing record and register hold them). Returns their ids.
     */
    adoptWaiting: (campaignId: number): number[] => {
      const ids = waitingIds.all().map((r) => r.id);
      if (ids.length === 0) return [];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        db.update(submissions).set({ campaignId, rowVersion: sql`${submissions.rowVersion} + 1` }).where(inArray(submissions.id, chunk)).run();
        const itemIds = db.select({ id: submissionItems.id }).from(submissionItems).where(inArray(submissionItems.submissionId, chunk));
        db.update(registerEntries).set({ campaignId }).where(and(isNull(registerEntries.campaignId), inArray(registerEntries.submissionItemId, itemIds))).run();
      }
      return ids;
    },
    insert: (c: { name: string; startsOn: string; judgedAt: string; dueOn: string | null; note: string | null; createdBy: string }): number =>
      db.insert(campaigns).values(c).returning({ id: campaigns.id }).get().id,
    /** The campaign submissions go to now: the latest one not closed. */
    current: (): CampaignRow | null => current.get() ?? null,
    get: (id: number): CampaignRow | null => byId.get({ id }) ?? null,
    list: (): CampaignRow[] => all.all(),
    departmentIdByCode: (code: string): number | null => departmentByCode.get({ code })?.id ?? null,
    setDeadline: (campaignId: number, departmentId: number, dueOn: string): void => {
      db.insert(campaignDeadlines)
        .values({ campaignId, departmentId, dueOn })
        .onConflictDoUpdate({ target: [campaignDeadlines.campaignId, campaignDeadlines.departmentId], set: { dueOn } })
        .run();
    },
    /** Closes an open campaign; false when there is none open with this id. */
    close: (id: number): boolean =>
      db.update(campaigns).set({ closedAt: NOW }).where(and(eq(campaigns.id, id), isNull(campaigns.closedAt))).run().changes > 0,
    /** Each department in a campaign (or the one a viewer is limited to): its deadline, what it submitted, how far review has come. */
    progress: (campaignId: number, today: string, departmentId: number | null = null): CampaignProgressRow[] =>
      (progress.all({ campaign: campaignId, department: departmentId }) as Omit<CampaignProgressRow, 'overdue'>[]).map((r) => ({
        ...r,
        overdue: r.submissions === 0 && r.dueOn !== null && r.dueOn < today,
      })),
  };
}

export type CampaignsRepository = ReturnType<typeof createCampaignsRepository>;
