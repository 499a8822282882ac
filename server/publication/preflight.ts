// Before publishing: what the next version would change against the last one (the same paged comparison
// as between two versions: changes.ts, diff.ts), and the error-severity findings still open in the
// working catalogue by rule. When errors remain, a publish needs the words 确认发布 typed.
import type { Db } from '../../db/client.js';
import { errors } from '../errors.js';
import { PUBLISH_MESSAGES } from '../domain/labels.js';
import { latestVersion, type VersionInfo } from '../../db/queries/publication/versions.js';
import { itemIdsByCode, liveItemCount, liveItemsForPreflightAfter, openErrorsByRule, openRevisionsOf, workingCatalogueStamp } from '../../db/queries/publication/preflight.js';
import { diffLookups } from '../../db/queries/publication/diff.js';
import { prepareItems } from './publish-items.js';
import { touchedSincePages } from './publish.js';
import { itemsTouchedSinceCount } from '../../db/queries/publication/publish.js';
import { CHANGE_KIND_ORDER, pagerOfChanges, type Change, type ChangesPage, type ChangesQuery } from './changes.js';
import { describePage, revisionTexts, type DiffPage } from './diff.js';

export interface Preflight {
  /** The version the next one is compared with; null before the first publish (everything is added). */
  last: VersionInfo | null;
  /** One page of the pending changes; null while they are still being compared (see progress). */
  diff: DiffPage | null;
  /** While the comparison runs in the background: how many of the items to compare are done. */
  progress: PreflightProgress | null;
  openErrors: { rule: string; count: number; items: number }[];
  openErrorTotal: number;
}

export interface PreflightProgress {
  done: number;
  total: number;
  /** Before the first publish the items are read (all are added), not compared. */
  firstPublish: boolean;
}

export interface PreflightOptions {
  /** Items prepared and compared per step; a step is the longest the request thread is held. */
  chunk?: number;
  /** Comparisons of at most this many items run straight through within the request (a small catalogue). */
  syncLimit?: number;
  /** How long the publish page waits for a background comparison before showing its progress instead. */
  waitMs?: number;
  /** How long a slice compares (as many steps as fit, at least one) before waiting requests are let in. */
  sliceMs?: number;
}

/**
 * The working catalogue's changes since the last version, as steps: each touched item prepared as a
 * publish prepares it and compared by hash with its open revision, a chunk per step; before the first
 * publish, the live items read a keyset page per step. `before` is the revision, `after` the item.
 * The first step only counts (progress.total); the generator returns the changes.
 */
