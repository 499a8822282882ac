// Every page a person reaches from the workspace and the menu speaks Chinese: no enum code, rule code,
// field name or ISO timestamp in the visible text (a code may sit in an attribute, e.g. a tooltip).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { HEADER, tempDir, writeWorkbook } from '../support/sheets.js';
import * as vocabulary from '../../server/domain/vocabulary.js';
import { RULE_CODES } from '../../server/checks/engine.js';
import { publishVersion } from '../../server/publication/publish.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { itemFormOf } from '../support/forms.js';

const ROLES = { admin: 'admin', legal_office: 'legal', expert: 'expert', supervisor: 'supervisor', department: 'dept-xzsp' } as const;
/** Pages of one shape (digits and item codes replaced) visited at most this often, per role. */
const PER_SHAPE = 2;
const MAX_PAGES = 150;

/** Every code of the controlled vocabularies, and every rule code. */
const CODES = new Set<string>([
  ...(Object.values(vocabulary) as unknown[])
    .filter((v): v is Record<string, string> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'))
    .flatMap((table) => Object.keys(table))
    .filter((k) => /^[a-z_]+$/.test(k)),
  ...RULE_CODES,
]);

const RAW_PATTERNS: [string, RegExp][] = [
  ['ISO timestamp', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g],
  ['rule code', /(?<![A-Za-z0-9_])[A-Z]+(?:_[A-Z]+)+(?![A-Za-z0-9_])/g],
  ['camelCase field name', /(?<![A-Za-z0-9_.\/-])[a-z]+(?:[A-Z][a-z0-9]*)+(?![A-Za-z0-9_])/g],
  ['snake_case word', /(?<![A-Za-z0-9_.\/-])[a-z]+(?:_[a-z0-9]+)+(?![A-Za-z0-9_])/g],
  ['vocabulary code', /(?<![A-Za-z0-9_.\/@-])[a-z]+(?![A-Za-z0-9_.\/@-])/g],
];

/** The text a person sees: no scripts, styles or tags; entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style|template)\b[\s\S]*?<\/\1>/gi, ' ')
    // Identifiers shown as typed (a username) are marked translate="no": data, not words of the interface.
    .replace(/<(\w+)\b[^>]*\btranslate="no"[^>]*>[^<]*<\/\1>/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) =>
      e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ({ amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ' } as Record<string, string>)[e.toLowerCase()] ?? m,
    )
    .replace(/\s+/g, ' ');
}

export function rawCodesIn(text: string): string[] {
  const found: string[] = [];
  for (const [kind, re] of RAW_PATTERNS) {
    for (const m of text.matchAll(re)) {
      if (kind === 'vocabulary code' && !CODES.has(m[0])) continue;
      const at = m.index ?? 0;
      found.push(`${kind} "${m[0]}" in “…${text.slice(Math.max(0, at - 25), at + m[0].length + 25)}…”`);
    }
  }
  return found;
}

const SKIP = /^\/(api\/|logout|static\/)|\.(xlsx|csv|json|jsonld|zip|svg|png)(\?|$)|\/download\//;
const shapeOf = (path: string) => path.replace(/\?.*$/, (q) => `?${[...new URLSearchParams(q.slice(1)).keys()].sort().join('&')}`).replace(/\/[^/?]*\d[^/?]*/g, '/#');

async function walk(client: TestClient, starts: string[]): Promise<{ visited: string[]; problems: string[] }> {
  const queue = [...starts];
  const seen = new Set<string>();
  const shapes = new Map<string, number>();
  const problems = new Map<string, string>();
  const visited: string[] = [];
  while (queue.length && visited.length < MAX_PAGES) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const shape = shapeOf(path);
    if ((shapes.get(shape) ?? 0) >= PER_SHAPE && !starts.includes(path)) continue;
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    const reply = await client.get(path);
    if (reply.status !== 200 || !(reply.headers.get('content-type') ?? '').includes('html')) continue;
    visited.push(path);
    // One line per page shape and word, so a list of hundreds of rows reports a leak once.
    for (const p of rawCodesIn(visibleText(reply.text))) {
      const key = `${path.replace(/\?.*$/, '').replace(/\d+/g, '#')} ${/"([^"]*)"/.exec(p)![1]}`;
      if (!problems.has(key)) problems.set(key, `${path}: ${p}`);
    }
    for (const m of reply.text.matchAll(/<a\b[^>]*\bhref="([^"#]+)/g)) {
      const href = m[1]!.replace(/&amp;/g, '&');
      if (!href.startsWith('/') || href.startsWith('//') || SKIP.test(href)) continue;
      if (!seen.has(href)) queue.push(href);
    }
  }
  return { visited, problems: [...problems.values()] };
}

let server: TestServer;
/** The review pages of the decided, returned and expert-review items: linked from the queue, beyond PER_SHAPE. */
const reviewPages: string[] = [];
const dir = tempDir('raw-codes-');

