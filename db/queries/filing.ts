// The filing record (备案) of one campaign: every standing decision with its reason and legal ground,
// who decided and when, the flags set aside, the experts' opinions and how they were handled, and
// totals by department and by disposition. One function feeds the page, its JSON twin and the xlsx.
import type { Db } from '../client.js';
import { CATEGORIES, DISPOSITIONS, DISPOSITION_CODES, LEVELS, OPINIONS, PROPOSAL_KINDS, REVIEW_STATES, label, type Disposition, type Opinion, type ProposalKind, type ReviewState } from '../../server/domain/vocabulary.js';

/** The states in which an item carries a decision that stands (a reopened item is back under review). */
const DECIDED_STATES: readonly ReviewState[] = ['decided', 'in_expert_review', 'final'];

export interface FilingOverride {
  rule: string;
  /** The finding's severity on the proposal (error, warning, info): an error set aside let an unlawful-looking item through. */
  severity: string | null;
  reason: string;
  createdBy: string;
  createdAt: string;
}

export interface FilingOpinion {
  expert: string;
  opinion: Opinion | null;
  opinionName: string;
  notes: string | null;
  answeredAt: string | null;
  handling: string | null;
  handledBy: string | null;
  handledAt: string | null;
}

export interface FilingEntry {
  submissionItemId: number;
  submissionId: number;
  itemCode: string | null;
  itemName: string;
  category: string | null;
  categoryName: string;
  departmentCode: string;
  departmentName: string;
  kind: ProposalKind;
  kindName: string;
  state: ReviewState;
  stateName: string;
  disposition: Disposition;
  dispositionName: string;
  destination: string | null;
  reason: string;
  legalGround: string | null;
  decidedBy: string;
  decidedAt: string;
  overrides: FilingOverride[];
  opinions: FilingOpinion[];
  expertReviewClosedReason: string | null;
  finalisedBy: string | null;
  finalisedAt: string | null;
}

export interface DepartmentTotal {
  code: string;
  name: string;
  total: number;
  finalised: number;
  byDisposition: Record<Disposition, number>;
}

export interface FilingRecord {
  campaign: { id: number; name: string; startsOn: string; judgedAt: string; dueOn: string | null; closedAt: string | null };
  entries: FilingEntry[];
  totals: {
    items: number;
    finalised: number;
    /** Finalised items of which at least one error-severity finding was set aside. */
    finalisedWithErrorsSetAside: number;
    byDepartment: DepartmentTotal[];
    byDisposition: { disposition: Disposition; name: string; count: number }[];
  };
}

/** Where a decision sends an item, in words: the register's text once finalised, else from the decision's details. */
function destinationOf(disposition: Disposition, detailsJson: string | null): string | null {
  const d = JSON.parse(detailsJson ?? '{}') as Record<string, string | undefined>;
  switch (disposition) {
    case 'delegate':
      return d.body ? `下放至${label(LEVELS, d.level)}：${d.body}` : null;
    case 'merge':
      return d.intoCode ? `并入“${d.intoName ?? ''}”（${d.intoCode}）` : null;
    case 'transfer':
      return d.body ? `转移至${d.body}` : null;
    case 'change_mode':
      return d.mode ? `改变管理方式：${d.mode}${d.category ? `（改为${label(CATEGORIES, d.category)}）` : ''}` : null;
    default:
      return null;
  }
}

/** The most serious severity a rule's findings had on the proposal, or null when the rule is no longer among them. */
function severityOf(flagsJson: string | null, rule: string): string | null {
  const found = (JSON.parse(flagsJson ?? '[]') as { rule: string; severity: string }[]).filter((f) => f.rule === rule).map((f) => f.severity);
  return (['error', 'warning', 'info'] as const).find((s) => found.includes(s)) ?? null;
}

const zeroCounts = () => Object.fromEntries(DISPOSITION_CODES.map((d) => [d, 0])) as Record<Disposition, number>;

interface EntryRow {
  id: number;
  submission_id: number;
  item_code: string | null;
  name: string | null;
  item_name: string | null;
  category: string | null;
  department_code: string;
  department_name: string;
  kind: ProposalKind;
  state: ReviewState;
  disposition: Disposition;
  disposition_details: string | null;
  register_destination: string | null;
  reason: string | null;
  legal_ground: string | null;
  decided_by: string;
  decided_at: string;
  expert_review_closed_reason: string | null;
  finalised_by: string | null;
  finalised_at: string | null;
  flags: string | null;
}

