// Running one job in the thread that has its database connection: its row says it started, the
// definition runs, its row says how it ended. An error becomes a Chinese message in the outcome; the
// use case's own transaction has rolled back whatever it had written.
import { threadId } from 'node:worker_threads';
import type { Services } from '../services.js';
import { createJobRepository } from '../../db/queries/jobs.js';
import { MESSAGES, type JobStage } from '../domain/labels.js';
import { AppError } from '../errors.js';
import { storageFault } from '../storage-faults.js';
import { JOB_DEFINITIONS } from './definitions.js';
import type { JobOutcome, JobRequest } from './types.js';

export async function executeJob(services: Services, request: JobRequest, onProgress: (done: number, total: number, stage: JobStage) => void): Promise<JobOutcome> {
  const { db } = services;
  const jobs = createJobRepository(db);
  const definition = JOB_DEFINITIONS[request.kind];
  try {
    jobs.started({
      id: request.id,
      kind: request.kind,
      // Whose process runs it: a row left `running` by a live process is not taken for an interrupted one.
      params: { ...request.params, departmentId: request.departmentId, pid: process.pid, thread: threadId },
      createdBy: request.actor.name,
      createdById: request.actor.id,
    });
    const result = await definition.run({ db, services, actor: request.actor, progress: onProgress }, request.params, request.payload);
    jobs.finished(request.id, result);
    return { ok: true, result };
  } catch (err) {
    // A full disk or a failing database file is named as the cause (a 503), like any request's.
    const known = err instanceof AppError ? err : storageFault(err);
    const error = known
      ? { code: known.code, status: known.status, message: known.message, fields: known.fields }
      : { code: 'job.failed', status: 500, message: MESSAGES.jobFailed, fields: {} };
    if (!(err instanceof AppError)) console.error(err);
    try {
      jobs.failed(request.id, error.message);
    } catch {
      // The fault that stopped the job may refuse its record too: the next start marks it failed.
    }
    return { ok: false, error };
  }
}