function* pendingChangeSteps(db: Db, last: VersionInfo | null, chunk: number, progress: PreflightProgress): Generator<void, Change[]> {
  const out: Change[] = [];
  if (!last) {
    progress.total = liveItemCount(db);
    yield;
    // Reading a row costs far less than preparing an item: larger pages, still a few ms each.
    const pageRows = chunk * 10;
    let after = '';
    for (;;) {
      const rows = liveItemsForPreflightAfter(db, after, pageRows);
      if (rows.length === 0) break;
      for (const [id, code, name, departmentCode, departmentName] of rows) out.push({ code, kind: 'added', name, departmentCode, departmentName, before: null, after: id });
      after = rows[rows.length - 1]![1];
      progress.done += rows.length;
      yield;
    }
    return out;
  }
  // Counted first (through the index, a few tens of ms at a million), then read a page at a time: the
  // ids of a million touched items read at once held every request for most of a second.
  progress.total = itemsTouchedSinceCount(db, last.publishedAt, Number.MAX_SAFE_INTEGER);
  yield;
  for (const ids of touchedSincePages(db, last.publishedAt, chunk * 10)) {
    for (let i = 0; i < ids.length; i += chunk) {
      const part = ids.slice(i, i + chunk);
      const prepared = prepareItems(db.$client, part);
      const open = openRevisionsOf(db, prepared.map((p) => p.code));
      const idOf = itemIdsByCode(db, part);
      for (const p of prepared) {
        const published = open.get(p.code);
        const base = { code: p.code, name: p.name, departmentCode: p.departmentCode, departmentName: p.departmentName };
        if (p.removed) {
          if (published) out.push({ ...base, kind: 'removed', before: published.id, after: null });
        } else if (!published) out.push({ ...base, kind: 'added', before: null, after: idOf.get(p.code) ?? null });
        else if (published.hash !== p.hash) out.push({ ...base, kind: 'changed', before: published.id, after: idOf.get(p.code) ?? null });
      }
      progress.done += part.length;
      // Sub-items of changed items are compared too: more than the count of touched items.
      if (progress.done > progress.total) progress.total = progress.done;
      yield;
    }
  }
  // In the order a page lists them (kind, then code), so each look's sort (pageOfChanges) finds them in order.
  const rank = (k: Change['kind']) => CHANGE_KIND_ORDER.indexOf(k);
  return out.sort((x, y) => rank(x.kind) - rank(y.kind) || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
}

/** One comparison of the working catalogue in one state (its stamp) with the last version. */
interface Run {
  stamp: string;
  last: VersionInfo | null;
  progress: PreflightProgress;
  /** The pending changes, once compared. */
  changes: Change[] | null;
  /** Pages of them (pagerOfChanges), once compared. */
  pager?: (q: ChangesQuery) => ChangesPage<Change>;
  /** How many background slices ran, and the longest, in ms (npm run bench:preflight prints them). */
  slices: number;
  longestSliceMs: number;
  /** Settles when this run is done, superseded by a newer state, or failed. */
  settled: Promise<void>;
  failed?: boolean;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The publish page's preflight for one database. The pending changes are computed once per state of
 * the working catalogue (its latest change and the latest version), so paging through them costs a page.
 * A large comparison runs in the background in slices of a few ms between requests (a million items
 * would otherwise hold every request for a minute); meanwhile the page shows how far it has got. When
 * the working catalogue or the latest version moves mid-way, the comparison stops; the next look at the
 * page starts it on the new state.
 */
export function publishPreflight(db: Db, options: PreflightOptions = {}) {
  const chunk = options.chunk ?? 100;
  const syncLimit = options.syncLimit ?? 1000;
  const waitMs = options.waitMs ?? 50;
  const sliceMs = options.sliceMs ?? 8;
  let run: Run | null = null;

  const stateNow = () => {
    const last = latestVersion(db) ?? null;
    return { last, stamp: `${last?.number ?? 0}|${workingCatalogueStamp(db)}` };
  };

  const start = (last: VersionInfo | null, stamp: string): Run => {
    const progress: PreflightProgress = { done: 0, total: 0, firstPublish: !last };
    const steps = pendingChangeSteps(db, last, chunk, progress);
    const r: Run = { stamp, last, progress, changes: null, slices: 0, longestSliceMs: 0, settled: Promise.resolve() };
    run = r;
    steps.next(); // counts what there is to compare
    // Reading an item for a first publish costs about a tenth of preparing and comparing one.
    if (progress.total <= (last ? syncLimit : syncLimit * 10)) {
      let step = steps.next();
      while (!step.done) step = steps.next();
      r.changes = step.value;
      return r;
    }
    r.settled = (async () => {
      try {
        for (;;) {
          await nextTurn();
          if (run !== r || !db.$client.open) return;
          // The state moved (a publish, an edit): this comparison is stale and stops. The next look at the
          // page compares the new state; nobody may look again (after a publish, its job page is shown), and
          // a million items compared for no one held requests through the end of a first publish (bench:jobs).
          if (stateNow().stamp !== stamp) {
            if (run === r) run = null;
            return;
          }
          const began = performance.now();
          let step: IteratorResult<void, Change[]>;
          do step = steps.next();
          while (!step.done && performance.now() - began < sliceMs);
          r.slices++;
          r.longestSliceMs = Math.max(r.longestSliceMs, performance.now() - began);
          if (step.done) {
            r.changes = step.value;
            return;
          }
        }
      } catch {
        // A failed comparison (e.g. the database closed under it) is forgotten; the next look starts afresh.
        r.failed = true;
        if (run === r) run = null;
      }
    })();
    return r;
  };

  /** The comparison of the current state: kept, or started now. */
  const current = (): Run => {
    const { last, stamp } = stateNow();
    return run?.stamp === stamp ? run : start(last, stamp);
  };

  const preflight = {
    /** The preflight as it stands: one page of the changes, or the comparison's progress while it runs. */
    page(q: ChangesQuery): Preflight {
      const r = current();
      const openErrors = openErrorsByRule(db);
      const openErrorTotal = openErrors.reduce((n, e) => n + e.count, 0);
      if (!r.changes) return { last: r.last, diff: null, progress: { ...r.progress }, openErrors, openErrorTotal };
      const last = r.last;
      r.pager ??= pagerOfChanges(r.changes);
      const page = r.pager(q);
      const { decisionOf } = diffLookups(db);
      const afterTexts = (c: Change[]) => {
        const ids = c.map((x) => x.after).filter((id): id is number => id !== null);
        return new Map(ids.length ? prepareItems(db.$client, ids).map((p) => [p.code, p.content] as [string, string]) : []);
      };
      const diff = describePage(page, { before: (c) => revisionTexts(db, c, 'before'), after: afterTexts }, (code) => (last ? decisionOf(code, last.publishedAt, '9999') : null));
      return { last, diff, progress: null, openErrors, openErrorTotal };
    },
    /** page, after waiting up to waitMs for a comparison in the background (a short one then shows at once). */
    async pageSoon(q: ChangesQuery): Promise<Preflight> {
      const r = current();
      if (!r.changes && waitMs > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([r.settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
        clearTimeout(timer);
      }
      return preflight.page(q);
    },
    /** Stops the comparison running in the background (a publish was started: its page is not shown again). */
    abandon(): void {
      run = null;
    },
    /** The background slices of the comparison of the current state so far: how many, the longest in ms. */
    slices(): { count: number; longestMs: number } {
      return { count: run?.slices ?? 0, longestMs: run?.longestSliceMs ?? 0 };
    },
    /** Settles when the comparison of the current state is done (restarts on a newer state are followed). */
    async ready(): Promise<void> {
      for (;;) {
        const r = current();
        if (r.changes) return;
        await r.settled;
        if (r.failed) throw new Error('the publish preflight failed');
      }
    },
  };
  return preflight;
}

export type PublishPreflight = ReturnType<typeof publishPreflight>;

/** A publish while error-severity findings remain needs 确认发布 typed; refused otherwise, before any work. */
export function requirePublishConfirmation(db: Db, input: Record<string, unknown>): void {
  const open = openErrorsByRule(db).reduce((n, r) => n + r.count, 0);
  if (open === 0) return;
  if (typeof input.confirm === 'string' && input.confirm.trim() === PUBLISH_MESSAGES.confirmWord) return;
  throw errors.invalid(PUBLISH_MESSAGES.confirmNeeded, { confirm: PUBLISH_MESSAGES.confirmNeeded });
}
