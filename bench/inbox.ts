// The inbox's counts at scale: a million proposals under review (a complete list from every
// department), a million check findings and a million audit entries; each count timed exact (the inbox
// page) and capped (the menu's badges on every page). Prints milliseconds per count.
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/client.js';
import { createInboxRepository, EXACT } from '../db/queries/inbox.js';
import { NEEDS_EXPERTS, BADGE_CAP, localToday } from '../server/workspace/inbox.js';

const N = Number(process.env.INBOX_BENCH_ITEMS ?? 1_000_000);
const db = openDatabase(':memory:', { registry: false });
const sqlite = db.$client;
/** SQLite's generate_series is not built in: the numbers 1..n as a recursive CTE. */
const series = (n: number) => `WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < ${n}) `;

sqlite.exec(`${series(40)}INSERT INTO departments (code, name) SELECT 'D' || value, '部门' || value FROM g`);
sqlite.exec(`INSERT INTO users (username, display_name, password_hash, role) VALUES ('expert', '专家', 'x', 'expert')`);
const t0 = performance.now();
sqlite.exec(`${series(400)}INSERT INTO submissions (department_id, source, state, created_by) SELECT (value % 40) + 1, 'upload', 'submitted', 'x' FROM g`);
sqlite.exec(`${series(N)}INSERT INTO submission_items (submission_id, kind, name, state, disposition)
  SELECT (value % 400) + 1, CASE value % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'change' ELSE 'remove' END, 'item ' || value,
         CASE WHEN (value / 400) % 100 < 70 THEN 'submitted' WHEN (value / 400) % 100 < 80 THEN 'final' WHEN (value / 400) % 100 < 88 THEN 'decided'
              WHEN (value / 400) % 100 < 93 THEN 'in_expert_review' WHEN (value / 400) % 100 < 96 THEN 'under_review' WHEN (value / 400) % 100 < 98 THEN 'returned' ELSE 'draft' END,
         CASE value % 4 WHEN 0 THEN 'cancel' WHEN 1 THEN 'retain' WHEN 2 THEN 'new' ELSE 'delegate' END
    FROM g`);
sqlite.exec(`INSERT INTO expert_reviews (submission_item_id, expert_id, assigned_by, answered_at)
  SELECT id, 1, 'x', CASE WHEN id % 2 = 0 THEN '2026-12-01' END FROM submission_items WHERE state = 'in_expert_review'`);
sqlite.exec(`${series(1000)}INSERT INTO items (code, name, category, department_id) SELECT 'C' || value, 'n' || value, 'permit', (value % 40) + 1 FROM g`);
sqlite.exec(`${series(N)}INSERT INTO item_flags (item_id, rule, severity, message, suggestion, suggestion_text, ground, checked_at)
  SELECT (value % 1000) + 1, CASE value % 5 WHEN 0 THEN 'UNKNOWN_INSTRUMENT' ELSE 'NO_BASIS' END, 'warning', '', '', '', '', '2026' FROM g`);
sqlite.exec(`${series(N)}INSERT INTO audit_log (at, actor, action, entity_type, prev_hash, hash)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ((${N} - value) / 10) || ' minutes'), 'x', 'a', 'item', '', '' FROM g`);
sqlite.exec('ANALYZE');
console.log(`filled ${N} proposals, findings and audit entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const repo = createInboxRepository(db);
const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
const counts: [string, (cap: number) => number][] = [
  ['submitted (every department)', (cap) => repo.itemsInState('submitted', null, cap)],
  ['returned (one department)', (cap) => repo.itemsInState('returned', 7, cap)],
  ['drafts (one department)', (cap) => repo.itemsInState('draft', 7, cap)],
  ['opinions to handle', (cap) => repo.opinionsToHandle(cap)],
  ['awaiting the expert', (cap) => repo.awaitingOpinion(1, cap)],
  ['ready to finalise', (cap) => repo.readyToFinalise(NEEDS_EXPERTS, cap)],
  ['unregistered basis', (cap) => repo.flagsOfRule('UNKNOWN_INSTRUMENT', cap)],
  ['audit entries, 7 days', (cap) => repo.auditSince(since, cap)],
];
const INBOX_CAP = Number(process.env.INBOX_PAGE_CAP ?? 10_000);
const time = (f: () => number) => {
  f();
  const start = performance.now();
  let n = 0;
  for (let i = 0; i < 3; i++) n = f();
  return { ms: (performance.now() - start) / 3, n };
};
console.log(`today ${localToday()}; count: exact | capped at ${INBOX_CAP} (inbox page) | capped at ${BADGE_CAP + 1} (menu badge)`);
for (const [name, f] of counts) {
  const exact = time(() => f(EXACT));
  const page = time(() => f(INBOX_CAP));
  const capped = time(() => f(BADGE_CAP + 1));
  console.log(
    `${name.padEnd(30)} ${String(exact.n).padStart(8)} in ${exact.ms.toFixed(1).padStart(7)} ms | ${String(page.n).padStart(6)} in ${page.ms.toFixed(1).padStart(6)} ms | ${String(capped.n).padStart(4)} in ${capped.ms.toFixed(2)} ms`,
  );
}
