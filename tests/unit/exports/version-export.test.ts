// Exports of a published version as streams: the xlsx keeps its styled header while data cells stay
// plain, a client that stops reading stops the export (nothing piles up in memory), and an abandoned
// download ends the export instead of leaving it waiting forever.
import { describe, it, expect, beforeAll } from 'vitest';
import ExcelJS from 'exceljs';
import { PassThrough, Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { demoDb } from '../../support/db.js';
import type { Db } from '../../../db/client.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { publishVersion } from '../../../server/publication/publish.js';
import { getVersion, type VersionInfo } from '../../../server/publication/reader.js';
import { EXPORT_COLUMNS, exportVersion, type ExportFormat } from '../../../exports/version-export.js';
import { testServices } from '../../support/services.js';

const EXTRA = 6_000;
let db: Db;
let version: VersionInfo;

beforeAll(() => {
  db = demoDb();
  const sqlite = db.$client;
  const department = sqlite.prepare('SELECT id FROM departments ORDER BY id LIMIT 1').pluck().get() as number;
  const insert = sqlite.prepare("INSERT INTO items (code, name, category, department_id, materials, conditions) VALUES (?, ?, 'permit', ?, ?, ?)");
  sqlite.transaction(() => {
    for (let i = 1; i <= EXTRA; i++) {
      insert.run(`EXP-${String(i).padStart(6, '0')}`, `测试事项第${i}号的许可`, department, `申请书、营业执照复印件、场地证明材料（第${i}号）`.repeat(40), '符合法定条件的申请人'.repeat(20));
    }
  })();
  publishVersion(testServices(db), SYSTEM_ACTOR, { title: '导出测试（第1版）', effectiveOn: '2026-01-01' });
  version = getVersion(db, 1)!;
}, 120_000);

/** The same database, counting the published items the export has read so far. */
function countingDb(): { db: Db; read: () => number } {
  let read = 0;
  const real = db.$client;
  const client = {
    prepare: (sql: string) => ({
      pluck: () => ({
        iterate: (...params: unknown[]) =>
          (function* () {
            for (const row of real.prepare(sql).pluck().iterate(...params)) {
              read++;
              yield row;
            }
          })(),
      }),
    }),
  };
  return { db: { $client: client } as unknown as Db, read: () => read };
}

/** An output whose reader has stopped: nothing written is taken until release() (or destroy()). */
function stalledOutput() {
  const pending: (() => void)[] = [];
  const chunks: Buffer[] = [];
  let released = false;
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, callback) {
      chunks.push(chunk);
      if (released) callback();
      else pending.push(callback);
    },
  });
  return {
    out,
    bytes: () => Buffer.concat(chunks),
    release: () => {
      released = true;
      for (const cb of pending.splice(0)) cb();
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 2000; i++) await nextTurn();
};

describe('the xlsx export', () => {
  it('has a styled, frozen header and plain data cells', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => out.on('end', resolve));
    const n = await exportVersion(db, version, 'xlsx', out);
    await ended;
    expect(n).toBe(version.itemCount);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as never);
    const ws = wb.getWorksheet('事项目录')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).getCell(1).font).toMatchObject({ bold: true });
    expect(ws.getRow(1).getCell(1).fill).toMatchObject({ type: 'pattern', fgColor: { argb: 'FF1F4E79' } });
    expect(ws.getColumn(2).width).toBe(EXPORT_COLUMNS[1]!.width);
    const data = ws.getRow(2).getCell(1);
    expect(data.font?.bold).toBeFalsy();
    expect(data.fill).toBeUndefined();
    expect(ws.rowCount).toBe(version.itemCount + 1);
  });

  it('a client that stops reading stops the export: only part of the version is read until it reads again', async () => {
    const { db: counted, read } = countingDb();
    const stalled = stalledOutput();
    let finished = false;
    const exported = exportVersion(counted, version, 'xlsx', stalled.out).then((n) => {
      finished = true;
      return n;
    });
    await settle();
    expect(finished).toBe(false);
    expect(read()).toBeLessThan(version.itemCount / 2);
    stalled.release();
    expect(await exported).toBe(version.itemCount);
    expect(read()).toBe(version.itemCount);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(stalled.bytes() as never);
    expect(wb.getWorksheet('事项目录')!.rowCount).toBe(version.itemCount + 1);
  });
});

describe('an abandoned download', () => {
  for (const format of ['xlsx', 'csv', 'json', 'jsonld'] as ExportFormat[]) {
    it(`ends the ${format} export early instead of waiting forever`, async () => {
      const { db: counted, read } = countingDb();
      const stalled = stalledOutput();
      const exported = exportVersion(counted, version, format, stalled.out);
      await settle();
      stalled.out.destroy();
      const n = await exported;
      expect(n).toBeLessThan(version.itemCount);
      expect(read()).toBeLessThan(version.itemCount);
    });
  }
});
