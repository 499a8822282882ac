// What a publish reads of each touched item, a chunk of ids at a time: the item with its department and
// main item, and its citations. Run by the publish's reading thread on a read-only connection of its
// own (or by the publish itself), so it takes the better-sqlite3 handle. Raw and read as arrays: a
// first publish reads a million items this way (hot path: npm run bench:publish).
import type Database from 'better-sqlite3';

const ITEM_SQL = `SELECT i.id, i.code, i.name, i.category, i.level, d.code AS department_code, d.name AS department_name,
        p.code AS parent_code, p.name AS parent_name, i.main_item_name, i.service_objects, i.statutory_limit_days,
        i.promised_limit_days, i.instant, i.fee_charged, i.fee_standard, i.fee_basis, i.conditions, i.materials,
        i.process_text, i.contact_phone, i.supervision_phone, i.remarks, i.removed_at,
        i.service_place, i.service_hours, i.on_site_visits, i.online_depth, i.result_name
   FROM items i JOIN departments d ON d.id = i.department_id LEFT JOIN items p ON p.id = i.parent_id`;

/** An item row of ITEM_SQL, read as an array (much cheaper to read than an object of 24 columns). */
export type ItemRowArray = [
  id: number, code: string, name: string, category: string, level: string | null, departmentCode: string, departmentName: string,
  parentCode: string | null, parentName: string | null, mainItemName: string | null, serviceObjects: string, statutoryLimitDays: number | null,
  promisedLimitDays: number | null, instant: number, feeCharged: number, feeStandard: string | null, feeBasis: string | null,
  conditions: string | null, materials: string | null, processText: string | null, contactPhone: string | null,
  supervisionPhone: string | null, remarks: string | null, removedAt: string | null,
  servicePlace: string | null, serviceHours: string | null, onSiteVisits: number | null, onlineDepth: string | null, resultName: string | null,
];

/** The items with these ids (a few hundred at a time). */
export const itemRowsForPublish = (sqlite: Database.Database, ids: number[]): ItemRowArray[] =>
  sqlite.prepare(`${ITEM_SQL} WHERE i.id IN (${ids.map(() => '?').join(',')})`).raw().all(...ids) as ItemRowArray[];

/** Their citations as (item id, title, article, document number, role), setting ones first, in order. */
export const citationRowsForPublish = (sqlite: Database.Database, ids: number[]): [number, string, string | null, string | null, string][] =>
  sqlite
    .prepare(`SELECT item_id, title, article, document_number, role FROM citations WHERE item_id IN (${ids.map(() => '?').join(',')}) ORDER BY item_id, role DESC, seq`)
    .raw()
    .all(...ids) as [number, string, string | null, string | null, string][];
