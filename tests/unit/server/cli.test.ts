// The command line, run in-process on real database files (and once through bin/catalogue.js).
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { main, type Io } from '../../../server/cli.js';
import { openDatabase } from '../../../db/client.js';
import { prepareDatabase } from '../../../server/bootstrap.js';

let dir: string;
let demoPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-'));
  demoPath = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), demoPath);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function capture(stdin = ''): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), readStdin: async () => stdin };
}
const run = async (args: string[], stdin = '') => {
  const io = capture(stdin);
  const code = await main(args, io, {});
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
};

describe('catalogue command line', () => {
  it('stats --json counts the demo district by department and category', async () => {
    const r = await run(['stats', '--json', '--db', demoPath]);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.out);
    expect(stats.items).toBe(1135);
    expect(stats.departments).toBe(34);
    expect(Object.values(stats.byCategory as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(1135);
    expect(stats.byDepartment.find((d: { name: string }) => d.name === '区行政审批局').itemCount).toBe(344);
  });

  it('department add creates a department, refuses a duplicate code, and audits it', async () => {
    expect((await run(['department', 'add', '--code', 'ybj', '--name', '区医保中心', '--db', demoPath])).code).toBe(0);
    const dup = await run(['department', 'add', '--code', 'YBJ', '--name', '别的名字', '--db', demoPath]);
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('部门编码 YBJ 已存在');
    const db = openDatabase(demoPath);
    expect(db.$client.prepare("SELECT name, level FROM departments WHERE code = 'YBJ'").get()).toEqual({ name: '区医保中心', level: 'district' });
    expect(db.$client.prepare("SELECT actor FROM audit_log WHERE action = 'department.create' AND entity_id = 'YBJ'").get()).toMatchObject({
      actor: expect.stringMatching(/^cli:/),
    });
  });

  it('user add needs a department for a department user, and takes a password from stdin', async () => {
    const missing = await run(['user', 'add', '--username', 'clerk1', '--role', 'department', '--db', demoPath]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('部门用户必须指定所属部门');
    const ok = await run(['user', 'add', '--username', 'clerk1', '--role', 'department', '--department', 'RSJ', '--password-stdin', '--db', demoPath], 'a-long-password\n');
    expect(ok.code).toBe(0);
    const generated = await run(['user', 'add', '--username', 'boss', '--role', 'supervisor', '--json', '--db', demoPath]);
    expect(JSON.parse(generated.out).password).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('seed --demo refuses a database that already holds data and changes nothing', async () => {
    const r = await run(['seed', '--demo', '--db', demoPath]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('未做任何改动');
  });

  it('an unknown command or option prints usage and exits 2', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['stats', '--nope'])).code).toBe(2);
  });

  it('audit verify passes on an intact log and fails after a row is altered with the sqlite3 shell', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/catalogue.js', ...args, '--db', demoPath], { encoding: 'utf8' });
    const ok = cli('audit', 'verify');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('审计日志完整');
    execFileSync('sqlite3', [demoPath, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone' WHERE seq = 2;"]);
    const broken = cli('audit', 'verify');
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('第 2 条记录的内容与其哈希不符');
  }, 30_000);
});

describe('first start and restart', () => {
  it('restarting keeps all data and seeds nothing over it', async () => {
    const db = openDatabase(demoPath);
    const before = db.$client.prepare('SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM legal_instruments) AS laws').get();
    db.$client.prepare("UPDATE items SET remarks = '重启前的修改' WHERE id = 1").run();
    db.$client.close();
    const again = openDatabase(demoPath);
    const result = await prepareDatabase(again, { demo: true });
    expect(result.demo).toBeNull();
    expect(result.registry).toEqual({ national: 0, local: 0, department: 0 });
    expect(again.$client.prepare('SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM legal_instruments) AS laws').get()).toEqual(before);
    expect(again.$client.prepare('SELECT remarks FROM items WHERE id = 1').get()).toEqual({ remarks: '重启前的修改' });
  });

  it('CATALOGUE_DEMO=0 starts with the registry but no demo catalogue or accounts', async () => {
    const db = openDatabase(join(dir, 'empty.db'));
    const result = await prepareDatabase(db, { demo: false });
    // Opening the database loaded the registry already (every migrated database holds it).
    expect(result.registry).toEqual({ national: 0, local: 0, department: 0 });
    expect(db.$client.prepare('SELECT count(*) AS n FROM legal_instruments').get()).toEqual({ n: 1270 + 1915 + 127 });
    expect(db.$client.prepare('SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM users) AS users').get()).toEqual({ items: 0, users: 0 });
  });

  it('the database file runs in WAL mode with foreign keys on and a busy timeout', () => {
    const db = openDatabase(join(dir, 'pragmas.db'));
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});

describe('catalogue import', () => {
  const sheet = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const CSV = '\ufeff区交通运输局清单\n事项名称,事项类型,设定依据,承诺时限\n道路货物运输经营许可,行政许可,《中华人民共和国道路运输条例》第二十四条,5个工作日\n新的事项,许可,,即办\n,行政许可,,\n';

  it('--dry-run --json reports rows, items, errors, new, changed, missing and noBasis and saves nothing', async () => {
    const before = openDatabase(demoPath).$client.prepare('SELECT (SELECT count(*) FROM imports) AS i, (SELECT count(*) FROM audit_log) AS a').get();
    const r = await run(['import', sheet('a.csv', CSV), '--department', 'JTYSJ', '--dry-run', '--complete', '--json', '--db', demoPath]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ rows: 3, items: 2, new: 1, noBasis: 1, errors: [{ sheet: 'CSV', row: 5, column: '事项名称', message: '缺少事项名称' }] });
    expect(report.changed + report.unchanged).toBe(1);
    expect(report.missing).toBe(106);
    expect(openDatabase(demoPath).$client.prepare('SELECT (SELECT count(*) FROM imports) AS i, (SELECT count(*) FROM audit_log) AS a').get()).toEqual(before);
  });

  it('a refused file exits 2 with the reason on stderr; so does a file without a header row', async () => {
    const pdf = await run(['import', sheet('x.xlsx', '%PDF-1.4 nothing'), '--dry-run', '--db', demoPath]);
    expect(pdf.code).toBe(2);
    expect(pdf.err).toContain('PDF');
    const noHeader = await run(['import', sheet('y.csv', '甲,乙\n1,2\n'), '--dry-run', '--db', demoPath]);
    expect(noHeader.code).toBe(2);
    expect(noHeader.err).toContain('找不到表头');
  });

  it('a list every row of which is an error submits nothing: exit 1, the reason on stderr, no submission', async () => {
    const db = openDatabase(demoPath);
    const count = () => db.$client.prepare('SELECT (SELECT count(*) FROM submissions) AS s, (SELECT count(*) FROM import_rows) AS r').get();
    const before = count();
    const r = await run(['import', sheet('errors.csv', '事项名称,事项类型\n,行政许可\n,行政处罚\n'), '--department', 'JTYSJ', '--user', 'dept-jt', '--complete', '--db', demoPath]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('文件中没有可以申报的事项');
    expect(r.err).toContain('未保存任何内容。');
    // Not a word about mapping departments: none is unknown.
    expect(r.err).not.toContain('--map');
    expect(count()).toEqual(before);
    db.$client.close();
  });

  it('--baseline is refused to a department user and loads straight into the catalogue for the legal office, audited', async () => {
    const path = sheet('b.csv', CSV);
    const dept = await run(['import', path, '--baseline', '--user', 'dept-jt', '--db', demoPath]);
    expect(dept.code).toBe(1);
    expect(dept.err).toContain('只有法制办和管理员');
    const ok = await run(['import', path, '--baseline', '--department', 'JTYSJ', '--user', 'legal', '--json', '--db', demoPath]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).applied).toEqual({ created: 1, updated: 1 });
    const db = openDatabase(demoPath);
    expect(db.$client.prepare("SELECT i.promised_limit_days, d.code FROM items i JOIN departments d ON d.id = i.department_id WHERE i.name = '新的事项'").get()).toEqual({
      promised_limit_days: 0,
      code: 'JTYSJ',
    });
    expect(db.$client.prepare("SELECT actor FROM audit_log WHERE action = 'import.baseline'").get()).toEqual({ actor: 'legal' });
  });

  it('without --complete a file is part of the list: nothing it lacks is proposed, and the report says so', async () => {
    const r = await run(['import', sheet('p.csv', CSV), '--user', 'dept-jt', '--db', demoPath]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('按“部分事项”导入');
    expect(r.out).not.toContain('清单中缺少');
    const db = openDatabase(demoPath);
    const sub = db.$client.prepare('SELECT id FROM submissions ORDER BY id DESC LIMIT 1').get() as { id: number };
    expect(db.$client.prepare("SELECT count(*) AS n FROM submission_items WHERE submission_id = ? AND kind = 'remove'").get(sub.id)).toEqual({ n: 0 });
  });

  it('--complete proposes cancelling what the file lacks, with the reason, and --complete with --partial is refused', async () => {
    const both = await run(['import', sheet('q.csv', CSV), '--user', 'dept-jt', '--complete', '--partial', '--db', demoPath]);
    expect(both.code).toBe(2);
    const r = await run(['import', sheet('r.csv', CSV), '--user', 'dept-jt', '--complete', '--json', '--db', demoPath]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.complete).toBe(true);
    const db = openDatabase(demoPath);
    const removals = db.$client
      .prepare("SELECT count(*) AS n, min(proposed_disposition) AS d FROM submission_items WHERE submission_id = ? AND kind = 'remove'")
      .get(report.submissions[0].id) as { n: number; d: string };
    expect(removals).toEqual({ n: report.missing, d: 'cancel' });
    expect(report.missing).toBeGreaterThan(100);
  });

  it('a saved import’s --json report lists every error and warning with sheet, row, column and cell, in row order, as a dry run does', async () => {
    // Rows with several issues each, one with none, a cell with quotes, a backslash and a line break.
    const csv =
      '\ufeff区交通运输局清单\n事项名称,事项类型,实施主体,承诺时限\n' +
      `${'长'.repeat(230)},另一种权力,区教育局,5个工作日\n` +
      '道路货物运输经营许可,行政许可,区交通运输局,5个工作日\n' +
      ',行政许可,,\n' +
      '"引号""与\\反斜杠\n换行",其他类型,"区""教育""局",即办\n';
    const path = sheet('issues.csv', csv);
    const dry = JSON.parse((await run(['import', path, '--user', 'dept-jt', '--dry-run', '--json', '--db', demoPath])).out);
    const saved = await run(['import', path, '--user', 'dept-jt', '--json', '--db', demoPath]);
    expect(saved.code).toBe(0);
    const report = JSON.parse(saved.out);
    expect(report.warnings.length).toBeGreaterThanOrEqual(4);
    expect(report.errors.length).toBeGreaterThanOrEqual(1);
    expect(report.warnings.map((w: { row: number }) => w.row)).toEqual([...report.warnings.map((w: { row: number }) => w.row)].sort((a, b) => a - b));
    expect(report.warnings.some((w: { cell?: string }) => w.cell === '区"教育"局')).toBe(true);
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: dry.errors, warnings: dry.warnings });
    expect(Object.keys(report.warnings[0])).toEqual(['sheet', 'row', ...Object.keys(dry.warnings[0]).slice(2)]);
  });

  it('the report on screen shows the first 50 errors and warnings of each kind and says how many there are in all', async () => {
    // 60 rows of another department (a warning each), 55 rows without a name (an error each).
    const rows = [...Array.from({ length: 60 }, (_, i) => `第${i + 1}项许可,行政许可,区教育局,5`), ...Array.from({ length: 55 }, () => ',行政许可,区交通运输局,5')];
    const path = sheet('many.csv', `\ufeff事项名称,事项类型,实施主体,承诺时限\n${rows.join('\n')}\n`);
    const r = await run(['import', path, '--user', 'dept-jt', '--db', demoPath]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.filter((l) => l.startsWith('  错误 '))).toHaveLength(50);
    expect(lines.filter((l) => l.startsWith('  提示 ')).length).toBe(50);
    expect(lines).toContain('  ……共 55 条错误');
    expect(lines.some((l) => /^ {2}……共 6\d 条提示$/.test(l))).toBe(true);
    expect(lines.find((l) => l.startsWith('  提示 '))).toContain('第 2 行');
  });

  it('without a flag the file becomes a submission of the user’s department', async () => {
    const r = await run(['import', sheet('c.csv', CSV), '--user', 'dept-jt', '--json', '--db', demoPath]);
    expect(r.code).toBe(0);
    const { submissions } = JSON.parse(r.out);
    expect(submissions).toHaveLength(1);
    const db = openDatabase(demoPath);
    expect(db.$client.prepare('SELECT s.state, d.code FROM submissions s JOIN departments d ON d.id = s.department_id WHERE s.id = ?').get(submissions[0].id)).toEqual({
      state: 'submitted',
      code: 'JTYSJ',
    });
  });
});
