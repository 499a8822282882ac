// Spreadsheet import for departments (their own list) and the legal office (any department, a whole
// catalogue, or a baseline): upload, watch progress, preview, confirm or discard; the template download.
import { Router, type Request, type Response } from 'express';
import { createImportRepository } from '../../db/queries/imports.js';
import { ruleCatalogue } from '../checks/engine.js';
import { summaryByRule } from '../checks/summary.js';

const RULE_TITLES = new Map(ruleCatalogue().map((r) => [r.code as string, r.title]));
import { getItem, itemVersions, listItems, listDepartments } from '../../db/queries/catalogue.js';
import { accessOf, can, departmentScope, isOwnScoped } from '../auth/policy.js';
import { discardImport, notConfirmableYet, type ConfirmOptions } from '../imports/confirm.js';
import { IMPORT_MESSAGES, IMPORT_SCOPES, shownValue } from '../domain/labels.js';
import { applyMapping } from '../imports/mapping.js';
import { mappingChoicesFrom, mappingModel } from './import-mapping.js';
import { readerGone } from '../imports/recover.js';
import { MESSAGES } from '../domain/labels.js';
import { importReport, runImport, type ImportMode } from '../imports/service.js';
import { CATEGORIES, DISPOSITIONS, label } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { receiveUpload, removeUpload } from '../http/upload.js';
import { renderPage } from '../http/render.js';
import { wantsJson } from '../http/errors.js';
import { urls } from '../urls.js';
import { option } from '../views/models.js';
import { stampedItemFromDetail, templateItemFromDetail, writeTemplate } from '../../exports/template.js';
import type { StampedItem } from '../../imports/template-stamp.js';
import type { RouteDeps } from './deps.js';
import { IMPORT_MODES, IMPORT_STATUSES } from '../domain/labels.js';
import { answerWithJob } from './jobs.js';

const STATUS_NAMES = IMPORT_STATUSES;
const MODE_NAMES = IMPORT_MODES;

