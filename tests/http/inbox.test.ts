// The inbox on 工作台 (issue 16.5): each person is shown what waits for them, counted by rule, each count
// linking to a list that holds exactly what was counted; the menu carries the counts as badges.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';

let server: TestServer;
const clients: Record<string, TestClient> = {};

interface InboxItem {
  key: string;
  title: string;
  count: number | null;
  detail: string | null;
  url: string;
}

const sql = (text: string) => server.db.$client.prepare(text);
const idOf = (table: string, column: string, value: string) => sql(`SELECT id FROM ${table} WHERE ${column} = ?`).pluck().get(value) as number;

/** One submission of a department holding items in the given states (and dispositions). */
function submission(departmentCode: string, items: { state: string; kind?: string; disposition?: string; closed?: string }[]): number[] {
  const departmentId = idOf('departments', 'code', departmentCode);
  const submissionId = Number(
    sql("INSERT INTO submissions (department_id, source, state, created_by) VALUES (?, 'form', ?, 'test')").run(departmentId, items[0]!.state).lastInsertRowid,
  );
  return items.map(
    (i, n) =>
      Number(
        sql('INSERT INTO submission_items (submission_id, kind, name, state, disposition, expert_review_closed_reason) VALUES (?, ?, ?, ?, ?, ?)').run(
          submissionId,
          i.kind ?? 'change',
          `${departmentCode}-${i.state}-${n}`,
          i.state,
          i.disposition ?? null,
          i.closed ?? null,
        ).lastInsertRowid,
      ),
  );
}

function assign(itemId: number, expertId: number, opts: { answered?: boolean; handled?: boolean } = {}) {
  sql('INSERT INTO expert_reviews (submission_item_id, expert_id, assigned_by, opinion, answered_at, handling, handled_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    itemId,
    expertId,
    'legal',
    opts.answered ? 'agree' : null,
    opts.answered ? '2026-12-01T00:00:00.000Z' : null,
    opts.handled ? '采纳' : null,
    opts.handled ? '2026-12-02T00:00:00.000Z' : null,
  );
}

const inbox = async (who: string) => (await clients[who]!.get('/api/v1/inbox')).json<{ items: InboxItem[] }>().items;
const row = (items: InboxItem[], key: string) => items.find((i) => i.key === key);
const queueTotal = async (who: string, url: string) => {
  const page = await clients[who]!.get(url);
  expect(page.status, url).toBe(200);
  return Number(/id="total">(\d+)</.exec(page.text)![1]);
};

beforeAll(async () => {
  server = await startTestServer(demoDb());
  for (const who of ['legal', 'dept-xzsp', 'dept-rsj', 'expert', 'supervisor', 'admin']) {
    clients[who] = server.client();
    await clients[who].login(who);
  }
  const expert = idOf('users', 'username', 'expert');
  const otherExpert = Number(
    sql("INSERT INTO users (username, display_name, password_hash, role) VALUES ('expert-2', '另一位专家', 'x', 'expert')").run().lastInsertRowid,
  );
  sql("INSERT INTO campaigns (name, starts_on, judged_at, due_on, created_by) VALUES ('2026年清理', '2026-11-01', '2026-11-01', '2099-12-31', 'legal')").run();

  // 区行政审批局: 2 submitted, 1 resubmitted, 2 returned, 1 draft, 1 under review.
  submission('XZSPJ', [{ state: 'submitted' }, { state: 'submitted' }, { state: 'resubmitted' }, { state: 'returned' }, { state: 'returned' }, { state: 'under_review' }]);
  submission('XZSPJ', [{ state: 'draft' }]);
  // 区人社局: 1 submitted, 1 returned, 3 drafts.
  submission('RSJ', [{ state: 'submitted' }, { state: 'returned' }, { state: 'draft' }, { state: 'draft' }, { state: 'draft' }]);
  // Decided: cancel needs no experts (ready); retain of a change needs them (not ready).
  submission('RSJ', [
    { state: 'decided', kind: 'change', disposition: 'cancel' },
    { state: 'decided', kind: 'change', disposition: 'retain' },
    { state: 'decided', kind: 'remove', disposition: 'retain' },
  ]);
  // In expert review: answered by all (ready, one opinion unhandled), one expert pending (not ready),
  // closed by the legal office with a reason (ready), answered and handled (ready, nothing to handle).
  const [allAnswered, pending, closed, handled] = submission('XZSPJ', [
    { state: 'in_expert_review', kind: 'new', disposition: 'new' },
    { state: 'in_expert_review', kind: 'new', disposition: 'new' },
    { state: 'in_expert_review', kind: 'new', disposition: 'new', closed: '专家未按期回复' },
    { state: 'in_expert_review', kind: 'change', disposition: 'delegate' },
  ]);
  assign(allAnswered!, expert, { answered: true });
  assign(pending!, expert, { answered: true, handled: true });
  assign(pending!, otherExpert);
  assign(closed!, otherExpert);
  assign(handled!, expert, { answered: true, handled: true });
  // One more assignment waiting for the expert signed in, on another department's item.
  const [waiting] = submission('RSJ', [{ state: 'in_expert_review', kind: 'new', disposition: 'new' }]);
  assign(waiting!, expert);
});
afterAll(async () => {
  await server.close();
});

