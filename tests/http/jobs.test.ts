// Background jobs on the web: the job list and a job's page tell staff in Chinese what ran and how it
// ended; a department sees only its own; a request that finds a job writing is told so, not kept waiting.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase } from '../../db/client.js';
import { MESSAGES } from '../../server/domain/labels.js';
import { SERVER_BUSY_TIMEOUT_MS } from '../../server/main.js';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => server.close());

describe('job pages', () => {
  it('a publish is listed as a job, named in Chinese with who started it and local times, and its page links the version', async () => {
    const legal = server.client();
    await legal.login('legal');
    const reply = await legal.sendJson('POST', '/api/v1/versions', { title: '第一版', confirm: '确认发布' }, await legal.csrfToken());
    expect(reply.status).toBe(201);
    const { jobs } = (await legal.get('/api/v1/jobs')).json<{ jobs: { id: string; kindName: string; stateName: string }[] }>();
    expect(jobs[0]).toMatchObject({ kindName: '发布目录版本', stateName: '已完成' });
    const list = (await legal.get('/workspace/jobs')).text;
    expect(list).toContain('发布目录版本');
    expect(list).toContain('区司法局（法制）审核员');
    expect(list).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    const page = (await legal.get(`/workspace/jobs/${jobs[0]!.id}`)).text;
    expect(page).toContain('查看第 1 版');
    expect(page).toContain('href="/versions/1"');
  });

  it("a department sees neither the catalogue's jobs nor another's; an unknown job is a Chinese 404", async () => {
    const legal = server.client();
    await legal.login('legal');
    const { jobs } = (await legal.get('/api/v1/jobs')).json<{ jobs: { id: string }[] }>();
    const dept = server.client();
    await dept.login('dept-xzsp');
    expect((await dept.get('/api/v1/jobs')).json<{ jobs: unknown[] }>().jobs).toEqual([]);
    expect((await dept.get(`/workspace/jobs/${jobs[0]!.id}`)).status).toBe(404);
    const missing = await legal.get('/workspace/jobs/no-such-job');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('找不到该任务');
  });
});

describe('a write that finds a job holding the database', () => {
  it('is answered at once with a Chinese 503 naming the cause, and writes nothing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'busy-')), 'demo.db');
    copyFileSync(inject('demoDbPath'), path);
    const db = openDatabase(path, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
    const busy = await startTestServer(db);
    // Another connection (as the job thread would) holds the write lock.
    const writer = new Database(path);
    writer.exec('BEGIN IMMEDIATE');
    try {
      const client = busy.client();
      const sessions = db.$client.prepare('SELECT count(*) FROM sessions').pluck().get();
      const started = performance.now();
      const reply = await client.postForm('/login', { username: 'legal', password: 'demo-2026-qingdan' });
      expect(performance.now() - started).toBeLessThan(5_000); // not the 5 s a default connection waits
      expect(reply.status).toBe(503);
      expect(reply.text).toContain(MESSAGES.databaseBusy);
      writer.exec('ROLLBACK');
      expect(db.$client.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(sessions);
    } finally {
      if (writer.inTransaction) writer.exec('ROLLBACK');
      writer.close();
      await busy.close();
      db.$client.close();
    }
  });
});
