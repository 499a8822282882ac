// Registry upkeep for the legal office and admins: change an instrument and see at once which items
// changed state because of it.
import { Router, type Request } from 'express';
import { getInstrument } from '../../db/queries/instruments.js';
import { createInstrument, unregisteredInstruments, updateInstrument } from '../catalogue/instruments.js';
import { inferRank } from '../domain/instrument-title.js';
import { RANKS, label } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { wantsJson } from '../http/errors.js';
import { urls } from '../urls.js';
import { instrumentDetailModel, rankOptions, statusOptions } from '../views/models.js';
import type { RouteDeps } from './deps.js';
import { receiveUpload, removeUpload } from '../http/upload.js';
import { answerWithJob } from './jobs.js';
import {
  applyRegistryImport,
  discardRegistryImport,
  pendingRegistryImport,
  previewRegistryImport,
  readRegistryFile,
  registryCsv,
  registryWorkbook,
  savePendingRegistryImport,
} from '../catalogue/registry-transfer.js';
import { REGISTRY_COLUMNS, localTime } from '../domain/labels.js';

/** The edit form's model, with the values as last seen or typed. */
export function instrumentFormModel(id: number, values: object) {
  const record = { ...(values as Record<string, unknown>) };
  // An instrument as read from the registry names its successor as an object; the form holds its number.
  const successor = record.replacedBy as { id: number } | null | undefined;
  if (record.replacedById === undefined && successor) record.replacedById = successor.id;
  const v = (k: string) => (record[k] == null ? '' : String(record[k]));
  return {
    action: urls.instrument(id),
    ranks: rankOptions(v('rank')),
    statuses: statusOptions(v('status')),
    values: { issuingBody: v('issuingBody'), publishedOn: v('publishedOn'), effectiveOn: v('effectiveOn'), replacedById: v('replacedById') },
  };
}

