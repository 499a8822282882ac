// The signed-in workspace: a department's own items and the item form.
import { Router, type Request } from 'express';
import { getItem, listItems } from '../../db/queries/catalogue.js';
import { can, isOwnScoped } from '../auth/policy.js';
import { describeChanged } from '../catalogue/items.js';
import { processStepsPreview } from '../catalogue/process-steps.js';
import { prerequisitesFormText } from '../domain/prerequisite-names.js';
import { draftFieldsOf, saveItemEdit } from '../review/drafts.js';
import { createReviewRepository } from '../../db/queries/review/index.js';
import { itemQuerySchema } from '../catalogue/queries.js';
import { ROLES, SERVICE_OBJECT_CODES, SERVICE_OBJECTS } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { actorOf, currentUser, requireLogin, requirePermission } from '../http/guards.js';
import { renderPage } from '../http/render.js';
import { urls } from '../urls.js';
import { categoryOptions, itemListModel, levelOptions, onlineDepthOptions, onSiteVisitOptions } from '../views/models.js';
import type { ItemDetail } from '../../db/queries/catalogue.js';
import type { RouteDeps } from './deps.js';

/** The form's model: values as the person last saw or typed them. */
function itemFormModel(req: Request, item: ItemDetail, values: Record<string, unknown>) {
  const v = (k: string) => (values[k] == null ? '' : String(values[k]));
  const objects = Array.isArray(values.serviceObjects) ? (values.serviceObjects as string[]) : values.serviceObjects ? [String(values.serviceObjects)] : [];
  return {
    item: { code: item.code, name: item.name, departmentName: item.department.name, url: urls.item(item.code) },
    action: urls.saveItem(item.code),
    values: {
      name: v('name'),
      rowVersion: v('rowVersion'),
      statutoryLimitDays: v('statutoryLimitDays'),
      promisedLimitDays: v('promisedLimitDays'),
      instant: values.instant === true || values.instant === 'on',
      feeCharged: values.feeCharged === true || values.feeCharged === 'on',
      feeStandard: v('feeStandard'),
      feeBasis: v('feeBasis'),
      conditions: v('conditions'),
      materials: v('materials'),
      processText: v('processText'),
      contactPhone: v('contactPhone'),
      supervisionPhone: v('supervisionPhone'),
      remarks: v('remarks'),
      servicePlace: v('servicePlace'),
      serviceHours: v('serviceHours'),
      resultName: v('resultName'),
      prerequisites: prerequisitesFormText(values.prerequisites),
    },
    onSiteVisitOptions: onSiteVisitOptions(v('onSiteVisits')),
    onlineDepthOptions: onlineDepthOptions(v('onlineDepth')),
    steps: processStepsPreview(values.processText),
    categories: categoryOptions(v('category')),
    levels: levelOptions(v('level')),
    serviceObjects: SERVICE_OBJECT_CODES.map((c) => ({ value: c, text: SERVICE_OBJECTS[c], checked: objects.includes(c) })),
    saved: req.query.saved === '1',
    savedFields: typeof req.query.changed === 'string' ? req.query.changed : '',
    draftUrl: typeof req.query.draft === 'string' && /^\d+$/.test(req.query.draft) ? urls.submission(Number(req.query.draft)) : null,
    draftId: typeof req.query.draft === 'string' && /^\d+$/.test(req.query.draft) ? req.query.draft : null,
  };
}

const itemValues = (item: ItemDetail) => ({ ...item, rowVersion: item.rowVersion });

export function workspaceRoutes({ db, config, views }: RouteDeps): Router {
  const router = Router();
  const review = createReviewRepository(db);

  router.get('/workspace', requireLogin, (req, res) => {
    const user = currentUser(req);
    const query = itemQuerySchema.parse(req.query);
    const own =
      isOwnScoped(user, 'update:item') && user.departmentCode
        ? itemListModel(listItems(db, { ...query, department: user.departmentCode, pageSize: config.pageSize }), {})
        : null;
    renderPage(
      views,
      req,
      res,
      'workspace',
      {
        roleName: ROLES[user.role],
        isDepartment: isOwnScoped(user, 'update:item'),
        departmentName: user.departmentName,
        own: own && {
          ...own,
          rows: own.rows.map((r) => ({ ...r, editUrl: urls.editItem(r.code) })),
        },
      },
      { title: '工作台' },
    );
  });

  const loadEditable = (req: Request) => {
    const user = currentUser(req);
    const item = getItem(db, req.params.code as string);
    if (!item) throw errors.notFound('事项');
    if (!can(user, 'update:item', { departmentId: item.departmentId })) throw errors.forbidden('只能修改本部门的事项。');
    return { user, item };
  };

  router.get('/workspace/items/:code/edit', requirePermission('update:item'), (req, res) => {
    const { user, item } = loadEditable(req);
    // A department sees its pending draft, not the catalogue's values it already proposed to change.
    const draft = isOwnScoped(user, 'update:item') ? draftFieldsOf(review, item.departmentId, item.id) : null;
    const values = draft ? { ...itemValues(item), ...draft } : itemValues(item);
    renderPage(
      views,
      req,
      res,
      'item-form',
      { ...itemFormModel(req, item, values), proposes: isOwnScoped(user, 'update:item'), showsDraft: draft !== null },
      { title: `修改：${item.name}` },
    );
  });

  router.post('/workspace/items/:code', requirePermission('update:item'), (req, res) => {
    const { user, item } = loadEditable(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.ctx.formView = { page: 'item-form', title: `修改：${item.name}`, model: itemFormModel(req, item, body) };
    const change = saveItemEdit(review, actorOf(user), user, item.code, body);
    const changed = describeChanged(change.changed);
    const draft = change.draft ? `&draft=${change.draft.submissionId}` : '';
    res.redirect(303, `${urls.editItem(item.code)}?saved=1&changed=${encodeURIComponent(changed || '无')}${draft}`);
  });

  return router;
}
