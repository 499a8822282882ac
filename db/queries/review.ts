// Reading the review workflow: the legal office's queue, one item under review with everything a
// reviewer needs, a department's submissions, an expert's assignments, a campaign's progress.
import type { Db } from '../client.js';

export interface QueueFilter {
  campaign?: number | undefined;
  department?: string | undefined;
  category?: string | undefined;
  rule?: string | undefined;
  state?: string | undefined;
  /** Only this department's items (a department user). */
  departmentId?: number | null;
  /** Only items assigned to this expert. */
  expertId?: number | null;
  /** Only the items of one submission. */
  submissionId?: number | undefined;
  page: number;
  pageSize: number;
}

export interface QueueRow {
  id: number;
  submissionId: number;
  kind: 'new' | 'change' | 'remove';
  name: string | null;
  category: string | null;
  state: string;
  disposition: string | null;
  reason: string | null;
  rowVersion: number;
  departmentCode: string;
  departmentName: string;
  itemCode: string | null;
  flagRules: string[];
  overridden: string[];
}

function where(f: Omit<QueueFilter, 'page' | 'pageSize'>) {
  const clauses: string[] = ['1 = 1'];
  const params: Record<string, string | number> = {};
  if (f.campaign) {
    clauses.push('s.campaign_id = @campaign');
    params.campaign = f.campaign;
  }
  if (f.department) {
    clauses.push('d.code = @department');
    params.department = f.department;
  }
  if (f.category) {
    clauses.push('si.category = @category');
    params.category = f.category;
  }
  if (f.state) {
    clauses.push('si.state = @state');
    params.state = f.state;
  } else clauses.push("si.state != 'withdrawn'");
  if (f.rule) {
    clauses.push("EXISTS (SELECT 1 FROM json_each(coalesce(si.flags, '[]')) j WHERE json_extract(j.value, '$.rule') = @rule)");
    params.rule = f.rule;
  }
  if (f.departmentId != null) {
    clauses.push('s.department_id = @departmentId');
    params.departmentId = f.departmentId;
  }
  if (f.submissionId) {
    clauses.push('si.submission_id = @submissionId');
    params.submissionId = f.submissionId;
  }
  if (f.expertId != null) {
    clauses.push('EXISTS (SELECT 1 FROM expert_reviews e WHERE e.submission_item_id = si.id AND e.expert_id = @expertId)');
    params.expertId = f.expertId;
  }
  return { sql: clauses.join(' AND '), params };
}

const FROM = `FROM submission_items si JOIN submissions s ON s.id = si.submission_id JOIN departments d ON d.id = s.department_id
   LEFT JOIN items i ON i.id = si.item_id`;

