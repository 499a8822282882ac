// An item as a version publishes it: read from the working catalogue, written as canonical JSON with
// its SHA-256 and its hash bucket. Kept apart from the publish itself so that the reading thread
// (publish-reader.ts) can prepare items with exactly this code while the publish writes.
import type Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import { fieldsOfRow, GUIDE_FIELDS, type GuideField, type ItemFieldColumns, type ItemFields } from '../domain/item-fields.js';
import { citationRowsForPublish, itemRowsForPublish, type ItemRowArray } from '../../db/queries/publication/items.js';

/** JSON with object keys sorted at every level: one text for one content, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const json = JSON.stringify;
const citationJson = (c: PublishedItem['citations'][number]) =>
  `{"article":${json(c.article ?? null)},"documentNumber":${json(c.documentNumber ?? null)},"role":${json(c.role ?? null)},"title":${json(c.title ?? null)}}`;
const refJson = (r: { code: string; name: string } | null) => (r ? `{"code":${json(r.code ?? null)},"name":${json(r.name ?? null)}}` : 'null');

// Every field of PublishedItem must be written by publishedJson: this fails to compile when one is added.
const WRITTEN = ['category', 'citations', 'code', 'conditions', 'contactPhone', 'department', 'feeBasis', 'feeCharged', 'feeStandard', 'instant', 'level', 'mainItemName',
  'materials', 'name', 'onSiteVisits', 'onlineDepth', 'parent', 'processText', 'promisedLimitDays', 'remarks', 'resultName', 'serviceHours', 'serviceObjects',
  'servicePlace', 'statutoryLimitDays', 'supervisionPhone'] as const;
type Unwritten = Exclude<keyof PublishedItem, (typeof WRITTEN)[number]>;
export const ALL_FIELDS_WRITTEN: [Unwritten] extends [never] ? true : never = true;

/**
 * canonicalJson of a published item, written out field by field in sorted key order: the same text
 * (a test compares them over the demo catalogue), several times faster, which a publish of many
 * changed items feels.
 */
export function publishedJson(p: PublishedItem): string {
  // A guide field is written only when filled in (see PublishedItem).
  const guide = (key: GuideField) => (p[key] == null ? '' : `${json(key)}:${json(p[key])},`);
  return (
    `{"category":${json(p.category)},"citations":[${p.citations.map(citationJson).join(',')}],"code":${json(p.code)},"conditions":${json(p.conditions)},` +
    `"contactPhone":${json(p.contactPhone)},"department":${refJson(p.department)},"feeBasis":${json(p.feeBasis)},` +
    `"feeCharged":${json(p.feeCharged)},"feeStandard":${json(p.feeStandard)},"instant":${json(p.instant)},"level":${json(p.level)},` +
    `"mainItemName":${json(p.mainItemName)},"materials":${json(p.materials)},"name":${json(p.name)},${guide('onSiteVisits')}${guide('onlineDepth')}` +
    `"parent":${refJson(p.parent)},"processText":${json(p.processText)},"promisedLimitDays":${json(p.promisedLimitDays)},"remarks":${json(p.remarks)},` +
    `${guide('resultName')}${guide('serviceHours')}"serviceObjects":[${p.serviceObjects.map((o) => json(o)).join(',')}],${guide('servicePlace')}` +
    `"statutoryLimitDays":${json(p.statutoryLimitDays)},"supervisionPhone":${json(p.supervisionPhone)}}`
  );
}

export const sha256 = (text: string): string => hash('sha256', text, 'hex');

/**
 * An item as a version publishes it: its editable fields (ItemFields, the same list the form and the
 * import write), with its code, department, main item and citations. A field added to ItemFields is
 * published too: publishedJson fails to compile until it writes it (WRITTEN).
 */
export type PublishedItem = Omit<ItemFields, GuideField> & {
  /**
   * The service guide's fields (办理地点 …) are written only when filled in: an item that has none reads
   * as it did before they existed, so its published text and hash stay the same, and a reader takes an
   * absent one as not filled in.
   */
  [K in GuideField]?: ItemFields[K];
} & {
  code: string;
  department: { code: string; name: string };
  parent: { code: string; name: string } | null;
  mainItemName: string | null;
  citations: { title: string; article: string | null; documentNumber: string | null; role: string }[];
};

