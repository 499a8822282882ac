import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { createJobRepository } from '../../../db/queries/jobs.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { JobRunner, recoverInterruptedJobs } from '../../../server/jobs/runner.js';
import { JOB_NICENESS } from '../../../server/jobs/priority.js';
import { MESSAGES } from '../../../server/domain/labels.js';
import { AppError } from '../../../server/errors.js';
import { demoDb } from '../../support/db.js';
import { testServices } from '../../support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'jobs-'));
const fileDb = (name: string) => {
  const path = join(dir, name);
  copyFileSync(inject('demoDbPath'), path);
  return openDatabase(path);
};
const runners: JobRunner[] = [];
afterAll(async () => {
  for (const r of runners) await r.close();
});

describe('job runner', () => {
  it('a publish of a database file runs on a thread of its own, not the request thread', async () => {
    const db = fileDb('thread.db');
    const runner = testServices(db).jobs;
    runners.push(runner);
    const job = runner.submit('publish', { title: '第一版' }, SYSTEM_ACTOR);
    expect(['queued', 'running']).toContain(job.state);
    const result = await runner.result(job.id);
    expect(result.version).toBe(1);
    const stored = createJobRepository(db).get(job.id)!;
    expect(stored.state).toBe('done');
    expect(stored.params.thread).not.toBe(0);
    expect(db.$client.prepare('SELECT count(*) FROM catalogue_versions').pluck().get()).toBe(1);
  });

  it.runIf(process.platform === 'linux')('the job thread runs at a lower priority than the thread that answers requests', async () => {
    const runner = testServices(fileDb('priority.db')).jobs;
    runners.push(runner);
    await runner.warm();
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value (after the name in brackets).
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const threads = readdirSync('/proc/self/task');
    expect(niceOf(String(process.pid))).toBe(0);
    expect(threads.filter((tid) => niceOf(tid) === JOB_NICENESS).length).toBeGreaterThan(0);
  });

  it('a second publish while one is queued or running is told in Chinese that one is running', async () => {
    const runner = testServices(demoDb()).jobs;
    runners.push(runner);
    const first = runner.submit('publish', { title: '第一版' }, SYSTEM_ACTOR);
    expect(() => runner.submit('publish', { title: '又一版' }, SYSTEM_ACTOR)).toThrow(MESSAGES.jobAlreadyRunning('发布目录版本'));
    await runner.wait(first.id);
    // Once it has ended, the next one may start.
    const second = runner.submit('publish', { title: '又一版' }, SYSTEM_ACTOR);
    await expect(runner.result(second.id)).rejects.toThrow(AppError); // nothing changed since: refused
  });

  it('a failed job raises the use case’s own error, writes nothing and records why', async () => {
    const db = demoDb();
    const runner = testServices(db).jobs;
    runners.push(runner);
    const job = runner.submit('publish', { title: '' }, SYSTEM_ACTOR);
    const error = await runner.result(job.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).fields.title).toBe('请填写版本标题');
    expect(db.$client.prepare('SELECT count(*) FROM catalogue_versions').pluck().get()).toBe(0);
    const view = runner.view(job.id)!;
    expect(view.state).toBe('failed');
    expect(view.stateName).toBe('失败');
    expect(view.error).toBe('请修正标出的字段。');
  });

  it('jobs wait their turn: a re-check queued behind a publish runs after it', async () => {
    const runner = testServices(demoDb()).jobs;
    runners.push(runner);
    const publish = runner.submit('publish', { title: '第一版' }, SYSTEM_ACTOR);
    const recheck = runner.submit('recheck', {}, SYSTEM_ACTOR);
    expect(runner.view(recheck.id)!.stage).toBe('等待前一项任务完成');
    const checked = await runner.result(recheck.id);
    expect(runner.view(publish.id)!.state).toBe('done');
    expect(checked.items).toBeGreaterThan(1000);
    expect(runner.list().map((j) => j.kindName)).toEqual(expect.arrayContaining(['发布目录版本', '重新检查全部事项']));
  });

  it('a job found running at start-up, whose process is gone, is marked failed with a Chinese reason', () => {
    const db = demoDb();
    const jobs = createJobRepository(db);
    jobs.started({ id: 'dead', kind: 'publish', params: { pid: 2 ** 22 + 12345 }, createdBy: 'legal', createdById: null });
    jobs.started({ id: 'alive', kind: 'recheck', params: { pid: process.ppid }, createdBy: 'legal', createdById: null });
    expect(recoverInterruptedJobs(db)).toBe(1);
    expect(jobs.get('dead')).toMatchObject({ state: 'failed', error: MESSAGES.jobInterrupted });
    expect(jobs.get('alive')!.state).toBe('running');
  });
});
