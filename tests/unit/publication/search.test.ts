// Searching a published version in Chinese: one- and two-character queries, traditional characters,
// punctuation, ranking, filters and paging, each version searched as it was published, and the index
// kept up to date after a publish giving the same answers as one built afresh.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Db } from '../../../db/client.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { demoDb } from '../../support/db.js';
import { publishVersion, type PublishedItem } from '../../../server/publication/publish.js';
import { CatalogueIndex, normaliseText } from '../../../server/publication/catalogue-index.js';
import type { Services } from '../../../server/services.js';
import { testServices } from '../../support/services.js';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { queryTerms, searchVersion, warmSearchSteps, warmUpQueries, type VersionQuery } from '../../../server/publication/search.js';
import { getVersion, publishedCatalogue, revisionSummaries, summaryOf } from '../../../server/publication/reader.js';
import type { Category } from '../../../server/domain/vocabulary.js';
import { itemQuerySchema } from '../../../server/catalogue/queries.js';

let db: Db;
let services: Services;
let deptCode: string;
let deptName: string;

const search = (n: number, q: string, extra: Partial<VersionQuery> = {}) =>
  publishedCatalogue(services, getVersion(db, n)!).listItems({ q, page: 1, pageSize: 5000, ...extra });
const codes = (n: number, q: string, extra: Partial<VersionQuery> = {}) => search(n, q, extra).items.map((i) => i.code);

function addItem(code: string, name: string, category: Category = 'permit', citation?: string) {
  const deptId = db.$client.prepare('SELECT id FROM departments WHERE code = ?').pluck().get(deptCode) as number;
  const id = Number(db.$client.prepare('INSERT INTO items (code, name, category, department_id) VALUES (?, ?, ?, ?)').run(code, name, category, deptId).lastInsertRowid);
  if (citation) db.$client.prepare("INSERT INTO citations (item_id, seq, title, role) VALUES (?, 0, ?, 'setting')").run(id, citation);
}

/** What a version holds, read from the published texts: the oracle the index is checked against. */
const itemsCache = new Map<string, PublishedItem[]>();
function versionItems(n: number): PublishedItem[] {
  const key = `${n}:${db.$client.prepare('SELECT count(*) FROM item_revisions').pluck().get()}`;
  if (!itemsCache.has(key)) itemsCache.set(key, readVersion(n));
  return itemsCache.get(key)!;
}
function readVersion(n: number): PublishedItem[] {
  return (
    db.$client.prepare('SELECT content FROM revision_spans WHERE from_version <= ? AND (to_version IS NULL OR to_version > ?)').pluck().all(n, n) as string[]
  ).map((c) => JSON.parse(c) as PublishedItem);
}

/** Items matching every term in name, code, department or cited title, by the documented rules. */
function expectedCodes(n: number, q: string): string[] {
  const terms = queryTerms(q);
  return versionItems(n)
    .filter((item) =>
      terms.every((t) => {
        const code = normaliseText(item.code);
        if (normaliseText(item.name).includes(t) || code === t) return true;
        if ((/[0-9]/.test(t) || t.length >= 4) && code.startsWith(t)) return true;
        if (t.length < 2) return false;
        return normaliseText(item.department.name).includes(t) || normaliseText(item.department.code) === t || item.citations.some((c) => normaliseText(c.title).includes(t));
      }),
    )
    .map((i) => i.code)
    .sort();
}

beforeAll(() => {
  db = demoDb();
  services = testServices(db);
  const dept = db.$client.prepare("SELECT code, name FROM departments WHERE code = 'SCJGJ'").get() as { code: string; name: string } | undefined;
  ({ code: deptCode, name: deptName } = dept ?? (db.$client.prepare('SELECT code, name FROM departments ORDER BY id LIMIT 1').get() as { code: string; name: string }));
  addItem('T-0001', '许可');
  addItem('T-0002', '许可证换发');
  addItem('T-0003', '食品经营许可', 'permit', '中华人民共和国食品安全法');
  addItem('T-0004', '对违反《食品安全法》规定行为的行政处罚', 'penalty', '中华人民共和国食品安全法');
  addItem('T-0005', '犬只登记备案', 'other');
  addItem('T-0006', '某某事项的许可审批（延续）', 'permit');
  publishVersion(services, SYSTEM_ACTOR, { title: '第1版' });
});

