// A fault of the disk or the database file at run time: a Chinese 503 naming the cause, never "请稍后重试".
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { DEMO_PASSWORD } from '../../server/bootstrap.js';
import { STORAGE_FAULTS } from '../../server/domain/labels.js';
import { storageFault } from '../../server/storage-faults.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => server.close());

const sqliteError = (code: string) => Object.assign(new Error(code), { code });

describe('storage faults', () => {
  it('a login on a read-only database answers 503 saying the database is read-only', async () => {
    const client = server.client();
    const token = await client.csrfToken('/login');
    server.db.$client.pragma('query_only = ON'); // every write now fails with SQLITE_READONLY
    try {
      const page = await client.postForm('/login', { username: 'legal', password: DEMO_PASSWORD }, { csrf: token });
      expect(page.status).toBe(503);
      expect(page.text).toContain(STORAGE_FAULTS.readOnly);
      expect(page.text).not.toContain('请稍后重试');
      const api = await client.sendJson('POST', '/login', { username: 'legal', password: DEMO_PASSWORD }, token);
      expect(api.status).toBe(503);
    } finally {
      server.db.$client.pragma('query_only = OFF');
    }
  });

  it('a full disk, an I/O error and a damaged file are each a 503 naming the cause, and other errors are none of them', () => {
    expect(storageFault(sqliteError('SQLITE_FULL'))).toMatchObject({ status: 503, message: STORAGE_FAULTS.diskFull });
    expect(storageFault(sqliteError('SQLITE_IOERR_WRITE'))).toMatchObject({ status: 503, message: STORAGE_FAULTS.ioError });
    expect(storageFault(sqliteError('SQLITE_IOERR'))).toMatchObject({ status: 503, message: STORAGE_FAULTS.ioError });
    expect(storageFault(sqliteError('SQLITE_CORRUPT'))).toMatchObject({ status: 503, message: STORAGE_FAULTS.damaged });
    expect(storageFault(sqliteError('SQLITE_NOTADB'))).toMatchObject({ status: 503, message: STORAGE_FAULTS.damaged });
    expect(storageFault(sqliteError('SQLITE_READONLY_DBMOVED'))).toMatchObject({ status: 503, message: STORAGE_FAULTS.readOnly });
    expect(storageFault(sqliteError('ENOSPC'))).toMatchObject({ status: 503, message: STORAGE_FAULTS.diskFull });
    expect(storageFault(sqliteError('SQLITE_CONSTRAINT_UNIQUE'))).toBeNull();
    expect(storageFault(new Error('x'))).toBeNull();
    for (const message of Object.values(STORAGE_FAULTS)) expect(message).not.toContain('稍后重试');
  });
});
