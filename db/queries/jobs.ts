// The jobs table: a row per job over the whole catalogue, written by the thread that runs it (when it
// starts and when it ends) and read by the job list and the job page.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { jobs, type JOB_STATES } from '../schema.js';
import type { JobKind } from '../../server/domain/vocabulary.js';

export type { JobKind };
export type StoredJobState = (typeof JOB_STATES)[number];

export interface StoredJob {
  id: string;
  kind: JobKind;
  state: StoredJobState;
  params: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: string | null;
  createdBy: string;
  createdById: number | null;
  startedAt: string;
  finishedAt: string | null;
}

const nowIso = () => new Date().toISOString();

export function createJobRepository(db: Db) {
  return {
    started(job: { id: string; kind: JobKind; params: Record<string, unknown>; createdBy: string; createdById: number | null }): void {
      db.insert(jobs).values({ ...job, state: 'running', startedAt: nowIso() }).run();
    },
    finished(id: string, result: Record<string, unknown>): void {
      db.update(jobs).set({ state: 'done', result, finishedAt: nowIso() }).where(eq(jobs.id, id)).run();
    },
    failed(id: string, error: string): void {
      db.update(jobs).set({ state: 'failed', error, finishedAt: nowIso() }).where(eq(jobs.id, id)).run();
    },
    get(id: string): StoredJob | null {
      return (db.select().from(jobs).where(eq(jobs.id, id)).get() as StoredJob | undefined) ?? null;
    },
    recent(limit: number): StoredJob[] {
      return db.select().from(jobs).orderBy(desc(jobs.startedAt)).limit(limit).all() as StoredJob[];
    },
    /** Jobs left `running` by a process that died. */
    running(): StoredJob[] {
      return db.select().from(jobs).where(eq(jobs.state, 'running')).all() as StoredJob[];
    },
  };
}

export type JobRepository = ReturnType<typeof createJobRepository>;
