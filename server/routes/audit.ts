// The audit log for the legal office, supervisor and admin: who changed what, when, before and after.
import { Router } from 'express';
import { z } from 'zod';
import { listAudit } from '../../db/queries/audit.js';
import { verifyAuditLog } from '../../db/audit.js';
import { requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { urls } from '../urls.js';
import { pager } from '../views/models.js';
import type { RouteDeps } from './deps.js';
import { auditActionName } from '../domain/audit-actions.js';


const querySchema = z.object({
  entityType: z.string().max(40).optional().catch(undefined),
  entityId: z.string().max(200).optional().catch(undefined),
  verify: z.literal('1').optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

const show = (value: unknown) =>
  value == null ? [] : typeof value === 'object' ? Object.entries(value).map(([k, v]) => ({ field: k, value: JSON.stringify(v) })) : [{ field: '', value: JSON.stringify(value) }];

export function auditRoutes({ db, views }: RouteDeps): Router {
  const router = Router();
  router.get('/audit', requirePermission('read:audit'), (req, res) => {
    const q = querySchema.parse(req.query);
    const pageSize = 50;
    const result = listAudit(db, { entityType: q.entityType, entityId: q.entityId, page: q.page, pageSize });
    const verification = q.verify ? verifyAuditLog(db) : null;
    renderPage(
      views,
      req,
      res,
      'audit',
      {
        entries: result.entries.map((e) => ({
          ...e,
          actionName: auditActionName(e.action),
          before: show(e.before),
          after: show(e.after),
          entityUrl: e.entityType === 'item' && e.entityId ? urls.item(e.entityId) : null,
          shortHash: e.hash.slice(0, 12),
        })),
        pager: pager(result.total, q.page, pageSize, urls.audit, { entityType: q.entityType, entityId: q.entityId }),
        filter: { entityType: q.entityType ?? '', entityId: q.entityId ?? '' },
        verifyUrl: urls.audit({ ...q, verify: 1, page: undefined }),
        verification,
      },
      { title: '审计日志' },
    );
  });
  return router;
}
