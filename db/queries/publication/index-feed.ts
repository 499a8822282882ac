// What the in-memory views of the published versions are loaded from: the search index (revision
// facets and closures) and the published state a publish starts from (open revisions, bucket hashes).
// These run on the app's connection or on a read-only connection of their own that loads in the
// background, so they take the better-sqlite3 handle.
import type Database from 'better-sqlite3';

/** The latest version number, or null before the first publish. */
export function latestVersionNumberOf(sqlite: Database.Database): number | null {
  // Prepared once per connection: the search index asks on every search whether a version was published since.
  let statement = latestNumberStatements.get(sqlite);
  if (!statement) latestNumberStatements.set(sqlite, (statement = sqlite.prepare('SELECT max(number) FROM catalogue_versions').pluck()));
  return (statement.get() as number | null) ?? null;
}
const latestNumberStatements = new WeakMap<Database.Database, Database.Statement>();

/** A row of revision_facets, read raw (an index of a million revisions reads as many). */
export type FacetRow = [
  revisionId: number,
  fromVersion: number,
  code: string,
  name: string,
  category: string,
  departmentCode: string,
  departmentName: string,
  level: string | null,
  parentCode: string | null,
  hasBasis: number,
  basisTitles: string,
  /** The service objects as stored (JSON text), or null: what the audience facet (个人 / 法人) is taken from. */
  serviceObjects?: string | null,
];

// The service objects are read from the published (hashed) text itself, so nothing stored beside it
// can disagree with the page (catalogue verify already covers the text).
const FACET_COLUMNS =
  "f.revision_id, f.from_version, f.code, f.name, f.category, f.department_code, f.department_name, f.level, f.parent_code, f.has_basis, f.basis_titles, json_extract(r.content, '$.serviceObjects')";


/** The facets of the revisions published after this one, in revision order. */
export const facetsAfter = (sqlite: Database.Database, revisionId: number): IterableIterator<FacetRow> =>
  sqlite.prepare(`SELECT ${FACET_COLUMNS} FROM revision_facets f JOIN item_revisions r ON r.id = f.revision_id WHERE f.revision_id > ? ORDER BY f.revision_id`).raw().iterate(revisionId) as IterableIterator<FacetRow>;

/** The highest revision id with facets (0 when none): how many revisions an index that has read up to an id has still to read. */
export const lastFacetRevisionId = (sqlite: Database.Database): number =>
  (sqlite.prepare('SELECT max(revision_id) FROM revision_facets').pluck().get() as number | null) ?? 0;

/** Revisions closed by versions after this one, as (revision id, closing version), by the end-version index. */
export const closuresAfter = (sqlite: Database.Database, version: number): IterableIterator<[number, number]> =>
  sqlite.prepare('SELECT revision_id, to_version FROM revision_closures WHERE to_version > ?').raw().iterate(version) as IterableIterator<[number, number]>;

/** Every open revision (the latest version's items) as (bucket, code, hash, id), by bucket then code. */
export const openRevisions = (sqlite: Database.Database): IterableIterator<[number, string, string, number]> =>
  sqlite
    .prepare('SELECT r.bucket, r.code, r.content_hash, r.id FROM item_revisions r WHERE NOT EXISTS (SELECT 1 FROM revision_closures c WHERE c.revision_id = r.id) ORDER BY r.bucket, r.code')
    .raw()
    .iterate() as IterableIterator<[number, string, string, number]>;

/** The bucket hashes stored up to version n, by bucket then version: the last one of each bucket is its hash at n. */
export const bucketHashesUpTo = (sqlite: Database.Database, n: number): IterableIterator<[number, string]> =>
  sqlite.prepare('SELECT bucket, hash FROM version_buckets WHERE version <= ? ORDER BY bucket, version').raw().iterate(n) as IterableIterator<[number, string]>;
