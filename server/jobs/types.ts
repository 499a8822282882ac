// What a job is, for the runner (main thread), the executors and the job definitions.
import type { Actor } from '../../db/audit.js';
import type { Db } from '../../db/client.js';
import type { Services } from '../services.js';
import type { JobKind } from '../../db/queries/jobs.js';
import type { JobStage } from '../domain/labels.js';

export type { JobKind };

export interface JobProgress {
  done: number;
  total: number;
  stage: JobStage;
}

/** A job as asked for: `params` is kept with the job's row (small); `payload` only travels to the runner. */
export interface JobRequest {
  id: string;
  kind: JobKind;
  params: Record<string, unknown>;
  payload?: unknown;
  actor: Actor;
  /** The department a department's job belongs to (who may watch it), null for the catalogue's. */
  departmentId: number | null;
}

/** How a job ended, as it crosses from the thread that ran it. */
export type JobOutcome =
  | { ok: true; result: Record<string, unknown> }
  | { ok: false; error: { code: string; status: number; message: string; fields: Record<string, string> } };

/** What a job's code is given: its own database connection and a way to say how far it is. */
export interface JobContext {
  db: Db;
  /** What the thread running the job keeps for its database (the publish's state and reading thread). */
  services: Services;
  actor: Actor;
  progress(done: number, total: number, stage: JobStage): void;
}

export interface JobDefinition {
  /**
   * Jobs with the same key never wait in the queue together: a second publish is told that one is
   * already running rather than queued behind it.
   */
  key(params: Record<string, unknown>): string;
  run(ctx: JobContext, params: Record<string, unknown>, payload: unknown): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Removes what a job of this kind leaves outside the database when its process dies. */
  cleanup?(params: Record<string, unknown>): void;
}