describe('the legal office', () => {
  it('is shown what waits for review across departments, opinions to handle and items ready to finalise, with counts', async () => {
    const items = await inbox('legal');
    expect(row(items, 'submitted')?.count).toBe(3);
    expect(row(items, 'resubmitted')?.count).toBe(1);
    expect(row(items, 'underReview')?.count).toBe(1);
    // Answered and not handled: the one opinion on `allAnswered`.
    expect(row(items, 'opinionsToHandle')?.count).toBe(1);
    // Decided cancel and the removal kept (neither needs experts) + allAnswered + closed + handled.
    expect(row(items, 'readyToFinalise')?.count).toBe(5);
    expect(row(items, 'unregisteredBasis')).toBeDefined();
    expect(items.map((i) => i.key)).not.toContain('returned');
    expect(items.map((i) => i.key)).not.toContain('awaitingOpinion');
  });

  it('each count links to a list holding exactly what was counted', async () => {
    for (const item of await inbox('legal')) {
      if (item.url.startsWith('/review/queue')) expect(await queueTotal('legal', item.url), item.key).toBe(item.count);
    }
    const flags = row(await inbox('legal'), 'unregisteredBasis')!;
    expect(flags.url).toBe('/workspace/flags?rule=UNKNOWN_INSTRUMENT');
    const unknown = sql("SELECT count(*) FROM item_flags WHERE rule = 'UNKNOWN_INSTRUMENT'").pluck().get() as number;
    expect(flags.count).toBe(unknown);
  });

  it('工作台 lists the rows in Chinese with their counts, and the menu carries the review badge', async () => {
    const page = await clients.legal!.get('/workspace');
    expect(page.text).toContain('新申报待审核');
    expect(page.text).toContain('可以定稿');
    expect(page.text).toMatch(/href="\/review\/queue\?waiting(=|&#x3D;)finalise">\s*<span class="inbox-title">可以定稿<\/span>\s*<span class="inbox-count"><strong>5<\/strong>/);
    // 3 + 1 + 1 + 1 + 5 waiting in review: the 申报审核 entry's badge.
    expect(page.text).toMatch(/>申报审核<\/a> <span class="count"><span class="visually-hidden">待办<\/span>11<\/span>/);
  });
});

describe('a department', () => {
  it('sees only its own returned items and drafts, and its deadline', async () => {
    const own = await inbox('dept-xzsp');
    expect(row(own, 'returned')?.count).toBe(2);
    expect(row(own, 'drafts')?.count).toBe(1);
    expect(row(own, 'deadline')?.detail).toMatch(/^2026年清理：2099-12-31（还有 \d+ 天）$/);
    const other = await inbox('dept-rsj');
    expect(row(other, 'returned')?.count).toBe(1);
    expect(row(other, 'drafts')?.count).toBe(3);
    expect(own.map((i) => i.key)).not.toContain('submitted');
    expect(own.map((i) => i.key)).not.toContain('readyToFinalise');
  });

  it('the returned row links to its own returned items only', async () => {
    expect(await queueTotal('dept-xzsp', row(await inbox('dept-xzsp'), 'returned')!.url)).toBe(2);
    expect(await queueTotal('dept-rsj', row(await inbox('dept-rsj'), 'returned')!.url)).toBe(1);
  });

  it('its menu badge counts its own returned items and drafts', async () => {
    const page = await clients['dept-xzsp']!.get('/workspace');
    expect(page.text).toMatch(/>本部门申报<\/a> <span class="count"><span class="visually-hidden">待办<\/span>3<\/span>/);
  });
});

describe('an expert', () => {
  it('sees only the assignments still waiting for their own opinion, and the link lists exactly those', async () => {
    const items = await inbox('expert');
    expect(items.map((i) => i.key)).toEqual(['awaitingOpinion']);
    expect(items[0]!.count).toBe(1);
    expect(await queueTotal('expert', items[0]!.url)).toBe(1);
  });
});

describe('the supervisor', () => {
  it('sees the recent actions of the last 7 days, linking to the audit log from that day', async () => {
    const items = await inbox('supervisor');
    expect(items.map((i) => i.key)).toEqual(['recentActions']);
    expect(items[0]!.url).toMatch(/^\/audit\?from=\d{4}-\d{2}-\d{2}$/);
    const from = new URL(items[0]!.url, 'http://x').searchParams.get('from')!;
    const since = new Date(`${from}T00:00:00+08:00`).toISOString();
    expect(items[0]!.count).toBe(sql('SELECT count(*) FROM audit_log WHERE at >= ?').pluck().get(since));
    expect(items[0]!.count).toBeGreaterThan(0); // the logins of this test at least
  });
});

describe('the menu', () => {
  it('shows each role only the groups and pages it may use', async () => {
    const expertPage = (await clients.expert!.get('/workspace')).text;
    expect(expertPage).toContain('>专家评审</a>');
    expect(expertPage).not.toContain('>申报审核</a>');
    expect(expertPage).not.toContain('>审计日志</a>');
    expect(expertPage).not.toContain('data-group="manage"');
    const deptPage = (await clients['dept-xzsp']!.get('/workspace')).text;
    expect(deptPage).not.toContain('>发布版本</a>');
    expect(deptPage).not.toContain('>检查问题</a>');
    const adminPage = (await clients.admin!.get('/workspace')).text;
    for (const group of ['catalogue', 'cleanup', 'publish', 'manage']) expect(adminPage).toContain(`data-group="${group}"`);
    expect(adminPage).toContain('>账号管理</a>');
  });
});
