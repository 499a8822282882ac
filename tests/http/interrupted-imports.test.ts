// An import a stopped server left half-read: ended at start-up, its staged rows and temporary file
// gone, its page still (no refresh), and it can be discarded or the file uploaded again.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { createImportRepository } from '../../db/queries/imports.js';
import { recoverInterruptedImports } from '../../server/imports/recover.js';
import { MESSAGES } from '../../server/domain/labels.js';

let server: TestServer;
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => server.close());

/** An import of 交通运输局 left 'reading' by `pid`, with two staged rows and a web upload's temporary file. */
function halfReadImport(pid: number) {
  const sqlite = server.db.$client;
  const department = (sqlite.prepare("SELECT id FROM departments WHERE code = 'JTYSJ'").get() as { id: number }).id;
  const folder = mkdtempSync(join(tmpdir(), 'catalogue-upload-'));
  const tempPath = join(folder, 'upload.bin');
  writeFileSync(tempPath, 'half');
  const id = Number(
    sqlite
      .prepare("INSERT INTO imports (original_name, department_id, mode, status, created_by, reader_pid, temp_path, progress_rows) VALUES ('清单.xlsx', ?, 'submission', 'reading', 'dept-jt', ?, ?, 2)")
      .run(department, pid, tempPath).lastInsertRowid,
  );
  for (const row of [1, 2]) sqlite.prepare("INSERT INTO import_rows (import_id, sheet, row_number, kind) VALUES (?, 'Sheet1', ?, 'new')").run(id, row);
  return { id, folder };
}

const stagedRows = (id: number) => (server.db.$client.prepare('SELECT count(*) AS n FROM import_rows WHERE import_id = ?').get(id) as { n: number }).n;
const statusOf = (id: number) => (server.db.$client.prepare('SELECT status FROM imports WHERE id = ?').get(id) as { status: string }).status;

describe('interrupted imports', () => {
  it('an import left reading by a process that is gone is marked failed at start-up, its staged rows and temporary file removed, with an audit entry', () => {
    const { id, folder } = halfReadImport(deadPid());
    const ended = recoverInterruptedImports(server.db, createImportRepository({ db: server.db }));
    expect(ended).toContain(id);
    expect(statusOf(id)).toBe('failed');
    expect(stagedRows(id)).toBe(0);
    expect(existsSync(folder)).toBe(false);
    const audit = server.db.$client.prepare("SELECT action FROM audit_log WHERE entity_type = 'import' AND entity_id = ?").all(String(id));
    expect(audit).toEqual([{ action: 'import.interrupted' }]);
  });

  it('an import being read by a live process is left alone', () => {
    const { id, folder } = halfReadImport(process.ppid);
    recoverInterruptedImports(server.db, createImportRepository({ db: server.db }));
    expect(statusOf(id)).toBe('reading');
    expect(stagedRows(id)).toBe(2);
    expect(existsSync(folder)).toBe(true);
    server.db.$client.prepare("UPDATE imports SET status = 'refused' WHERE id = ?").run(id);
  });

  it('an interrupted import says why in Chinese, no longer refreshes, and its department may discard it', async () => {
    const { id } = halfReadImport(deadPid());
    recoverInterruptedImports(server.db, createImportRepository({ db: server.db }));
    const client = server.client();
    await client.login('dept-jt');
    const page = await client.get(`/workspace/imports/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(MESSAGES.importInterrupted);
    expect(page.text).not.toContain('http-equiv="refresh"');
    expect(page.text).toContain(`/workspace/imports/${id}/discard`);
    const discarded = await client.postForm(`/workspace/imports/${id}/discard`, {}, { from: `/workspace/imports/${id}` });
    expect(discarded.status).toBe(303);
    expect(statusOf(id)).toBe('discarded');
  });

  it('another department can neither see nor discard it; discarding one still being read says it is being read', async () => {
    const { id } = halfReadImport(deadPid());
    recoverInterruptedImports(server.db, createImportRepository({ db: server.db }));
    const other = server.client();
    await other.login('dept-rsj');
    expect((await other.postForm(`/workspace/imports/${id}/discard`, {})).status).toBe(404);
    expect(statusOf(id)).toBe('failed');

    const reading = halfReadImport(process.ppid);
    const legal = server.client();
    await legal.login('legal');
    const refused = await legal.sendJson('POST', `/api/v1/imports/${reading.id}/discard`, {}, await legal.csrfToken());
    expect(refused.status).toBe(409);
    expect(refused.json().error.message).toBe(MESSAGES.importReading);
    server.db.$client.prepare("UPDATE imports SET status = 'refused' WHERE id = ?").run(reading.id);
  });

  it('an import this server stopped reading without recording it (a full disk) shows as failed, does not refresh, and may be discarded with its temporary file', async () => {
    const { id, folder } = halfReadImport(process.pid);
    const client = server.client();
    await client.login('dept-jt');
    const page = await client.get(`/workspace/imports/${id}`);
    expect(page.text).toContain(MESSAGES.importInterrupted);
    expect(page.text).not.toContain('http-equiv="refresh"');
    const json = (await client.get(`/api/v1/imports/${id}`)).json();
    expect(json.status).toBe('failed');
    expect(json).not.toHaveProperty('readerPid');
    expect((await client.postForm(`/workspace/imports/${id}/discard`, {}, { from: `/workspace/imports/${id}` })).status).toBe(303);
    expect(statusOf(id)).toBe('discarded');
    expect(stagedRows(id)).toBe(0);
    expect(existsSync(folder)).toBe(false);
  });
});
