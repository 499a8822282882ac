// Campaigns (清理专项行动): the legal office opens one, sets departments' deadlines, and closes it.
// A campaign holds every submission: one that arrives with none open waits, and joins the next opened.
import { z } from 'zod';
import { appendAudit, withTransaction } from '../../db/audit.js';
import type { CampaignRow, ReviewRepository } from '../../db/queries/review/index.js';
import { errors } from '../errors.js';
import { recheckForCampaign } from './submissions.js';
import { actorOf, isoDate, optionalDate, optionalText, parse, requiredText, type Reviewer } from './workflow.js';

export type { CampaignRow };

export const campaignSchema = z.object({
  name: requiredText(100, '请填写专项行动名称'),
  startsOn: isoDate(),
  judgedAt: optionalDate,
  dueOn: optionalDate,
  note: optionalText(2000),
});

export function createCampaign(review: ReviewRepository, reviewer: Reviewer, input: unknown): number {
  const c = parse(campaignSchema, input);
  return withTransaction(review.db, () => {
    // Without a date to judge by, the rules are judged as of the campaign's start.
    const judgedAt = c.judgedAt ?? c.startsOn;
    const id = review.campaigns.insert({ name: c.name, startsOn: c.startsOn, judgedAt, dueOn: c.dueOn, note: c.note, createdBy: reviewer.username });
    // Submissions that arrived while no campaign was open join this one, checked as of its date.
    const joined = review.campaigns.adoptWaiting(id);
    for (const submissionId of joined) recheckForCampaign(review, submissionId, judgedAt);
    appendAudit(review.db, actorOf(reviewer), { action: 'campaign.create', entityType: 'campaign', entityId: id, after: { ...c, ...(joined.length ? { joined } : {}) } });
    return id;
  });
}

export const deadlineSchema = z.object({ department: requiredText(32, '请选择部门'), dueOn: isoDate() });

export function setDeadline(review: ReviewRepository, reviewer: Reviewer, campaignId: number, input: unknown): void {
  const d = parse(deadlineSchema, input);
  withTransaction(review.db, () => {
    const departmentId = review.campaigns.departmentIdByCode(d.department);
    if (departmentId === null) throw errors.invalid('部门不存在。', { department: '部门不存在' });
    if (!review.campaigns.get(campaignId)) throw errors.notFound('专项行动');
    review.campaigns.setDeadline(campaignId, departmentId, d.dueOn);
    appendAudit(review.db, actorOf(reviewer), { action: 'campaign.deadline', entityType: 'campaign', entityId: campaignId, after: d });
  });
}

export function closeCampaign(review: ReviewRepository, reviewer: Reviewer, campaignId: number): void {
  withTransaction(review.db, () => {
    if (!review.campaigns.close(campaignId)) throw errors.conflict('该专项行动不存在或已经结束。');
    appendAudit(review.db, actorOf(reviewer), { action: 'campaign.close', entityType: 'campaign', entityId: campaignId });
  });
}

/** The campaign submissions go to now: the latest one not closed. */
export const currentCampaign = (review: ReviewRepository): CampaignRow | null => review.campaigns.current();
export const getCampaign = (review: ReviewRepository, id: number): CampaignRow | null => review.campaigns.get(id);
export const listCampaigns = (review: ReviewRepository): CampaignRow[] => review.campaigns.list();
/** How many submissions wait for a campaign to open (a department's own, or all). */
export const waitingSubmissions = (review: ReviewRepository, departmentId: number | null = null): number => review.campaigns.waitingCount(departmentId);
