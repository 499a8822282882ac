// catalogue registry import / export: the preview, the refusal of a bad file, the confirmed import with
// its audit entry and the re-check of the items citing what changed.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { main, type Io } from '../../../server/cli.js';
import { openDatabase } from '../../../db/client.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-registry-'));
  db = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), db);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' };
  const code = await main([...args, '--db', db], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const query = <T>(sql: string, ...params: unknown[]): T => {
  const conn = openDatabase(db, { registry: false });
  try {
    return conn.$client.prepare(sql).get(...params) as T;
  } finally {
    conn.$client.close();
  }
};

describe('catalogue registry import and export', () => {
  it('registry export then registry import shows every instrument unchanged (xlsx and csv)', async () => {
    const total = query<{ n: number }>('SELECT count(*) AS n FROM legal_instruments').n;
    for (const file of ['registry.xlsx', 'registry.csv']) {
      const out = join(dir, file);
      expect((await run(['registry', 'export', '--out', out])).code).toBe(0);
      const back = await run(['registry', 'import', out, '--json']);
      expect(back.code).toBe(0);
      expect(JSON.parse(back.out)).toMatchObject({ added: [], changed: [], unchanged: total, applied: false });
    }
  });

  it('registry import without --yes previews the change field by field and writes nothing; with --yes applies it, audits it and re-checks the citing items', async () => {
    const law = query<{ id: number; title: string; published_on: string; n: number }>(
      `SELECT l.id, l.title, l.published_on, count(DISTINCT c.item_id) AS n FROM legal_instruments l JOIN citations c ON c.instrument_id = l.id
        WHERE l.status = 'in_force' GROUP BY l.id ORDER BY n DESC LIMIT 1`,
    );
    const repealed = () =>
      query<{ n: number }>("SELECT count(DISTINCT f.item_id) AS n FROM item_flags f JOIN citations c ON c.item_id = f.item_id AND c.instrument_id = ? WHERE f.rule = 'BASIS_REPEALED'", law.id).n;
    expect(repealed()).toBe(0);
    const csv = join(dir, 'changes.csv');
    writeFileSync(csv, `编号,标题,效力位阶,公布日期,状态,废止日期\n${law.id},${law.title},法律,${law.published_on},已废止,2026-01-01\n`);
    const preview = await run(['registry', 'import', csv]);
    expect(preview.code).toBe(0);
    expect(preview.out).toContain('有变化 1 条');
    expect(preview.out).toContain('状态 有效 → 已废止');
    expect(preview.out).toContain('废止日期 （空） → 2026-01-01');
    expect(query<{ status: string }>('SELECT status FROM legal_instruments WHERE id = ?', law.id).status).toBe('in_force');

    const applied = await run(['registry', 'import', csv, '--yes', '--user', 'legal', '--json']);
    expect(applied.code).toBe(0);
    const result = JSON.parse(applied.out);
    expect(result).toMatchObject({ applied: true, changed: 1, added: 0 });
    expect(result.recheck.items).toBe(law.n);
    expect(query('SELECT status, repealed_on, edited_by FROM legal_instruments WHERE id = ?', law.id)).toEqual({ status: 'repealed', repealed_on: '2026-01-01', edited_by: 'legal' });
    expect(query<{ actor: string }>("SELECT actor FROM audit_log WHERE action = 'registry.import' ORDER BY seq DESC LIMIT 1").actor).toBe('legal');
    expect(repealed()).toBeGreaterThan(0);
  });

  it('a bad file is refused with exit 2 and a Chinese message naming the row; nothing changes', async () => {
    const before = query('SELECT (SELECT count(*) FROM legal_instruments) AS l, (SELECT count(*) FROM audit_log) AS a');
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, '标题,效力位阶,状态\n某某管理办法,部门规章,作废了\n');
    const r = await run(['registry', 'import', csv, '--yes']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('第2行：状态“作废了”无法识别');
    expect(query('SELECT (SELECT count(*) FROM legal_instruments) AS l, (SELECT count(*) FROM audit_log) AS a')).toEqual(before);
    expect(readFileSync(csv, 'utf8')).toContain('某某管理办法');
  });
});
