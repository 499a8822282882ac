// Whether the database holds the generated demo district (db/seed/demo.ts records its seeding in the
// audit log): its pages must say which of their data is real and which is made up.
import type { Db } from '../client.js';

/** True once the demo district was seeded into this database. */
export const holdsDemoDistrict = (db: Db): boolean =>
  db.$client.prepare("SELECT 1 FROM audit_log WHERE action = 'seed.demo' LIMIT 1").pluck().get() !== undefined;
