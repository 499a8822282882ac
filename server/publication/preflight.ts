// Before publishing: what the next version would change against the last one (the same paged comparison
// as between two versions: changes.ts, diff.ts), and the error-severity findings still open in the
// working catalogue by rule. When errors remain, a publish needs the words 确认发布 typed.
import type { Db } from '../../db/client.js';
import { errors } from '../errors.js';
import { PUBLISH_MESSAGES } from '../domain/labels.js';
import { latestVersion, type VersionInfo } from '../../db/queries/publication/versions.js';
import { itemIdsByCode, liveItemsForPreflight, openErrorsByRule, openRevisionsOf, workingCatalogueStamp } from '../../db/queries/publication/preflight.js';
import { diffLookups } from '../../db/queries/publication/diff.js';
import { prepareItems } from './publish-items.js';
import { touchedSince } from './publish.js';
import { pageOfChanges, type Change, type ChangesQuery } from './changes.js';
import { describePage, revisionTexts, type DiffPage } from './diff.js';

export interface Preflight {
  /** The version the next one is compared with; null before the first publish (everything is added). */
  last: VersionInfo | null;
  diff: DiffPage;
  openErrors: { rule: string; count: number; items: number }[];
  openErrorTotal: number;
}

/**
 * The working catalogue's changes since the last version: each touched item prepared as a publish
 * prepares it and compared by hash with its open revision. `before` is the revision, `after` the item.
 */
function pendingChanges(db: Db, last: VersionInfo | null): Change[] {
  if (!last) {
    return liveItemsForPreflight(db).map(([id, code, name, departmentCode, departmentName]) => ({ code, kind: 'added', name, departmentCode, departmentName, before: null, after: id }));
  }
  const ids = touchedSince(db, last.publishedAt);
  const out: Change[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const prepared = prepareItems(db.$client, chunk);
    const open = openRevisionsOf(db, prepared.map((p) => p.code));
    const idOf = itemIdsByCode(db, chunk);
    for (const p of prepared) {
      const published = open.get(p.code);
      const base = { code: p.code, name: p.name, departmentCode: p.departmentCode, departmentName: p.departmentName };
      if (p.removed) {
        if (published) out.push({ ...base, kind: 'removed', before: published.id, after: null });
      } else if (!published) out.push({ ...base, kind: 'added', before: null, after: idOf.get(p.code) ?? null });
      else if (published.hash !== p.hash) out.push({ ...base, kind: 'changed', before: published.id, after: idOf.get(p.code) ?? null });
    }
  }
  return out;
}

/**
 * The publish page's preflight for one database. The pending changes are computed once per state of
 * the working catalogue (its latest change and the latest version), so paging through them costs a page.
 */
export function publishPreflight(db: Db) {
  let memo: { stamp: string; changes: Change[] } | null = null;
  const changes = (last: VersionInfo | null): Change[] => {
    const stamp = `${last?.number ?? 0}|${workingCatalogueStamp(db)}`;
    if (memo?.stamp !== stamp) memo = { stamp, changes: pendingChanges(db, last) };
    return memo.changes;
  };
  return {
    page(q: ChangesQuery): Preflight {
      const last = latestVersion(db) ?? null;
      const page = pageOfChanges(changes(last), q);
      const { decisionOf } = diffLookups(db);
      const afterTexts = (c: Change[]) => {
        const ids = c.map((x) => x.after).filter((id): id is number => id !== null);
        return new Map(ids.length ? prepareItems(db.$client, ids).map((p) => [p.code, p.content] as [string, string]) : []);
      };
      const diff = describePage(page, { before: (c) => revisionTexts(db, c, 'before'), after: afterTexts }, (code) => (last ? decisionOf(code, last.publishedAt, '9999') : null));
      const openErrors = openErrorsByRule(db);
      return { last, diff, openErrors, openErrorTotal: openErrors.reduce((n, r) => n + r.count, 0) };
    },
  };
}

export type PublishPreflight = ReturnType<typeof publishPreflight>;

/** A publish while error-severity findings remain needs 确认发布 typed; refused otherwise, before any work. */
export function requirePublishConfirmation(db: Db, input: Record<string, unknown>): void {
  const open = openErrorsByRule(db).reduce((n, r) => n + r.count, 0);
  if (open === 0) return;
  if (typeof input.confirm === 'string' && input.confirm.trim() === PUBLISH_MESSAGES.confirmWord) return;
  throw errors.invalid(PUBLISH_MESSAGES.confirmNeeded, { confirm: PUBLISH_MESSAGES.confirmNeeded });
}
