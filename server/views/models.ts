// View models: domain data turned into exactly what templates show (labels, URLs, flags).
// Templates then need only #if, #each and partials.
import { highlightParts } from '../domain/search-normalise.js';
import { normaliseText } from '../domain/search-tables.js';
import type { DepartmentSummary, ItemDetail, ItemPage, ItemSummary } from '../../db/queries/catalogue.js';
import type { InstrumentDetail, InstrumentSummary } from '../../db/queries/instruments.js';
import {
  CATEGORIES,
  CATEGORY_CODES,
  CITATION_ROLES,
  DISPOSITIONS,
  INSTRUMENT_STATUSES,
  LEVELS,
  LEVEL_CODES,
  ON_SITE_VISITS,
  ONLINE_DEPTH_CODES,
  ONLINE_DEPTHS,
  RANKS,
  RANK_CODES,
  INSTRUMENT_STATUS_CODES,
  REVIEW_STATUSES,
  SERVICE_OBJECTS,
  label,
} from '../domain/vocabulary.js';
import { urls, type Query } from '../urls.js';
import { handlingTypeName, onlineDepthName, onSiteVisitsName, phoneLinks } from '../domain/service-guide.js';
import { splitListItems } from '../../imports/normalise.js';

export const option = (value: string, text: string, selected: string | undefined | null) => ({
  value,
  text,
  selected: value === selected,
});

export const categoryOptions = (selected?: string | null) => CATEGORY_CODES.map((c) => option(c, CATEGORIES[c], selected));
export const levelOptions = (selected?: string | null) => LEVEL_CODES.map((c) => option(c, LEVELS[c], selected));
export const onlineDepthOptions = (selected?: string | null) => ONLINE_DEPTH_CODES.map((c) => option(c, ONLINE_DEPTHS[c], selected));
export const onSiteVisitOptions = (selected?: string | null) => Object.entries(ON_SITE_VISITS).map(([n, text]) => option(n, text, selected));
export const rankOptions = (selected?: string | null) => RANK_CODES.map((c) => option(c, RANKS[c], selected));
export const statusOptions = (selected?: string | null) =>
  INSTRUMENT_STATUS_CODES.map((c) => option(c, INSTRUMENT_STATUSES[c], selected));

/** Where a catalogue's item links go: the working catalogue's pages, or one published version's. */
export interface CatalogueLinks {
  item: (code: string) => string;
  items: (q?: Query) => string;
  apiItem: (code: string) => string;
  /** A registered instrument's page; absent where there are none (the static site): the status is shown unlinked. */
  instrument?: (id: number) => string;
  /** The print button's script (the live site's when absent). */
  printScript?: string;
}
export const WORKING_LINKS: CatalogueLinks = { item: urls.item, items: urls.items, apiItem: urls.api.item, instrument: urls.instrument };

export function itemRow(i: ItemSummary, links: CatalogueLinks = WORKING_LINKS, highlight: readonly string[] = []) {
  return {
    code: i.code,
    name: i.name,
    /** The name with the search's matches marked (<mark> in the list), when there is a search. */
    nameParts: highlight.length ? highlightParts(normaliseText, i.name, highlight) : null,
    url: links.item(i.code),
    categoryName: label(CATEGORIES, i.category),
    departmentName: i.department.name,
    departmentUrl: links.items({ department: i.department.code }),
    levelName: label(LEVELS, i.level),
    hasBasis: i.hasBasis,
    isSubItem: !!(i.parentCode || i.mainItemName),
  };
}

export interface Pager {
  page: number;
  pages: number;
  total: number;
  prevUrl: string | null;
  nextUrl: string | null;
}

export function pager(total: number, page: number, pageSize: number, urlFor: (q: Query) => string, query: Query): Pager {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return {
    page,
    pages,
    total,
    prevUrl: page > 1 ? urlFor({ ...query, page: page - 1 }) : null,
    nextUrl: page < pages ? urlFor({ ...query, page: page + 1 }) : null,
  };
}

export function itemListModel(result: ItemPage, query: Query, links: CatalogueLinks = WORKING_LINKS, highlight: readonly string[] = []) {
  return {
    rows: result.items.map((i) => itemRow(i, links, highlight)),
    pager: pager(result.total, result.page, result.pageSize, links.items, query),
  };
}

/** The catalogue list's filter form and heading, the same for the working catalogue and every version. */
export function itemFiltersModel(
  departments: { code: string; name: string; itemCount: number }[],
  query: { q?: string | undefined; department?: string | undefined; category?: string | undefined; level?: string | undefined; basis?: string | undefined },
) {
  return {
    filters: {
      q: query.q ?? '',
      departments: departments.map((d) => option(d.code, `${d.name}（${d.itemCount}）`, query.department)),
      categories: categoryOptions(query.category),
      levels: levelOptions(query.level),
      basis: [option('yes', '有设定依据', query.basis), option('no', '无设定依据', query.basis)],
    },
    activeDepartment: departments.find((d) => d.code === query.department)?.name ?? null,
  };
}

