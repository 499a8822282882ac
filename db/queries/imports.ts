// The imports area's database seam: every read and write of imports, their staged rows and the upload
// archive, as one repository the use cases in server/imports/ take (createImportRepository({ db })).
import type { Db } from '../client.js';
import { importMappings } from './imports/mappings.js';
import { importMatching } from './imports/matching.js';
import { importRecords } from './imports/records.js';
import { stagedRows } from './imports/rows.js';
import { stagingStatements } from './imports/staging.js';
import { stoppedImports } from './imports/stopped.js';
import { uploadArchive } from './imports/uploads.js';

export type { ImportSummary, EarlierImport } from './imports/records.js';
export type { PreviewRow, MissingScope } from './imports/rows.js';
export type { ImportLayout, StoredMapping } from './imports/mappings.js';
export type { StagedRowValues, CatalogueCitation } from './imports/staging.js';

/** Statements are prepared once here: make one repository per database and keep it. */
export function createImportRepository({ db }: { db: Db }) {
  return {
    ...importRecords(db),
    ...stagedRows(db),
    ...stoppedImports(db),
    ...uploadArchive(db),
    ...importMatching(db),
    ...stagingStatements(db),
    ...importMappings(db),
  };
}

export type ImportRepository = ReturnType<typeof createImportRepository>;
