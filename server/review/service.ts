// The review workflow's use cases in one import: campaigns, submissions, the legal office's decisions,
// expert review and finalising. Each takes the review repository (db/queries/review) and holds the
// rules; every state change goes through the transition table (states.ts) via `move` (workflow.ts).
export { campaignSchema, closeCampaign, createCampaign, currentCampaign, deadlineSchema, getCampaign, listCampaigns, setDeadline, waitingSubmissions, type CampaignRow } from './campaigns.js';
export { answerItem, answerSchema, prepareSubmission, returnItem, returnSchema, startReview, withdrawSubmission } from './submissions.js';
export { decideItems, decisionSchema, overrideFlag, overrideSchema, type DecisionInput } from './decisions.js';
export { assignExperts, closeExpertReview, closeExpertSchema, handleOpinion, handlingSchema, opinionSchema, recordOpinion, reopenItem } from './experts.js';
export { finaliseItems, finaliseSchema, openErrorsAtFinalise, type FinaliseResult } from './finalise.js';
export { parseSelection, type Reviewer, type Selection } from './workflow.js';
export { REVIEW_ACTIONS, needsExpertReview } from './states.js';
export { createReviewRepository, type ReviewRepository } from '../../db/queries/review/index.js';