export function registryRoutes({ db, views, config, services }: RouteDeps): Router {
  const router = Router();
  const load = (req: Request) => {
    const id = Number(req.params.id);
    const instrument = Number.isSafeInteger(id) ? getInstrument(db, id) : null;
    if (!instrument) throw errors.notFound('法律依据');
    return instrument;
  };

  const update = (req: Request, res: import('express').Response) => {
    const instrument = load(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.ctx.formView = {
      page: 'instrument',
      title: instrument.title,
      model: { instrument: instrumentDetailModel(instrument), editForm: instrumentFormModel(instrument.id, body) },
    };
    const result = updateInstrument(db, actorOf(currentUser(req)), instrument.id, body);
    if (wantsJson(req)) {
      res.json({ instrument: getInstrument(db, instrument.id), ...result });
      return;
    }
    const updated = getInstrument(db, instrument.id)!;
    renderPage(
      views,
      req,
      res,
      'instrument',
      {
        instrument: instrumentDetailModel(updated),
        editForm: instrumentFormModel(updated.id, updated),
        saved: true,
        rechecked: result.rechecked,
        changed: result.changed.map((c) => ({ ...c, url: urls.item(c.code), added: c.added.join('、'), removed: c.removed.join('、') })),
      },
      { title: updated.title, jsonUrl: urls.api.instrument(updated.id) },
    );
  };
  router.post('/instruments/:id', requirePermission('update:instrument'), update);

  /** The registration form: prefilled from an unknown citation, with the rank inferred from its title. */
  const newModel = (values: Record<string, unknown>) => {
    const v = (k: string) => (values[k] == null ? '' : String(values[k]));
    const rank = v('rank') || (v('title') ? inferRank(v('title'), v('documentNumber') || null) : '');
    return {
      action: urls.createInstrument(),
      ranks: rankOptions(rank),
      statuses: statusOptions(v('status') || 'in_force'),
      rankInferred: !v('rank') && Boolean(rank),
      values: Object.fromEntries(['title', 'documentNumber', 'issuingBody', 'region', 'publishedOn', 'effectiveOn', 'replacedById'].map((k) => [k, v(k)])),
    };
  };

  router.get('/registry/instruments/new', requirePermission('update:instrument'), (req, res) => {
    const query = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const unknown = unregisteredInstruments(db, 100);
    renderPage(
      views,
      req,
      res,
      'instrument-new',
      {
        form: newModel({ title: query.title?.slice(0, 200), documentNumber: query.documentNumber?.slice(0, 60) }),
        unknownTotal: unknown.total,
        unknown: unknown.instruments.map((u) => ({
          ...u,
          rankName: label(RANKS, u.inferredRank),
          url: urls.registerInstrument({ title: u.title, documentNumber: u.documentNumber }),
        })),
      },
      { title: '登记法律依据', jsonUrl: urls.api.unregisteredInstruments() },
    );
  });

  router.get('/api/v1/registry/unregistered', requirePermission('update:instrument'), (_req, res) => {
    res.json(unregisteredInstruments(db, 1000));
  });

  const create = (req: Request, res: import('express').Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.ctx.formView = { page: 'instrument-new', title: '登记法律依据', model: { form: newModel(body), unknown: [] } };
    const result = createInstrument(db, actorOf(currentUser(req)), body);
    if (wantsJson(req)) {
      res.status(201).json({ instrument: getInstrument(db, result.id), ...result });
      return;
    }
    const created = getInstrument(db, result.id)!;
    renderPage(
      views,
      req,
      res,
      'instrument',
      {
        instrument: instrumentDetailModel(created),
        editForm: instrumentFormModel(created.id, created),
        created: true,
        linked: result.linked,
        rechecked: result.rechecked,
        changed: result.changed.map((c) => ({ ...c, url: urls.item(c.code), added: c.added.join('、'), removed: c.removed.join('、') })),
      },
      { title: created.title, jsonUrl: urls.api.instrument(created.id) },
    );
  };
  // Bulk import and export: upload, preview (new / changed / unchanged, field by field), confirm or discard.
  const importFormModel = () => ({ action: urls.registryImport(), columns: Object.values(REGISTRY_COLUMNS).map((a) => a[0]).join('、'), exportXlsx: urls.registryExport('xlsx'), exportCsv: urls.registryExport('csv') });
  router.get('/registry/import', requirePermission('update:instrument'), (req, res) => {
    renderPage(views, req, res, 'registry-import', { form: importFormModel() }, { title: '批量导入法律依据' });
  });

  const upload = async (req: Request, res: import('express').Response) => {
    req.ctx.formView = { page: 'registry-import', title: '批量导入法律依据', model: { form: importFormModel() } };
    const received = await receiveUpload(req, config.uploadMaxBytes);
    try {
      if (!received.file || received.file.size === 0) throw errors.invalid('请选择要导入的法规库文件（.xlsx 或 .csv）。', { file: '请选择文件' });
      const rows = await readRegistryFile(received.file.path);
      const preview = previewRegistryImport(db, rows);
      const id = savePendingRegistryImport(db, actorOf(currentUser(req)), received.file.originalName, rows);
      if (wantsJson(req)) res.status(201).json({ id, ...preview, url: urls.api.registryImport(id) });
      else res.redirect(303, urls.registryImportPage(id));
    } finally {
      removeUpload(received);
    }
  };
  router.post('/registry/import', requirePermission('update:instrument'), upload);
  router.post('/api/v1/registry/imports', requirePermission('update:instrument'), upload);

  const loadImport = (req: Request) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id)) throw errors.notFound('法规库导入');
    return pendingRegistryImport(db, id);
  };
  const previewOf = (pending: ReturnType<typeof pendingRegistryImport>) => (pending.state === 'pending' ? previewRegistryImport(db, pending.rows) : null);

  router.get('/registry/import/:id', requirePermission('update:instrument'), (req, res) => {
    const pending = loadImport(req);
    let preview = null;
    let problem: string | null = null;
    try {
      preview = previewOf(pending);
    } catch (err) {
      // The registry changed since the upload so that the file no longer fits: say why, offer discarding.
      problem = err instanceof Error ? err.message : String(err);
    }
    renderPage(
      views,
      req,
      res,
      'registry-import',
      {
        pending: { ...pending, rows: pending.rows.length, createdAtText: localTime(pending.createdAt), isPending: pending.state === 'pending', confirmed: pending.state === 'confirmed', discarded: pending.state === 'discarded' },
        result: pending.result,
        preview,
        problem,
        confirmAction: urls.registryImportConfirm(pending.id),
        discardAction: urls.registryImportDiscard(pending.id),
      },
      { title: `法规库导入：${pending.fileName}`, jsonUrl: urls.api.registryImport(pending.id) },
    );
  });
  router.get('/api/v1/registry/imports/:id', requirePermission('update:instrument'), (req, res) => {
    const pending = loadImport(req);
    res.json({ id: pending.id, fileName: pending.fileName, state: pending.state, rows: pending.rows.length, result: pending.result, preview: previewOf(pending) });
  });

  const confirm = async (req: Request, res: import('express').Response) => {
    const pending = loadImport(req);
    const actor = actorOf(currentUser(req));
    const result = applyRegistryImport(db, actor, pending.rows, { fileName: pending.fileName, importId: pending.id });
    // The items citing what changed are re-checked as a job with progress.
    const job = services.jobs.submit('registry_recheck', { importId: pending.id, instrumentIds: result.instrumentIds }, actor);
    await answerWithJob(services.jobs, req, res, job, (r) => {
      if (wantsJson(req)) res.json({ ...result, recheck: r, job: job.id });
      else res.redirect(303, urls.registryImportPage(pending.id));
    });
  };
  router.post('/registry/import/:id/confirm', requirePermission('update:instrument'), confirm);
  router.post('/api/v1/registry/imports/:id/confirm', requirePermission('update:instrument'), confirm);
  router.post('/registry/import/:id/discard', requirePermission('update:instrument'), (req, res) => {
    const pending = loadImport(req);
    discardRegistryImport(db, actorOf(currentUser(req)), pending.id);
    res.redirect(303, urls.registryImport());
  });

  router.get('/registry/export.xlsx', requirePermission('update:instrument'), async (_req, res) => {
    const body = await registryWorkbook(db);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="registry.xlsx"; filename*=UTF-8''${encodeURIComponent('法规库.xlsx')}`);
    res.send(body);
  });
  router.get('/registry/export.csv', requirePermission('update:instrument'), (_req, res) => {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="registry.csv"; filename*=UTF-8''${encodeURIComponent('法规库.csv')}`);
    res.send(registryCsv(db));
  });

  router.post('/registry/instruments', requirePermission('update:instrument'), create);
  router.post('/api/v1/instruments', requirePermission('update:instrument'), create);
  router.put('/api/v1/instruments/:id', requirePermission('update:instrument'), update);
  return router;
}
