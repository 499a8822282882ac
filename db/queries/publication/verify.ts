// What `catalogue verify` reads: every stored column of the published tables, raw, so that each can be
// recomputed from the hashed texts (server/publication/verify.ts) and compared.
import type { Db } from '../../client.js';
import type { AuditRow } from '../../audit.js';
import { VALID } from './revisions.js';

/** A revision valid at a version with its facet row (null columns when it has none), read raw. */
export type RevisionWithFacetRow = [
  id: number,
  code: string,
  fromVersion: number,
  name: string,
  category: string,
  departmentCode: string,
  bucket: number,
  content: string,
  contentHash: string,
  facetRevisionId: number | null,
  facetFromVersion: number | null,
  facetCode: string | null,
  facetName: string | null,
  facetCategory: string | null,
  facetDepartmentCode: string | null,
  facetDepartmentName: string | null,
  facetLevel: string | null,
  facetParentCode: string | null,
  facetHasBasis: number | null,
  facetBasisTitles: string | null,
];

/** Version n's revisions (as its readers find them) with their facets, in code order. */
export const revisionsWithFacetsAt = (db: Db, n: number): IterableIterator<RevisionWithFacetRow> =>
  db.$client
    .prepare(
      `SELECT r.id, r.code, r.from_version, r.name, r.category, r.department_code, r.bucket, r.content, r.content_hash,
              f.revision_id, f.from_version, f.code, f.name, f.category, f.department_code, f.department_name, f.level, f.parent_code, f.has_basis, f.basis_titles
         FROM revision_spans r LEFT JOIN revision_facets f ON f.revision_id = r.id
        WHERE ${VALID} ORDER BY r.code, r.id`,
    )
    .raw()
    .iterate({ n }) as IterableIterator<RevisionWithFacetRow>;

/** Every revision with the version that closed it, by code then version: each item's chain of revisions. */
export const revisionChains = (db: Db): IterableIterator<[id: number, code: string, fromVersion: number, toVersion: number | null]> =>
  db.$client
    .prepare('SELECT r.id, r.code, r.from_version, c.to_version FROM item_revisions r LEFT JOIN revision_closures c ON c.revision_id = r.id ORDER BY r.code, r.from_version, r.id')
    .raw()
    .iterate() as IterableIterator<[number, string, number, number | null]>;

/** Every revision's id and first version, in id (publish) order. */
export const revisionOrder = (db: Db): IterableIterator<[id: number, fromVersion: number]> =>
  db.$client.prepare('SELECT id, from_version FROM item_revisions ORDER BY id').raw().iterate() as IterableIterator<[number, number]>;

/** Closures naming no revision. */
export const orphanClosures = (db: Db): [revisionId: number, toVersion: number][] =>
  db.$client.prepare('SELECT c.revision_id, c.to_version FROM revision_closures c WHERE NOT EXISTS (SELECT 1 FROM item_revisions r WHERE r.id = c.revision_id) LIMIT 100').raw().all() as [number, number][];

/** Facet rows naming no revision. */
export const orphanFacets = (db: Db): [revisionId: number, code: string][] =>
  db.$client.prepare('SELECT f.revision_id, f.code FROM revision_facets f WHERE NOT EXISTS (SELECT 1 FROM item_revisions r WHERE r.id = f.revision_id) LIMIT 100').raw().all() as [number, string][];

/** Every version number, in order. */
export const versionNumbers = (db: Db): number[] => db.$client.prepare('SELECT number FROM catalogue_versions ORDER BY number').pluck().all() as number[];

/** Every stored bucket hash as (version, bucket, hash), by version then bucket. */
export const storedBucketRows = (db: Db): IterableIterator<[version: number, bucket: number, hash: string]> =>
  db.$client.prepare('SELECT version, bucket, hash FROM version_buckets ORDER BY version, bucket').raw().iterate() as IterableIterator<[number, number, string]>;

export interface AuditRowForVerify extends AuditRow {
  /** The next entry's prev_hash (null for the last entry). */
  next_prev_hash: string | null;
}

/** The audit entries recording the publish of version n (one, unless the log was tampered with), each with the next entry's link. */
export const publishAuditEntries = (db: Db, n: number): AuditRowForVerify[] =>
  db.$client
    .prepare(
      `SELECT a.*, (SELECT b.prev_hash FROM audit_log b WHERE b.seq = a.seq + 1) AS next_prev_hash
         FROM audit_log a WHERE a.action = 'catalogue.publish' AND a.entity_type = 'catalogue_version' AND a.entity_id = ? ORDER BY a.seq`,
    )
    .all(String(n)) as AuditRowForVerify[];

/** Which of these triggers exist. */
export const existingTriggers = (db: Db, names: readonly string[]): string[] =>
  db.$client.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN (${names.map(() => '?').join(',')})`).pluck().all(...names) as string[];
