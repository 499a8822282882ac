// The app's per-database state (server/services.ts) for tests that call the publication or the
// dashboard without a server: one per database, built with the default settings.
import type { Db } from '../../db/client.js';
import { defaultConfig } from '../../server/config.js';
import { createServices, type Services } from '../../server/services.js';

export const testServices = (db: Db): Services => createServices(db, defaultConfig());