export function importRoutes({ db, config, views, services }: RouteDeps): Router {
  const router = Router();
  const importRepository = createImportRepository({ db });
  const deps = { db, importRepository };

  const loadImport = (req: Request) => {
    const id = Number(req.params.id);
    const imp = Number.isSafeInteger(id) ? importRepository.importSummary(id) : null;
    if (!imp || !can(currentUser(req), 'read:import', { departmentId: imp.departmentId })) throw errors.notFound('导入记录');
    return imp;
  };

  router.get('/workspace/imports', requirePermission('read:import'), (req, res) => {
    const user = currentUser(req);
    const mayChooseDepartment = accessOf(user, 'create:import') === 'any';
    const imports = importRepository.listImports(departmentScope(user, 'read:import'));
    renderPage(
      views,
      req,
      res,
      'imports',
      {
        canUpload: can(user, 'create:import'),
        mayChooseDepartment,
        departmentName: user.departmentName,
        departments: mayChooseDepartment ? listDepartments(db).map((d) => option(d.code, d.name, '')) : [],
        action: urls.imports(),
        scopes: [
          { value: 'complete', text: IMPORT_SCOPES.complete, hint: IMPORT_MESSAGES.completeHint },
          { value: 'partial', text: IMPORT_SCOPES.partial, hint: IMPORT_MESSAGES.partialHint },
        ],
        templateUrl: urls.template(),
        prefilledTemplateUrl: isOwnScoped(user, 'create:import') ? urls.template({ prefill: 1 }) : null,
        savedMappingsUrl: urls.savedMappings(),
        imports: imports.map((i) => ({
          ...i,
          url: urls.importPage(i.id),
          statusName: STATUS_NAMES[i.status === 'reading' && readerGone(i) ? 'failed' : i.status] ?? i.status,
          modeName: MODE_NAMES[i.mode] ?? i.mode,
          createdAt: i.createdAt.slice(0, 16).replace('T', ' '),
          departmentName: i.departmentName ?? '全部部门',
        })),
      },
      { title: '导入事项清单' },
    );
  });

  const upload = async (req: Request, res: Response) => {
    const user = currentUser(req);
    const received = await receiveUpload(req, config.uploadMaxBytes);
    if (!received.file || received.file.size === 0) {
      removeUpload(received);
      throw errors.invalid('请选择要上传的文件（.xlsx 或 .csv）。');
    }
    const mayChoose = accessOf(user, 'create:import') === 'any';
    const departmentCode = isOwnScoped(user, 'create:import') ? user.departmentCode : mayChoose ? received.fields.department || null : null;
    const mode: ImportMode = can(user, 'create:baseline') && received.fields.mode === 'baseline' ? 'baseline' : 'submission';
    // The form makes the person choose; whoever does not say (an API client, an old form) sends part of the
    // list, which never proposes cancelling anything.
    const complete = received.fields.scope === 'complete';
    const file = received.file;
    const importId = await new Promise<number>((resolve, reject) => {
      runImport(
        deps,
        config,
        { path: file.path, originalName: file.originalName, departmentCode, mode, complete, actor: actorOf(user), subject: user, moveFile: true },
        { onStarted: resolve, checkpoints: services.checkpoints },
      )
        // Before the import is recorded this answers the request (refused rights, unknown department);
        // afterwards it has no effect: the import records and logs its own failure.
        .catch(reject)
        .finally(() => removeUpload(received));
    });
    if (wantsJson(req)) res.status(202).json({ importId, url: urls.api.import(importId) });
    else res.redirect(303, urls.importPage(importId));
  };
  router.post('/workspace/imports', requirePermission('create:import'), upload);
  router.post('/api/v1/imports', requirePermission('create:import'), upload);

  /** The import's page: its progress, its refusal, or its preview with the mapping forms at the top. */
  const importPage = (req: Request, imp: ReturnType<typeof loadImport>) => {
    const user = currentUser(req);
    // Its reader is gone (a full disk stopped it, or its process died): said so, and it may be discarded.
    const interrupted = imp.status === 'reading' && readerGone(imp);
    const base = {
      imp: {
        ...imp,
        ...(interrupted ? { refusalMessage: MESSAGES.importInterrupted } : {}),
        statusName: interrupted ? STATUS_NAMES.failed : (STATUS_NAMES[imp.status] ?? imp.status),
        modeName: MODE_NAMES[imp.mode] ?? imp.mode,
        departmentName: imp.departmentName ?? '全部部门（整库导入）',
      },
      // Only an import being read refreshes its page; one a stopped server left half-read is failed (see imports/recover.ts).
      reading: imp.status === 'reading' && !interrupted,
      refused: imp.status === 'refused',
      failed: imp.status === 'failed' || interrupted,
      jsonUrl: urls.api.import(imp.id),
    };
    const title = `导入 #${imp.id}`;
    const mayDecide = can(user, 'create:import', { departmentId: imp.departmentId }) && (imp.mode !== 'baseline' || can(user, 'create:baseline'));
    if (imp.status !== 'ready' && imp.status !== 'confirmed') {
      const stopped = imp.status === 'refused' || imp.status === 'failed' || interrupted;
      const model = { ...base, canDiscard: stopped && mayDecide, discardAction: urls.importDiscard(imp.id), uploadAgainUrl: urls.imports() };
      return { page: 'import', title, model: model as Record<string, unknown>, options: { title, jsonUrl: base.jsonUrl, ...(base.reading ? { refresh: 2 } : {}) } };
    }
    const report = importReport(importRepository, imp.id);
    const changed = importRepository.previewRows(imp.id, 'changed', 200);
    const added = importRepository.previewRows(imp.id, 'new', 200);
    // Only a complete list proposes cancelling what it lacks; for a partial one nothing is listed.
    const missing = report.complete && imp.mode === 'submission' ? importRepository.missingItems(imp.id, 200) : { total: 0, items: [] };
    const reverts = importRepository.revertRows(imp.id, 500);
    const canDecide = imp.status === 'ready' && mayDecide;
    const mapping = mappingModel(importRepository, imp, importRepository.departmentNames());
    // A file whose items are on several sheets: a row is found by its sheet and its number.
    const tables = ((importRepository.layoutOf(imp.id)?.sheets ?? []) as { found: boolean }[]).filter((s) => s.found).length;
    const sheetShown = (sheet: string) => (tables > 1 ? sheet : null);
    const model = {
      ...base,
      ready: imp.status === 'ready',
      confirmed: imp.status === 'confirmed',
      canDecide,
      report,
      previousUploadNotice: report.previousUpload ? IMPORT_MESSAGES.previousUpload(report.previousUpload) : null,
      mapping,
      showMapping: canDecide && mapping.show,
      confirmBlocked: canDecide ? notConfirmableYet(importRepository, imp) : null,
      errors: report.errors.slice(0, 500),
      moreErrors: Math.max(0, report.errors.length - 500),
      warnings: report.warnings.slice(0, 200),
      added: {
        total: added.total,
        rows: added.rows.map((r) => ({
          ...r,
          sheetShown: sheetShown(r.sheet),
          subItemOf: r.proposal?.mainItemName ? IMPORT_MESSAGES.subItemOf(r.proposal.mainItemName) : null,
          categoryName: r.proposal ? label(CATEGORIES, r.proposal.fields.category) : '',
          basis: r.proposal?.citations.map((c) => `《${c.title}》${c.article ?? ''}`).join('；') ?? '',
        })),
      },
      changed: {
        total: changed.total,
        rows: changed.rows.map((r) => ({
          ...r,
          sheetShown: sheetShown(r.sheet),
          changes: r.changes.map((c) => ({ label: c.label, before: shownValue(c.field, c.before), after: shownValue(c.field, c.after) })),
          disposition: r.proposal?.disposition ? { label: IMPORT_MESSAGES.proposedDisposition, name: label(DISPOSITIONS, r.proposal.disposition), reason: r.proposal.dispositionReason ?? '' } : null,
        })),
      },
      // One line per rule; a rule that judged some rows errors and others warnings says how many of each
      // (无设定依据: no setting basis at all, or only a general law; the summary's count is the first).
      flagSummary: summaryByRule(importRepository.flagCounts(imp.id)).map((f) => ({ ...f, title: RULE_TITLES.get(f.rule) ?? f.rule })),
      missing: {
        total: missing.total,
        more: Math.max(0, missing.total - missing.items.length),
        title: IMPORT_MESSAGES.missingTitle(missing.total),
        confirmText: IMPORT_MESSAGES.missingConfirm(missing.total),
        items: missing.items.map((m) => ({ ...m, url: urls.item(m.code) })),
      },
      scopeName: report.complete ? IMPORT_SCOPES.complete : IMPORT_SCOPES.partial,
      partialHint: report.complete ? null : IMPORT_MESSAGES.partialHint,
      reverts: {
        total: reverts.total,
        title: IMPORT_MESSAGES.revertsTitle(reverts.total),
        hint: IMPORT_MESSAGES.revertsHint,
        tick: IMPORT_MESSAGES.revertTick,
        beforeLabel: IMPORT_MESSAGES.revertBefore,
        afterLabel: IMPORT_MESSAGES.revertAfter,
        rows: reverts.rows.map((r) => ({ ...r, field: `revert_${r.id}`, reverts: r.reverts.map((c) => ({ label: c.label, before: shownValue(c.field, c.before), after: shownValue(c.field, c.after) })) })),
      },
      confirmAction: urls.importConfirm(imp.id),
      discardAction: urls.importDiscard(imp.id),
      confirmLabel: imp.mode === 'baseline' ? '确认载入工作目录' : '确认并提交申报',
    };
    return { page: 'import', title, model: model as Record<string, unknown>, options: { title, jsonUrl: base.jsonUrl } };
  };
  /** A form on the preview that fails is answered by the preview again, with the reason at its top. */
  const previewOnError = (req: Request, imp: ReturnType<typeof loadImport>) => {
    if (wantsJson(req)) return;
    const view = importPage(req, imp);
    req.ctx.formView = { page: view.page, title: view.title, model: view.model };
  };

  router.get('/workspace/imports/:id', requirePermission('read:import'), (req, res) => {
    const view = importPage(req, loadImport(req));
    renderPage(views, req, res, view.page, view.model, view.options);
  });

  router.get('/api/v1/imports/:id', requirePermission('read:import'), (req, res) => {
    const imp = loadImport(req);
    const { readerPid: _pid, ...shown } = imp;
    const interrupted = imp.status === 'reading' && readerGone(imp);
    const settled = imp.status === 'ready' || imp.status === 'confirmed';
    res.json({
      ...shown,
      ...(interrupted ? { status: 'failed', refusalMessage: MESSAGES.importInterrupted } : {}),
      report: settled ? importReport(importRepository, imp.id) : null,
      // What the preview lists in full: the items a complete list would propose to cancel, and the rows
      // whose stale values an API client may accept (acceptReverts: [id, …] when confirming).
      missingItems: settled && imp.complete && imp.mode === 'submission' ? importRepository.missingItems(imp.id, 100_000).items : [],
      reverts: settled ? importRepository.revertRows(imp.id, 100_000).rows : [],
    });
  });

  const mappingFrom = (body: Record<string, unknown>, names: string[]) => {
    const mapping: Record<string, string> = {};
    names.forEach((name, i) => {
      const choice = body[`map_${i}`];
      const newCode = body[`new_${i}`];
      if (typeof newCode === 'string' && newCode.trim()) mapping[name] = `new:${newCode.trim()}`;
      else if (typeof choice === 'string' && choice) mapping[name] = choice;
    });
    if (body.mapping && typeof body.mapping === 'object') Object.assign(mapping, body.mapping as Record<string, string>);
    return mapping;
  };

  /** The confirmation of a complete list's cancellations, and the rows whose reverts the person ticked (revert_<id>, or acceptReverts in JSON). */
  const confirmOptionsFrom = (body: Record<string, unknown>): ConfirmOptions => {
    const yes = (v: unknown) => v === true || v === 'on' || v === '1' || v === 'true';
    const acceptReverts = Object.keys(body)
      .filter((k) => /^revert_\d+$/.test(k) && yes(body[k]))
      .map((k) => Number(k.slice(7)));
    if (Array.isArray(body.acceptReverts)) for (const v of body.acceptReverts) if (Number.isSafeInteger(Number(v))) acceptReverts.push(Number(v));
    return { confirmCancellations: yes(body.confirmCancellations), acceptReverts };
  };

  const confirm = async (req: Request, res: Response) => {
    const imp = loadImport(req);
    const user = currentUser(req);
    previewOnError(req, imp);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const mapping = mappingFrom(body, imp.unknownDepartments);
    const options = confirmOptionsFrom(body);
    if (imp.status === 'ready') {
      const why = notConfirmableYet(importRepository, imp, mapping);
      if (why) throw errors.invalid(why);
    }
    const subject = { id: user.id, role: user.role, departmentId: user.departmentId };
    const job = services.jobs.submit('import_confirm', { importId: imp.id }, actorOf(user), { payload: { subject, mapping, options }, departmentId: imp.departmentId });
    await answerWithJob(services.jobs, req, res, job, (r) => {
      const { importId: _id, ...result } = r;
      if (wantsJson(req)) res.json(result);
      else res.redirect(303, urls.importPage(imp.id));
    });
  };
  const discard = (req: Request, res: Response) => {
    const imp = loadImport(req);
    const user = currentUser(req);
    discardImport(deps, imp.id, actorOf(user), user);
    if (wantsJson(req)) res.json({ discarded: imp.id });
    else res.redirect(303, urls.imports());
  };
  /** The preview's mapping form: remembered, then the archived file is read again with it. */
  const remap = async (req: Request, res: Response) => {
    const imp = loadImport(req);
    const user = currentUser(req);
    previewOnError(req, imp);
    const choices = mappingChoicesFrom((req.body ?? {}) as Record<string, unknown>);
    await new Promise<void>((resolve, reject) => {
      applyMapping(deps, config, imp.id, choices, actorOf(user), user, { onStarted: () => resolve(), checkpoints: services.checkpoints })
        .then(() => resolve())
        .catch(reject);
    });
    if (wantsJson(req)) res.status(202).json({ importId: imp.id, url: urls.api.import(imp.id) });
    else res.redirect(303, urls.importPage(imp.id));
  };
  router.post('/workspace/imports/:id/mapping', requirePermission('create:import'), remap);
  router.post('/api/v1/imports/:id/mapping', requirePermission('create:import'), remap);
  router.post('/workspace/imports/:id/confirm', requirePermission('create:import'), confirm);
  router.post('/workspace/imports/:id/discard', requirePermission('create:import'), discard);
  router.post('/api/v1/imports/:id/confirm', requirePermission('create:import'), confirm);
  router.post('/api/v1/imports/:id/discard', requirePermission('create:import'), discard);

  router.get('/workspace/template.xlsx', requirePermission('create:import'), async (req, res) => {
    const user = currentUser(req);
    const code = isOwnScoped(user, 'create:import') ? user.departmentCode : typeof req.query.department === 'string' ? req.query.department : null;
    const department = code ? listDepartments(db).find((d) => d.code === code) : undefined;
    const prefill = req.query.prefill === '1' && department;
    const items = [];
    const stamped: StampedItem[] = [];
    if (prefill) {
      // Read before the items: an item changed while the template is made then looks older, never newer.
      const versions = itemVersions(db, department.code);
      for (let page = 1; ; page++) {
        const chunk = listItems(db, { department: department.code, page, pageSize: 500 });
        for (const s of chunk.items) {
          const detail = getItem(db, s.code);
          if (!detail) continue;
          items.push(templateItemFromDetail(detail));
          stamped.push(stampedItemFromDetail(detail, versions.get(detail.code) ?? 0));
        }
        if (page * 500 >= chunk.total) break;
      }
    }
    const name = `${department?.name ?? '事项'}清单${prefill ? '' : '模板'}.xlsx`;
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="template.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
    await writeTemplate(res, {
      departmentName: department?.name ?? '',
      items,
      ...(prefill ? { stamp: { madeAt: new Date().toISOString(), departmentCode: department.code, items: stamped } } : {}),
    });
    res.end();
  });

  return router;
}
