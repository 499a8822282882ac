// The one job runner: every operation over the whole catalogue or a whole list goes through it, one job
// at a time, so the request thread only queues work and reads its progress. Where the database is a
// file the jobs run on a thread of their own (a connection of its own; WAL lets the server's readers
// go on); an in-memory database (tests) and the command line run them here, the same code.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../db/audit.js';
import type { Db } from '../../db/client.js';
import type { Services } from '../services.js';
import { createJobRepository, type StoredJob } from '../../db/queries/jobs.js';
import { JOB_KINDS, JOB_STAGES, JOB_STATES, MESSAGES, type JobStage } from '../domain/labels.js';
import { AppError, errors } from '../errors.js';
import { JOB_DEFINITIONS } from './definitions.js';
import { executeJob } from './execute.js';
import { ThreadExecutor } from './thread.js';
import { processAlive } from './alive.js';
import type { JobKind, JobOutcome, JobProgress, JobRequest } from './types.js';

/** Runs one job somewhere and says how it ended. */
export interface Executor {
  run(request: JobRequest, onProgress: (p: JobProgress) => void): Promise<JobOutcome>;
  warm?(): Promise<void>;
  close(): Promise<void>;
}

/** Runs jobs in this thread (an in-memory database, the command line). */
export class InlineExecutor implements Executor {
  constructor(private readonly services: Services) {}
  async run(request: JobRequest, onProgress: (p: JobProgress) => void): Promise<JobOutcome> {
    await new Promise((resolve) => setImmediate(resolve));
    return executeJob(this.services, request, (done, total, stage) => onProgress({ done, total, stage }));
  }
  async close(): Promise<void> {}
}

export type JobState = keyof typeof JOB_STATES;

/** A job as pages and the API show it. */
export interface JobView {
  id: string;
  kind: JobKind;
  kindName: string;
  state: JobState;
  stateName: string;
  stage: string | null;
  done: number;
  total: number;
  /** 0–100, for the progress bar. */
  percent: number;
  result: Record<string, unknown> | null;
  error: string | null;
  createdBy: string;
  departmentId: number | null;
  startedAt: string | null;
  finishedAt: string | null;
}

interface Entry {
  request: JobRequest;
  state: JobState;
  progress: JobProgress;
  outcome: JobOutcome | null;
  queuedAt: string;
  finishedAt: string | null;
  waiters: (() => void)[];
}

/** How long a finished job's outcome stays in memory (for the request waiting on it, and its page). */
const KEEP_FINISHED_MS = 10 * 60_000;

export class JobRunner {
  private readonly queue: Entry[] = [];
  private readonly entries = new Map<string, Entry>();
  private current: Entry | null = null;
  private readonly jobs;

  constructor(
    private readonly db: Db,
    private readonly executor: Executor,
  ) {
    this.jobs = createJobRepository(db);
  }

  /** A runner for these services' database: on a thread of its own when the database is a file, else here. */
  static for(services: Services, options: { inline?: boolean } = {}): JobRunner {
    const { db } = services;
    const inline = options.inline || db.$client.memory;
    return new JobRunner(db, inline ? new InlineExecutor(services) : new ThreadExecutor(db.$client.name, services));
  }

  /**
   * Queues a job; a job like one already queued or running (a second publish) is refused in Chinese
   * rather than run twice.
   */
  submit(kind: JobKind, params: Record<string, unknown>, actor: Actor, options: { payload?: unknown; departmentId?: number | null } = {}): JobView {
    const key = JOB_DEFINITIONS[kind].key(params);
    const busy = [...this.queue, ...(this.current ? [this.current] : [])].find((e) => JOB_DEFINITIONS[e.request.kind].key(e.request.params) === key);
    if (busy) throw errors.conflict(MESSAGES.jobAlreadyRunning(JOB_KINDS[busy.request.kind]));
    const entry: Entry = {
      request: { id: randomUUID(), kind, params, payload: options.payload, actor, departmentId: options.departmentId ?? null },
      state: 'queued',
      progress: { done: 0, total: 0, stage: this.current ? 'waiting' : 'starting' },
      outcome: null,
      queuedAt: new Date().toISOString(),
      finishedAt: null,
      waiters: [],
    };
    this.entries.set(entry.request.id, entry);
    this.queue.push(entry);
    void this.next();
    return this.viewOf(entry);
  }

  private async next(): Promise<void> {
    if (this.current) return;
    const entry = this.queue.shift();
    if (!entry) return;
    this.current = entry;
    entry.state = 'running';
    entry.progress = { done: 0, total: 0, stage: 'starting' };
    try {
      entry.outcome = await this.executor.run(entry.request, (p) => (entry.progress = p));
    } catch {
      // The thread died under the job: its transaction rolled back; its row says so.
      entry.outcome = { ok: false, error: { code: 'job.thread_died', status: 500, message: MESSAGES.jobThreadDied, fields: {} } };
      try {
        this.jobs.failed(entry.request.id, MESSAGES.jobThreadDied);
      } catch {
        // The row was never written: the job never started.
      }
    }
    entry.state = entry.outcome.ok ? 'done' : 'failed';
    entry.finishedAt = new Date().toISOString();
    this.current = null;
    for (const wake of entry.waiters.splice(0)) wake();
    setTimeout(() => this.entries.delete(entry.request.id), KEEP_FINISHED_MS).unref();
    for (const e of this.queue) e.progress = { ...e.progress, stage: 'waiting' };
    void this.next();
  }

