// Higher-level lists for the legal office: upload a cancellation or delegation list or the standard
// base catalogue (spreadsheet or pasted text), then confirm or reject each proposed match.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { getReferenceList, listReferenceEntries, listReferenceLists, proposedMatchIds, type EntryFilter } from '../../db/queries/reference-lists.js';
import { readReferenceSheet, readReferenceText, ReferenceListRefused, MAX_REFERENCE_ENTRIES, type ReferenceListReading } from '../../imports/reference-list.js';
import { readUpload } from '../../imports/read-upload.js';
import { DEFAULT_READ_LIMITS } from '../domain/limits.js';
import { REFERENCE_ENTRY_FILTERS, REFERENCE_ENTRY_STATUSES } from '../domain/labels.js';
import { RefusedUpload } from '../../imports/types.js';
import {
  decideMatches,
  deleteReferenceList,
  parseReferenceListFields,
  REFERENCE_LIST_KIND_NAMES,
  type ReferenceListInput,
} from '../catalogue/reference-lists.js';
import { REFERENCE_LIST_KINDS } from '../../db/schema.js';
import { errors } from '../errors.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { receiveUpload, removeUpload } from '../http/upload.js';
import { renderPage } from '../http/render.js';
import { wantsJson } from '../http/errors.js';
import { can } from '../auth/policy.js';
import { urls } from '../urls.js';
import { option, pager } from '../views/models.js';
import type { RouteDeps } from './deps.js';
import { answerWithJob } from './jobs.js';

/** A list is a few thousand rows: read it in this process, under tighter caps than a department upload. */
const LIST_READ_LIMITS = { ...DEFAULT_READ_LIMITS, maxInflatedBytes: 256 * 1024 ** 2, maxRows: MAX_REFERENCE_ENTRIES + 1_000 };
/** Pasted text: a list of a few thousand names. */
const MAX_PASTED_BYTES = 2 * 1024 ** 2;
/** Matches this close are offered for confirming in one step. */
const NEAR_CERTAIN = 0.9;

const FILTER_NAMES: Record<EntryFilter, string> = REFERENCE_ENTRY_FILTERS;
const STATUS_NAMES = REFERENCE_ENTRY_STATUSES;

