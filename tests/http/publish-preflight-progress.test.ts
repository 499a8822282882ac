// A large working catalogue is compared with the last version in the background (issue 13): the publish
// page says how far the comparison has got and keeps the publish form usable meanwhile.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';

let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  // One item per step and per slice, never waited for: every comparison shows its progress first.
  server = await startTestServer(demoDb(), { preflight: { chunk: 1, syncLimit: 0, waitMs: 0, sliceMs: 0 } });
  admin = server.client();
  await admin.login('admin');
});
afterAll(() => server.close());

describe('the publish page while the comparison runs', () => {
  it('while the comparison runs the publish page says how far it has got', async () => {
    const live = server.db.$client.prepare('SELECT count(*) FROM items WHERE removed_at IS NULL').pluck().get() as number;
    const first = await admin.get('/workspace/publish');
    expect(first.status).toBe(200);
    expect(first.text).toContain(`正在读取将首次发布的事项：已读取 0 / ${live} 项。`);
    // A link to look again, and no automatic reload (it would clear what the clerk typed in the form).
    expect(first.text).toContain('id="preflight-reload"');
    expect(first.text).not.toContain('http-equiv="refresh"');
    expect(first.text).not.toContain('id="added-count"');
    // The form is there to publish meanwhile, with the typed confirmation when errors remain.
    expect(first.text).toContain('id="publish-form"');
    expect(first.text).toContain('id="open-errors-heading"');

    // Later looks show it moving on, then the list of what will be published, as before.
    const seen: number[] = [];
    let listed = false;
    for (let i = 0; i < 500; i++) {
      const page = await admin.get('/workspace/publish');
      const m = /已读取 (\d+) \/ (\d+) 项/.exec(page.text);
      if (!m) {
        expect(page.text).not.toContain('id="preflight-reload"');
        expect(page.text).toContain(`id="added-count">${live}<`);
        listed = true;
        break;
      }
      seen.push(Number(m[1]));
    }
    expect(listed).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((n) => n > 0 && n < live)).toBe(true);
  });
});
