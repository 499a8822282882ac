// The published versions themselves (catalogue_versions): the list, one version, the version in force
// on a date, the latest number, and an item's published history.
import { desc, eq, inArray, lte, max } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { catalogueVersions } from '../../schema.js';

export interface VersionInfo {
  number: number;
  title: string;
  effectiveOn: string;
  note: string | null;
  publishedAt: string;
  publishedBy: string;
  itemCount: number;
  added: number;
  changed: number;
  removed: number;
  contentHash: string;
}

export const listVersions = (db: Db): VersionInfo[] => db.select().from(catalogueVersions).orderBy(desc(catalogueVersions.number)).all();

export const getVersion = (db: Db, n: number): VersionInfo | null => db.select().from(catalogueVersions).where(eq(catalogueVersions.number, n)).get() ?? null;

/** The latest version on or before a date (the catalogue as it stood then). */
export const versionOn = (db: Db, date: string): VersionInfo | null =>
  db
    .select()
    .from(catalogueVersions)
    .where(lte(catalogueVersions.effectiveOn, date))
    .orderBy(desc(catalogueVersions.effectiveOn), desc(catalogueVersions.number))
    .limit(1)
    .get() ?? null;

/** The latest version, or undefined before the first publish. */
export const latestVersion = (db: Db): VersionInfo | undefined => latestVersionStatement(db).get();

/** latestVersion's query, prepared once per connection (every public page and search asks it). */
const latestVersionStatements = new WeakMap<Db, ReturnType<typeof prepareLatestVersion>>();
const prepareLatestVersion = (db: Db) => db.select().from(catalogueVersions).orderBy(desc(catalogueVersions.number)).limit(1).prepare();
function latestVersionStatement(db: Db): ReturnType<typeof prepareLatestVersion> {
  let statement = latestVersionStatements.get(db);
  if (!statement) latestVersionStatements.set(db, (statement = prepareLatestVersion(db)));
  return statement;
}

/** A query of the latest version number (null before the first publish), prepared once: the page cache asks it on every request. */
export function latestVersionNumberQuery(db: Db): () => number | null {
  const query = db.select({ n: max(catalogueVersions.number) }).from(catalogueVersions).prepare();
  return () => query.get()?.n ?? null;
}

/**
 * The same number for the published-page fast path (server/http/fast-path.ts), asked on every request it
 * answers: one prepared statement read as a bare value, without the builder's row mapping (half the time).
 */
export function latestVersionNumberReader(db: Db): () => number | null {
  const statement = db.$client.prepare('SELECT max(number) FROM catalogue_versions').pluck();
  return () => (statement.get() as number | null | undefined) ?? null;
}

export const latestVersionNumber = (db: Db): number | null => db.select({ n: max(catalogueVersions.number) }).from(catalogueVersions).get()?.n ?? null;

/** When each of these versions was published (the diff's window of review decisions). */
export const publishedAtOf = (db: Db, numbers: number[]): { number: number; publishedAt: string }[] =>
  db.select({ number: catalogueVersions.number, publishedAt: catalogueVersions.publishedAt }).from(catalogueVersions).where(inArray(catalogueVersions.number, numbers)).all();

/** Stores a version's row (the publish, in its transaction). */
export function insertVersion(db: Db, version: VersionInfo): void {
  db.insert(catalogueVersions).values(version).run();
}
