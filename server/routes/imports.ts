// Spreadsheet import for departments (their own list) and the legal office (any department, a whole
// catalogue, or a baseline): upload, watch progress, preview, confirm or discard; the template download.
import { Router, type Request, type Response } from 'express';
import { createImportRepository } from '../../db/queries/imports.js';
import { ruleCatalogue } from '../checks/engine.js';

const RULE_TITLES = new Map(ruleCatalogue().map((r) => [r.code as string, r.title]));
import { getItem, listItems, listDepartments } from '../../db/queries/catalogue.js';
import { accessOf, can, departmentScope, isOwnScoped } from '../auth/policy.js';
import { discardImport } from '../imports/confirm.js';
import { readerGone } from '../imports/recover.js';
import { MESSAGES } from '../domain/labels.js';
import { importReport, runImport, type ImportMode } from '../imports/service.js';
import { CATEGORIES, label } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { actorOf, currentUser, requirePermission } from '../http/guards.js';
import { receiveUpload, removeUpload } from '../http/upload.js';
import { renderPage } from '../http/render.js';
import { wantsJson } from '../http/errors.js';
import { urls } from '../urls.js';
import { option } from '../views/models.js';
import { templateItemFromDetail, writeTemplate } from '../../exports/template.js';
import type { RouteDeps } from './deps.js';
import { answerWithJob } from './jobs.js';

const STATUS_NAMES: Record<string, string> = {
  reading: '读取中',
  ready: '待确认',
  refused: '已拒绝',
  failed: '失败',
  confirmed: '已确认',
  discarded: '已放弃',
};
const MODE_NAMES: Record<string, string> = { submission: '申报', baseline: '直接载入工作目录', dry_run: '试导入' };
const show = (v: unknown) => (v == null || v === '' ? '（空）' : Array.isArray(v) ? v.join('、') : typeof v === 'boolean' ? (v ? '是' : '否') : String(v));

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
        templateUrl: urls.template(),
        prefilledTemplateUrl: isOwnScoped(user, 'create:import') ? urls.template({ prefill: 1 }) : null,
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
    const file = received.file;
    const importId = await new Promise<number>((resolve, reject) => {
      runImport(
        deps,
        config,
        { path: file.path, originalName: file.originalName, departmentCode, mode, actor: actorOf(user), subject: user, moveFile: true },
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

  router.get('/workspace/imports/:id', requirePermission('read:import'), (req, res) => {
    const imp = loadImport(req);
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
    const mayDecide = can(user, 'create:import', { departmentId: imp.departmentId }) && (imp.mode !== 'baseline' || can(user, 'create:baseline'));
    if (imp.status !== 'ready' && imp.status !== 'confirmed') {
      const stopped = imp.status === 'refused' || imp.status === 'failed' || interrupted;
      const model = { ...base, canDiscard: stopped && mayDecide, discardAction: urls.importDiscard(imp.id), uploadAgainUrl: urls.imports() };
      renderPage(views, req, res, 'import', model, { title: `导入 #${imp.id}`, jsonUrl: base.jsonUrl, ...(base.reading ? { refresh: 2 } : {}) });
      return;
    }
    const report = importReport(importRepository, imp.id);
    const changed = importRepository.previewRows(imp.id, 'changed', 200);
    const added = importRepository.previewRows(imp.id, 'new', 200);
    const missing = importRepository.missingItems(imp.id, 200);
    const canDecide = imp.status === 'ready' && mayDecide;
    renderPage(
      views,
      req,
      res,
      'import',
      {
        ...base,
        ready: imp.status === 'ready',
        confirmed: imp.status === 'confirmed',
        canDecide,
        report,
        errors: report.errors.slice(0, 500),
        moreErrors: Math.max(0, report.errors.length - 500),
        warnings: report.warnings.slice(0, 200),
        added: {
          total: added.total,
          rows: added.rows.map((r) => ({
            ...r,
            categoryName: r.proposal ? label(CATEGORIES, r.proposal.fields.category) : '',
            basis: r.proposal?.citations.map((c) => `《${c.title}》${c.article ?? ''}`).join('；') ?? '',
          })),
        },
        changed: {
          total: changed.total,
          rows: changed.rows.map((r) => ({ ...r, changes: r.changes.map((c) => ({ label: c.label, before: show(c.before), after: show(c.after) })) })),
        },
        flagSummary: importRepository.flagCounts(imp.id).map((f) => ({ ...f, title: RULE_TITLES.get(f.rule) ?? f.rule })),
        missing: { total: missing.total, items: missing.items.map((m) => ({ ...m, url: urls.item(m.code) })) },
        unknownDepartments: imp.unknownDepartments.map((name, i) => ({ name, field: `map_${i}`, options: listDepartments(db).map((d) => option(d.code, d.name, '')) })),
        confirmAction: urls.importConfirm(imp.id),
        discardAction: urls.importDiscard(imp.id),
        confirmLabel: imp.mode === 'baseline' ? '确认载入工作目录' : '确认并提交申报',
      },
      { title: `导入 #${imp.id}`, jsonUrl: base.jsonUrl },
    );
  });

  router.get('/api/v1/imports/:id', requirePermission('read:import'), (req, res) => {
    const imp = loadImport(req);
    const { readerPid: _pid, ...shown } = imp;
    const interrupted = imp.status === 'reading' && readerGone(imp);
    res.json({
      ...shown,
      ...(interrupted ? { status: 'failed', refusalMessage: MESSAGES.importInterrupted } : {}),
      report: imp.status === 'ready' || imp.status === 'confirmed' ? importReport(importRepository, imp.id) : null,
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

  const confirm = async (req: Request, res: Response) => {
    const imp = loadImport(req);
    const user = currentUser(req);
    const mapping = mappingFrom((req.body ?? {}) as Record<string, unknown>, imp.unknownDepartments);
    const subject = { id: user.id, role: user.role, departmentId: user.departmentId };
    const job = services.jobs.submit('import_confirm', { importId: imp.id }, actorOf(user), { payload: { subject, mapping }, departmentId: imp.departmentId });
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
    if (prefill) {
      for (let page = 1; ; page++) {
        const chunk = listItems(db, { department: department.code, page, pageSize: 500 });
        for (const s of chunk.items) {
          const detail = getItem(db, s.code);
          if (detail) items.push(templateItemFromDetail(detail));
        }
        if (page * 500 >= chunk.total) break;
      }
    }
    const name = `${department?.name ?? '事项'}清单${prefill ? '' : '模板'}.xlsx`;
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="template.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
    await writeTemplate(res, { departmentName: department?.name ?? '', items });
    res.end();
  });

  return router;
}
