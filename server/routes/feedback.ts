// Public feedback on an item: the citizen's form (no account), and the legal office's page where it is
// read and answered, with its JSON twin.
import { Router, type Request } from 'express';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { errors } from '../errors.js';
import { urls } from '../urls.js';
import { answerFeedback, feedbackListQuery, FEEDBACK_LIMITS, HONEYPOT_FIELD, listFeedback, submitFeedback } from '../feedback/feedback.js';
import { FEEDBACK_KINDS, FEEDBACK_KIND_CODES } from '../domain/vocabulary.js';
import { FEEDBACK_MESSAGES, label, localTime } from '../domain/labels.js';
import { can } from '../auth/policy.js';
import { pager } from '../views/models.js';
import type { FeedbackRecord } from '../../db/queries/feedback.js';
import type { RouteDeps } from './deps.js';

const STATES = { open: '待答复', answered: '已答复', all: '全部' } as const;

export function feedbackRoutes({ db, views, services, publicCatalogue }: RouteDeps): Router {
  const router = Router();

  const itemOf = (req: Request) => {
    const item = publicCatalogue(req.ctx.user).getItem(req.params.code as string);
    if (!item) throw errors.notFound('事项');
    return item;
  };
  const formModel = (req: Request, item: { code: string; name: string }, values: Record<string, unknown>) => ({
    item: { code: item.code, name: item.name, url: urls.item(item.code) },
    action: urls.itemFeedback(item.code),
    kinds: FEEDBACK_KIND_CODES.map((c) => ({ value: c, text: FEEDBACK_KINDS[c], checked: (values.kind ?? 'comment') === c })),
    values: { body: typeof values.body === 'string' ? values.body : '', contact: typeof values.contact === 'string' ? values.contact : '' },
    limits: FEEDBACK_LIMITS,
    honeypot: HONEYPOT_FIELD,
    sent: req.query.sent === '1',
    sentMessage: FEEDBACK_MESSAGES.sent,
  });

  router.get('/items/:code/feedback', (req, res) => {
    const item = itemOf(req);
    renderPage(views, req, res, 'feedback-form', formModel(req, item, {}), { title: `留言：${item.name}` });
  });

  router.post('/items/:code/feedback', (req, res) => {
    const item = itemOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.ctx.formView = { page: 'feedback-form', title: `留言：${item.name}`, model: formModel(req, item, body) };
    submitFeedback(db, services.feedbackThrottle, item, body, req.ip ?? req.socket.remoteAddress ?? '');
    res.redirect(303, `${urls.itemFeedback(item.code)}?sent=1`);
  });

  const row = (f: FeedbackRecord, canAnswer: boolean) => ({
    id: f.id,
    itemName: f.itemName,
    itemCode: f.itemCode,
    itemUrl: urls.item(f.itemCode),
    kindName: label(FEEDBACK_KINDS, f.kind),
    body: f.body,
    contact: f.contact,
    address: f.address,
    createdAt: localTime(f.createdAt),
    answer: f.answer ?? '',
    answerPublic: f.answerPublic,
    answered: f.answeredAt !== null,
    answeredBy: f.answeredBy,
    answeredAt: localTime(f.answeredAt),
    rowVersion: f.rowVersion,
    action: canAnswer ? urls.answerFeedback(f.id) : null,
  });

  const pageModel = (req: Request) => {
    const user = currentUser(req);
    const q = feedbackListQuery.parse(req.query);
    const list = listFeedback(db, user, q.state, q.page);
    const canAnswer = can(user, 'answer:feedback');
    return {
      data: list,
      model: {
        states: (Object.keys(STATES) as (keyof typeof STATES)[]).map((s) => ({ value: s, text: STATES[s], current: s === q.state, url: urls.feedback({ state: s }) })),
        stateName: STATES[q.state],
        rows: list.rows.map((f) => row(f, canAnswer)),
        pager: pager(list.total, list.page, list.pageSize, urls.feedback, { state: q.state }),
        answeredId: typeof req.query.answered === 'string' ? Number(req.query.answered) : null,
        jsonUrl: urls.apiFeedback({ state: q.state, page: q.page }),
      },
    };
  };

  router.get('/feedback', requirePermission('read:feedback'), (req, res) => {
    const { model } = pageModel(req);
    renderPage(views, req, res, 'feedback', model, { title: '公众留言', jsonUrl: model.jsonUrl });
  });

  router.get('/api/v1/feedback', requirePermission('read:feedback'), (req, res) => {
    const { data } = pageModel(req);
    res.json(data);
  });

  router.post('/feedback/:id/answer', requirePermission('answer:feedback'), (req, res) => {
    const user = currentUser(req);
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1) throw errors.notFound('留言');
    req.ctx.formView = { page: 'feedback', title: '公众留言', model: pageModel(req).model };
    const done = answerFeedback(db, actorOf(user), user, id, req.body ?? {});
    // A public answer shows under the guide: the published pages kept for visitors are rendered again.
    if (done.public || done.wasPublic) services.pages.forgetItem(done.itemCode);
    const state = typeof req.query.state === 'string' ? req.query.state : 'open';
    res.redirect(303, `${urls.feedback({ state, answered: id })}#feedback-${id}`);
  });

  return router;
}