const days = (n: number | null) => (n == null ? '' : n === 0 ? '即办' : `${n} 个工作日`);

export function itemGuideModel(item: ItemDetail, links: CatalogueLinks = WORKING_LINKS) {
  const setting = item.citations.filter((c) => c.role === 'setting');
  const implementing = item.citations.filter((c) => c.role === 'implementing');
  const citation = (c: ItemDetail['citations'][number]) => ({
    title: c.title,
    article: c.article,
    documentNumber: c.documentNumber,
    quotedText: c.quotedText,
    tag: c.tag,
    roleName: CITATION_ROLES[c.role],
    registered: !!c.instrument,
    instrumentUrl: c.instrument && links.instrument ? links.instrument(c.instrument.id) : null,
    rankName: c.instrument ? RANKS[c.instrument.rank] : null,
    statusName: c.instrument ? INSTRUMENT_STATUSES[c.instrument.status] : '未登记',
    statusClass: c.instrument ? `status-${c.instrument.status}` : 'status-unknown',
    notInForce: !!c.instrument && c.instrument.status !== 'in_force',
  });
  return {
    code: item.code,
    name: item.name,
    categoryName: label(CATEGORIES, item.category),
    departmentName: item.department.name,
    departmentUrl: links.items({ department: item.department.code }),
    levelName: label(LEVELS, item.level),
    serviceObjects: item.serviceObjects.map((s) => label(SERVICE_OBJECTS, s)),
    statutoryLimit: days(item.statutoryLimitDays),
    promisedLimit: item.instant ? '即办' : days(item.promisedLimitDays),
    instant: item.instant,
    fee: item.feeCharged ? item.feeStandard || '收费（标准未填写）' : '不收费',
    feeCharged: item.feeCharged,
    feeBasis: item.feeBasis,
    conditions: item.conditions,
    materials: item.materials,
    // 申请条件 and 申请材料 as lists: numbered items, lines and ； each make an entry.
    conditionList: item.conditions ? splitListItems(item.conditions) : [],
    materialList: item.materials ? splitListItems(item.materials) : [],
    processText: item.processText,
    steps: item.steps,
    contactPhone: item.contactPhone,
    supervisionPhone: item.supervisionPhone,
    contactPhones: phoneLinks(item.contactPhone),
    supervisionPhones: phoneLinks(item.supervisionPhone),
    handlingTypeName: handlingTypeName(item.instant),
    servicePlace: item.servicePlace,
    serviceHours: item.serviceHours,
    onSiteVisitsName: onSiteVisitsName(item.onSiteVisits),
    onlineDepthName: onlineDepthName(item.onlineDepth),
    resultName: item.resultName,
    remarks: item.remarks,
    dispositionName: item.disposition ? label(DISPOSITIONS, item.disposition) : null,
    reviewStatusName: label(REVIEW_STATUSES, item.reviewStatus),
    parent: item.parent ? { name: item.parent.name, url: links.item(item.parent.code) } : null,
    mainItemName: item.mainItemName,
    subItems: item.subItems.map((s) => ({ name: s.name, url: links.item(s.code) })),
    settingCitations: setting.map(citation),
    implementingCitations: implementing.map(citation),
    hasBasis: setting.length > 0,
    prerequisites: item.prerequisites.map((p) => ({ writtenAs: p.writtenAs, url: p.item ? links.item(p.item.code) : null })),
    jsonUrl: links.apiItem(item.code),
    printScriptUrl: links.printScript ?? urls.printScript(),
    updatedAt: item.updatedAt.slice(0, 10),
  };
}

export const departmentRow = (d: DepartmentSummary) => ({
  code: d.code,
  name: d.name,
  levelName: label(LEVELS, d.level),
  itemCount: d.itemCount,
  url: urls.items({ department: d.code }),
});

export const instrumentRow = (l: InstrumentSummary) => ({
  id: l.id,
  title: l.title,
  url: urls.instrument(l.id),
  rankName: RANKS[l.rank],
  rankInferred: l.rankInferred,
  statusName: INSTRUMENT_STATUSES[l.status],
  statusClass: `status-${l.status}`,
  issuingBody: l.issuingBody ?? l.region ?? '',
  publishedOn: l.publishedOn ?? '',
  effectiveOn: l.effectiveOn ?? '',
  citingItems: l.citingItems,
});

export const instrumentDetailModel = (l: InstrumentDetail) => ({
  ...instrumentRow(l),
  documentNumber: l.documentNumber,
  region: l.region,
  source: l.source,
  editedBy: l.editedBy,
  repealedOn: l.repealedOn,
  replacedBy: l.replacedBy ? { title: l.replacedBy.title, url: urls.instrument(l.replacedBy.id) } : null,
  otherVersions: l.otherVersions.map((v) => ({
    title: v.title,
    url: urls.instrument(v.id),
    publishedOn: v.publishedOn ?? '',
    statusName: INSTRUMENT_STATUSES[v.status],
  })),
  items: l.items.map((i) => ({ name: i.name, url: urls.item(i.code), department: i.department, article: i.article })),
  jsonUrl: urls.api.instrument(l.id),
});
