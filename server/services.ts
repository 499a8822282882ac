// What the app keeps per database between requests, built once and passed in explicitly (never held in
// module-level maps keyed by the database): the published versions' search index, the published state a
// publish starts from, the publish's reading thread, the dashboard's tallies of published versions, the
// connection's checkpoint pauses, the rendered published pages and the login throttle. createApp builds them when not given;
// main.ts starts their background work; the command line and the benchmarks build their own.
import type { Db } from '../db/client.js';
import type { Config } from './config.js';
import { PublishedTallies } from './analysis/stats.js';
import { PAGE_CACHE_BYTES, PageStore } from './http/page-cache.js';
import { CheckpointPauses } from './imports/checkpointer.js';
import { SearchIndex, runInSlices } from './publication/catalogue-index.js';
import { countAhead } from './publication/facets.js';
import { warmSearchSteps } from './publication/search.js';
import { WorkingIndex } from './catalogue/working-index.js';
import { SynonymStore } from './catalogue/synonyms.js';
import { ThemeTagStore } from './catalogue/theme-tags.js';
import { PublishReader } from './publication/publish-reader.js';
import { PublishedStateKeeper } from './publication/published-state.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { FeedbackThrottle } from './feedback/throttle.js';
import { JobRunner } from './jobs/runner.js';

export interface Services {
  db: Db;
  config: Config;
  /** The in-memory search index of every published item revision. */
  searchIndex: SearchIndex;
  /** The same search over the working catalogue, kept up to date from the items' updated_at. */
  workingIndex: WorkingIndex;
  /** The search synonyms, reread when the table changes. */
  synonyms: SynonymStore;
  /** The legal office's theme tags of items, reread when the table changes; both indexes apply them. */
  themeTags: ThemeTagStore;
  /** The open revisions of the latest version, kept between publishes. */
  publishedState: PublishedStateKeeper;
  /** The thread that prepares a publish's items while it writes. */
  publishReader: PublishReader;
  /** The dashboard's figures read from published versions (which never change). */
  publishedTallies: PublishedTallies;
  /** Whether the connection's automatic WAL checkpoints are paused, and by how many writers. */
  checkpoints: CheckpointPauses;
  /** Rendered pages of published versions for anonymous visitors. */
  pages: PageStore;
  /** Failed logins per account and per address, kept in memory (why: server/auth/login-throttle.ts). */
  loginThrottle: LoginThrottle;
  /** Public feedback per address, kept in memory (why: server/feedback/throttle.ts). */
  feedbackThrottle: FeedbackThrottle;
  /** Work over the whole catalogue, queued and run off the request thread. */
  jobs: JobRunner;
}

/**
 * `jobs: 'inline'` runs the jobs in this thread whatever the database (the command line, and the job
 * thread itself); otherwise they run on a thread of their own where the database is a file.
 */
export function createServices(db: Db, config: Config, options: { jobs?: 'thread' | 'inline' } = {}): Services {
  const themeTags = new ThemeTagStore(db);
  const services = {
    db,
    config,
    themeTags,
    searchIndex: new SearchIndex(db, themeTags),
    workingIndex: new WorkingIndex(db, themeTags),
    synonyms: new SynonymStore(db),
    publishedState: new PublishedStateKeeper(db),
    publishReader: new PublishReader(db),
    publishedTallies: new PublishedTallies(),
    checkpoints: new CheckpointPauses(),
    pages: new PageStore(PAGE_CACHE_BYTES),
    loginThrottle: new LoginThrottle(),
    feedbackThrottle: new FeedbackThrottle(),
  } as Services;
  services.jobs = JobRunner.for(services, { inline: options.jobs === 'inline' });
  let warmed = false;
  services.searchIndex.onTakenIn.push((index) => {
    const warm = !warmed;
    warmed = true;
    // The counts the first pages ask for, then (once a process, unless the database was closed meanwhile)
    // the search's code warmed up (warmSearchSteps).
    void countAhead(index)
      .then(() => (warm && db.$client.open ? runInSlices(warmSearchSteps(index, services.synonyms.current())) : 0))
      .catch((err: unknown) => console.error(err));
  });
  return services;
}

/** Ends what the services run beside the app (the publish's reading thread, the job thread). */
export async function stopServices(services: Services): Promise<void> {
  await services.jobs.close();
  await services.publishReader.stop();
}
