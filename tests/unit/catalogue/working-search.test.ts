// The working catalogue is searched by the same engine as every published version: the same
// normalisation, synonyms and ranking, kept up to date from the items' updated_at.
import { describe, expect, it, inject } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../db/client.js';
import { WorkingIndex } from '../../../server/catalogue/working-index.js';
import { AppError } from '../../../server/errors.js';
import { demoDb } from '../../support/db.js';
import { listItemsFiltered, type ItemFilter } from '../../../db/queries/catalogue.js';
import { defaultConfig } from '../../../server/config.js';
import { createServices } from '../../../server/services.js';
import { workingCatalogue } from '../../../server/catalogue/reader.js';
import { publishedCatalogue, getVersion } from '../../../server/publication/reader.js';
import { publishVersion } from '../../../server/publication/publish.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';

function setUp() {
  const db = demoDb();
  const services = createServices(db, defaultConfig({}), { jobs: 'inline' });
  return { db, services, working: workingCatalogue(services) };
}
const codes = (page: { items: { code: string }[] }) => page.items.map((i) => i.code);
const STAMP = "strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second')";

describe('the working catalogue search', () => {
  it('lists without a text exactly what the one-query list gives, for filters of every kind and every page', () => {
    const { db, working } = setUp();
    const departments = (db.$client.prepare('SELECT code FROM departments ORDER BY code').pluck().all() as string[]).slice(0, 3);
    const filters: Omit<ItemFilter, 'page' | 'pageSize'>[] = [
      {},
      { category: 'permit' },
      { department: departments[0] },
      { department: departments[2], category: 'other' },
      { department: 'NO-SUCH' },
      { basis: 'no' },
      { basis: 'yes', category: 'permit' },
      { level: 'district' },
    ];
    for (const f of filters) {
      const total = listItemsFiltered(db, { ...f, page: 1, pageSize: 50 }).total;
      for (let page = 1; page <= Math.ceil(total / 50) + 1; page++) {
        expect(working.listItems({ ...f, page, pageSize: 50 }), JSON.stringify({ ...f, page })).toEqual(listItemsFiltered(db, { ...f, page, pageSize: 50 }));
      }
    }
  });

  it('finds, ranks and counts as a published version of the same content does', () => {
    const { db, services, working } = setUp();
    publishVersion(services, SYSTEM_ACTOR, { title: '测试版', effectiveOn: '2026-01-01' });
    const published = publishedCatalogue(services, getVersion(db, 1)!);
    for (const q of ['许可', '許可', '证', '道路运输', '出租车', '户口', 'ＲＳＪ', '食品 经营', '《中华人民共和国道路运输条例》', 'no-such-text']) {
      for (const f of [{}, { category: 'permit' as const }, { basis: 'yes' as const }]) {
        const a = working.listItems({ q, ...f, page: 1, pageSize: 5000 });
        const b = published.listItems({ q, ...f, page: 1, pageSize: 5000 });
        expect(codes(a), q).toEqual(codes(b));
        expect(a.total, q).toBe(b.total);
      }
    }
  });

  it('traditional characters and synonyms find what the simplified word and its synonym find', () => {
    const { working } = setUp();
    const find = (q: string) => new Set(codes(working.listItems({ q, page: 1, pageSize: 5000 })));
    expect(find('許可').size).toBeGreaterThan(0);
    expect(find('許可')).toEqual(find('许可'));
    expect(find('出租汽车').size).toBeGreaterThan(0);
    for (const code of find('出租汽车')) expect(find('出租车')).toContain(code);
    expect(find('户籍').size).toBeGreaterThan(0);
    for (const code of find('户籍')) expect(find('户口')).toContain(code);
  });

  it('sees an item renamed, added or removed since the last search', () => {
    const { db, working } = setUp();
    const [first, second] = db.$client.prepare('SELECT id, code FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 2').all() as { id: number; code: string }[];
    expect(working.listItems({ q: '甲乙丙丁改名', page: 1, pageSize: 50 }).total).toBe(0);
    db.$client.prepare(`UPDATE items SET name = '甲乙丙丁改名', updated_at = ${STAMP} WHERE id = ?`).run(first!.id);
    expect(codes(working.listItems({ q: '甲乙丙丁改名', page: 1, pageSize: 50 }))).toEqual([first!.code]);
    const before = working.listItems({ page: 1, pageSize: 50 }).total;
    db.$client.prepare(`UPDATE items SET removed_at = ${STAMP}, updated_at = ${STAMP} WHERE id = ?`).run(second!.id);
    expect(working.listItems({ page: 1, pageSize: 50 }).total).toBe(before - 1);
    expect(codes(working.listItems({ q: second!.code, page: 1, pageSize: 50 }))).not.toContain(second!.code);
  });
});

describe('the working index built in the background', () => {
  it('a server that starts builds it a slice at a time: requests meanwhile get a Chinese 503, then the same answers as a built index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'working-warm-'));
    const path = join(dir, 'demo.db');
    copyFileSync(inject('demoDbPath'), path);
    const db = openDatabase(path);
    try {
      const background = new WorkingIndex(db);
      const building = background.warm();
      expect(() => background.current()).toThrow(AppError);
      try {
        background.current();
      } catch (e) {
        expect((e as AppError).status).toBe(503);
        expect((e as AppError).message).toMatch(/[\u4e00-\u9fff]{6}/);
      }
      // Other work runs between the slices: a timer set now fires before the build ends.
      let ranBetween = false;
      setImmediate(() => (ranBetween = true));
      const built = await building;
      expect(ranBetween).toBe(true);
      const direct = new WorkingIndex(db).current();
      expect(built.size).toBe(direct.size);
      const services = createServices(db, defaultConfig({}), { jobs: 'inline' });
      (services as { workingIndex: WorkingIndex }).workingIndex = background;
      const viaBackground = workingCatalogue(services).listItems({ q: '许可', page: 1, pageSize: 50 });
      const fresh = createServices(db, defaultConfig({}), { jobs: 'inline' });
      expect(viaBackground).toEqual(workingCatalogue(fresh).listItems({ q: '许可', page: 1, pageSize: 50 }));
      expect(viaBackground.total).toBeGreaterThan(0);
    } finally {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
