// What a campaign leaves on file: its filing record (备案) as a printable page, JSON and xlsx, and the
// delegation and cancellation register (注销下放登记) across campaigns.
import { Router } from 'express';
import { z } from 'zod';
import { filingRecord, type FilingRecord } from '../../db/queries/filing.js';
import { createRegisterRepository, REGISTER_DISPOSITIONS, type RegisterEntry } from '../../db/queries/review/register.js';
import { listDepartments } from '../../db/queries/catalogue.js';
import { writeFilingXlsx } from '../../exports/filing-xlsx.js';
import { errors } from '../errors.js';
import { currentUser, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { can } from '../auth/policy.js';
import { urls } from '../urls.js';
import { option, pager } from '../views/models.js';
import { CATEGORIES, DISPOSITIONS, label } from '../domain/vocabulary.js';
import { FILING_SET_ASIDE, localTime } from '../domain/labels.js';
import type { Db } from '../../db/client.js';
import type { RouteDeps } from './deps.js';

const campaignParam = z.object({ id: z.coerce.number().int().positive() });

/** The campaign's filing record, or 404. */
function recordFor(db: Db, params: unknown): FilingRecord {
  const parsed = campaignParam.safeParse(params);
  const record = parsed.success ? filingRecord(db, parsed.data.id) : null;
  if (!record) throw errors.notFound('专项行动');
  return record;
}

const registerQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined).transform((v) => v || undefined),
  department: z.string().trim().max(32).optional().catch(undefined).transform((v) => v || undefined),
  disposition: z.enum(REGISTER_DISPOSITIONS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

function filingModel(record: FilingRecord) {
  const used = record.totals.byDisposition.filter((d) => d.count > 0);
  return {
    campaign: record.campaign,
    generatedOn: new Date().toISOString().slice(0, 10),
    totals: {
      items: record.totals.items,
      finalised: record.totals.finalised,
      finalisedWithErrorsSetAside: record.totals.finalisedWithErrorsSetAside,
      columns: used.map((d) => d.name),
      departments: record.totals.byDepartment.map((t) => ({ ...t, counts: used.map((d) => t.byDisposition[d.disposition]) })),
      sums: used.map((d) => d.count),
      byDisposition: used,
    },
    entries: record.entries.map((e, i) => ({
      ...e,
      n: i + 1,
      decidedOn: day(e.decidedAt),
      finalisedOn: day(e.finalisedAt),
      isFinal: e.state === 'final',
      opinions: e.opinions.map((o) => ({ ...o, handledOn: day(o.handledAt) })),
      overrides: e.overrides.map((o) => ({ ...o, isError: o.severity === 'error', on: localTime(o.createdAt) })),
    })),
    xlsxUrl: urls.filingXlsx(record.campaign.id),
    jsonUrl: urls.api.filing(record.campaign.id),
    registerUrl: urls.register(),
    words: FILING_SET_ASIDE,
  };
}

const registerRow = (e: RegisterEntry, showFiling: boolean) => ({
  ...e,
  categoryName: label(CATEGORIES, e.category),
  dispositionName: label(DISPOSITIONS, e.disposition),
  filingUrl: showFiling && e.campaignId !== null ? urls.filing(e.campaignId) : null,
});

export function filingRoutes({ db, config, views }: RouteDeps): Router {
  const router = Router();
  const register = createRegisterRepository(db);

  router.get('/review/campaigns/:id/filing', requirePermission('read:filing'), (req, res) => {
    const record = recordFor(db, req.params);
    renderPage(views, req, res, 'filing', filingModel(record), { title: `${record.campaign.name} 备案记录`, jsonUrl: urls.api.filing(record.campaign.id) });
  });

  router.get('/api/v1/campaigns/:id/filing', requirePermission('read:filing'), (req, res) => {
    res.json(recordFor(db, req.params));
  });

  router.get('/review/campaigns/:id/filing.xlsx', requirePermission('read:filing'), async (req, res) => {
    const record = recordFor(db, req.params);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="filing-${record.campaign.id}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${record.campaign.name}备案记录.xlsx`)}`,
    );
    await writeFilingXlsx(res, record);
  });

  router.get('/review/register', requirePermission('read:register'), (req, res) => {
    const q = registerQuery.parse(req.query);
    const { page, ...filters } = q;
    const result = register.list({ ...q, pageSize: config.pageSize });
    const showFiling = can(currentUser(req), 'read:filing');
    renderPage(
      views,
      req,
      res,
      'register',
      {
        rows: result.entries.map((e) => registerRow(e, showFiling)),
        total: result.total,
        pager: pager(result.total, page, config.pageSize, urls.register, filters),
        filters: {
          q: q.q ?? '',
          departments: listDepartments(db).map((d) => option(d.code, d.name, q.department)),
          dispositions: REGISTER_DISPOSITIONS.map((d) => option(d, DISPOSITIONS[d], q.disposition)),
        },
      },
      { title: '注销下放登记', jsonUrl: urls.api.register({ ...filters, page }) },
    );
  });

  router.get('/api/v1/register', requirePermission('read:register'), (req, res) => {
    const q = registerQuery.parse(req.query);
    res.json(register.list({ ...q, pageSize: config.pageSize }));
  });

  return router;
}
