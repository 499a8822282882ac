// Backup and restore on real files: a backup taken while another process writes restores elsewhere and
// passes every check; a damaged or altered backup is refused in Chinese and replaces nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { inject } from 'vitest';
import { main, type Io } from '../../server/cli.js';
import { openDatabase } from '../../db/client.js';
import { verifyAuditLog } from '../../db/audit.js';
import { verifyVersion } from '../../server/publication/publish.js';
import { OPERATIONS } from '../../server/domain/labels.js';
import { defaultConfig } from '../../server/config.js';
import { pruneBackups, scheduleBackups, scheduledBackups } from '../../server/operations/schedule.js';

let dir: string;
/** The source database: the demo district, one published version, one archived upload. */
let source: string;
let backup: string;

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' };
  const code = await main(args, io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'backup-'));
  source = join(dir, 'live', 'catalogue.db');
  mkdirSync(join(dir, 'live'));
  copyFileSync(inject('demoDbPath'), source);
  expect((await run(['publish', '--title', '第一版', '--db', source])).code).toBe(0);
  // An accepted upload, archived in live/uploads/ (a whole-catalogue import by the legal office).
  const imported = await run(['import', join(import.meta.dirname, '../fixtures/department-excel.xlsx'), '--user', 'legal', '--db', source]);
  expect(imported.err).not.toMatch(/文件未被接受/);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup and restore', () => {
  it('a backup taken during a stream of writes restores on another path and passes integrity, audit and version checks', async () => {
    // Another process adds departments, one committed transaction each, and says which it committed.
    const writer = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support/write-stream.ts'), source, '3000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acknowledged: string[] = [];
    writer.stdout.on('data', (c: Buffer) => (acknowledged = acknowledged.concat(c.toString().split('\n').filter(Boolean))));
    while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 20));
    const before = [...acknowledged];
    backup = join(dir, 'backups', 'b1');
    const taken = await run(['backup', '--out', backup, '--db', source]);
    expect(taken.code).toBe(0);
    expect(taken.out).toContain('已备份到');
    const after = [...acknowledged];
    await new Promise((r) => writer.on('exit', r));
    expect(acknowledged.length).toBeGreaterThan(after.length); // the writes went on after the backup

    expect(readdirSync(join(backup, 'uploads')).length).toBe(1);
    const target = join(dir, 'elsewhere', 'restored.db');
    const restored = await run(['restore', '--from', backup, '--db', target]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toContain('完整性检查、审计日志和全部已发布版本的哈希均已通过');

    const db = openDatabase(target);
    try {
      expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(verifyAuditLog(db).ok).toBe(true);
      expect(verifyVersion(db, 1).ok).toBe(true);
      // Every write acknowledged before the backup started is in it; none after it ended.
      const codes = new Set((db.$client.prepare("SELECT code FROM departments WHERE code GLOB 'WS[0-9]*'").all() as { code: string }[]).map((d) => d.code));
      for (const code of before) expect(codes.has(code)).toBe(true);
      for (const code of codes) expect(after).toContain(code);
      // The uploads came along, under the path the database names relative to the uploads folder.
      const upload = db.$client.prepare('SELECT stored_path AS path, sha256 FROM uploads').get() as { path: string; sha256: string };
      expect(upload.path).toBe(`${upload.sha256.slice(0, 2)}/${upload.sha256}.xlsx`);
      expect(sha(join(dir, 'elsewhere', 'uploads', upload.path))).toBe(upload.sha256);
    } finally {
      db.$client.close();
    }
  }, 60_000);

  it('a damaged backup is refused in Chinese and replaces nothing', async () => {
    const damaged = join(dir, 'backups', 'damaged');
    cpSync(backup, damaged, { recursive: true });
    const file = join(damaged, 'catalogue.db');
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 400_000, 420_000);
    writeFileSync(file, bytes);
    const target = join(dir, 'elsewhere', 'restored.db');
    const kept = sha(target);
    const r = await run(['restore', '--from', damaged, '--db', target]);
    expect(r.code).toBe(1);
    // Damage that the integrity check finds, or damage in a page read on opening: refused either way.
    expect([OPERATIONS.restoreDamaged, OPERATIONS.restoreNotADatabase].some((m) => r.err.includes(m))).toBe(true);
    expect(sha(target)).toBe(kept);
    expect(readdirSync(join(dir, 'elsewhere')).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
  });

  it('a backup whose audit log or published version was altered is refused and replaces nothing', async () => {
    const target = join(dir, 'elsewhere', 'restored.db');
    const kept = sha(target);
    const altered = join(dir, 'backups', 'altered-audit');
    cpSync(backup, altered, { recursive: true });
    const a = new Database(join(altered, 'catalogue.db'));
    a.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone' WHERE seq = 2;");
    a.close();
    const r1 = await run(['restore', '--from', altered, '--db', target]);
    expect(r1.code).toBe(1);
    expect(r1.err).toContain(OPERATIONS.restoreAuditBroken);

    const version = join(dir, 'backups', 'altered-version');
    cpSync(backup, version, { recursive: true });
    const v = new Database(join(version, 'catalogue.db'));
    const triggers = v.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'item_revisions'").all() as { name: string }[];
    for (const t of triggers) v.exec(`DROP TRIGGER "${t.name}"`);
    v.exec("UPDATE item_revisions SET content = ' ' || content WHERE rowid = (SELECT min(rowid) FROM item_revisions)");
    v.close();
    const r2 = await run(['restore', '--from', version, '--db', target]);
    expect(r2.code).toBe(1);
    expect(r2.err).toContain('第 1 版目录的内容与发布时的 SHA-256 不符');
    expect(sha(target)).toBe(kept);
  });

  it('a restore over a database in use is refused: the server must be stopped first', async () => {
    const target = join(dir, 'elsewhere', 'restored.db');
    const inUse = openDatabase(target);
    try {
      const kept = sha(target);
      const r = await run(['restore', '--from', backup, '--db', target]);
      expect(r.code).toBe(3);
      expect(r.err).toContain('正在被使用');
      expect(sha(target)).toBe(kept);
    } finally {
      inUse.$client.close();
    }
  });

  it('a backup never overwrites an existing folder', async () => {
    const r = await run(['backup', '--out', backup, '--db', source]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('已存在');
  });

  it('scheduled backups are taken when the newest is older than the interval, and only the newest BACKUP_KEEP are kept', async () => {
    const folder = join(dir, 'scheduled');
    mkdirSync(folder);
    for (const name of ['catalogue-2026-01-01T00-00-00Z', 'catalogue-2026-01-02T00-00-00Z', 'catalogue-2026-01-03T00-00-00Z']) {
      mkdirSync(join(folder, name));
      writeFileSync(join(folder, name, 'backup.json'), '{}');
    }
    const config = defaultConfig({ dbPath: source, uploadsDir: join(dir, 'live', 'uploads'), backupDir: folder, backupEveryHours: 24, backupKeep: 2 });
    mkdirSync(join(folder, '.catalogue-2026-01-02T12-00-00Z.partial-0a1b2c3d')); // a backup a killed process left half-written
    const lines: string[] = [];
    const schedule = scheduleBackups(config, (l) => lines.push(l))!;
    try {
      expect(await schedule.runIfDue(new Date('2026-01-03T12:00:00Z'))).toBeNull(); // the newest is 12 hours old
      const taken = await schedule.runIfDue(new Date('2026-01-04T01:00:00Z'));
      expect(taken).toBe('catalogue-2026-01-04T01-00-00Z');
      expect(lines.join('\n')).toContain('定时备份完成');
      expect(scheduledBackups(folder).map((b) => b.name)).toEqual(['catalogue-2026-01-04T01-00-00Z', 'catalogue-2026-01-03T00-00-00Z']);
      expect(existsSync(join(folder, taken!, 'catalogue.db'))).toBe(true);
      expect(readdirSync(folder).filter((n) => n.includes('partial'))).toEqual([]);
    } finally {
      schedule.stop();
    }
    expect(pruneBackups(folder, 1)).toEqual(['catalogue-2026-01-03T00-00-00Z']);
  }, 60_000);
});
