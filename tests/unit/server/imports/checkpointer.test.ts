// The write-ahead log checkpointed by a thread of its own while an import writes.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { JOB_NICENESS } from '../../../../server/jobs/priority.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../../db/client.js';
import { emptyDb } from '../../../support/db.js';
import { CheckpointPauses, checkpointInBackground } from '../../../../server/imports/checkpointer.js';

const autocheckpoint = (db: ReturnType<typeof openDatabase>) => db.$client.pragma('wal_autocheckpoint', { simple: true });

describe('checkpointing beside an import', () => {
  it.runIf(process.platform === 'linux')('the thread that checkpoints gives way to requests: it runs at the job thread\'s lower priority', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
    const db = openDatabase(join(dir, 'c.db'), { migrate: false });
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value (after the name in brackets).
    const niced = () => readdirSync('/proc/self/task').filter((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]) === JOB_NICENESS).length;
    expect(niced()).toBe(0);
    const checkpointer = checkpointInBackground(db, new CheckpointPauses(), { intervalMs: 50 });
    const until = Date.now() + 10_000;
    while (niced() === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(niced()).toBe(1);
    await checkpointer.stop();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the connection stops checkpointing itself while the thread copies the log into the database file, and gets its setting back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
    const path = join(dir, 'c.db');
    const db = openDatabase(path, { migrate: false });
    db.$client.exec('CREATE TABLE t (x TEXT)');
    const before = statSync(path).size;
    const pauses = new CheckpointPauses(); // one per connection, as the app's services hold it
    const first = checkpointInBackground(db, pauses);
    const second = checkpointInBackground(db, pauses);
    expect(autocheckpoint(db)).toBe(0);
    const insert = db.$client.prepare('INSERT INTO t VALUES (?)');
    for (let batch = 0; batch < 20; batch++) {
      db.$client.transaction(() => {
        for (let i = 0; i < 500; i++) insert.run(`行政许可事项${batch}-${i}`.repeat(20));
      })();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await first.stop();
    expect(autocheckpoint(db)).toBe(0); // the other import still writes
    await second.stop();
    expect(autocheckpoint(db)).toBe(1000);
    // The connection never checkpointed (its automatic checkpoints were off): the thread did.
    expect(statSync(path).size).toBeGreaterThan(before + 4_000_000);
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the log starts over once it passes its size, though the writer commits one transaction after another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
    const path = join(dir, 'c.db');
    const db = openDatabase(path, { migrate: false });
    db.$client.exec('CREATE TABLE t (x TEXT)');
    const checkpointer = checkpointInBackground(db, new CheckpointPauses(), { intervalMs: 5, restartAboveFrames: 64 });
    const insert = db.$client.prepare('INSERT INTO t VALUES (?)');
    const row = '行政许可事项的设定依据'.repeat(100);
    // Batch after batch with a few milliseconds between them, as an import stages what its reader sends:
    // the log is never all copied when the next batch begins, and without a restart it only grows.
    let written = 0;
    const batch = async () => {
      db.$client.transaction(() => {
        for (let i = 0; i < 200; i++) insert.run(row);
      })();
      written += 200 * Buffer.byteLength(row);
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    // Once the thread has started (it copied a first batch into the database file), the log's size so far.
    const empty = statSync(path).size;
    for (const until = Date.now() + 20_000; statSync(path).size === empty && Date.now() < until; ) await batch();
    const before = { log: statSync(`${path}-wal`).size, written };
    while (written - before.written < 40_000_000) await batch();
    const grown = statSync(`${path}-wal`).size - before.log;
    await checkpointer.stop();
    // About 64 frames, and what the writer added while a restart waited for its transaction: well below the 40 MB
    // written (without restarts the log grows by more than that: 52 MB, with the pages of the table).
    expect(grown).toBeLessThan(24_000_000);
    expect(db.$client.prepare('SELECT count(*) FROM t').pluck().get()).toBe(written / Buffer.byteLength(row));
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a connection busy reading when the thread ends (an export after a publish) gets its setting back once the read ends, without an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
    const db = openDatabase(join(dir, 'c.db'), { migrate: false });
    db.$client.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('甲'), ('乙'), ('丙')");
    const checkpointer = checkpointInBackground(db, new CheckpointPauses());
    const reading = db.$client.prepare('SELECT x FROM t').iterate();
    reading.next();
    await checkpointer.stop(); // resolves, where a pragma on the busy connection would have thrown
    reading.return?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(autocheckpoint(db)).toBe(1000);
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a database in memory has no log: nothing is started and nothing changes', async () => {
    const db = emptyDb();
    const before = autocheckpoint(db);
    await checkpointInBackground(db, new CheckpointPauses()).stop();
    expect(autocheckpoint(db)).toBe(before);
  });
});
