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
import { createInboxRepository } from '../../db/queries/inbox.js';
import { inboxOf } from '../workspace/inbox.js';
import { INBOX_TEXT } from '../domain/labels.js';
import { basisFormModel } from '../views/basis-form.js';
import { applyRowAction, rowOfCitation, rowsFromForm, rowsOfFeeBasis } from '../catalogue/citation-rows.js';
import { citationsOfItem, proposalFindings, returnedProposalOf } from '../../db/queries/basis.js';
import type { StoredProposal } from '../catalogue/apply-proposal.js';
import { BASIS_FORM } from '../domain/labels.js';

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

  const inbox = createInboxRepository(db);

  router.get('/workspace', requireLogin, (req, res) => {
    const user = currentUser(req);
    const waiting = inboxOf(inbox, user).map((row) => ({ ...row, idle: row.count === 0 }));
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
        inbox: waiting,
        inboxText: INBOX_TEXT,
        isDepartment: isOwnScoped(user, 'update:item'),
        departmentName: user.departmentName,
        own: own && {
          ...own,
          rows: own.rows.map((r) => ({ ...r, editUrl: urls.editItem(r.code) })),
        },
      },
      { title: '工作台', jsonUrl: urls.api.inbox() },
    );
  });

  const loadEditable = (req: Request) => {
    const user = currentUser(req);
    const item = getItem(db, req.params.code as string);
    if (!item) throw errors.notFound('事项');
    if (!can(user, 'update:item', { departmentId: item.departmentId })) throw errors.forbidden('只能修改本部门的事项。');
    return { user, item };
  };

  /**
   * What the form edits for this person: a department its returned proposal (to correct), else its
   * pending draft, else the catalogue's item; an admin the item. With the findings of the last save.
   */
  const formSource = (user: ReturnType<typeof currentUser>, item: ItemDetail) => {
    const own = isOwnScoped(user, 'update:item');
    const returned = own ? returnedProposalOf(db, item.departmentId, item.id) : null;
    if (returned?.proposal) {
      const p = returned.proposal as unknown as StoredProposal;
      const values = { ...itemValues(item), ...p.fields, ...(p.prerequisitesPresent ? { prerequisites: p.prerequisites } : {}) };
      return { values, citations: p.citations, flags: proposalFindings(db, returned.id), returned: { id: returned.id, rowVersion: returned.rowVersion, request: returned.returnRequest }, showsDraft: false };
    }
    const draftId = own ? review.submissions.draftOf(item.departmentId) : null;
    const draftItemId = draftId ? review.items.draftItemOf(draftId, item.id) : null;
    if (draftItemId) {
      const draft = draftFieldsOf(review, item.departmentId, item.id)!;
      const p = review.items.draftProposalOf(item.departmentId, item.id) as StoredProposal | null;
      return { values: { ...itemValues(item), ...draft }, citations: p?.citations ?? citationsOfItem(db, item.id), flags: proposalFindings(db, draftItemId), returned: null, showsDraft: true };
    }
    return { values: itemValues(item), citations: citationsOfItem(db, item.id), flags: review.items.storedFlags(item.id), returned: null, showsDraft: false };
  };

  router.get('/workspace/items/:code/edit', requirePermission('update:item'), (req, res) => {
    const { user, item } = loadEditable(req);
    const source = formSource(user, item);
    renderPage(
      views,
      req,
      res,
      'item-form',
      {
        ...itemFormModel(req, item, source.values),
        proposes: isOwnScoped(user, 'update:item'),
        showsDraft: source.showsDraft,
        basis: basisFormModel(db, { basisRows: source.citations.map(rowOfCitation), feeRows: rowsOfFeeBasis(db, (source.values as { feeBasis?: string | null }).feeBasis ?? null), flags: source.flags, returned: source.returned }),
        correctedNotice: req.query.corrected === '1' ? BASIS_FORM.corrected : null,
      },
      { title: `修改：${item.name}` },
    );
  });

  router.post('/workspace/items/:code', requirePermission('update:item'), (req, res) => {
    const { user, item } = loadEditable(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const source = formSource(user, item);
    // The rows as typed: a refused save and the no-JavaScript row buttons show them again as they were.
    const rows = { basis: rowsFromForm(body, 'basis') ?? source.citations.map(rowOfCitation), fee: rowsFromForm(body, 'fee') ?? rowsOfFeeBasis(db, item.feeBasis) };
    const model = (extra: object = {}) => ({
      ...itemFormModel(req, item, body),
      proposes: isOwnScoped(user, 'update:item'),
      showsDraft: source.showsDraft,
      basis: basisFormModel(db, { basisRows: rows.basis, feeRows: rows.fee, flags: source.flags, returned: source.returned, blankRows: 0 }),
      answer: typeof body.answer === 'string' ? body.answer : '',
      ...extra,
    });
    // The row button pressed names its action: rowAction:basis:up:2 (or, from a script, rowAction=basis:up:2).
    const rowAction = typeof body.rowAction === 'string' ? body.rowAction : Object.keys(body).find((k) => k.startsWith('rowAction:'))?.slice('rowAction:'.length);
    if (rowAction && applyRowAction(rows, rowAction)) {
      // Adding, moving or removing a row without JavaScript: the form again, nothing saved.
      renderPage(views, req, res, 'item-form', model(), { title: `修改：${item.name}` });
      return;
    }
    req.ctx.formView = { page: 'item-form', title: `修改：${item.name}`, model: model() };
    const change = saveItemEdit(review, actorOf(user), user, item.code, body);
    if (change.returned?.resubmitted) {
      res.redirect(303, `${urls.reviewItem(change.returned.submissionItemId)}?done=answer`);
      return;
    }
    const changed = describeChanged(change.changed);
    const draft = change.draft ? `&draft=${change.draft.submissionId}` : '';
    const corrected = change.returned ? '&corrected=1' : '';
    res.redirect(303, `${urls.editItem(item.code)}?saved=1&changed=${encodeURIComponent(changed || '无')}${draft}${corrected}`);
  });

  return router;
}
