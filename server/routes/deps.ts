import type { Db } from '../../db/client.js';
import type { Config } from '../config.js';
import type { CatalogueReader } from '../catalogue/reader.js';
import type { ViewEngine } from '../views/engine.js';
import type { JobRunner } from '../jobs/runner.js';

/** What route modules are built from; passed explicitly, never global. */
export interface RouteDeps {
  db: Db;
  config: Config;
  views: ViewEngine;
  /** Work over the whole catalogue runs here, off the request thread. */
  jobs: JobRunner;
  /** The catalogue the public pages show (working catalogue until a version is published). */
  publicCatalogue: () => CatalogueReader;
}
