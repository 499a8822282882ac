// kill -9 of a real server during an import, a confirm and a publish, then a restart: the database is
// whole, nothing is half-written, nothing acknowledged is lost, and the interrupted work is ended with a
// Chinese reason (the import can be discarded).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES } from '../../server/domain/labels.js';
import { uploadSheet } from '../support/imports.js';
import type { TestClient, TestServer } from '../support/http.js';
import { bigDepartmentCsv, demoDatabase, integrity, one, query, startRealServer, tempFolder, until, type RealServer } from './support/server.js';
import { openDatabase } from '../../db/client.js';
import { verifyAuditLog } from '../../db/audit.js';
import { verifyVersion } from '../../server/publication/publish.js';

let dir: string;
let db: string;
let server: RealServer | null = null;

beforeAll(() => {
  dir = tempFolder('kill-');
  db = demoDatabase(dir);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An acknowledged change: a department the admin added and the server answered 303 for. */
async function acknowledgedDepartment(client: TestClient, code: string): Promise<void> {
  const r = await client.postForm('/admin/departments', { code, name: `确认写入${code}`, level: 'district' }, { from: '/admin/departments' });
  expect(r.status).toBe(303);
}

/** Everything a restart must find: whole file, audit chain, every version's hash. */
function assertWhole(path: string) {
  expect(integrity(path)).toBe('ok');
  const conn = openDatabase(path, { migrate: false });
  try {
    expect(verifyAuditLog(conn).problems).toEqual([]);
    for (const v of query<{ number: number }>(path, 'SELECT number FROM catalogue_versions')) expect(verifyVersion(conn, v.number).ok).toBe(true);
  } finally {
    conn.$client.close();
  }
}

const jobRunning = (kind: string) => query<{ id: string }>(db, "SELECT id FROM jobs WHERE kind = ? AND state = 'running'", kind)[0];

describe('kill -9 and restart', () => {
  let importId: number;

  it('during an import: after the restart the import is failed with a Chinese reason, its staged rows and temporary file gone, and it can be discarded', async () => {
    server = await startRealServer(db, { CATALOGUE_UPLOADS: join(dir, 'uploads') });
    const admin = server.client();
    await admin.login('admin');
    await acknowledgedDepartment(admin, 'ACK1');

    const clerk = server.client();
    await clerk.login('dept-jt');
    const csv = bigDepartmentCsv(join(dir, 'big.csv'), 10_000);
    const upload = await uploadSheet({ url: server.url } as TestServer, clerk, csv);
    expect(upload.status).toBe(202);
    importId = upload.body.importId;
    // Killed while it reads: rows are staged, the temporary upload is on disk.
    const reading = await until(() => one<{ status: string; progress_rows: number; temp_path: string | null }>(db, 'SELECT status, progress_rows, temp_path FROM imports WHERE id = ?', importId), 10_000);
    await until(() => one<{ n: number }>(db, 'SELECT count(*) AS n FROM import_rows WHERE import_id = ?', importId).n > 0, 30_000, 'staged rows');
    expect(reading.status).toBe('reading');
    await server.kill9();
    expect(one<{ status: string }>(db, 'SELECT status FROM imports WHERE id = ?', importId).status).toBe('reading');
    const tempPath = reading.temp_path!;

    server = await startRealServer(db, { CATALOGUE_UPLOADS: join(dir, 'uploads') });
    expect(server.output()).toContain(`#${importId}`);
    assertWhole(db);
    expect(one<{ n: number }>(db, "SELECT count(*) AS n FROM departments WHERE code = 'ACK1'").n).toBe(1);
    const after = one<{ status: string; refusal_message: string }>(db, 'SELECT status, refusal_message FROM imports WHERE id = ?', importId);
    expect(after).toEqual({ status: 'failed', refusal_message: MESSAGES.importInterrupted });
    expect(one<{ n: number }>(db, 'SELECT count(*) AS n FROM import_rows WHERE import_id = ?', importId).n).toBe(0);
    expect(existsSync(tempPath)).toBe(false);

    const again = server.client();
    await again.login('dept-jt');
    const page = await again.get(`/workspace/imports/${importId}`);
    expect(page.text).toContain(MESSAGES.importInterrupted);
    expect(page.text).not.toContain('http-equiv="refresh"');
    const discarded = await again.postForm(`/workspace/imports/${importId}/discard`, {}, { from: `/workspace/imports/${importId}` });
    expect(discarded.status).toBe(303);
    expect(one<{ status: string }>(db, 'SELECT status FROM imports WHERE id = ?', importId).status).toBe('discarded');
  }, 120_000);

  it('during a confirm: the import stays ready with no submission, the job is failed with a Chinese reason, and the import can be confirmed or discarded', async () => {
    const clerk = server!.client();
    await clerk.login('dept-jt');
    const csv = bigDepartmentCsv(join(dir, 'confirm.csv'), 3_000);
    const upload = await uploadSheet({ url: server!.url } as TestServer, clerk, csv);
    const id = upload.body.importId;
    await until(() => one<{ status: string }>(db, 'SELECT status FROM imports WHERE id = ?', id).status === 'ready', 60_000, 'import read');
    const submissionsBefore = one<{ n: number }>(db, 'SELECT count(*) AS n FROM submissions').n;
    // A change to the catalogue after the preview makes the confirm check every row again (it would
    // otherwise copy the preview's findings and be over before it could be killed).
    const admin = server!.client();
    await admin.login('admin');
    expect((await admin.postForm('/admin/departments', { code: 'ACK0', name: '预览后新增的部门', level: 'district' }, { from: '/admin/departments' })).status).toBe(303);

    void clerk.postForm(`/workspace/imports/${id}/confirm`, {}, { from: `/workspace/imports/${id}` }).catch(() => undefined);
    const job = await until(() => jobRunning('import_confirm'), 20_000, 'the confirm job');
    await server!.kill9();

    server = await startRealServer(db, { CATALOGUE_UPLOADS: join(dir, 'uploads') });
    assertWhole(db);
    expect(one<{ status: string }>(db, 'SELECT status FROM imports WHERE id = ?', id).status).toBe('ready');
    expect(one<{ n: number }>(db, 'SELECT count(*) AS n FROM submissions').n).toBe(submissionsBefore);
    expect(one<{ state: string; error: string }>(db, 'SELECT state, error FROM jobs WHERE id = ?', job.id)).toEqual({ state: 'failed', error: MESSAGES.jobInterrupted });

    const again = server.client();
    await again.login('dept-jt');
    expect((await again.postForm(`/workspace/imports/${id}/discard`, {}, { from: `/workspace/imports/${id}` })).status).toBe(303);
    expect(one<{ status: string }>(db, 'SELECT status FROM imports WHERE id = ?', id).status).toBe('discarded');
  }, 120_000);

  it('during a publish: no version is half-written, the job is failed with a Chinese reason, and a publish after the restart succeeds', async () => {
    const legal = server!.client();
    await legal.login('legal');
    const versionsBefore = one<{ n: number }>(db, 'SELECT count(*) AS n FROM catalogue_versions').n;
    void legal.postForm('/workspace/publish', { title: '被中断的版本', confirm: '确认发布' }, { from: '/workspace/publish' }).catch(() => undefined);
    const job = await until(() => jobRunning('publish'), 20_000, 'the publish job');
    await server!.kill9();

    server = await startRealServer(db, { CATALOGUE_UPLOADS: join(dir, 'uploads') });
    assertWhole(db);
    expect(one<{ n: number }>(db, 'SELECT count(*) AS n FROM catalogue_versions').n).toBe(versionsBefore);
    expect(one<{ n: number }>(db, "SELECT count(*) AS n FROM item_revisions WHERE from_version > ?", versionsBefore).n).toBe(0);
    expect(one<{ state: string; error: string }>(db, 'SELECT state, error FROM jobs WHERE id = ?', job.id)).toEqual({ state: 'failed', error: MESSAGES.jobInterrupted });
    expect(one<{ n: number }>(db, "SELECT count(*) AS n FROM departments WHERE code = 'ACK1'").n).toBe(1);

    const again = server.client();
    await again.login('legal');
    const published = await again.sendJson('POST', '/api/v1/versions', { title: '重启后的版本', confirm: '确认发布' }, await again.csrfToken('/workspace/publish'));
    expect([201, 202]).toContain(published.status);
    await until(() => one<{ n: number }>(db, 'SELECT count(*) AS n FROM catalogue_versions').n === versionsBefore + 1, 60_000, 'the new version');
    assertWhole(db);
  }, 120_000);
});
