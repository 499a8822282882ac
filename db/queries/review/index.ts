// The review area's repository: every read and write of campaigns, submissions, submission items,
// expert reviews, findings set aside and the register, grouped by what they serve. Created once per
// database (statements are prepared once); the use cases in server/review take it as an argument.
import type { Db } from '../../client.js';
import { createCampaignsRepository } from './campaigns.js';
import { createExpertsRepository } from './experts.js';
import { createSubmissionItemsRepository } from './items.js';
import { createOutcomesRepository } from './outcomes.js';
import { createQueueRepository } from './queue.js';
import { createRegisterRepository } from './register.js';
import { createSubmissionsRepository } from './submissions.js';

export function createReviewRepository(db: Db) {
  return {
    /** The connection, for the audit log and the other areas' writers that run in the same transaction. */
    db,
    campaigns: createCampaignsRepository(db),
    submissions: createSubmissionsRepository(db),
    items: createSubmissionItemsRepository(db),
    experts: createExpertsRepository(db),
    queue: createQueueRepository(db),
    register: createRegisterRepository(db),
    /** The working catalogue as review changes it. */
    catalogue: createOutcomesRepository(db),
  };
}

export type ReviewRepository = ReturnType<typeof createReviewRepository>;

export type { CampaignRow, CampaignProgressRow } from './campaigns.js';
export type { SubmissionSummary } from './submissions.js';
export type { SubmissionItemRow, StoredFlag, TransitionColumns } from './items.js';
export type { QueueFilter, QueueRow, ReviewItemDetail } from './queue.js';
export { REGISTER_DISPOSITIONS, type RegisterDisposition, type RegisterEntry, type RegisterFilter } from './register.js';