export function listQueue(db: Db, filter: QueueFilter): { total: number; rows: QueueRow[] } {
  const w = where(filter);
  const total = (db.$client.prepare(`SELECT count(*) AS n ${FROM} WHERE ${w.sql}`).get(w.params) as { n: number }).n;
  const rows = db.$client
    .prepare(
      `SELECT si.id, si.submission_id AS submissionId, si.kind, si.name, si.category, si.state, si.disposition, si.reason, si.row_version AS rowVersion,
              d.code AS departmentCode, d.name AS departmentName, i.code AS itemCode, si.flags,
              (SELECT json_group_array(rule) FROM flag_overrides o WHERE o.submission_item_id = si.id) AS overridden
         ${FROM} WHERE ${w.sql}
        ORDER BY CASE si.state WHEN 'submitted' THEN 0 WHEN 'resubmitted' THEN 0 WHEN 'under_review' THEN 1 WHEN 'returned' THEN 2 WHEN 'decided' THEN 3
                 WHEN 'in_expert_review' THEN 4 ELSE 5 END, CASE si.kind WHEN 'new' THEN 0 WHEN 'change' THEN 1 ELSE 2 END, d.code, si.id
        LIMIT @limit OFFSET @offset`,
    )
    .all({ ...w.params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as (Omit<QueueRow, 'flagRules' | 'overridden'> & { flags: string | null; overridden: string })[];
  return {
    total,
    rows: rows.map(({ flags, overridden, ...r }) => ({
      ...r,
      flagRules: [...new Set((JSON.parse(flags ?? '[]') as { rule: string }[]).map((f) => f.rule))],
      overridden: JSON.parse(overridden) as string[],
    })),
  };
}

export interface ReviewItemDetail {
  id: number;
  submissionId: number;
  submissionState: string;
  campaignId: number | null;
  campaignName: string | null;
  kind: 'new' | 'change' | 'remove';
  name: string | null;
  category: string | null;
  state: string;
  rowVersion: number;
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  itemId: number | null;
  itemCode: string | null;
  proposal: Record<string, unknown> | null;
  changes: { field: string; label?: string; before: unknown; after: unknown }[] | null;
  flags: { rule: string; severity: string; message: string; suggestion: string; ground: string }[];
  overrides: { rule: string; reason: string; createdBy: string; createdAt: string }[];
  disposition: string | null;
  dispositionDetails: Record<string, string> | null;
  reason: string | null;
  legalGround: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  returnRequest: string | null;
  departmentAnswer: string | null;
  expertReviewClosedReason: string | null;
  finalisedBy: string | null;
  finalisedAt: string | null;
  experts: {
    id: number;
    expertId: number;
    expertName: string;
    opinion: string | null;
    notes: string | null;
    answeredAt: string | null;
    handling: string | null;
    handledBy: string | null;
    rowVersion: number;
  }[];
}

export function getReviewItem(db: Db, id: number): ReviewItemDetail | null {
  const sqlite = db.$client;
  const r = sqlite
    .prepare(
      `SELECT si.*, s.state AS submission_state, s.campaign_id, c.name AS campaign_name, s.department_id, d.code AS department_code, d.name AS department_name,
              i.code AS item_code
         FROM submission_items si JOIN submissions s ON s.id = si.submission_id JOIN departments d ON d.id = s.department_id
         LEFT JOIN campaigns c ON c.id = s.campaign_id LEFT JOIN items i ON i.id = si.item_id WHERE si.id = ?`,
    )
    .get(id) as Record<string, unknown> | undefined;
  if (!r) return null;
  const json = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : fallback);
  return {
    id: r.id as number,
    submissionId: r.submission_id as number,
    submissionState: r.submission_state as string,
    campaignId: r.campaign_id as number | null,
    campaignName: r.campaign_name as string | null,
    kind: r.kind as ReviewItemDetail['kind'],
    name: r.name as string | null,
    category: r.category as string | null,
    state: r.state as string,
    rowVersion: r.row_version as number,
    departmentId: r.department_id as number,
    departmentCode: r.department_code as string,
    departmentName: r.department_name as string,
    itemId: r.item_id as number | null,
    itemCode: r.item_code as string | null,
    proposal: json(r.proposal, null),
    changes: json(r.changes, null),
    flags: json(r.flags, []),
    overrides: sqlite
      .prepare('SELECT rule, reason, created_by AS createdBy, created_at AS createdAt FROM flag_overrides WHERE submission_item_id = ? ORDER BY id')
      .all(id) as ReviewItemDetail['overrides'],
    disposition: r.disposition as string | null,
    dispositionDetails: json(r.disposition_details, null),
    reason: r.reason as string | null,
    legalGround: r.legal_ground as string | null,
    decidedBy: r.decided_by as string | null,
    decidedAt: r.decided_at as string | null,
    returnRequest: r.return_request as string | null,
    departmentAnswer: r.department_answer as string | null,
    expertReviewClosedReason: r.expert_review_closed_reason as string | null,
    finalisedBy: r.finalised_by as string | null,
    finalisedAt: r.finalised_at as string | null,
    experts: sqlite
      .prepare(
        `SELECT e.id, e.expert_id AS expertId, coalesce(u.display_name, u.username) AS expertName, e.opinion, e.notes, e.answered_at AS answeredAt,
                e.handling, e.handled_by AS handledBy, e.row_version AS rowVersion
           FROM expert_reviews e JOIN users u ON u.id = e.expert_id WHERE e.submission_item_id = ? ORDER BY e.id`,
      )
      .all(id) as ReviewItemDetail['experts'],
  };
}

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

export function listSubmissions(db: Db, departmentId: number | null): SubmissionSummary[] {
  return db.$client
    .prepare(
      `SELECT s.id, d.code AS departmentCode, d.name AS departmentName, c.name AS campaignName, s.source, s.state, s.created_by AS createdBy,
              s.created_at AS createdAt, s.row_version AS rowVersion,
              (SELECT count(*) FROM submission_items si WHERE si.submission_id = s.id) AS items,
              (SELECT count(*) FROM submission_items si WHERE si.submission_id = s.id AND si.state = 'returned') AS returned
         FROM submissions s JOIN departments d ON d.id = s.department_id LEFT JOIN campaigns c ON c.id = s.campaign_id
        WHERE (@department IS NULL OR s.department_id = @department) ORDER BY s.id DESC LIMIT 500`,
    )
    .all({ department: departmentId }) as SubmissionSummary[];
}

export const getSubmission = (db: Db, id: number): (SubmissionSummary & { departmentId: number }) | null =>
  (db.$client
    .prepare(
      `SELECT s.id, s.department_id AS departmentId, d.code AS departmentCode, d.name AS departmentName, c.name AS campaignName, s.source, s.state,
              s.created_by AS createdBy, s.created_at AS createdAt, s.row_version AS rowVersion,
              (SELECT count(*) FROM submission_items si WHERE si.submission_id = s.id) AS items,
              (SELECT count(*) FROM submission_items si WHERE si.submission_id = s.id AND si.state = 'returned') AS returned
         FROM submissions s JOIN departments d ON d.id = s.department_id LEFT JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ?`,
    )
    .get(id) as (SubmissionSummary & { departmentId: number }) | undefined) ?? null;

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

/** Each department in a campaign (or the one a viewer is limited to): its deadline, what it submitted, how far review has come. */
export function campaignProgress(db: Db, campaignId: number, today: string, departmentId: number | null = null): CampaignProgressRow[] {
  const rows = db.$client
    .prepare(
      `SELECT d.code AS departmentCode, d.name AS departmentName, coalesce(cd.due_on, c.due_on) AS dueOn,
              (SELECT count(*) FROM submissions s WHERE s.campaign_id = c.id AND s.department_id = d.id AND s.state != 'withdrawn') AS submissions,
              (SELECT count(*) FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.campaign_id = c.id AND s.department_id = d.id AND si.state != 'withdrawn') AS items,
              (SELECT count(*) FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.campaign_id = c.id AND s.department_id = d.id AND si.state NOT IN ('withdrawn', 'final')) AS open,
              (SELECT count(*) FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.campaign_id = c.id AND s.department_id = d.id AND si.state = 'final') AS final
         FROM departments d JOIN campaigns c ON c.id = @campaign LEFT JOIN campaign_deadlines cd ON cd.campaign_id = c.id AND cd.department_id = d.id
        WHERE @department IS NULL OR d.id = @department
        ORDER BY submissions > 0, d.code`,
    )
    .all({ campaign: campaignId, department: departmentId }) as Omit<CampaignProgressRow, 'overdue'>[];
  return rows.map((r) => ({ ...r, overdue: r.submissions === 0 && r.dueOn !== null && r.dueOn < today }));
}

/** The audit entries of one item under review and of the catalogue item it concerns, oldest first. */
export function reviewTimeline(db: Db, id: number, itemCode: string | null) {
  return db.$client
    .prepare(
      `SELECT seq, at, actor, action, entity_type AS entityType, entity_id AS entityId, after FROM audit_log
        WHERE (entity_type = 'submission_item' AND entity_id = @id) OR (@code IS NOT NULL AND entity_type = 'item' AND entity_id = @code)
        ORDER BY seq`,
    )
    .all({ id: String(id), code: itemCode }) as { seq: number; at: string; actor: string; action: string; entityType: string; entityId: string; after: string | null }[];
}

/** The experts the legal office can assign (active accounts with the expert role). */
export const listExperts = (db: Db): { id: number; name: string }[] =>
  db.$client.prepare("SELECT id, coalesce(display_name, username) AS name FROM users WHERE role = 'expert' AND disabled = 0 ORDER BY id").all() as { id: number; name: string }[];

/** The item under review an expert's opinion belongs to. */
export const itemOfExpertReview = (db: Db, expertReviewId: number): number | null =>
  (db.$client.prepare('SELECT submission_item_id FROM expert_reviews WHERE id = ?').pluck().get(expertReviewId) as number | undefined) ?? null;

/** The states of a submission's items (withdrawn ones included). */
export const submissionItemStates = (db: Db, submissionId: number): string[] =>
  db.$client.prepare('SELECT state FROM submission_items WHERE submission_id = ?').pluck().all(submissionId) as string[];
