// Which catalogue the public pages (/, /items, /departments, an item's guide and their JSON twins) show:
// the latest published version to everybody, the working catalogue to signed-in staff (labelled as
// unpublished). Before the first publish, anonymous visitors are told that nothing is published yet.
import { can, type Subject } from '../auth/policy.js';
import { AppError } from '../errors.js';
import { PUBLIC_CATALOGUE_LABELS } from '../domain/labels.js';
import { workingCatalogue, type CatalogueReader } from '../catalogue/reader.js';
import { getVersion, latestVersionNumberReader } from '../../db/queries/publication/versions.js';
import { publishedCatalogue } from './reader.js';
import type { Services } from '../services.js';

/** The error the public pages answer before the first publish (the home page shows it as a page of its own). */
export const notPublished = () => new AppError('catalogue.unpublished', 404, PUBLIC_CATALOGUE_LABELS.unpublished);

/** Whether the visitor works on the catalogue (and so sees the working catalogue on the public pages). */
export const seesWorkingCatalogue = (user: Subject | null | undefined): boolean => !!user && can(user, 'view:workspace');

/** The catalogue for this visitor: a function built once per app. */
export function publicCatalogueChooser(services: Services): (user: Subject | null | undefined) => CatalogueReader {
  const working = workingCatalogue(services);
  // The reader of the latest version, made again only when a publish adds one (a published version never
  // changes): reading the whole version row through the query builder on every search cost 0.2 ms of
  // the 2.5 ms a search's answer takes the server (npm run bench:search).
  const latestNumber = latestVersionNumberReader(services.db);
  let latest: { number: number; reader: CatalogueReader } | null = null;
  return (user) => {
    if (seesWorkingCatalogue(user)) return working;
    const n = latestNumber();
    if (n === null) throw notPublished();
    if (latest?.number !== n) {
      const version = getVersion(services.db, n)!;
      const reader = publishedCatalogue(services, version);
      latest = { number: n, reader: { ...reader, label: PUBLIC_CATALOGUE_LABELS.published(version.title, version.number, version.effectiveOn) } };
    }
    return latest.reader;
  };
}
