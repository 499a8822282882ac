import type { Db } from '../../db/client.js';
import type { Config } from '../config.js';
import type { CatalogueReader } from '../catalogue/reader.js';
import type { Subject } from '../auth/policy.js';
import type { ViewEngine } from '../views/engine.js';
import type { Services } from '../services.js';

/** What route modules are built from; passed explicitly, never global. */
export interface RouteDeps {
  db: Db;
  config: Config;
  views: ViewEngine;
  /** The state kept per database between requests (search index, published state, caches …). */
  services: Services;
  /**
   * The catalogue the public pages show this visitor: the latest published version, or the working
   * catalogue for signed-in staff (server/publication/public-catalogue.ts). Throws `catalogue.unpublished`
   * for the public before the first publish.
   */
  publicCatalogue: (user: Subject | null | undefined) => CatalogueReader;
}
