// The review workflow on the web and in the JSON API: campaigns, a department's submissions, the legal
// office's queue with bulk decisions, one item under review, and the experts' assignments. Every form
// has its JSON twin under /api/v1 calling the same use case.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { createReviewRepository, type QueueRow, type ReviewItemDetail } from '../../db/queries/review/index.js';
import { listDepartments } from '../../db/queries/catalogue.js';
import { ruleCatalogue, ruleTitle, RULE_CODES } from '../checks/engine.js';
import { auditValue } from '../domain/audit-view.js';
import { destinationText } from '../review/dispositions.js';
import { can, departmentScope, scopeOf } from '../auth/policy.js';
import { CAMPAIGN_WAITING, CATEGORIES, DISPOSITIONS, FINALISE_MESSAGES, LEVELS, OPINIONS, PROPOSAL_KINDS_SHORT, label } from '../domain/labels.js';
import { CATEGORY_CODES, LEVEL_CODES, type Disposition } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { wantsJson } from '../http/errors.js';
import { urls } from '../urls.js';
import { option, pager } from '../views/models.js';
import { ITEM_FIELD_LABELS } from '../domain/item-fields.js';
import {
  answerItem,
  assignExperts,
  closeCampaign,
  closeExpertReview,
  createCampaign,
  currentCampaign,
  decideItems,
  finaliseItems,
  getCampaign,
  openErrorsAtFinalise,
  handleOpinion,
  listCampaigns,
  overrideFlag,
  parseSelection,
  recordOpinion,
  reopenItem,
  returnItem,
  setDeadline,
  startReview,
  waitingSubmissions,
  withdrawSubmission,
  type Reviewer,
} from '../review/service.js';
import { DISPOSITIONS_FOR, REVIEW_STATES, REVIEW_STATE_CODES, allowedActions, needsExpertReview, transition, type ReviewState } from '../review/states.js';
import type { SessionUser } from '../auth/sessions.js';
import { discardDraft, submitDraft } from '../review/drafts.js';
import type { RouteDeps } from './deps.js';
import { QUEUE_WAITING, QUEUE_WAITING_CODES } from '../domain/labels.js';
import { NEEDS_EXPERTS } from '../workspace/inbox.js';
import { auditActionName } from '../domain/audit-actions.js';

const RULE_TITLES = new Map(ruleCatalogue().map((r) => [r.code as string, r.title]));
const reviewerOf = (u: SessionUser): Reviewer => ({ id: u.id, username: u.username, role: u.role, departmentId: u.departmentId });
const date = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : null);
/** An item field's value in words: codes (level, service objects, category) named, limits in 个工作日. */
const fieldText = (field: string, v: unknown) => auditValue(field, v, { person: (u) => u, rule: ruleTitle });

