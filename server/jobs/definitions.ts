// The jobs: each operation over the whole catalogue or a whole list, as the job runner runs it (on a
// thread of its own where the database is a file). Each calls the same use case a command-line run
// calls; the job adds only its progress and its row.
import { rmSync } from 'node:fs';
import { appendAudit, withTransaction } from '../../db/audit.js';
import { itemsCiting, recheckItems } from '../checks/store.js';
import { checkDeps } from '../checks/context.js';
import { liveItemCount } from '../../db/queries/publication/publish.js';
import { publishVersion } from '../publication/publish.js';
import { createReferenceList, rematchReferenceList, type ReferenceListInput } from '../catalogue/reference-lists.js';
import type { ReferenceEntryInput } from '../../imports/reference-list.js';
import { confirmImport, type ConfirmOptions, type DepartmentMapping } from '../imports/confirm.js';
import { createImportRepository } from '../../db/queries/imports.js';
import type { Subject } from '../auth/policy.js';
import type { JobDefinition, JobKind } from './types.js';

const num = (v: unknown): number => Number(v);

export const JOB_DEFINITIONS: Record<JobKind, JobDefinition> = {
  publish: {
    key: () => 'publish',
    run({ services, actor, progress }, params) {
      const result = publishVersion(services, actor, params, { onProgress: progress });
      // A publish that had to read the published state from the database (a command-line publish came
      // in between) loads it again in the background, for the next one.
      services.publishedState.reloadIfDropped(result.version);
      return { ...result };
    },
  },

  recheck: {
    key: () => 'recheck',
    run({ db, actor, progress }) {
      const total = liveItemCount(db);
      progress(0, total, 'checking');
      const deps = checkDeps(db);
      const result = recheckItems(deps, null, undefined, (done) => progress(done, total, 'checking'));
      withTransaction(db, () =>
        appendAudit(db, actor, { action: 'checks.run', entityType: 'catalogue', after: { items: result.items, flags: result.flags, changed: result.changed.length } }),
      );
      return { items: result.items, flags: result.flags, changed: result.changed.length };
    },
  },

  reference_match: {
    key: (params) => (params.listId ? `reference_match:${num(params.listId)}` : `reference_list:${String(params.title ?? '')}`),
    run({ db, actor, progress }, params, payload) {
      progress(0, 1, 'reading');
      if (params.listId) return { listId: num(params.listId), ...rematchReferenceList(db, actor, num(params.listId), progress) };
      const { fields, source, entries } = payload as { fields: ReferenceListInput; source: string; entries: ReferenceEntryInput[] };
      const created = createReferenceList(db, actor, fields, source, entries, progress);
      return { listId: created.id, ...created };
    },
  },

  import_confirm: {
    key: (params) => `import:${num(params.importId)}`,
    run({ db, actor, progress }, params, payload) {
      progress(0, 1, 'writing');
      const { subject, mapping, options } = payload as { subject: Subject; mapping: DepartmentMapping; options?: ConfirmOptions };
      return { importId: num(params.importId), ...confirmImport({ db, importRepository: createImportRepository({ db }) }, num(params.importId), actor, subject, mapping, { ...options, onProgress: (done, total) => progress(done, total, 'writing') }) };
    },
  },

  registry_recheck: {
    // After a registry import: the items citing an instrument it added or changed, re-checked.
    key: (params) => `registry_recheck:${num(params.importId) || 'cli'}`,
    run({ db, actor, progress }, params) {
      const deps = checkDeps(db);
      const ids = Array.isArray(params.instrumentIds) ? params.instrumentIds.map(num).filter(Number.isSafeInteger) : [];
      const items = [...new Set(ids.flatMap((id) => itemsCiting(deps, id)))];
      progress(0, items.length, 'checking');
      const result = items.length > 0 ? recheckItems(deps, items, undefined, (done) => progress(done, items.length, 'checking'), 'registry') : { items: 0, flags: 0, changed: [] };
      withTransaction(db, () =>
        appendAudit(db, actor, {
          action: 'checks.run',
          entityType: 'catalogue',
          after: { reason: 'registry.import', importId: num(params.importId) || null, instruments: ids.length, items: result.items, flags: result.flags, changed: result.changed.length },
        }),
      );
      return { importId: num(params.importId) || null, instruments: ids.length, items: result.items, flags: result.flags, changed: result.changed.length };
    },
  },

  export_site: {
    key: () => 'export_site',
    async run({ db, services, progress }, params) {
      progress(0, 1, 'exporting');
      const { exportStaticSite } = await import('../../exports/static-site.js');
      const { createViewEngine } = await import('../views/engine.js');
      const { getVersion } = await import('../publication/reader.js');
      const version = getVersion(db, num(params.version));
      if (!version) throw new Error(`version ${String(params.version)} not found`);
      const site = await exportStaticSite(services, version, String(params.out), createViewEngine(), { pageSize: num(params.pageSize) || 50, onProgress: progress });
      return { version: version.number, out: String(params.out), ...site };
    },
    cleanup(params) {
      // A half-written export is worthless; the next export writes the folder anew.
      if (params.partial === true && typeof params.out === 'string') rmSync(params.out, { recursive: true, force: true });
    },
  },
};
