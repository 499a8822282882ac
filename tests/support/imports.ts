// Uploading a list through the import form as a browser does (multipart with the CSRF token and the
// session cookie), and waiting for the import to be read.
import { readFileSync } from 'node:fs';
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