const listQuery = z.object({
  show: z.enum(['open', 'confirmed', 'rejected', 'unmatched', 'all']).catch('open').default('open'),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

const ids = (v: unknown): number[] =>
  (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).map((x) => Number(x)).filter((n) => Number.isSafeInteger(n) && n > 0);

async function readEntries(file: string | null, text: string | null): Promise<ReferenceListReading> {
  try {
    if (file) return await readReferenceSheet(readUpload(file, LIST_READ_LIMITS));
    if (text && text.trim()) return readReferenceText(text);
  } catch (err) {
    if (err instanceof ReferenceListRefused || err instanceof RefusedUpload) throw errors.invalid(err.message);
    throw err;
  }
  throw errors.invalid('请上传清单文件（.xlsx 或 .csv），或把清单粘贴到文本框中。', { text: '请上传文件或粘贴清单' });
}

export function referenceListRoutes({ db, config, views, services }: RouteDeps): Router {
  const router = Router();

  const indexModel = (req: Request, values: Partial<Record<string, string>> = {}) => {
    const user = currentUser(req);
    return {
      canUpload: can(user, 'update:reference_list'),
      action: urls.referenceLists(),
      kinds: REFERENCE_LIST_KINDS.map((k) => option(k, REFERENCE_LIST_KIND_NAMES[k], values.kind ?? 'cancellation')),
      values,
      lists: listReferenceLists(db).map((l) => ({
        ...l,
        url: urls.referenceList(l.id),
        kindName: REFERENCE_LIST_KIND_NAMES[l.kind],
        createdAt: l.createdAt.slice(0, 16).replace('T', ' '),
      })),
    };
  };

  router.get('/registry/lists', requirePermission('read:reference_list'), (req, res) => {
    renderPage(views, req, res, 'reference-lists', indexModel(req), { title: '上级清单与基本目录', jsonUrl: urls.api.referenceLists() });
  });
  router.get('/api/v1/reference-lists', requirePermission('read:reference_list'), (_req, res) => {
    res.json({ lists: listReferenceLists(db) });
  });

  const create = async (req: Request, res: Response) => {
    const user = currentUser(req);
    let fields: Record<string, string>;
    let file: string | null = null;
    let source = '粘贴文本';
    let cleanup = () => {};
    if (wantsJson(req) && !(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      fields = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
    } else {
      const received = await receiveUpload(req, config.uploadMaxBytes, { maxFieldBytes: MAX_PASTED_BYTES });
      fields = received.fields;
      cleanup = () => removeUpload(received);
      if (received.file && received.file.size > 0) {
        file = received.file.path;
        source = received.file.originalName;
      }
    }
    try {
      const { _csrf: _token, text: _text, ...shown } = fields;
      req.ctx.formView = { page: 'reference-lists', title: '上级清单与基本目录', model: indexModel(req, { ...shown, text: fields.text ?? '' }) };
      const listFields: ReferenceListInput = parseReferenceListFields(fields);
      const reading = await readEntries(file, fields.text ?? null);
      if (reading.entries.length === 0) throw errors.invalid('清单中没有读到任何事项。');
      const job = services.jobs.submit('reference_match', { title: listFields.title, entries: reading.entries.length }, actorOf(user), {
        payload: { fields: listFields, source, entries: reading.entries },
      });
      await answerWithJob(services.jobs, req, res, job, (r) => {
        const result = r as { id: number; entries: number; proposed: number };
        if (wantsJson(req)) res.status(201).json({ id: result.id, entries: result.entries, proposed: result.proposed, skipped: reading.skipped, url: urls.api.referenceList(result.id) });
        else res.redirect(303, urls.referenceList(result.id, { created: 1, skipped: reading.skipped.length || undefined }));
      });
    } finally {
      cleanup();
    }
  };
  router.post('/registry/lists', requirePermission('update:reference_list'), create);
  router.post('/api/v1/reference-lists', requirePermission('update:reference_list'), create);

  const load = (req: Request) => {
    const id = Number(req.params.id);
    const list = Number.isSafeInteger(id) ? getReferenceList(db, id) : null;
    if (!list) throw errors.notFound('上级清单');
    return list;
  };

  router.get('/registry/lists/:id', requirePermission('read:reference_list'), (req, res) => {
    const list = load(req);
    const q = listQuery.parse(req.query);
    const user = currentUser(req);
    const result = listReferenceEntries(db, list.id, q.show, q.page, config.pageSize);
    const canDecide = can(user, 'update:reference_list');
    renderPage(
      views,
      req,
      res,
      'reference-list',
      {
        list: { ...list, kindName: REFERENCE_LIST_KIND_NAMES[list.kind], createdAt: list.createdAt.slice(0, 16).replace('T', ' ') },
        created: req.query.created === '1',
        decided: typeof req.query.decided === 'string' ? req.query.decided : null,
        rematched: typeof req.query.rematched === 'string' ? req.query.rematched : null,
        filters: (Object.keys(FILTER_NAMES) as EntryFilter[]).map((f) => ({ text: FILTER_NAMES[f], url: urls.referenceList(list.id, { show: f }), selected: f === q.show })),
        total: result.total,
        entries: result.entries.map((e) => ({
          ...e,
          matches: e.matches.map((m) => ({
            ...m,
            url: urls.item(m.itemCode),
            scoreText: m.score.toFixed(2),
            statusName: STATUS_NAMES[m.status],
            open: m.status === 'proposed',
            decidedAt: m.decidedAt ? m.decidedAt.slice(0, 16).replace('T', ' ') : null,
          })),
        })),
        pager: pager(result.total, q.page, config.pageSize, (p) => urls.referenceList(list.id, p), { show: q.show }),
        canDecide,
        decideAction: urls.referenceListDecisions(list.id),
        confirmNearAction: urls.referenceListConfirmNear(list.id),
        nearCertain: canDecide ? proposedMatchIds(db, list.id, NEAR_CERTAIN).length : 0,
        rematchAction: urls.referenceListRematch(list.id),
        deleteAction: urls.referenceListDelete(list.id),
        show: q.show,
      },
      { title: list.title, jsonUrl: urls.api.referenceList(list.id, { show: q.show, page: q.page }) },
    );
  });

  router.get('/api/v1/reference-lists/:id', requirePermission('read:reference_list'), (req, res) => {
    const list = load(req);
    const q = listQuery.parse(req.query);
    res.json({ list, ...listReferenceEntries(db, list.id, q.show, q.page, config.pageSize) });
  });

  const decide = (req: Request, res: Response) => {
    const list = load(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const result = decideMatches(db, actorOf(currentUser(req)), list.id, ids(body.match ?? body.matches), body);
    if (wantsJson(req)) res.json(result);
    else res.redirect(303, urls.referenceList(list.id, { decided: result.decided, show: typeof body.show === 'string' ? body.show : undefined }));
  };
  router.post('/registry/lists/:id/decisions', requirePermission('update:reference_list'), decide);
  router.post('/api/v1/reference-lists/:id/decisions', requirePermission('update:reference_list'), decide);

  router.post('/registry/lists/:id/confirm-near', requirePermission('update:reference_list'), (req, res) => {
    const list = load(req);
    const matchIds = proposedMatchIds(db, list.id, NEAR_CERTAIN);
    const result =
      matchIds.length > 0
        ? decideMatches(db, actorOf(currentUser(req)), list.id, matchIds, { decision: 'confirmed', reason: `匹配度不低于 ${NEAR_CERTAIN} 的匹配一并确认` })
        : { decided: 0 };
    res.redirect(303, urls.referenceList(list.id, { decided: result.decided }));
  });

  router.post('/registry/lists/:id/rematch', requirePermission('update:reference_list'), async (req, res) => {
    const list = load(req);
    const job = services.jobs.submit('reference_match', { listId: list.id }, actorOf(currentUser(req)));
    await answerWithJob(services.jobs, req, res, job, (r) => {
      if (wantsJson(req)) res.json({ proposed: r.proposed });
      else res.redirect(303, urls.referenceList(list.id, { rematched: String(r.proposed) }));
    });
  });

  router.post('/registry/lists/:id/delete', requirePermission('update:reference_list'), (req, res) => {
    const list = load(req);
    deleteReferenceList(db, actorOf(currentUser(req)), list.id);
    res.redirect(303, urls.referenceLists());
  });

  return router;
}
