// Scheduled backups: when BACKUP_DIR is set, the server takes a backup whenever the newest one there is
// older than BACKUP_EVERY_HOURS (also right after a start when it is overdue), and keeps the newest
// BACKUP_KEEP. Each backup runs `catalogue backup` in a process of its own, so copying a large database
// never holds up a request.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { BACKUP_MANIFEST } from './backup.js';

const NAME = /^catalogue-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z$/;
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'catalogue.js');

/** A scheduled backup's folder name: catalogue-2026-12-06T02-00-00Z (sorts by time). */
export const backupName = (at: Date): string => `catalogue-${at.toISOString().slice(0, 19).replace(/:/g, '-')}Z`;

/** The whole scheduled backups in `dir`, newest first, with when each was taken. */
export function scheduledBackups(dir: string): { name: string; at: Date }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((e) => e.m && existsSync(join(dir, e.name, BACKUP_MANIFEST)))
    .map((e) => ({ name: e.name, at: new Date(`${e.m![1]}T${e.m![2]}:${e.m![3]}:${e.m![4]}Z`) }))
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** A backup a stopped process left half-written (createBackup writes under this hidden name, then renames). */
const PARTIAL = /^\.catalogue-.*\.partial-[0-9a-f]+$/;

/** Deletes all but the newest `keep` scheduled backups, and half-written ones; returns the names of the whole ones deleted. */
export function pruneBackups(dir: string, keep: number): string[] {
  const old = scheduledBackups(dir).slice(keep).map((b) => b.name);
  for (const name of old) rmSync(join(dir, name), { recursive: true, force: true });
  for (const name of readdirSync(dir).filter((n) => PARTIAL.test(n))) rmSync(join(dir, name), { recursive: true, force: true });
  return old;
}

/** Runs `catalogue backup` for this configuration into `out`; resolves with its exit code and what it said. */
export function runBackupProcess(config: Config, out: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'backup', '--out', out, '--db', config.dbPath], {
      env: { ...process.env, CATALOGUE_UPLOADS: config.uploadsDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', (err) => resolve({ code: 1, output: err.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, output: output.trim() }));
  });
}

export interface BackupSchedule {
  /** Takes a backup now if the newest is older than the interval; resolves with the new folder's name, or null. */
  runIfDue(now?: Date): Promise<string | null>;
  stop(): void;
}

export function scheduleBackups(config: Config, log: (line: string) => void = (l) => console.log(l)): BackupSchedule | null {
  if (!config.backupDir) return null;
  const everyMs = config.backupEveryHours * 3_600_000;
  let running: Promise<string | null> | null = null;
  const runIfDue = (now = new Date()): Promise<string | null> => {
    if (running) return running;
    const newest = scheduledBackups(config.backupDir)[0];
    if (newest && now.getTime() - newest.at.getTime() < everyMs) return Promise.resolve(null);
    mkdirSync(config.backupDir, { recursive: true });
    const name = backupName(now);
    running = runBackupProcess(config, join(config.backupDir, name))
      .then(({ code, output }) => {
        if (code !== 0) {
          log(`定时备份失败（退出码 ${code}）：${output}`);
          return null;
        }
        const removed = pruneBackups(config.backupDir, config.backupKeep);
        log(`定时备份完成：${join(config.backupDir, name)}${removed.length ? `；按 BACKUP_KEEP=${config.backupKeep} 删除了较早的 ${removed.length} 份` : ''}`);
        return name;
      })
      .finally(() => (running = null));
    return running;
  };
  // Looks often enough to keep to the interval, also across restarts (the newest backup's time decides).
  const timer = setInterval(() => void runIfDue(), Math.min(everyMs, 10 * 60_000));
  timer.unref();
  const first = setTimeout(() => void runIfDue(), 5_000);
  first.unref();
  return {
    runIfDue,
    stop: () => {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
