// Jobs say how far they are: the static export through its items, list pages and downloads; an
// import's confirm through the rows it writes. The job page's progress bar shows what they report.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { createImportRepository } from '../../../db/queries/imports.js';
import { publishVersion } from '../../../server/publication/publish.js';
import { getVersion } from '../../../server/publication/reader.js';
import { exportStaticSite } from '../../../exports/static-site.js';
import { createViewEngine } from '../../../server/views/engine.js';
import { runImport } from '../../../server/imports/service.js';
import { confirmImport } from '../../../server/imports/confirm.js';
import { defaultConfig } from '../../../server/config.js';
import { testServices } from '../../support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'job-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fileDb = (name: string) => {
  const path = join(dir, name);
  copyFileSync(inject('demoDbPath'), path);
  return openDatabase(path);
};

describe('job progress', () => {
  it('a static export reports its items, then its list pages, then its downloads, each up to its total', async () => {
    const db = fileDb('export.db');
    const services = testServices(db);
    publishVersion(services, SYSTEM_ACTOR, { title: '第一版', effectiveOn: '2026-01-01' });
    const seen: [number, number, string][] = [];
    await exportStaticSite(services, getVersion(db, 1)!, join(dir, 'site'), createViewEngine(), { pageSize: 50, onProgress: (done, total, stage) => seen.push([done, total, stage]) });
    const stages = [...new Set(seen.map(([, , s]) => s))];
    expect(stages).toEqual(['exporting', 'listing', 'downloads']);
    const items = seen.filter(([, , s]) => s === 'exporting');
    expect(items.length).toBeGreaterThan(0);
    for (const [done, total] of seen) expect(done).toBeLessThanOrEqual(total);
    const last = seen.at(-1)!;
    expect(last[0]).toBe(last[1]);
  });

  it("a baseline import's confirm reports the rows it has written out of the rows it will write", async () => {
    const db = fileDb('confirm.db');
    const rows = Array.from({ length: 1_200 }, (_, i) => `进度测试事项${i + 1},行政许可,《中华人民共和国行政许可法》第十二条`);
    const file = join(dir, 'baseline.csv');
    writeFileSync(file, `事项名称,事项类型,设定依据\n${rows.join('\n')}\n`);
    const legal = db.$client.prepare("SELECT id, username FROM users WHERE role = 'legal_office' LIMIT 1").get() as { id: number; username: string };
    const actor = { id: legal.id, name: legal.username };
    const subject = { id: legal.id, role: 'legal_office' as const, departmentId: null };
    const deps = { db, importRepository: createImportRepository({ db }) };
    const report = await runImport(deps, defaultConfig({ dbPath: db.$client.name, uploadsDir: join(dir, 'uploads') }), {
      path: file,
      originalName: 'baseline.csv',
      departmentCode: 'JTYSJ',
      mode: 'baseline',
      actor,
      subject,
    });
    expect(report.new).toBe(1_200);
    const seen: [number, number][] = [];
    const result = confirmImport(deps, report.importId!, actor, subject, {}, { onProgress: (done, total) => seen.push([done, total]) });
    expect(result.applied).toEqual({ created: 1_200, updated: 0 });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every(([, total]) => total === 1_200)).toBe(true);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
  });
});
