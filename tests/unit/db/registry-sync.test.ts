// The shipped registry in every database: loaded by migration, updated on upgrade, never over an edit.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inject } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../db/client.js';
import { DEPARTMENT_SOURCE, LOCAL_SOURCE, NATIONAL_SOURCE, REGISTRY_DIR, syncShippedRegistry } from '../../../db/seed/registry.js';
import { updateInstrument } from '../../../server/catalogue/instruments.js';
import { main, type Io } from '../../../server/cli.js';
import { verifyAuditLog } from '../../../db/audit.js';
import { parseCsv } from '../../../db/seed/csv.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'registry-sync-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const count = (db: Db, sql: string, ...params: unknown[]): number => (db.$client.prepare(sql).get(...params) as { n: number }).n;
/** Distinct instruments of a shipped file: title and publication date (a row repeated verbatim is one instrument). */
const shippedRows = (file: string) => {
  const [header, ...rows] = parseCsv(readFileSync(join(REGISTRY_DIR, file), 'utf8'));
  const published = header!.indexOf('published');
  return new Set(rows.filter((r) => r.some((f) => f !== '')).map((r) => `${r[0]}|${r[published]}`)).size;
};

/** A copy of the shipped files to change, as an upgrade would. */
function shippedCopy(): string {
  const copy = join(dir, 'registry');
  mkdirSync(copy);
  for (const f of [NATIONAL_SOURCE, LOCAL_SOURCE, DEPARTMENT_SOURCE]) copyFileSync(join(REGISTRY_DIR, f), join(copy, f));
  return copy;
}

describe('the shipped registry in every database', () => {
  it('catalogue migrate alone gives a database whose registry holds the shipped instruments', async () => {
    const path = join(dir, 'fresh.db');
    const out: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l), readStdin: async () => '' };
    expect(await main(['migrate', '--db', path], io, {})).toBe(0);
    const db = openDatabase(path, { registry: false });
    const shipped = shippedRows(NATIONAL_SOURCE) + shippedRows(LOCAL_SOURCE) + shippedRows(DEPARTMENT_SOURCE);
    expect(count(db, 'SELECT count(*) AS n FROM legal_instruments')).toBe(shipped);
    expect(count(db, "SELECT count(*) AS n FROM legal_instruments WHERE source = ?", DEPARTMENT_SOURCE)).toBeGreaterThan(0);
    expect(count(db, "SELECT count(*) AS n FROM legal_instruments WHERE shipped_hash IS NULL")).toBe(0);
    expect(out.join('\n')).toContain('新增');
    db.$client.close();
  });

  it('a database whose shipped files are unchanged is left as it is: nothing added, updated or audited', () => {
    const db = openDatabase(':memory:');
    const audits = count(db, 'SELECT count(*) AS n FROM audit_log');
    const again = syncShippedRegistry(db);
    expect(again).toEqual({ added: {}, updated: 0, conflicts: [], files: [] });
    expect(count(db, 'SELECT count(*) AS n FROM audit_log')).toBe(audits);
  });

  it('a changed shipped row updates an untouched instrument and leaves one the legal office edited, reporting the difference', () => {
    const copy = shippedCopy();
    const db = openDatabase(':memory:', { registry: false });
    syncShippedRegistry(db, { dir: copy });
    const id = (title: string) => (db.$client.prepare('SELECT id FROM legal_instruments WHERE title = ?').get(title) as { id: number }).id;
    const edited = id('上海市宗教事务条例');
    const untouched = id('上海市殡葬管理条例');
    updateInstrument(db, { id: 7, name: 'legal' }, edited, { rank: 'local_regulation', status: 'in_force', issuingBody: '上海市人大常委会（法制办核对）', publishedOn: '2018-11-22', effectiveOn: '2019-03-01', replacedById: '' });

    // The upgrade: both rows marked superseded, and a new row.
    const local = join(copy, LOCAL_SOURCE);
    const text = readFileSync(local, 'utf8')
      .replace('上海市宗教事务条例,地方性法规,上海,2018-11-22,2019-03-01,0', '上海市宗教事务条例,地方性法规,上海,2018-11-22,2019-03-01,1')
      .replace('上海市殡葬管理条例,地方性法规,上海,,,0', '上海市殡葬管理条例,地方性法规,上海,,,1');
    writeFileSync(local, `${text.trimEnd()}\n上海市测试新增条例,地方性法规,上海,2026-01-01,2026-02-01,0\n`);

    const sync = syncShippedRegistry(db, { dir: copy });
    expect(sync.files).toEqual([LOCAL_SOURCE]);
    expect(sync.added[LOCAL_SOURCE]).toBe(1);
    expect(sync.updated).toBe(1);
    const status = (i: number) => (db.$client.prepare('SELECT status, issuing_body FROM legal_instruments WHERE id = ?').get(i) as { status: string; issuing_body: string });
    expect(status(untouched).status).toBe('amended');
    expect(status(edited)).toEqual({ status: 'in_force', issuing_body: '上海市人大常委会（法制办核对）' });
    expect(sync.conflicts).toHaveLength(1);
    expect(sync.conflicts[0]).toMatchObject({ id: edited, editedBy: 'legal', fields: { status: { shipped: 'amended', current: 'in_force' } } });
    const entry = db.$client.prepare("SELECT after FROM audit_log WHERE action = 'registry.load' ORDER BY seq DESC LIMIT 1").get() as { after: string };
    expect(JSON.parse(entry.after)).toMatchObject({ updated: 1, added: 1, addedByFile: [`${LOCAL_SOURCE}：1`] });
    expect(verifyAuditLog(db).ok).toBe(true);
  });

  it('an upgrade that adds an instrument links the citations that named it while it was unregistered', () => {
    const path = join(dir, 'demo.db');
    copyFileSync(inject('demoDbPath'), path);
    const db = openDatabase(path, { registry: false });
    const unknown = db.$client.prepare('SELECT title, count(*) AS n FROM citations WHERE instrument_id IS NULL GROUP BY title ORDER BY n DESC LIMIT 1').get() as { title: string; n: number };
    expect(unknown.n).toBeGreaterThan(0);
    const copy = shippedCopy();
    const rules = join(copy, DEPARTMENT_SOURCE);
    writeFileSync(rules, `${readFileSync(rules, 'utf8').trimEnd()}\n${unknown.title.replace(/^《|》$/g, '')},地方政府规章,某人民政府,,2020-01-01,2020-02-01,in_force,test\n`);
    const sync = syncShippedRegistry(db, { dir: copy });
    expect(sync.files).toEqual([DEPARTMENT_SOURCE]);
    expect(sync.added[DEPARTMENT_SOURCE]).toBe(1);
    expect(sync.linked).toBe(unknown.n);
    expect(count(db, 'SELECT count(*) AS n FROM citations WHERE instrument_id IS NULL AND title = ?', unknown.title)).toBe(0);
    db.$client.close();
  });
});
