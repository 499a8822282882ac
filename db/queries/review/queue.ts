// Reading the review workflow: the legal office's queue (filtered by the flags' json, so in SQL), one
// item under review with everything a reviewer needs, and its history from the audit log.
import type { Db } from '../../client.js';
import { READY_TO_FINALISE } from '../inbox.js';
import { PROPOSAL_OF_SI } from './proposal.js';

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
  /** Only what waits for a step (an inbox row's list): an expert's opinion, the handling of one, or finalising. */
  waiting?: 'opinion' | 'handling' | 'finalise' | undefined;
  /** With waiting = finalise: the `kind:disposition` pairs that need experts first (the workflow's rule). */
  needsExperts?: readonly string[];
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
  const params: Record<string, string | number | null> = {};
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
  if (f.waiting === 'opinion') {
    clauses.push(
      "si.state = 'in_expert_review' AND EXISTS (SELECT 1 FROM expert_reviews e WHERE e.submission_item_id = si.id AND e.answered_at IS NULL AND (@waitingExpert IS NULL OR e.expert_id = @waitingExpert))",
    );
    params.waitingExpert = f.expertId ?? null;
  } else if (f.waiting === 'handling') {
    clauses.push(
      "si.state = 'in_expert_review' AND EXISTS (SELECT 1 FROM expert_reviews e WHERE e.submission_item_id = si.id AND e.answered_at IS NOT NULL AND e.handled_at IS NULL)",
    );
  } else if (f.waiting === 'finalise') {
    clauses.push(`((${READY_TO_FINALISE.decided}) OR (${READY_TO_FINALISE.reviewed}))`);
    params.needsExperts = JSON.stringify(f.needsExperts ?? []);
  }
  return { sql: clauses.join(' AND '), params };
}

const FROM = `FROM submission_items si JOIN submissions s ON s.id = si.submission_id JOIN departments d ON d.id = s.department_id
   LEFT JOIN items i ON i.id = si.item_id`;

function listQueue(db: Db, filter: QueueFilter): { total: number; rows: QueueRow[] } {
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
  /** The department's 处理意见 and its reason (an upload's column, or the cancellation a complete list implies). */
  proposedDisposition: string | null;
  proposedReason: string | null;
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

function detailStatements(db: Db) {
  const sqlite = db.$client;
  return {
    row: sqlite.prepare(
      `SELECT si.*, ${PROPOSAL_OF_SI} AS proposal_read, s.state AS submission_state, s.campaign_id, c.name AS campaign_name, s.department_id, d.code AS department_code, d.name AS department_name,
              i.code AS item_code
         FROM submission_items si JOIN submissions s ON s.id = si.submission_id JOIN departments d ON d.id = s.department_id
         LEFT JOIN campaigns c ON c.id = s.campaign_id LEFT JOIN items i ON i.id = si.item_id WHERE si.id = ?`,
    ),
    overrides: sqlite.prepare('SELECT rule, reason, created_by AS createdBy, created_at AS createdAt FROM flag_overrides WHERE submission_item_id = ? ORDER BY id'),
    experts: sqlite.prepare(
      `SELECT e.id, e.expert_id AS expertId, coalesce(u.display_name, u.username) AS expertName, e.opinion, e.notes, e.answered_at AS answeredAt,
              e.handling, e.handled_by AS handledBy, e.row_version AS rowVersion
         FROM expert_reviews e JOIN users u ON u.id = e.expert_id WHERE e.submission_item_id = ? ORDER BY e.id`,
    ),
  };
}

function getReviewItem(statements: ReturnType<typeof detailStatements>, id: number): ReviewItemDetail | null {
  const r = statements.row.get(id) as Record<string, unknown> | undefined;
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
    proposal: json(r.proposal_read, null),
    changes: json(r.changes, null),
    flags: json(r.flags, []),
    overrides: statements.overrides.all(id) as ReviewItemDetail['overrides'],
    disposition: r.disposition as string | null,
    dispositionDetails: json(r.disposition_details, null),
    proposedDisposition: r.proposed_disposition as string | null,
    proposedReason: r.proposed_reason as string | null,
    reason: r.reason as string | null,
    legalGround: r.legal_ground as string | null,
    decidedBy: r.decided_by as string | null,
    decidedAt: r.decided_at as string | null,
    returnRequest: r.return_request as string | null,
    departmentAnswer: r.department_answer as string | null,
    expertReviewClosedReason: r.expert_review_closed_reason as string | null,
    finalisedBy: r.finalised_by as string | null,
    finalisedAt: r.finalised_at as string | null,
    experts: statements.experts.all(id) as ReviewItemDetail['experts'],
  };
}

/** The audit entries of one item under review and of the catalogue item it concerns, oldest first. */
const timelineStatement = (db: Db) =>
  db.$client.prepare(
      `SELECT seq, at, actor, action, entity_type AS entityType, entity_id AS entityId, after FROM audit_log
        WHERE (entity_type = 'submission_item' AND entity_id = @id) OR (@code IS NOT NULL AND entity_type = 'item' AND entity_id = @code)
        ORDER BY seq`,
  );

export function createQueueRepository(db: Db) {
  const detail = detailStatements(db);
  const timeline = timelineStatement(db);
  return {
    /** A page of the queue; the filters change the WHERE, so it is built per call. */
    list: (filter: QueueFilter) => listQueue(db, filter),
    item: (id: number) => getReviewItem(detail, id),
    timeline: (id: number, itemCode: string | null) =>
      timeline.all({ id: String(id), code: itemCode }) as { seq: number; at: string; actor: string; action: string; entityType: string; entityId: string; after: string | null }[],
  };
}

export type QueueRepository = ReturnType<typeof createQueueRepository>;
