// Every bad upload is refused with a clear Chinese message while the server keeps answering, and the
// catalogue is unchanged afterwards.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { TempFiles, hostile, writeLongCsv } from '../fixtures/hostile.js';
import { tempDir } from '../support/sheets.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';

const temp = new TempFiles();
let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(tempDir('uploads-'), 'u') });
  // The public browses the published catalogue meanwhile.
  publishVersion(server.services, SYSTEM_ACTOR, { title: '第1版', effectiveOn: '2026-01-01' });
  client = server.client();
  await client.login('dept-jt');
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

const snapshot = () =>
  server.db.$client
    .prepare(
      `SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM citations) AS citations, (SELECT total(row_version) FROM items) AS versions,
              (SELECT count(*) FROM uploads) AS uploads, (SELECT count(*) FROM import_rows) AS staged, (SELECT count(*) FROM submissions) AS submissions`,
    )
    .get();

async function uploadAndWait(path: string) {
  const form = new FormData();
  form.append('_csrf', await client.csrfToken());
  form.append('file', new Blob([readFileSync(path)]), path.split('/').pop());
  const res = await fetch(`${server.url}/workspace/imports`, {
    method: 'POST',
    body: form,
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json' },
  });
  const { importId } = (await res.json()) as { importId: number };
  // Meanwhile the public keeps browsing: every request must be answered.
  const pings: number[] = [];
  for (;;) {
    const t = performance.now();
    const page = await fetch(`${server.url}/items?page=2`);
    expect(page.status).toBe(200);
    pings.push(performance.now() - t);
    const state = (await client.get(`/api/v1/imports/${importId}`)).json<{ status: string; refusalMessage: string | null }>();
    if (state.status !== 'reading') return { ...state, pings };
    await new Promise((r) => setTimeout(r, 100));
  }
}

const CASES: [string, () => Promise<string> | string, RegExp][] = [
  ['a zip bomb with honest sizes', () => temp.write('honest.xlsx', hostile.honestBomb()), /过大|超过/],
  ['a zip bomb whose sizes lie', () => temp.write('lying.xlsx', hostile.lyingBomb()), /过大|超过|损坏|不相称/],
  ['a range bomb', () => temp.write('range.xlsx', hostile.rangeBomb()), /行|范围/],
  ['a DOCTYPE (billion laughs)', () => temp.write('doctype.xlsx', hostile.doctypeInSheet()), /DOCTYPE|文档类型|实体/],
  ['a legacy .xls', () => temp.write('old.xls', hostile.legacyXls()), /另存为/],
  ['an encrypted workbook', () => temp.write('secret.xlsx', hostile.encryptedXlsx()), /密码/],
  ['a truncated file', () => temp.write('cut.xlsx', hostile.truncatedXlsx()), /不完整|损坏/],
  ['a PDF renamed .xlsx', () => temp.write('renamed.xlsx', hostile.pdf()), /PDF/],
  ['an empty workbook', () => temp.write('empty.xlsx', hostile.emptyWorksheet()), /空/],
  [
    'a CSV of 2 million rows',
    async () => {
      const path = temp.path('long.csv');
      await writeLongCsv(path, 2_000_000);
      return path;
    },
    /行/,
  ],
];

describe('hostile uploads', () => {
  for (const [what, make, message] of CASES) {
    it(`${what} is refused with a Chinese message, the server keeps answering, and nothing changes`, async () => {
      const before = snapshot();
      const path = await make();
      const t = performance.now();
      const result = await uploadAndWait(path);
      const seconds = (performance.now() - t) / 1000;
      expect(result.status).toBe('refused');
      expect(result.refusalMessage).toMatch(message);
      expect(result.refusalMessage).toMatch(/[\u4e00-\u9fff]{6}/);
      expect(seconds).toBeLessThan(60);
      expect(snapshot()).toEqual(before);
      console.log(`${what}: refused in ${seconds.toFixed(1)} s, slowest page during it ${Math.max(...result.pings).toFixed(0)} ms`);
    }, 120_000);
  }
});