const queueQuery = z.object({
  campaign: z.coerce.number().int().positive().optional().catch(undefined),
  department: z.string().trim().max(32).optional().catch(undefined).transform((v) => v || undefined),
  category: z.enum(CATEGORY_CODES).optional().catch(undefined),
  rule: z.enum(RULE_CODES as [string, ...string[]]).optional().catch(undefined),
  state: z.enum(REVIEW_STATE_CODES).optional().catch(undefined),
  waiting: z.enum(QUEUE_WAITING_CODES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

const today = () => new Date().toISOString().slice(0, 10);

/** Submissions that arrived with no campaign open wait for the next; who is told what about them. */
function waitingNotice(review: ReturnType<typeof createReviewRepository>, user: SessionUser) {
  if (currentCampaign(review)) return null;
  if (can(user, 'manage:campaign')) {
    const n = waitingSubmissions(review);
    return n > 0 ? { text: CAMPAIGN_WAITING.legalOffice(n), count: n, url: urls.campaigns(), linkText: CAMPAIGN_WAITING.openCampaign } : null;
  }
  const scope = departmentScope(user, 'read:submission');
  if (scope !== null && can(user, 'answer:submission') && waitingSubmissions(review, scope) > 0) return { text: CAMPAIGN_WAITING.department, count: null, url: null, linkText: null };
  return null;
}

export function reviewRoutes({ db, config, views }: RouteDeps): Router {
  const router = Router();
  const review = createReviewRepository(db);

  /* ---------------------------------------------------------------- campaigns */

  router.get('/review/campaigns', requirePermission('read:review'), (req, res) => {
    const user = currentUser(req);
    const campaigns = listCampaigns(review).map((c) => ({ ...c, url: urls.campaign(c.id), open: !c.closedAt }));
    const model = { campaigns, canManage: can(user, 'manage:campaign'), action: urls.campaigns(), values: {}, waiting: waitingNotice(review, user) };
    if (wantsJson(req)) res.json({ campaigns: listCampaigns(review) });
    else renderPage(views, req, res, 'campaigns', model, { title: '清理专项行动', jsonUrl: urls.api.campaigns() });
  });
  router.get('/api/v1/campaigns', requirePermission('read:review'), (_req, res) => {
    res.json({ campaigns: listCampaigns(review) });
  });

  const create = (req: Request, res: Response) => {
    const user = currentUser(req);
    req.ctx.formView = {
      page: 'campaigns',
      title: '清理专项行动',
      model: { campaigns: listCampaigns(review).map((c) => ({ ...c, url: urls.campaign(c.id) })), canManage: true, action: urls.campaigns(), values: req.body ?? {} },
    };
    const id = createCampaign(review, reviewerOf(user), req.body);
    if (wantsJson(req)) res.status(201).json({ id, campaign: getCampaign(review, id) });
    else res.redirect(303, urls.campaign(id));
  };
  router.post('/review/campaigns', requirePermission('manage:campaign'), create);
  router.post('/api/v1/campaigns', requirePermission('manage:campaign'), create);

  const loadCampaign = (req: Request) => {
    const id = Number(req.params.id);
    const campaign = Number.isSafeInteger(id) ? getCampaign(review, id) : null;
    if (!campaign) throw errors.notFound('专项行动');
    return campaign;
  };

  const campaignModel = (req: Request) => {
    const campaign = loadCampaign(req);
    const user = currentUser(req);
    const scope = departmentScope(user, 'read:submission');
    const mine = review.campaigns.progress(campaign.id, today(), scope);
    return {
      campaign,
      progress: mine,
      missing: scope === null ? mine.filter((p) => p.submissions === 0) : [],
      canManage: can(user, 'manage:campaign') && !campaign.closedAt,
      departments: listDepartments(db).map((d) => option(d.code, d.name, '')),
      deadlineAction: urls.campaignDeadlines(campaign.id),
      closeAction: urls.campaignClose(campaign.id),
      queueUrl: urls.reviewQueue({ campaign: campaign.id }),
      filingUrl: can(user, 'read:filing') ? urls.filing(campaign.id) : null,
    };
  };

  router.get('/review/campaigns/:id', requirePermission('read:review'), (req, res) => {
    const model = campaignModel(req);
    renderPage(views, req, res, 'campaign', model, { title: model.campaign.name, jsonUrl: urls.api.campaign(model.campaign.id) });
  });
  router.get('/api/v1/campaigns/:id', requirePermission('read:review'), (req, res) => {
    const model = campaignModel(req);
    res.json({ campaign: model.campaign, progress: model.progress, missing: model.missing.map((m) => m.departmentCode) });
  });

  const deadline = (req: Request, res: Response) => {
    const campaign = loadCampaign(req);
    req.ctx.formView = { page: 'campaign', title: campaign.name, model: campaignModel(req) };
    setDeadline(review, reviewerOf(currentUser(req)), campaign.id, req.body);
    if (wantsJson(req)) res.json({ ok: true });
    else res.redirect(303, urls.campaign(campaign.id));
  };
  router.post('/review/campaigns/:id/deadlines', requirePermission('manage:campaign'), deadline);
  router.post('/api/v1/campaigns/:id/deadlines', requirePermission('manage:campaign'), deadline);

  router.post('/review/campaigns/:id/close', requirePermission('manage:campaign'), (req, res) => {
    const campaign = loadCampaign(req);
    closeCampaign(review, reviewerOf(currentUser(req)), campaign.id);
    res.redirect(303, urls.campaign(campaign.id));
  });

  /* ---------------------------------------------------------------- submissions */

  const isWaiting = (s: { campaignName: string | null; state: string }) => s.campaignName === null && s.state !== 'draft' && s.state !== 'withdrawn';
  const submissionRows = (user: SessionUser) =>
    review.submissions.list(departmentScope(user, 'read:submission')).map((s) => ({
      ...s,
      campaignName: isWaiting(s) ? CAMPAIGN_WAITING.state : s.campaignName,
      waiting: isWaiting(s),
      url: urls.submission(s.id),
      stateName: label(REVIEW_STATES, s.state),
      createdAt: date(s.createdAt),
    }));

  router.get('/review/submissions', requirePermission('read:submission'), (req, res) => {
    const user = currentUser(req);
    const campaign = currentCampaign(review);
    const scope = departmentScope(user, 'read:submission');
    const mine = scope !== null && campaign ? review.campaigns.progress(campaign.id, today(), scope)[0] : null;
    renderPage(
      views,
      req,
      res,
      'submissions',
      { submissions: submissionRows(user), campaign, dueOn: mine?.dueOn ?? campaign?.dueOn ?? null, isDepartment: can(user, 'answer:submission'), importUrl: urls.imports(), waiting: waitingNotice(review, user) },
      { title: '申报', jsonUrl: urls.api.submissions() },
    );
  });
  router.get('/api/v1/submissions', requirePermission('read:submission'), (req, res) => {
    res.json({ submissions: review.submissions.list(departmentScope(currentUser(req), 'read:submission')).map((s) => ({ ...s, waitingForCampaign: isWaiting(s) })) });
  });

  const loadSubmission = (req: Request) => {
    const id = Number(req.params.id);
    const s = Number.isSafeInteger(id) ? review.submissions.summary(id) : null;
    const user = currentUser(req);
    if (!s || !can(user, 'read:submission', { departmentId: s.departmentId })) throw errors.notFound('申报');
    return s;
  };

  const submissionModel = (req: Request) => {
    const s = loadSubmission(req);
    const user = currentUser(req);
    const items = review.queue.list({ submissionId: s.id, departmentId: s.departmentId, page: 1, pageSize: 100_000 }).rows;
    const states = review.submissions.itemStates(s.id) as ReviewState[];
    const noFacts = { kind: 'change' as const, disposition: null, expertsAssigned: 0, expertsPending: 0, expertReviewClosed: false };
    return {
      submission: { ...s, stateName: label(REVIEW_STATES, s.state), createdAt: date(s.createdAt), waiting: isWaiting(s) ? CAMPAIGN_WAITING.state : null },
      waiting: isWaiting(s) ? waitingNotice(review, user) : null,
      items: items.map(queueRowModel),
      // Withdrawing is allowed only while nobody has started on any of its items (the transition table says so).
      canWithdraw: states.length > 0 && states.every((st) => allowedActions(st, user.role, noFacts).has('withdraw')),
      withdrawAction: urls.submissionWithdraw(s.id),
      isDraft: can(user, 'answer:submission', { departmentId: s.departmentId }) && s.state === 'draft',
      submitAction: urls.submissionSubmit(s.id),
      discardAction: urls.submissionDiscard(s.id),
    };
  };

  router.get('/review/submissions/:id', requirePermission('read:submission'), (req, res) => {
    const model = submissionModel(req);
    renderPage(views, req, res, 'submission', model, { title: `申报 #${model.submission.id}`, jsonUrl: urls.api.submission(model.submission.id) });
  });
  router.get('/api/v1/submissions/:id', requirePermission('read:submission'), (req, res) => {
    const model = submissionModel(req);
    const s = loadSubmission(req);
    res.json({ submission: { ...s, waitingForCampaign: isWaiting(s) }, items: model.items });
  });

  const withdraw = (req: Request, res: Response) => {
    const s = loadSubmission(req);
    req.ctx.formView = { page: 'submission', title: `申报 #${s.id}`, model: submissionModel(req) };
    withdrawSubmission(review, reviewerOf(currentUser(req)), s.id, req.body ?? {});
    if (wantsJson(req)) res.json({ submission: review.submissions.summary(s.id) });
    else res.redirect(303, urls.submission(s.id));
  };
  router.post('/review/submissions/:id/withdraw', requirePermission('answer:submission'), withdraw);

  const submit = (req: Request, res: Response) => {
    const s = loadSubmission(req);
    req.ctx.formView = { page: 'submission', title: `申报 #${s.id}`, model: submissionModel(req) };
    const count = submitDraft(review, reviewerOf(currentUser(req)), s.id, req.body ?? {});
    if (wantsJson(req)) res.json({ submitted: count, submission: review.submissions.summary(s.id) });
    else res.redirect(303, urls.submission(s.id));
  };
  router.post('/review/submissions/:id/submit', requirePermission('answer:submission'), submit);
  router.post('/api/v1/submissions/:id/submit', requirePermission('answer:submission'), submit);

  const discard = (req: Request, res: Response) => {
    const s = loadSubmission(req);
    req.ctx.formView = { page: 'submission', title: `申报 #${s.id}`, model: submissionModel(req) };
    discardDraft(review, reviewerOf(currentUser(req)), s.id);
    if (wantsJson(req)) res.json({ discarded: s.id });
    else res.redirect(303, urls.submissions());
  };
  router.post('/review/submissions/:id/discard', requirePermission('answer:submission'), discard);
  router.post('/api/v1/submissions/:id/discard', requirePermission('answer:submission'), discard);
  router.post('/api/v1/submissions/:id/withdraw', requirePermission('answer:submission'), withdraw);

  /* ---------------------------------------------------------------- the queue */

  const queueRowModel = (r: QueueRow) => ({
    ...r,
    url: urls.reviewItem(r.id),
    kindName: PROPOSAL_KINDS_SHORT[r.kind],
    stateName: label(REVIEW_STATES, r.state),
    categoryName: label(CATEGORIES, r.category),
    dispositionName: label(DISPOSITIONS, r.disposition),
    selection: `${r.id}:${r.rowVersion}`,
    flags: r.flagRules.map((rule) => ({ rule, title: RULE_TITLES.get(rule) ?? rule, overridden: r.overridden.includes(rule) })),
  });

  const experts = () => review.experts.list();

  const queueModel = (req: Request) => {
    const user = currentUser(req);
    const q = queueQuery.parse(req.query);
    const { page, ...filters } = q;
    const result = review.queue.list({
      ...q,
      needsExperts: NEEDS_EXPERTS,
      pageSize: config.pageSize,
      departmentId: scopeOf(user, 'read:review')?.departmentId ?? null,
      expertId: scopeOf(user, 'read:review')?.assignedTo ?? null,
    });
    return {
      q,
      rows: result.rows.map(queueRowModel),
      total: result.total,
      pager: pager(result.total, page, config.pageSize, urls.reviewQueue, filters),
      isExpert: can(user, 'create:opinion'),
      canDecide: can(user, 'decide:review'),
      waiting: waitingNotice(review, user),
      filters: {
        campaigns: listCampaigns(review).map((c) => option(String(c.id), c.name, q.campaign ? String(q.campaign) : '')),
        departments: listDepartments(db).map((d) => option(d.code, d.name, q.department)),
        categories: CATEGORY_CODES.map((c) => option(c, CATEGORIES[c], q.category)),
        rules: ruleCatalogue().map((r) => option(r.code, r.title, q.rule)),
        states: REVIEW_STATE_CODES.map((s) => option(s, REVIEW_STATES[s], q.state)),
        waiting: QUEUE_WAITING_CODES.map((w) => option(w, QUEUE_WAITING[w], q.waiting)),
      },
      dispositions: Object.entries(DISPOSITIONS).map(([value, text]) => ({ value, text })),
      levels: LEVEL_CODES.map((l) => ({ value: l, text: LEVELS[l] })),
      experts: experts(),
      setAsideLabel: FINALISE_MESSAGES.bulkSetAsideLabel,
      action: urls.reviewQueueActions(),
      back: req.originalUrl,
    };
  };

  router.get('/review/queue', requirePermission('read:review'), (req, res) => {
    const model = queueModel(req);
    const { page, ...filters } = model.q;
    renderPage(views, req, res, 'review-queue', model, { title: model.isExpert ? '待评审事项' : '审核工作台', jsonUrl: urls.api.reviewQueue({ ...filters, page }) });
  });
  router.get('/api/v1/review/queue', requirePermission('read:review'), (req, res) => {
    const user = currentUser(req);
    const q = queueQuery.parse(req.query);
    const scope = scopeOf(user, 'read:review');
    const result = review.queue.list({ ...q, needsExperts: NEEDS_EXPERTS, pageSize: config.pageSize, departmentId: scope?.departmentId ?? null, expertId: scope?.assignedTo ?? null });
    res.json({ total: result.total, page: q.page, items: result.rows });
  });

  /** Bulk actions on the queue: the same use cases as one item, for every ticked row. */
  const bulk = (req: Request, res: Response) => {
    const user = currentUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!wantsJson(req)) req.ctx.formView = { page: 'review-queue', title: '审核工作台', model: { ...queueModel(req), values: body } };
    const selection = parseSelection(body.item ?? body.items);
    const reviewer = reviewerOf(user);
    let done: number;
    switch (body.action) {
      case 'start_review':
        done = startReview(review, reviewer, selection);
        break;
      case 'decide':
        done = decideItems(review, reviewer, selection, body);
        break;
      case 'assign_experts':
        done = assignExperts(review, reviewer, selection, parseSelection(body.expert ?? body.experts).map((e) => e.id));
        break;
      case 'finalise':
        done = finaliseItems(review, reviewer, selection, { setAsideReason: body.setAsideReason }).finalised;
        break;
      default:
        throw errors.invalid('请选择要执行的操作。');
    }
    if (wantsJson(req)) res.json({ done });
    else {
      const back = typeof body.back === 'string' && body.back.startsWith('/review/queue') ? body.back : urls.reviewQueue();
      res.redirect(303, `${back}${back.includes('?') ? '&' : '?'}done=${done}`);
    }
  };
  router.post('/review/queue/actions', requirePermission('decide:review'), bulk);
  router.post('/api/v1/review/actions', requirePermission('decide:review'), bulk);

  /* ---------------------------------------------------------------- one item */

  const loadReviewItem = (req: Request): ReviewItemDetail => {
    const id = Number(req.params.id);
    const item = Number.isSafeInteger(id) ? review.queue.item(id) : null;
    const user = currentUser(req);
    if (!item || !can(user, 'read:review', { departmentId: item.departmentId, assignedTo: item.experts.map((e) => e.expertId) })) throw errors.notFound('申报事项');
    return item;
  };

  const itemModel = (req: Request, values: Record<string, unknown> = {}) => {
    const item = loadReviewItem(req);
    const user = currentUser(req);
    const legal = can(user, 'decide:review');
    const fields = (item.proposal?.fields ?? {}) as Record<string, unknown>;
    const proposalRows =
      item.kind === 'new'
        ? Object.entries(ITEM_FIELD_LABELS).map(([k, l]) => ({ label: l, after: fieldText(k, fields[k]) }))
        : [];
    const changeRows = (item.changes ?? []).map((c) => ({
      label: c.label ?? ITEM_FIELD_LABELS[c.field as keyof typeof ITEM_FIELD_LABELS] ?? c.field,
      before: fieldText(c.field, c.before),
      after: fieldText(c.field, c.after),
    }));
    const citations = ((item.proposal?.citations ?? []) as { title: string; article: string | null; role: string }[]).map((c) => ({
      text: `《${c.title.replace(/^《|》$/g, '')}》${c.article ?? ''}`,
      implementing: c.role === 'implementing',
    }));
    const overridden = new Map(item.overrides.map((o) => [o.rule, o]));
    const mine = item.experts.find((e) => e.expertId === user.id);
    const dispositionChoices = DISPOSITIONS_FOR[item.kind];
    const facts = {
      kind: item.kind,
      disposition: item.disposition as Disposition | null,
      expertsAssigned: item.experts.length,
      expertsPending: item.experts.filter((e) => !e.answeredAt).length,
      expertReviewClosed: item.expertReviewClosedReason !== null,
    };
    const state = item.state as ReviewState;
    const allowed = allowedActions(state, user.role, facts);
    const finalise = transition(state, 'finalise', user.role, facts);
    return {
      item: {
        ...item,
        kindName: PROPOSAL_KINDS_SHORT[item.kind],
        stateName: label(REVIEW_STATES, item.state),
        categoryName: label(CATEGORIES, item.category),
        /** Imported without a category anyone understood: the decision must settle it before finalising. */
        unclassified: item.category === 'unclassified',
        dispositionName: label(DISPOSITIONS, item.disposition),
        proposedDispositionName: item.proposedDisposition ? label(DISPOSITIONS, item.proposedDisposition) : null,
        destination: destinationText(item.disposition, item.dispositionDetails),
        decidedAt: date(item.decidedAt),
        finalisedAt: date(item.finalisedAt),
        catalogueUrl: item.itemCode ? urls.item(item.itemCode) : null,
        submissionUrl: urls.submission(item.submissionId),
        needsExperts: needsExpertReview(item.kind, item.disposition as never),
      },
      proposalRows,
      changeRows,
      citations,
      flags: item.flags.map((f) => ({ ...f, title: RULE_TITLES.get(f.rule) ?? f.rule, override: overridden.get(f.rule) ?? null })),
      experts: item.experts.map((e) => ({ ...e, opinionName: e.opinion ? OPINIONS[e.opinion as keyof typeof OPINIONS] : '尚未提出', answeredAt: date(e.answeredAt), handleAction: urls.reviewOpinionHandling(e.id) })),
      timeline: review.queue.timeline(item.id, item.itemCode).map((t) => ({ ...t, at: date(t.at), action: auditActionName(t.action) })),
      legal,
      // What the page offers follows the transition table (server/review/states.ts); a decision or a
      // return on an item not yet under review takes it into review first.
      canDecide: allowed.has('decide') || allowed.has('start_review'),
      canStart: allowed.has('start_review'),
      canReturn: allowed.has('return') || allowed.has('start_review'),
      canAssign: allowed.has('send_to_experts') || (legal && item.state === 'in_expert_review'),
      canFinalise: allowed.has('finalise'),
      // Errors still open on an item the decision keeps: finalising asks for the reason to set them aside.
      finaliseOpenErrors: allowed.has('finalise') ? openErrorsAtFinalise(review, review.items.get(item.id)!).map((rule) => ({ rule, title: ruleTitle(rule) })) : [],
      finaliseWords: FINALISE_MESSAGES,
      finaliseBlocked: legal && !allowed.has('finalise') && (item.state === 'decided' || item.state === 'in_expert_review') ? finalise.ok ? null : finalise.reason : null,
      canCloseExperts: legal && item.state === 'in_expert_review' && !item.expertReviewClosedReason,
      canReopen: allowed.has('reopen'),
      canOverride: legal && !['final', 'withdrawn'].includes(item.state),
      canAnswer: allowed.has('answer'),
      // A returned change of a catalogue item is corrected in the item form itself (the proposal changes).
      correctUrl: allowed.has('answer') && item.kind === 'change' && item.itemCode ? urls.editItem(item.itemCode) : null,
      canOpinion: can(user, 'create:opinion') && mine !== undefined && item.state === 'in_expert_review',
      myReview: mine ?? null,
      opinions: Object.entries(OPINIONS).map(([value, text]) => ({ value, text, selected: mine?.opinion === value })),
      // The department's 处理意见 is offered first: the reviewer confirms or changes it.
      dispositions: dispositionChoices.map((d) => ({ value: d, text: DISPOSITIONS[d], selected: (values.disposition ?? item.proposedDisposition) === d })),
      levels: LEVEL_CODES.map((l) => ({ value: l, text: LEVELS[l] })),
      categories: CATEGORY_CODES.map((c) => ({ value: c, text: CATEGORIES[c] })),
      expertUsers: experts(),
      values,
      actions: {
        start: urls.reviewQueueActions(),
        decide: urls.reviewItemAction(item.id, 'decide'),
        return: urls.reviewItemAction(item.id, 'return'),
        answer: urls.reviewItemAction(item.id, 'answer'),
        override: urls.reviewItemAction(item.id, 'override'),
        experts: urls.reviewItemAction(item.id, 'experts'),
        closeExperts: urls.reviewItemAction(item.id, 'close-experts'),
        finalise: urls.reviewItemAction(item.id, 'finalise'),
        reopen: urls.reviewItemAction(item.id, 'reopen'),
        opinion: urls.reviewItemAction(item.id, 'opinion'),
      },
      selection: `${item.id}:${item.rowVersion}`,
      back: urls.reviewItem(item.id),
    };
  };

  router.get('/review/items/:id', requirePermission('read:review'), (req, res) => {
    const model = itemModel(req);
    renderPage(views, req, res, 'review-item', model, { title: model.item.name ?? `申报事项 #${model.item.id}`, jsonUrl: urls.api.reviewItem(model.item.id) });
  });
  router.get('/api/v1/review/items/:id', requirePermission('read:review'), (req, res) => {
    const item = loadReviewItem(req);
    res.json({ item, timeline: review.queue.timeline(item.id, item.itemCode) });
  });

  type ItemAction = (reviewer: Reviewer, id: number, body: Record<string, unknown>) => void;
  const ACTIONS: Record<string, { permission: Parameters<typeof requirePermission>[0]; run: ItemAction }> = {
    decide: { permission: 'decide:review', run: (r, id, b) => decideItems(review, r, [{ id, rowVersion: Number(b.rowVersion) }], b) },
    return: { permission: 'decide:review', run: (r, id, b) => returnItem(review, r, id, b) },
    answer: { permission: 'answer:submission', run: (r, id, b) => answerItem(review, r, id, b) },
    override: { permission: 'decide:review', run: (r, id, b) => overrideFlag(review, r, id, b) },
    experts: {
      permission: 'decide:review',
      run: (r, id, b) => assignExperts(review, r, [{ id, rowVersion: Number(b.rowVersion) }], parseSelection(b.expert ?? b.experts).map((e) => e.id)),
    },
    'close-experts': { permission: 'decide:review', run: (r, id, b) => closeExpertReview(review, r, id, b) },
    finalise: { permission: 'decide:review', run: (r, id, b) => void finaliseItems(review, r, [{ id, rowVersion: Number(b.rowVersion) }], { setAsideReason: b.setAsideReason }) },
    reopen: { permission: 'decide:review', run: (r, id, b) => reopenItem(review, r, id, b) },
    opinion: { permission: 'create:opinion', run: (r, id, b) => recordOpinion(review, r, id, b) },
  };

  for (const [name, action] of Object.entries(ACTIONS)) {
    const handler = (req: Request, res: Response) => {
      const item = loadReviewItem(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!wantsJson(req)) req.ctx.formView = { page: 'review-item', title: item.name ?? '申报事项', model: itemModel(req, body) };
      if (body.rowVersion === undefined && name !== 'opinion' && name !== 'override') throw errors.invalid('缺少版本号，请刷新页面后重试。');
      action.run(reviewerOf(currentUser(req)), item.id, body);
      if (wantsJson(req)) res.json({ item: review.queue.item(item.id) });
      else res.redirect(303, `${urls.reviewItem(item.id)}?done=${name}`);
    };
    router.post(`/review/items/:id/${name}`, requirePermission(action.permission), handler);
    router.post(`/api/v1/review/items/:id/${name}`, requirePermission(action.permission), handler);
  }

  const handling = (req: Request, res: Response) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id)) throw errors.notFound('专家意见');
    const itemId = review.experts.itemOf(id);
    if (itemId === null) throw errors.notFound('专家意见');
    handleOpinion(review, reviewerOf(currentUser(req)), id, req.body ?? {});
    if (wantsJson(req)) res.json({ ok: true });
    else res.redirect(303, urls.reviewItem(itemId));
  };
  router.post('/review/opinions/:id/handling', requirePermission('decide:review'), handling);
  router.post('/api/v1/review/opinions/:id/handling', requirePermission('decide:review'), handling);

  return router;
}
