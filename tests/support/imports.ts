// Uploading a list through the import form as a browser does (multipart with the CSRF token and the
// session cookie), and waiting for the import to be read; or running an import as the command line does.
import { copyFileSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { createImportRepository } from '../../db/queries/imports.js';
import { runImport } from '../../server/imports/service.js';
import { defaultConfig } from '../../server/config.js';
import type { TestClient, TestServer } from './http.js';

export async function uploadSheet(server: TestServer, client: TestClient, path: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append('_csrf', await client.csrfToken());
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([readFileSync(path)]), path.split('/').pop());
  const res = await fetch(`${server.url}/workspace/imports`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as { importId: number; error?: { message: string } } };
}

/** The import's JSON once it is no longer being read. */
export async function importSettled(client: TestClient, importId: number) {
  for (let i = 0; i < 200; i++) {
    const r = (await client.get(`/api/v1/imports/${importId}`)).json<{ status: string; report: any; refusalMessage: string | null }>();
    if (r.status !== 'reading') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import never finished');
}

/**
 * An import run as the demo district's first department clerk (runImport, as the command line runs it),
 * on a copy of the demo database in `dir`: the database, the clerk as actor and subject, and the report.
 */
export async function importAsFirstClerk(dir: string, file: string, mode: 'submission' | 'dry_run' = 'submission') {
  const path = join(dir, 'list.db');
  copyFileSync(inject('demoDbPath'), path);
  const db = openDatabase(path);
  const clerk = db.$client.prepare("SELECT u.id, u.username, u.department_id AS departmentId, d.code FROM users u JOIN departments d ON d.id = u.department_id WHERE u.role = 'department' ORDER BY u.id LIMIT 1").get() as {
    id: number;
    username: string;
    departmentId: number;
    code: string;
  };
  const actor = { id: clerk.id, name: clerk.username };
  const subject = { id: clerk.id, role: 'department' as const, departmentId: clerk.departmentId };
  const deps = { db, importRepository: createImportRepository({ db }) };
  const report = await runImport(deps, defaultConfig({ dbPath: path, uploadsDir: join(dir, 'uploads') }), {
    path: file,
    originalName: basename(file),
    departmentCode: clerk.code,
    mode,
    actor,
    subject,
  });
  return { db, deps, clerk, actor, subject, report };
}