/** The filing record of a campaign, or null when there is no such campaign. */
export function filingRecord(db: Db, campaignId: number): FilingRecord | null {
  const sqlite = db.$client;
  const campaign = sqlite
    .prepare('SELECT id, name, starts_on AS startsOn, judged_at AS judgedAt, due_on AS dueOn, closed_at AS closedAt FROM campaigns WHERE id = ?')
    .get(campaignId) as FilingRecord['campaign'] | undefined;
  if (!campaign) return null;

  // People are shown by their display name; a username no longer on file is shown as it was recorded.
  const rows = sqlite
    .prepare(
      `SELECT si.id, si.submission_id, i.code AS item_code, si.name, i.name AS item_name, coalesce(si.category, i.category) AS category,
              d.code AS department_code, d.name AS department_name, si.kind, si.state, si.disposition, si.disposition_details,
              (SELECT r.destination FROM register_entries r WHERE r.submission_item_id = si.id ORDER BY r.id DESC LIMIT 1) AS register_destination,
              si.reason, si.legal_ground,
              coalesce((SELECT u.display_name FROM users u WHERE u.username = si.decided_by), si.decided_by) AS decided_by, si.decided_at,
              si.expert_review_closed_reason,
              coalesce((SELECT u.display_name FROM users u WHERE u.username = si.finalised_by), si.finalised_by) AS finalised_by, si.finalised_at, si.flags
         FROM submission_items si
         JOIN submissions s ON s.id = si.submission_id
         JOIN departments d ON d.id = s.department_id
         LEFT JOIN items i ON i.id = si.item_id
        WHERE s.campaign_id = ? AND si.disposition IS NOT NULL AND si.state IN (${DECIDED_STATES.map(() => '?').join(', ')})
        ORDER BY d.code, si.id`,
    )
    .all(campaignId, ...DECIDED_STATES) as EntryRow[];

  const overrides = sqlite.prepare(
    `SELECT rule, reason, coalesce((SELECT u.display_name FROM users u WHERE u.username = o.created_by), o.created_by) AS createdBy, created_at AS createdAt
       FROM flag_overrides o WHERE submission_item_id = ? ORDER BY id`,
  );
  const opinions = sqlite.prepare(
    `SELECT u.display_name AS expert, e.opinion, e.notes, e.answered_at AS answeredAt, e.handling,
            coalesce((SELECT h.display_name FROM users h WHERE h.username = e.handled_by), e.handled_by) AS handledBy, e.handled_at AS handledAt
       FROM expert_reviews e JOIN users u ON u.id = e.expert_id WHERE e.submission_item_id = ? ORDER BY e.id`,
  );

  const entries: FilingEntry[] = rows.map((r) => ({
    submissionItemId: r.id,
    submissionId: r.submission_id,
    itemCode: r.item_code,
    itemName: r.name ?? r.item_name ?? '',
    category: r.category,
    categoryName: label(CATEGORIES, r.category),
    departmentCode: r.department_code,
    departmentName: r.department_name,
    kind: r.kind,
    kindName: PROPOSAL_KINDS[r.kind],
    state: r.state,
    stateName: REVIEW_STATES[r.state],
    disposition: r.disposition,
    dispositionName: label(DISPOSITIONS, r.disposition),
    destination: r.register_destination ?? destinationOf(r.disposition, r.disposition_details),
    reason: r.reason ?? '',
    legalGround: r.legal_ground,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    overrides: (overrides.all(r.id) as Omit<FilingOverride, 'severity'>[]).map((o) => ({ ...o, severity: severityOf(r.flags, o.rule) })),
    opinions: (opinions.all(r.id) as Omit<FilingOpinion, 'opinionName'>[]).map((o) => ({
      ...o,
      opinionName: o.opinion ? OPINIONS[o.opinion] : '尚未提出意见',
    })),
    expertReviewClosedReason: r.expert_review_closed_reason,
    finalisedBy: r.finalised_by,
    finalisedAt: r.finalised_at,
  }));

  const departments = new Map<string, DepartmentTotal>();
  const byDisposition = zeroCounts();
  for (const e of entries) {
    let t = departments.get(e.departmentCode);
    if (!t) departments.set(e.departmentCode, (t = { code: e.departmentCode, name: e.departmentName, total: 0, finalised: 0, byDisposition: zeroCounts() }));
    t.total++;
    t.byDisposition[e.disposition]++;
    byDisposition[e.disposition]++;
    if (e.state === 'final') t.finalised++;
  }

  return {
    campaign,
    entries,
    totals: {
      items: entries.length,
      finalised: entries.filter((e) => e.state === 'final').length,
      finalisedWithErrorsSetAside: entries.filter((e) => e.state === 'final' && e.overrides.some((o) => o.severity === 'error')).length,
      byDepartment: [...departments.values()],
      byDisposition: DISPOSITION_CODES.map((d) => ({ disposition: d, name: DISPOSITIONS[d], count: byDisposition[d] })),
    },
  };
}