  /** Waits until the job has ended, or `timeoutMs` has passed; the job as it is then. */
  async wait(id: string, timeoutMs = Infinity): Promise<JobView> {
    const entry = this.entries.get(id);
    if (entry && !entry.outcome) {
      await new Promise<void>((resolve) => {
        entry.waiters.push(resolve);
        if (Number.isFinite(timeoutMs)) setTimeout(resolve, timeoutMs).unref();
      });
    }
    const view = this.view(id);
    if (!view) throw errors.notFound('任务');
    return view;
  }

  /** The job's result once it is done; a failed job's error, as the use case raised it. */
  async result(id: string): Promise<Record<string, unknown>> {
    await this.wait(id);
    const outcome = this.entries.get(id)?.outcome;
    if (outcome && !outcome.ok) throw new AppError(outcome.error.code, outcome.error.status, outcome.error.message, outcome.error.fields);
    const view = this.view(id)!;
    if (view.state === 'failed') throw errors.conflict(view.error ?? MESSAGES.jobFailed);
    return view.result ?? {};
  }

  /** The error a failed job raised, to be thrown by the request that waited on it. */
  failure(id: string): AppError | null {
    const outcome = this.entries.get(id)?.outcome;
    return outcome && !outcome.ok ? new AppError(outcome.error.code, outcome.error.status, outcome.error.message, outcome.error.fields) : null;
  }

  view(id: string): JobView | null {
    const entry = this.entries.get(id);
    if (entry) return this.viewOf(entry);
    const stored = this.jobs.get(id);
    return stored ? storedView(stored) : null;
  }

  /** The jobs waiting and running, then the latest ones ended. */
  list(limit = 30): JobView[] {
    const live = [...(this.current ? [this.current] : []), ...this.queue].map((e) => this.viewOf(e));
    const ids = new Set(live.map((j) => j.id));
    return [...live, ...this.jobs.recent(limit).filter((j) => !ids.has(j.id)).map(storedView)].slice(0, Math.max(limit, live.length));
  }

  /** Whether a job of this kind is queued or running. */
  busy(kind: JobKind): boolean {
    return [...this.queue, ...(this.current ? [this.current] : [])].some((e) => e.request.kind === kind);
  }

  /** Gets the executor ready (the job thread started and its code built) before the first job needs it. */
  async warm(): Promise<void> {
    await this.executor.warm?.();
  }

  async close(): Promise<void> {
    await this.executor.close();
  }

  private viewOf(e: Entry): JobView {
    const outcome = e.outcome;
    return {
      id: e.request.id,
      kind: e.request.kind,
      kindName: JOB_KINDS[e.request.kind],
      state: e.state,
      stateName: JOB_STATES[e.state],
      stage: e.outcome ? null : JOB_STAGES[e.progress.stage],
      done: e.progress.done,
      total: e.progress.total,
      percent: e.state === 'done' ? 100 : e.progress.total > 0 ? Math.min(99, Math.floor((100 * e.progress.done) / e.progress.total)) : 0,
      result: outcome?.ok ? outcome.result : null,
      error: outcome && !outcome.ok ? outcome.error.message : null,
      createdBy: e.request.actor.name,
      departmentId: e.request.departmentId,
      startedAt: e.queuedAt,
      finishedAt: e.finishedAt,
    };
  }
}

function storedView(j: StoredJob): JobView {
  return {
    id: j.id,
    kind: j.kind,
    kindName: JOB_KINDS[j.kind],
    state: j.state,
    stateName: JOB_STATES[j.state],
    stage: null,
    done: 0,
    total: 0,
    percent: j.state === 'done' ? 100 : 0,
    result: j.result,
    error: j.error,
    createdBy: j.createdBy,
    departmentId: typeof j.params.departmentId === 'number' ? j.params.departmentId : null,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
  };
}

/**
 * At start-up: jobs left `running` by a process that is gone are marked failed with a Chinese reason,
 * and what they left outside the database is removed. Their writes were in a transaction that never
 * committed. Returns how many were found.
 */
export function recoverInterruptedJobs(db: Db): number {
  const jobs = createJobRepository(db);
  let found = 0;
  for (const job of jobs.running()) {
    if (job.params.pid !== process.pid && processAlive(job.params.pid)) continue;
    found++;
    JOB_DEFINITIONS[job.kind].cleanup?.(job.params);
    jobs.failed(job.id, MESSAGES.jobInterrupted);
  }
  return found;
}

export type { JobStage };