beforeAll(async () => {
  // A campaign with a department's submission, one item decided (delegated), one returned, one with an expert.
  server = await startTestServer(demoDb(), { uploadsDir: join(dir, 'uploads') });
  const legal = server.client();
  await legal.login('legal');
  const dept = server.client();
  await dept.login('dept-xzsp');
  // Version 1 as the demo stands; version 2 after the admin corrects an item (a diff and an item history to read).
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第1版）', effectiveOn: '2026-01-01' });
  const admin = server.client();
  await admin.login('admin');
  const corrected = server.db.$client.prepare("SELECT code FROM items WHERE removed_at IS NULL AND promised_limit_days IS NOT NULL ORDER BY id LIMIT 1").pluck().get() as string;
  const current = (await admin.get(`/api/v1/items/${encodeURIComponent(corrected)}`)).json<Record<string, unknown>>();
  expect((await admin.postForm(`/workspace/items/${encodeURIComponent(corrected)}`, itemFormOf(current, { promisedLimitDays: '1', level: current.level === 'town' ? 'district' : 'town' }))).status).toBe(303);
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年第2版）', effectiveOn: '2026-07-01' });
  const existing = server.db.$client
    .prepare("SELECT i.code, i.name FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL ORDER BY i.id LIMIT 1")
    .get() as { code: string; name: string };
  expect((await legal.postForm('/review/campaigns', { name: '2026年行政权力清单清理', startsOn: '2026-11-01', dueOn: '2026-12-31' })).status).toBe(303);
  const sheet = await writeWorkbook(join(dir, 'xzsp.xlsx'), [
    {
      rows: [
        ['区行政审批局行政权力清单'],
        HEADER,
        [1, '', '新设的某某经营许可', '', '行政许可', '区行政审批局', '', '20个工作日', '', '不收费', '', ''],
        [2, existing.code, existing.name, '', '行政许可', '区行政审批局', '《中华人民共和国行政许可法》第十二条', '15个工作日', '10个工作日', '不收费', '身份证', ''],
        [3, '', '另一个新设事项登记', '', '行政确认', '区行政审批局', '《中华人民共和国道路运输条例》第二十四条', '', '', '', '', ''],
      ],
    },
  ]);
  const upload = await dept.postMultipart('/workspace/imports', {}, { name: 'xzsp.xlsx', bytes: readFileSync(sheet) });
  expect(upload.status).toBe(303);
  const importId = Number(/(\d+)$/.exec(upload.location!)![1]);
  for (let i = 0; i < 200; i++) {
    if ((await dept.get(`/api/v1/imports/${importId}`)).json().status !== 'reading') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect((await dept.postForm(`/workspace/imports/${importId}/confirm`, {})).status).toBe(303);
  const row = (name: string) =>
    server.db.$client.prepare('SELECT id, row_version AS rowVersion FROM submission_items WHERE name = ? ORDER BY id DESC LIMIT 1').get(name) as { id: number; rowVersion: number };
  const fresh = row('新设的某某经营许可');
  expect(
    (await legal.postForm(`/review/items/${fresh.id}/decide`, { rowVersion: String(fresh.rowVersion), disposition: 'cancel', reason: '没有法律、法规依据' })).status,
  ).toBe(303);
  const other = row('另一个新设事项登记');
  expect((await legal.postForm(`/review/items/${other.id}/return`, { rowVersion: String(other.rowVersion), request: '请补充设定依据的条款项' })).status).toBe(303);
  const decided = row(existing.name);
  expect(
    (await legal.postForm(`/review/items/${decided.id}/decide`, { rowVersion: String(decided.rowVersion), disposition: 'delegate', delegateLevel: 'town', delegateBody: '各街道办事处', reason: '就近办理' })).status,
  ).toBe(303);
  const changed = row(existing.name);
  const expertId = server.db.$client.prepare("SELECT id FROM users WHERE username = 'expert'").pluck().get() as number;
  expect((await legal.postForm(`/review/items/${changed.id}/experts`, { rowVersion: String(changed.rowVersion), expert: String(expertId) })).status).toBe(303);
  reviewPages.push(...[fresh.id, other.id, changed.id].map((id) => `/review/items/${id}`));
  // A draft changing coded fields (level, service objects) and a time limit: its review page shows them changed.
  const second = server.db.$client
    .prepare("SELECT i.code FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = 'XZSPJ' AND i.removed_at IS NULL AND i.code <> ? ORDER BY i.id LIMIT 1")
    .pluck()
    .get(existing.code) as string;
  const read = (await dept.get(`/api/v1/items/${encodeURIComponent(second)}`)).json<Record<string, unknown>>();
  const draft = await dept.sendJson(
    'PUT',
    `/api/v1/items/${encodeURIComponent(second)}`,
    { ...read, level: read.level === 'town' ? 'district' : 'town', serviceObjects: ['citizens', 'enterprises'], statutoryLimitDays: 20, promisedLimitDays: 15 },
    await dept.csrfToken(),
  );
  expect(draft.status).toBe(200);
  reviewPages.push(`/review/items/${draft.json<{ draft: { submissionItemId: number } }>().draft.submissionItemId}`);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('no raw codes on the pages people reach', () => {
  it('the page text check finds codes, field names and ISO times, but not codes inside attributes', () => {
    expect(rawCodesIn(visibleText('<td title="NO_BASIS">无设定依据</td><td>20 个工作日</td>'))).toEqual([]);
    expect(rawCodesIn(visibleText('<td>NO_BASIS</td>'))).toHaveLength(1);
    expect(rawCodesIn(visibleText('<td>promisedLimitDays</td><td>in_expert_review</td><td>district</td><td>2026-12-06T08:26:52.895Z</td>'))).toHaveLength(4);
  });

  for (const [role, username] of Object.entries(ROLES)) {
    it(`every page the ${role} reaches from the workspace and the menu shows no raw code, field name or ISO time`, async () => {
      const client = server.client();
      await client.login(username);
      const { visited, problems } = await walk(client, ['/workspace', ...reviewPages]);
      expect(visited.length).toBeGreaterThan(5);
      if (process.env.RAW_CODES_OUT) (await import('node:fs')).appendFileSync(process.env.RAW_CODES_OUT, `## ${role} ${visited.length}\n${visited.join('\n')}\n${problems.join('\n')}\n`);
      expect(problems, `${problems.length} raw words on ${visited.length} pages`).toEqual([]);
    }, 120_000);
  }
});
