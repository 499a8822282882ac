// A paged comparison as the page shows it: counts by kind and by department as filter links, the page's
// entries with their fields in words, and the pager. One model for the version comparison and the
// publish preflight (views/partials/catalogue/diff.hbs).
import type { DiffEntry, DiffPage } from '../publication/diff.js';
import { CHANGE_KINDS, shownValue, type ChangeKind } from '../domain/labels.js';
import { DISPOSITIONS, label } from '../domain/vocabulary.js';
import { ITEM_FIELD_LABELS } from '../domain/item-fields.js';
import { CHANGE_KIND_ORDER } from '../publication/changes.js';
import type { Query } from '../urls.js';

const FIELD_LABELS: Record<string, string> = { ...ITEM_FIELD_LABELS, department: '实施部门', parent: '所属主项', mainItemName: '主项名称', citations: '设定和实施依据' };

export interface DiffLinks {
  /** The comparison's page with this query (kind, department, page). */
  page: (q: Query) => string;
  /** Where an entry of this kind links (the item on the side that holds it), or null for none. */
  item: (kind: ChangeKind, code: string) => string | null;
  /** The headings of the two sides' columns: 第 1 版 / 第 2 版, or 上一版 / 工作目录. */
  beforeLabel: string;
  afterLabel: string;
}

export function diffPageModel(diff: DiffPage, links: DiffLinks) {
  const filter = { kind: diff.kind ?? undefined, department: diff.department ?? undefined };
  const decorate = (kind: ChangeKind) => (e: DiffEntry) => ({
    ...e,
    kind,
    url: links.item(kind, e.code),
    decision: e.decision ? { ...e.decision, dispositionName: label(DISPOSITIONS, e.decision.disposition) } : null,
    fields: e.fields?.map((f) => ({ ...f, label: FIELD_LABELS[f.field] ?? f.field, before: shownValue(f.field, f.before), after: shownValue(f.field, f.after) })),
  });
  return {
    counts: diff.counts,
    kinds: [
      { kind: '', name: '全部', count: diff.counts.total, url: links.page({ department: filter.department }), current: !diff.kind },
      ...CHANGE_KIND_ORDER.map((k) => ({ kind: k, name: CHANGE_KINDS[k], count: diff.counts[k], url: links.page({ kind: k, department: filter.department }), current: diff.kind === k })),
    ],
    departments: diff.byDepartment.map((d) => ({ ...d, url: links.page({ kind: filter.kind, department: d.code }), current: diff.department === d.code })),
    allDepartmentsUrl: diff.department ? links.page({ kind: filter.kind }) : null,
    filteredDepartment: diff.department ? (diff.byDepartment.find((d) => d.code === diff.department)?.name ?? diff.department) : null,
    added: diff.added.map(decorate('added')),
    changed: diff.changed.map(decorate('changed')),
    removed: diff.removed.map(decorate('removed')),
    beforeLabel: links.beforeLabel,
    afterLabel: links.afterLabel,
    kindNames: CHANGE_KINDS,
    pager: {
      page: diff.page,
      pages: diff.pages,
      total: diff.total,
      prevUrl: diff.page > 1 ? links.page({ ...filter, page: diff.page - 1 }) : null,
      nextUrl: diff.nextPage ? links.page({ ...filter, page: diff.nextPage }) : null,
    },
  };
}
