// The job thread, seen from the server: started on first use, sent one job at a time, restarted after
// it dies. Where no thread can be started, the jobs run in the server's own thread instead.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Services } from '../services.js';
import { workerCommand } from '../../imports/worker-bundle.js';
import { executeJob } from './execute.js';
import type { Executor } from './runner.js';
import type { JobOutcome, JobProgress, JobRequest } from './types.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');

type FromThread =
  | { type: 'ready' }
  | { type: 'progress'; id: string; done: number; total: number; stage: JobProgress['stage'] }
  | { type: 'outcome'; id: string; outcome: JobOutcome };

export class ThreadExecutor implements Executor {
  private worker: Promise<Worker | null> | null = null;

  constructor(
    private readonly path: string,
    /** Where jobs run when no thread can be started. */
    private readonly fallback: Services,
  ) {}

  private start(): Promise<Worker | null> {
    this.worker ??= (async () => {
      try {
        const { file, execArgv } = await workerCommand(join(HERE, 'worker.ts'), ROOT, 'job-worker');
        const worker = new Worker(file, { execArgv, workerData: { path: this.path, config: this.fallback.config } });
        await new Promise<void>((resolve, reject) => {
          worker.once('message', (m: FromThread) => (m.type === 'ready' ? resolve() : reject(new Error('unexpected first message'))));
          worker.once('error', reject);
          worker.once('exit', () => reject(new Error('the job thread exited')));
        });
        worker.once('exit', () => (this.worker = null));
        worker.unref();
        return worker;
      } catch (err) {
        console.error('无法启动任务线程，任务将在服务器主线程中运行：', err);
        this.worker = null;
        return null;
      }
    })();
    return this.worker;
  }

  async warm(): Promise<void> {
    await this.start();
  }

  async run(request: JobRequest, onProgress: (p: JobProgress) => void): Promise<JobOutcome> {
    const worker = await this.start();
    if (!worker) return executeJob(this.fallback, request, (done, total, stage) => onProgress({ done, total, stage }));
    worker.ref();
    try {
      return await new Promise<JobOutcome>((resolve, reject) => {
        const onMessage = (m: FromThread) => {
          if (m.type === 'progress' && m.id === request.id) onProgress({ done: m.done, total: m.total, stage: m.stage });
          else if (m.type === 'outcome' && m.id === request.id) {
            cleanup();
            resolve(m.outcome);
          }
        };
        const onExit = () => {
          cleanup();
          reject(new Error('the job thread exited during a job'));
        };
        const cleanup = () => {
          worker.off('message', onMessage);
          worker.off('exit', onExit);
        };
        worker.on('message', onMessage);
        worker.on('exit', onExit);
        worker.postMessage(request);
      });
    } finally {
      worker.unref();
    }
  }

  async close(): Promise<void> {
    const worker = await this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
