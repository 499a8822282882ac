// The audit log for the legal office, supervisor and admin: who (by name and role) did what, to which
// item, when (local time), before → after in words; filters, paging, an xlsx export, the chain check.
import { Router } from 'express';
import { z } from 'zod';
import { allAudit, auditActors, listAudit, type AuditEntryView, type AuditFilter } from '../../db/queries/audit.js';
import { displayNames } from '../../db/queries/accounts.js';
import { PUBLIC_ACTOR, verifyAuditLog } from '../../db/audit.js';
import { requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { urls } from '../urls.js';
import { option, pager } from '../views/models.js';
import type { RouteDeps } from './deps.js';
import { AUDIT_ACTIONS, AUDIT_ACTORS, AUDIT_ENTITY_TYPES, ROLES, label, localDayStart, localTime } from '../domain/labels.js';
import { ROLE_CODES } from '../domain/vocabulary.js';
import { auditChanges, type AuditNames } from '../domain/audit-view.js';
import { auditActionName } from '../domain/audit-actions.js';
import { ruleTitle } from '../checks/engine.js';
import { writeAuditXlsx, type AuditRowView } from '../../exports/audit-xlsx.js';
import type { Db } from '../../db/client.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(d)))
  .optional()
  .catch(undefined);
const text = (max: number) => z.string().trim().max(max).optional().catch(undefined).transform((v) => v || undefined);

/** One schema for the page, its paging links and the export. */
const querySchema = z.object({
  actor: text(100),
  role: z.enum(ROLE_CODES).optional().catch(undefined),
  action: z.string().refine((a) => a in AUDIT_ACTIONS).optional().catch(undefined),
  item: text(200),
  from: day,
  to: day,
  entityType: text(40),
  entityId: text(200),
  verify: z.literal('1').optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});
type AuditQuery = z.infer<typeof querySchema>;

const filterOf = (q: AuditQuery): AuditFilter => ({
  actor: q.actor,
  role: q.role,
  action: q.action,
  item: q.item,
  fromAt: q.from ? localDayStart(q.from) : undefined,
  toAt: q.to ? localDayStart(q.to, 1) : undefined,
  entityType: q.entityType,
  entityId: q.entityId,
});

/** Who acted, in words: an account's name, the system, or a command typed on the server. */
function whoOf(e: AuditEntryView): string {
  if (e.actorName) return e.actorName;
  if (e.actor === 'system') return AUDIT_ACTORS.system;
  if (e.actor === PUBLIC_ACTOR.name) return AUDIT_ACTORS.public;
  if (e.actor.startsWith('cli:')) return AUDIT_ACTORS.cli(e.actor.slice(4));
  return e.actor;
}

/** What the entry is about, in words, with its code and the page to open. */
function objectOf(e: AuditEntryView): { object: string; objectCode: string; url: string | null } {
  if (e.itemName !== null || e.itemCode !== null) {
    const url = e.entityType === 'submission_item' && e.submissionItemId !== null ? urls.reviewItem(e.submissionItemId) : e.itemCode ? urls.item(e.itemCode) : null;
    return { object: e.itemName ?? e.itemCode ?? '', objectCode: e.itemCode ?? '', url };
  }
  if (e.entityType === 'user') return { object: `${label(AUDIT_ENTITY_TYPES, 'user')}：${e.userName ?? e.entityId ?? ''}`, objectCode: e.entityId ?? '', url: null };
  return { object: AUDIT_ENTITY_TYPES[e.entityType] ?? '其他', objectCode: e.entityId ?? '', url: null };
}

/** One entry as the page and the export show it. */
export function auditRow(e: AuditEntryView, names: AuditNames): AuditRowView & { url: string | null; shortHash: string } {
  return {
    seq: e.seq,
    time: localTime(e.at),
    who: whoOf(e),
    roleName: e.actorRole ? label(ROLES, e.actorRole) : '',
    actionName: auditActionName(e.action),
    ...objectOf(e),
    changes: auditChanges(e.before, e.after, names),
    shortHash: e.hash.slice(0, 12),
  };
}

const namesFor = (db: Db): AuditNames => {
  const people = displayNames(db);
  return { person: (u) => people.get(u) ?? u, rule: ruleTitle };
};

export function auditRoutes({ db, views }: RouteDeps): Router {
  const router = Router();
  router.get('/audit', requirePermission('read:audit'), (req, res) => {
    const q = querySchema.parse(req.query);
    const pageSize = 50;
    const result = listAudit(db, { ...filterOf(q), page: q.page, pageSize });
    const names = namesFor(db);
    const { page: _page, verify: _verify, ...kept } = q;
    renderPage(
      views,
      req,
      res,
      'audit',
      {
        entries: result.entries.map((e) => auditRow(e, names)),
        total: result.total,
        pager: pager(result.total, q.page, pageSize, urls.audit, kept),
        filter: { item: q.item ?? '', from: q.from ?? '', to: q.to ?? '' },
        actors: auditActors(db).map((a) => option(a.username, a.displayName ?? whoOf({ actor: a.username, actorName: null } as AuditEntryView), q.actor)),
        roles: ROLE_CODES.map((r) => option(r, ROLES[r], q.role)),
        actions: Object.entries(AUDIT_ACTIONS).map(([code, name]) => option(code, name, q.action)),
        scoped: q.entityType || q.entityId ? { what: objectOf({ entityType: q.entityType ?? '', entityId: q.entityId ?? null, itemName: null, itemCode: null } as AuditEntryView), clearUrl: urls.audit() } : null,
        xlsxUrl: urls.auditXlsx(kept),
        verifyUrl: urls.audit({ ...kept, verify: 1 }),
        verification: q.verify ? verifyAuditLog(db) : null,
      },
      { title: '审计日志' },
    );
  });

  router.get('/audit.xlsx', requirePermission('read:audit'), async (req, res) => {
    const q = querySchema.parse(req.query);
    const names = namesFor(db);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="audit.xlsx"; filename*=UTF-8''${encodeURIComponent('审计日志.xlsx')}`);
    const rows = function* () {
      for (const e of allAudit(db, filterOf(q))) yield auditRow(e, names);
    };
    await writeAuditXlsx(res, rows());
  });
  return router;
}