interface ItemRowForPublish extends ItemFieldColumns {
  id: number;
  code: string;
  name: string;
  category: string;
  level: string | null;
  department_code: string;
  department_name: string;
  parent_code: string | null;
  parent_name: string | null;
  main_item_name: string | null;
  removed_at: string | null;
}

/** The fields of a published item, its empty guide fields left out. */
function publishedFields(row: Record<string, unknown>): Omit<PublishedItem, 'code' | 'department' | 'parent' | 'mainItemName' | 'citations'> {
  const fields: Partial<ItemFields> = fieldsOfRow(row);
  for (const key of GUIDE_FIELDS) if (fields[key] == null) delete fields[key];
  return fields as Omit<PublishedItem, 'code' | 'department' | 'parent' | 'mainItemName' | 'citations'>;
}

function toPublished(r: ItemRowForPublish, citations: PublishedItem['citations']): PublishedItem {
  return {
    ...publishedFields(r as unknown as Record<string, unknown>),
    code: r.code,
    department: { code: r.department_code, name: r.department_name },
    parent: r.parent_code ? { code: r.parent_code, name: r.parent_name! } : null,
    mainItemName: r.main_item_name,
    citations,
  };
}


/** An item row read as an array (much cheaper to read than an object of 24 columns), as its object. */
const rowOf = (a: ItemRowArray): ItemRowForPublish => ({
  id: a[0], code: a[1], name: a[2], category: a[3], level: a[4], department_code: a[5], department_name: a[6], parent_code: a[7],
  parent_name: a[8], main_item_name: a[9], service_objects: a[10], statutory_limit_days: a[11], promised_limit_days: a[12],
  instant: a[13], fee_charged: a[14], fee_standard: a[15], fee_basis: a[16], conditions: a[17], materials: a[18],
  process_text: a[19], contact_phone: a[20], supervision_phone: a[21], remarks: a[22], removed_at: a[23],
  service_place: a[24], service_hours: a[25], on_site_visits: a[26], online_depth: a[27], result_name: a[28],
});

/** An item's bucket: the first two bytes of SHA-256(code). */
export const bucketOf = (code: string): number => hash('sha256', code, 'buffer').readUInt16BE(0);


/** What the publish needs of one touched item, ready to compare and store. */
export interface PreparedItem {
  code: string;
  bucket: number;
  /** Removed from the working catalogue: its open revision, if any, is closed. */
  removed: boolean;
  name: string;
  category: string;
  departmentCode: string;
  departmentName: string;
  level: string | null;
  parentCode: string | null;
  content: string;
  hash: string;
  /** Whether a citation sets the item (the legal-basis filter), and the cited titles (search). */
  hasBasis: 0 | 1;
  basisTitles: string;
}

/** Reads the items with these ids (a few hundred at a time) and prepares each for the publish. */
export function prepareItems(sqlite: Database.Database, ids: number[]): PreparedItem[] {
  const rows = itemRowsForPublish(sqlite, ids);
  const citations = new Map<number, PublishedItem['citations']>();
  for (const [itemId, title, article, documentNumber, role] of citationRowsForPublish(sqlite, ids)) {
    const list = citations.get(itemId);
    const citation = { title: title.replace(/^《|》$/g, ''), article, documentNumber, role };
    if (list) list.push(citation);
    else citations.set(itemId, [citation]);
  }
  return rows.map((a) => {
    const r = rowOf(a);
    const prepared: PreparedItem = {
      code: r.code,
      bucket: bucketOf(r.code),
      removed: r.removed_at !== null,
      name: r.name,
      category: r.category,
      departmentCode: r.department_code,
      departmentName: r.department_name,
      level: r.level,
      parentCode: r.parent_code,
      content: '',
      hash: '',
      hasBasis: 0,
      basisTitles: '',
    };
    if (prepared.removed) return prepared;
    const published = toPublished(r, citations.get(r.id) ?? []);
    prepared.content = publishedJson(published);
    prepared.hash = sha256(prepared.content);
    prepared.hasBasis = published.citations.some((c) => c.role === 'setting') ? 1 : 0;
    prepared.basisTitles = published.citations.map((c) => c.title).join('\n');
    return prepared;
  });
}