describe('searching a published version in Chinese', () => {
  it('a page lists each item as its published text has it, read once and kept: the same again, and nobody who gets it can change it', () => {
    const catalogue = publishedCatalogue(services, getVersion(db, 1)!);
    const expected = new Map(versionItems(1).map((p) => [p.code, summaryOf(p)]));
    for (const q of [undefined, '许可', '登记']) {
      const first = catalogue.listItems({ q, page: 1, pageSize: 200 }).items;
      const again = catalogue.listItems({ q, page: 1, pageSize: 200 }).items;
      expect(again).toEqual(first);
      for (const item of again) expect(item, item.code).toEqual(expected.get(item.code));
    }
    const [item] = catalogue.listItems({ page: 1, pageSize: 1 }).items;
    expect(() => ((item as { name: string }).name = '改过的名称')).toThrow(TypeError);
    expect(() => (item!.department.name = '改过的部门')).toThrow(TypeError);
    expect(catalogue.listItems({ page: 1, pageSize: 1 }).items[0]).toEqual(expected.get(item!.code));
  });

  it('with fewer summaries kept than a page asks for, every item of the page is still listed as its text has it', () => {
    // A database of its own: nothing kept for it yet.
    const fresh = demoDb();
    publishVersion(testServices(fresh), SYSTEM_ACTOR, { title: '第1版' });
    const ids = fresh.$client.prepare('SELECT id FROM item_revisions ORDER BY id LIMIT 40 OFFSET 500').pluck().all() as number[];
    const expected = (id: number) => summaryOf(JSON.parse(fresh.$client.prepare('SELECT content FROM item_revisions WHERE id = ?').pluck().get(id) as string) as PublishedItem);
    // Kept ones asked again among new ones, more new ones than can be kept, the same one twice.
    for (const page of [ids.slice(0, 3), [ids[3]!, ids[0]!, ids[4]!, ids[1]!], ids.slice(5, 15), [ids[14]!, ids[2]!, ids[14]!, ids[30]!]]) {
      expect(revisionSummaries(fresh, page, 3)).toEqual(page.map(expected));
    }
  });

  it('a two-character query (许可, 备案) finds every item holding it, as a longer query does', () => {
    for (const q of ['许可', '备案', '食品经营许可', '登记备案']) {
      expect(codes(1, q).sort(), q).toEqual(expectedCodes(1, q));
      expect(search(1, q).total, q).toBe(expectedCodes(1, q).length);
    }
    expect(codes(1, '备案')).toContain('T-0005');
  });

  it('a one-character query finds every item whose name holds the character', () => {
    for (const q of ['证', '犬', '审', '费']) expect(codes(1, q).sort(), q).toEqual(expectedCodes(1, q));
  });

  it('finds the same items as a reading of every published text, for queries of 1 to 8 characters cut from real names', () => {
    const names = versionItems(1).map((i) => i.name);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let k = 0; k < 120; k++) {
      const name = names[Math.floor(random() * names.length)]!;
      const len = 1 + (k % 8);
      const at = Math.floor(random() * Math.max(1, name.length - len + 1));
      const q = name.slice(at, at + len);
      expect(codes(1, q).sort(), q).toEqual(expectedCodes(1, q));
    }
  });

  it('ranks the name itself first, then names starting with the query, then names holding it, shorter ones first', () => {
    const list = codes(1, '许可');
    const at = (code: string) => list.indexOf(code);
    expect(at('T-0001')).toBe(0);
    expect(at('T-0002')).toBeLessThan(at('T-0003'));
    expect(at('T-0003')).toBeLessThan(at('T-0006'));
    // Items found only by their department or legal basis come after every item found by name.
    const byName = new Set(versionItems(1).filter((i) => normaliseText(i.name).includes('许可')).map((i) => i.code));
    const firstOther = list.findIndex((c) => !byName.has(c));
    if (firstOther >= 0) expect(list.slice(firstOther).every((c) => !byName.has(c))).toBe(true);
  });

  it('a traditional-Chinese query finds simplified text', () => {
    expect(queryTerms('食品經營許可')).toEqual(['食品经营许可']);
    expect(codes(1, '食品經營許可')).toEqual(codes(1, '食品经营许可'));
    expect(codes(1, '許可')).toEqual(codes(1, '许可'));
    expect(codes(1, '備案')).toContain('T-0005');
  });

  it('punctuation, spaces and full-width letters do not matter: 食品安全法规定 finds 《食品安全法》规定', () => {
    expect(codes(1, '食品安全法规定')).toContain('T-0004');
    expect(codes(1, '《食品安全法》规定')).toContain('T-0004');
    expect(codes(1, 'Ｔ－０００４')).toEqual(['T-0004']);
  });

  it('several terms must all match, in any field: a name word and a legal basis', () => {
    const both = codes(1, '经营 食品安全法');
    expect(both).toContain('T-0003');
    expect(both).not.toContain('T-0004'); // cites the law, but its name has no 经营
    expect(both.sort()).toEqual(expectedCodes(1, '经营 食品安全法'));
  });

  it('finds items by department name and by the title of the law they cite, below items found by name', () => {
    const byDept = codes(1, deptName);
    expect(byDept).toEqual(expect.arrayContaining(['T-0001', 'T-0005']));
    const byLaw = codes(1, '食品安全法');
    expect(byLaw).toEqual(expect.arrayContaining(['T-0003', 'T-0004']));
    expect(byLaw.indexOf('T-0004')).toBeLessThan(byLaw.indexOf('T-0003')); // T-0004's name holds 食品安全法
  });

  it('a code finds its item first; a code prefix with digits finds every code starting with it', () => {
    const code = versionItems(1).find((i) => /\d{6}/.test(i.code))!.code;
    expect(codes(1, code)[0]).toBe(code);
    const prefix = code.slice(0, 8);
    const expected = versionItems(1).filter((i) => normaliseText(i.code).startsWith(normaliseText(prefix))).map((i) => i.code);
    expect(codes(1, prefix)).toEqual(expect.arrayContaining(expected));
  });

  it('filters by department, category and legal basis combine with the query, and pages do not overlap', () => {
    const inDept = search(1, '许可', { department: deptCode });
    expect(inDept.items.every((i) => i.department.code === deptCode)).toBe(true);
    expect(inDept.items.map((i) => i.code)).toContain('T-0001');
    expect(search(1, '许可', { category: 'permit' }).items.every((i) => i.category === 'permit')).toBe(true);
    expect(search(1, '许可', { basis: 'no' }).items.every((i) => !i.hasBasis)).toBe(true);
    expect(search(1, '许可', { department: 'NO-SUCH' }).total).toBe(0);
    const all = codes(1, '许可');
    const p1 = search(1, '许可', { pageSize: 5, page: 1 }).items.map((i) => i.code);
    const p2 = search(1, '许可', { pageSize: 5, page: 2 }).items.map((i) => i.code);
    expect([...p1, ...p2]).toEqual(all.slice(0, 10));
  });

  it('a query longer than 100 characters searches by its first 100, instead of being dropped and listing everything', () => {
    const long = `食品经营许可${'，'.repeat(40)}${'另'.repeat(80)}`;
    const query = itemQuerySchema.parse({ q: long });
    expect(query.q).toBe(long.slice(0, 100));
    const all = search(1, '').total;
    const found = search(1, query.q!).total;
    expect(found).toBe(0); // every term must match: the pasted tail matches nothing, so nothing is listed
    expect(found).toBeLessThan(all);
    expect(itemQuerySchema.parse({ q: `食品经营许可 ${'x'.repeat(150)}` }).q).toBe(`食品经营许可 ${'x'.repeat(93)}`);
  });

  it('without a query lists the version in department and code order, with the right total', () => {
    const page = publishedCatalogue(services, getVersion(db, 1)!).listItems({ page: 1, pageSize: 5000 });
    const items = versionItems(1);
    expect(page.total).toBe(items.length);
    const sorted = [...items].sort((a, b) => (a.department.code + '\u0000' + a.code < b.department.code + '\u0000' + b.code ? -1 : 1)).map((i) => i.code);
    expect(page.items.map((i) => i.code)).toEqual(sorted);
  });
});

