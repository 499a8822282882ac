// A full disk under a running server (the database and the uploads on a small tmpfs, filled up): an
// import and a publish fail with a Chinese answer naming the full disk, nothing acknowledged is lost, the
// file stays whole, and once space is freed the same server works again.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, rmSync, statSync, statfsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES, STORAGE_FAULTS } from '../../server/domain/labels.js';
import { uploadSheet } from '../support/imports.js';
import type { TestClient, TestServer } from '../support/http.js';
import { bigDepartmentCsv, demoDatabase, integrity, one, startRealServer, tempFolder, until, type RealServer } from './support/server.js';
import { mountTmpfs, unmount } from './support/mount.js';
import { openDatabase } from '../../db/client.js';
import { verifyAuditLog } from '../../db/audit.js';

let dir: string;
let disk: string;
let db: string;
let server: RealServer | null = null;
let cannotMount: string | null = null;

beforeAll(() => {
  dir = tempFolder('full-');
  disk = join(dir, 'disk');
  cannotMount = mountTmpfs(disk, 24);
  if (cannotMount) {
    console.warn(`full-disk scenarios skipped: ${cannotMount}`);
    return;
  }
  db = join(disk, 'catalogue.db');
  copyFileSync(demoDatabase(dir), db);
});
afterAll(async () => {
  await server?.stop();
  if (!cannotMount) unmount(disk);
  rmSync(dir, { recursive: true, force: true });
});

const FILLER = () => join(disk, 'filler');

/** Fills the tmpfs until only `leaveKb` remain free. */
function fill(leaveKb: number) {
  rmSync(FILLER(), { force: true });
  const { bavail, bsize } = statfsSync(disk);
  const bytes = Math.max(0, bavail * bsize - leaveKb * 1024);
  try {
    writeFileSync(FILLER(), Buffer.alloc(bytes));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    // The server wrote meanwhile (its log, a checkpoint): the disk is full; give back the room to leave.
    truncateSync(FILLER(), Math.max(0, statSync(FILLER()).size - leaveKb * 1024));
  }
}
const free = () => rmSync(FILLER(), { force: true });

async function acknowledgedDepartment(client: TestClient, code: string): Promise<void> {
  const r = await client.postForm('/admin/departments', { code, name: `确认写入${code}`, level: 'district' }, { from: '/admin/departments' });
  expect(r.status).toBe(303);
}

describe('a full disk', () => {
  it('an import and a publish on a full disk answer in Chinese naming the full disk, lose nothing acknowledged, and work again once space is freed', async (ctx) => {
    if (cannotMount) {
      ctx.skip();
      return;
    }
    server = await startRealServer(db, { CATALOGUE_UPLOADS: join(disk, 'uploads') });
    const admin = server.client();
    await admin.login('admin');
    const clerk = server.client();
    await clerk.login('dept-jt');
    const legal = server.client();
    await legal.login('legal');
    await acknowledgedDepartment(admin, 'ACKF');
    const publishToken = await legal.csrfToken('/workspace/publish');

    // An import while the disk fills: it ends (no endless 读取中) and says the disk is full.
    fill(512);
    const csv = bigDepartmentCsv(join(dir, 'big.csv'), 10_000);
    const upload = await uploadSheet({ url: server.url } as TestServer, clerk, csv);
    expect(upload.status).toBe(202);
    const id = upload.body.importId;
    const ended = await until(
      async () => {
        const r = (await clerk.get(`/api/v1/imports/${id}`)).json<{ status: string; refusalMessage: string | null }>();
        return r.status === 'reading' ? null : r;
      },
      60_000,
      'the import to end',
    );
    expect(['refused', 'failed']).toContain(ended.status);
    expect(ended.refusalMessage).toMatch(/磁盘已满/);
    expect([STORAGE_FAULTS.diskFull, MESSAGES.importInterrupted]).toContain(ended.refusalMessage);
    const page = await clerk.get(`/workspace/imports/${id}`);
    expect(page.text).not.toContain('http-equiv="refresh"');

    // A publish on the full disk: a Chinese 503 naming the cause, no version.
    fill(256);
    const published = await legal.sendJson('POST', '/api/v1/versions', { title: '磁盘已满时的版本', confirm: '确认发布' }, publishToken);
    expect(published.status).toBe(503);
    expect(published.json().error.message).toBe(STORAGE_FAULTS.diskFull);
    expect(published.text).not.toContain('稍后重试');

    // Space back: the same server goes on; nothing acknowledged was lost, nothing half-written stayed.
    free();
    expect(integrity(db)).toBe('ok');
    expect(one<{ n: number }>(db, "SELECT count(*) AS n FROM departments WHERE code = 'ACKF'").n).toBe(1);
    expect(one<{ n: number }>(db, 'SELECT count(*) AS n FROM catalogue_versions').n).toBe(0);
    const conn = openDatabase(db, { migrate: false });
    try {
      expect(verifyAuditLog(conn).problems).toEqual([]);
    } finally {
      conn.$client.close();
    }
    expect((await clerk.postForm(`/workspace/imports/${id}/discard`, {}, { from: `/workspace/imports/${id}` })).status).toBe(303);
    const again = await legal.sendJson('POST', '/api/v1/versions', { title: '腾出空间后的版本', confirm: '确认发布' }, publishToken);
    expect([201, 202]).toContain(again.status);
    await until(() => one<{ n: number }>(db, 'SELECT count(*) AS n FROM catalogue_versions').n === 1, 60_000, 'the version');
  }, 180_000);
});
