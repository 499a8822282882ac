// `npx catalogue review list`: the review queue on the command line, as text and as JSON.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { main, type Io } from '../../../server/cli.js';
import { openDatabase } from '../../../db/client.js';
import { createCampaign, decideItems, type Reviewer } from '../../../server/review/service.js';
import { HEADER, writeWorkbook } from '../../support/sheets.js';
import { createReviewRepository } from '../../../db/queries/review/index.js';

let dir: string;
let path: string;

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' };
  const code = await main([...args, '--db', path], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
};

interface Listed {
  id: number;
  submission: number;
  department: string;
  name: string;
  kind: string;
  state: string;
  disposition: string | null;
  flags: string[];
  overridden: string[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-review-'));
  path = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), path);
  let db = openDatabase(path);
  const review = createReviewRepository(db);
  const legal = db.$client.prepare("SELECT id, username, role, department_id AS departmentId FROM users WHERE username = 'legal'").get() as Reviewer;
  createCampaign(review, legal, { name: '2026年清理', startsOn: '2026-11-01' });
  db.$client.close();
  const sheet = await writeWorkbook(join(dir, 'jt.xlsx'), [
    { rows: [HEADER, [1, '', '交通新设某某审批', '', '行政许可', '区交通运输局', '', '20个工作日', '', '不收费', '', '']] },
  ]);
  const quiet: Io = { out: () => undefined, err: () => undefined, readStdin: async () => '' };
  expect(await main(['import', sheet, '--department', 'JTYSJ', '--user', 'dept-jt', '--complete', '--db', path], quiet, {})).toBe(0);
  db = openDatabase(path);
  const fresh = db.$client.prepare("SELECT id, row_version FROM submission_items WHERE name = '交通新设某某审批'").get() as { id: number; row_version: number };
  decideItems(createReviewRepository(db), legal, [{ id: fresh.id, rowVersion: fresh.row_version }], { disposition: 'cancel', reason: '没有设定依据' });
  db.$client.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('review list', () => {
  it('--json lists the queue with department, kind, state, disposition and flag rule codes', async () => {
    const r = await run(['review', 'list', '--json']);
    expect(r.code).toBe(0);
    const { items } = JSON.parse(r.out) as { items: Listed[] };
    expect(items.length).toBeGreaterThan(1);
    expect(items.every((i) => i.department === 'JTYSJ')).toBe(true);
    const fresh = items.find((i) => i.name === '交通新设某某审批')!;
    expect(fresh).toMatchObject({ kind: 'new', state: 'decided', disposition: 'cancel', submission: expect.any(Number) });
    expect(fresh.flags).toContain('NO_BASIS');
    expect(items.filter((i) => i.kind === 'remove').every((i) => i.state === 'submitted' && i.disposition === null)).toBe(true);
  });

  it('--state and --department filter; a department with nothing in the queue lists nothing', async () => {
    const decided = JSON.parse((await run(['review', 'list', '--state', 'decided', '--json'])).out) as { items: Listed[] };
    expect(decided.items.map((i) => i.name)).toEqual(['交通新设某某审批']);
    const own = JSON.parse((await run(['review', 'list', '--department', 'jtysj', '--state', 'submitted', '--json'])).out) as { items: Listed[] };
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((i) => i.state === 'submitted')).toBe(true);
    expect(JSON.parse((await run(['review', 'list', '--department', 'RSJ', '--json'])).out)).toEqual({ items: [] });
  });

  it('prints one line per item for people, with Chinese state and disposition names', async () => {
    const r = await run(['review', 'list', '--state', 'decided']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('审核队列中共 1 项（已决定）');
    expect(r.out).toMatch(/#\d+\t申报#\d+\tJTYSJ\t交通新设某某审批\t新增\t已决定\t取消\t\[[^\]]*NO_BASIS/);
  });

  it('an unknown state or department is refused in Chinese with exit code 1', async () => {
    const state = await run(['review', 'list', '--state', 'approved']);
    expect(state.code).toBe(1);
    expect(state.err).toContain('未知的审核状态：approved');
    expect(state.err).toContain('decided（已决定）');
    const dept = await run(['review', 'list', '--department', 'NOPE']);
    expect(dept.code).toBe(1);
    expect(dept.err).toContain('部门编码 NOPE 不存在');
    expect((await run(['review', 'frobnicate'])).code).toBe(2);
  });
});