describe('each version is searched as it was published', () => {
  let before: CatalogueIndex;
  beforeAll(() => {
    before = services.searchIndex.current(); // built on version 1; the publish below must bring it up to date
    db.$client.prepare("UPDATE items SET name = '食品经营许可（含网络经营）', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second') WHERE code = 'T-0003'").run();
    db.$client.prepare("UPDATE items SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second') WHERE code = 'T-0005'").run();
    addItem('T-0007', '新设备案事项', 'other');
    db.$client.prepare("UPDATE items SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second') WHERE code = 'T-0007'").run();
    publishVersion(services, SYSTEM_ACTOR, { title: '第2版' });
  });

  it('a renamed item is found by its old name in version 1 and by its new name in version 2', () => {
    expect(codes(1, '网络经营')).not.toContain('T-0003');
    expect(codes(2, '网络经营')).toContain('T-0003');
    expect(search(2, '网络经营').items.find((i) => i.code === 'T-0003')!.name).toBe('食品经营许可（含网络经营）');
  });

  it('a removed item is in version 1 and not in version 2; an added one only in version 2', () => {
    expect(codes(1, '犬只')).toContain('T-0005');
    expect(codes(2, '犬只')).not.toContain('T-0005');
    expect(codes(2, '备案')).toContain('T-0007');
    expect(codes(1, '备案')).not.toContain('T-0007');
  });

  it('the index brought up to date after a publish answers exactly as one built afresh', () => {
    expect(services.searchIndex.current()).toBe(before);
    const fresh = CatalogueIndex.build(db);
    expect(before.size).toBe(fresh.size);
    for (const n of [1, 2]) {
      for (const q of ['许可', '备案', '食品', '证', '经营', deptName, '食品安全法', '', 'T-0003']) {
        for (const filter of [{}, { department: deptCode }, { category: 'permit' as const }]) {
          const query = { q, page: 1, pageSize: 50, ...filter };
          expect(searchVersion(before, n, query), `${n} ${q}`).toEqual(searchVersion(fresh, n, query));
        }
      }
      expect(publishedCatalogue(services, getVersion(db, n)!).listItems({ page: 1, pageSize: 5000 }).total).toBe(versionItems(n).length);
    }
  });
});

describe('building the index when the server starts', () => {
  it('builds in the background from its own connection; meanwhile searches answer 503, then the index holds what was published meanwhile', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'warm-')), 'demo.db');
    copyFileSync(inject('demoDbPath'), path);
    const file = openDatabase(path);
    const fileServices = testServices(file);
    publishVersion(fileServices, SYSTEM_ACTOR, { title: '第1版' });
    const warming = fileServices.searchIndex.warm();
    expect(() => fileServices.searchIndex.current()).toThrow(expect.objectContaining({ status: 503, message: expect.stringContaining('正在建立') }));
    file.$client.prepare("UPDATE items SET name = name || '（启动时修改）', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second') WHERE id = (SELECT min(id) FROM items)").run();
    publishVersion(fileServices, SYSTEM_ACTOR, { title: '第2版' });
    const index = await warming;
    expect(fileServices.searchIndex.current()).toBe(index);
    const fresh = CatalogueIndex.build(file);
    expect(index.size).toBe(fresh.size);
    for (const n of [1, 2]) {
      for (const q of ['许可', '启动时修改', '证', '']) expect(searchVersion(index, n, { q, page: 1, pageSize: 50 })).toEqual(searchVersion(fresh, n, { q, page: 1, pageSize: 50 }));
    }
    expect(searchVersion(index, 2, { q: '启动时修改', page: 1, pageSize: 50 }).total).toBe(1);
    file.$client.close();
  });
});

describe('warming the search up once the index is ready', () => {
  it('asks searches of 1, 2, 3, 4 and 6 characters and of two terms, cut from the index’s own names, and each finds items', () => {
    const index = CatalogueIndex.build(db);
    const queries = warmUpQueries(index);
    expect(new Set(queries.map((q) => (q.includes(' ') ? 'two terms' : q.length)))).toEqual(new Set([1, 2, 3, 4, 6, 'two terms']));
    expect(queries.length).toBeGreaterThan(200);
    for (const q of queries) expect(searchVersion(index, index.lastVersion, { q, page: 1, pageSize: 20 }).total, q).toBeGreaterThan(0);
    let steps = 0;
    for (const _ of warmSearchSteps(index)) steps++;
    expect(steps).toBe(queries.length);
  });

  it('the server runs it after its index is built, in steps between requests, and it asks nothing of an index with no published version', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'warm-up-')), 'demo.db');
    copyFileSync(inject('demoDbPath'), path);
    const file = openDatabase(path);
    expect([...warmSearchSteps(CatalogueIndex.build(file))]).toHaveLength(0);
    const fileServices = testServices(file);
    publishVersion(fileServices, SYSTEM_ACTOR, { title: '第1版' });
    const asked: number[] = [];
    const original = CatalogueIndex.prototype.nameOf;
    CatalogueIndex.prototype.nameOf = function (doc: number) {
      asked.push(doc);
      return original.call(this, doc);
    };
    try {
      await fileServices.searchIndex.warm();
      for (let waited = 0; asked.length < 80 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      expect(asked.length).toBe(80);
    } finally {
      CatalogueIndex.prototype.nameOf = original;
      file.$client.close();
    }
  });
});
