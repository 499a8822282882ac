import { describe, it, expect, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../../db/client.js';
import { verifyAuditLog } from '../../../db/audit.js';
import { loadRegistry } from '../../../db/seed/registry.js';
import { DEMO_DEPARTMENTS, demoCitedTitles, seedDemo } from '../../../db/seed/demo.js';
import { normalizeInstrumentTitle } from '../../../server/domain/instrument-title.js';

const all = <T>(db: Db, sql: string, ...params: unknown[]): T[] => db.$client.prepare(sql).all(...params) as T[];
const one = <T>(db: Db, sql: string, ...params: unknown[]): T => db.$client.prepare(sql).get(...params) as T;
const count = (db: Db, sql: string, ...params: unknown[]): number => one<{ n: number }>(db, sql, ...params).n;

describe('loadRegistry', () => {
  let db: Db;
  let first: { national: number; local: number; department: number };
  beforeAll(() => {
    db = openDatabase(':memory:', { registry: false });
    first = loadRegistry(db);
  });

  it('loads 1,270 national (two rows of the file are repeated verbatim), 1,915 local and 127 department rows', () => {
    expect(first).toEqual({ national: 1270, local: 1915, department: 127 });
    expect(count(db, "SELECT count(*) AS n FROM legal_instruments WHERE source = 'national-laws.csv'")).toBe(1270);
    expect(count(db, "SELECT count(*) AS n FROM legal_instruments WHERE source = 'local-regulations.csv'")).toBe(1915);
  });

  it('loading twice adds nothing and writes no second audit entry', () => {
    expect(loadRegistry(db)).toEqual({ national: 0, local: 0, department: 0 });
    expect(count(db, 'SELECT count(*) AS n FROM legal_instruments')).toBe(1270 + 1915 + 127);
    expect(count(db, "SELECT count(*) AS n FROM audit_log WHERE action = 'registry.load'")).toBe(1);
  });

  it('the load is one audit entry that names the counts and the files', () => {
    const entry = one<{ entity_type: string; after: string }>(db, "SELECT * FROM audit_log WHERE action = 'registry.load'");
    expect(entry.entity_type).toBe('legal_instrument');
    expect(JSON.parse(entry.after)).toMatchObject({
      added: 1270 + 1915 + 127,
      addedByFile: ['national-laws.csv：1270', 'local-regulations.csv：1915', 'department-rules.csv：127'],
    });
    expect(verifyAuditLog(db).ok).toBe(true);
  });

  it('中华人民共和国外资企业法 is repealed', () => {
    const rows = all<{ status: string; rank: string }>(
      db,
      "SELECT status, rank FROM legal_instruments WHERE title = '中华人民共和国外资企业法'",
    );
    expect(rows).toEqual([{ status: 'repealed', rank: 'law' }]);
  });

  it('national ranks map to constitution, law and administrative regulation', () => {
    const ranks = all<{ rank: string; n: number }>(
      db,
      "SELECT rank, count(*) AS n FROM legal_instruments WHERE source = 'national-laws.csv' GROUP BY rank ORDER BY rank",
    );
    expect(ranks).toEqual([
      { rank: 'administrative_regulation', n: 797 },
      { rank: 'constitution', n: 7 },
      { rank: 'law', n: 466 },
    ]);
  });

  it('an amended national version points at the version now in force', () => {
    const [old, current] = all<{ id: number; replaced_by_id: number | null; status: string }>(
      db,
      "SELECT id, replaced_by_id, status FROM legal_instruments WHERE normalized_title = '行政许可法' ORDER BY published_on",
    );
    expect(old?.status).toBe('amended');
    expect(current?.status).toBe('in_force');
    expect(old?.replaced_by_id).toBe(current?.id);
    expect(current?.replaced_by_id).toBeNull();
    // every link goes to a later version of the same text that is in force
    const bad = count(
      db,
      `SELECT count(*) AS n FROM legal_instruments o JOIN legal_instruments c ON c.id = o.replaced_by_id
        WHERE c.status <> 'in_force' OR c.normalized_title <> o.normalized_title OR c.published_on <= o.published_on`,
    );
    expect(bad).toBe(0);
    expect(count(db, 'SELECT count(*) AS n FROM legal_instruments WHERE replaced_by_id IS NOT NULL')).toBeGreaterThan(200);
  });

  it('local regulations keep their region, get their congress as issuing body and are amended when superseded', () => {
    const shanghai = one<Record<string, unknown>>(
      db,
      "SELECT rank, region, issuing_body, status FROM legal_instruments WHERE title = '上海市宗教事务条例'",
    );
    expect(shanghai).toEqual({
      rank: 'local_regulation',
      region: '上海',
      issuing_body: '上海市人民代表大会常务委员会',
      status: 'in_force',
    });
    expect(
      one<{ issuing_body: string }>(db, "SELECT issuing_body FROM legal_instruments WHERE title LIKE '济南市%' LIMIT 1")
        .issuing_body,
    ).toBe('济南市人民代表大会常务委员会');
    expect(
      one<{ issuing_body: string }>(db, "SELECT issuing_body FROM legal_instruments WHERE title LIKE '山东省%' LIMIT 1")
        .issuing_body,
    ).toBe('山东省人民代表大会常务委员会');
    expect(count(db, "SELECT count(*) AS n FROM legal_instruments WHERE source = 'local-regulations.csv' AND status = 'amended'")).toBe(32);
    expect(
      all<{ issuing_body: string }>(db, "SELECT DISTINCT issuing_body FROM legal_instruments WHERE title IN ('辽宁省消防条例', '西安市城市地下综合管廊条例') ORDER BY title").map((r) => r.issuing_body),
    ).toEqual(['西安市人民代表大会常务委员会', '辽宁省人民代表大会常务委员会']);
  });

  it('empty dates are stored as null, not as empty text', () => {
    expect(count(db, "SELECT count(*) AS n FROM legal_instruments WHERE published_on = '' OR effective_on = ''")).toBe(0);
    expect(count(db, 'SELECT count(*) AS n FROM legal_instruments WHERE effective_on IS NULL')).toBeGreaterThan(0);
  });

  it('normalized titles are what normalizeInstrumentTitle makes of the title', () => {
    const rows = all<{ title: string; normalized_title: string }>(db, 'SELECT title, normalized_title FROM legal_instruments');
    for (const r of rows) expect(r.normalized_title).toBe(normalizeInstrumentTitle(r.title));
  });
});

describe('seedDemo', () => {
  let db: Db;
  let result: { departments: number; items: number; citations: number };
  let ms: number;
  beforeAll(() => {
    db = openDatabase(':memory:');
    const start = performance.now();
    loadRegistry(db);
    result = seedDemo(db);
    ms = performance.now() - start;
  });

  it('refuses to run on an empty registry', () => {
    const empty = openDatabase(':memory:', { registry: false });
    expect(() => seedDemo(empty)).toThrow(/loadRegistry/);
    expect(count(empty, 'SELECT count(*) AS n FROM items')).toBe(0);
  });

  it('every title the demo cites exists in the registry', () => {
    for (const title of demoCitedTitles()) {
      expect(count(db, 'SELECT count(*) AS n FROM legal_instruments WHERE normalized_title = ?', title), title).toBeGreaterThan(0);
    }
  });

  it('yields 1,135 items and 34 departments', () => {
    expect(result.items).toBe(1135);
    expect(result.departments).toBe(34);
    expect(count(db, 'SELECT count(*) AS n FROM items')).toBe(1135);
    expect(count(db, 'SELECT count(*) AS n FROM departments')).toBe(34);
    expect(count(db, 'SELECT count(DISTINCT code) AS n FROM items')).toBe(1135);
  });

  it('departments have unique upper-case ASCII codes, level district and no parent', () => {
    const rows = all<{ code: string; level: string; parent_id: number | null; aliases: string }>(db, 'SELECT * FROM departments');
    expect(new Set(rows.map((r) => r.code)).size).toBe(34);
    for (const r of rows) {
      expect(r.code).toMatch(/^[A-Z]{2,10}$/);
      expect(r.level).toBe('district');
      expect(r.parent_id).toBeNull();
      expect(Array.isArray(JSON.parse(r.aliases))).toBe(true);
    }
    expect(new Set(DEMO_DEPARTMENTS.map((d) => d.code)).size).toBe(DEMO_DEPARTMENTS.length);
    const hr = one<{ aliases: string }>(db, "SELECT aliases FROM departments WHERE name = '区人社局'");
    expect(JSON.parse(hr.aliases)).toContain('区人力资源和社会保障局');
  });

  it('every item has a valid department, a category and level district', () => {
    expect(count(db, 'SELECT count(*) AS n FROM items i LEFT JOIN departments d ON d.id = i.department_id WHERE d.id IS NULL')).toBe(0);
    expect(count(db, "SELECT count(*) AS n FROM items WHERE level <> 'district'")).toBe(0);
    const cats = Object.fromEntries(
      all<{ category: string; n: number }>(db, 'SELECT category, count(*) AS n FROM items GROUP BY category').map((r) => [r.category, r.n]),
    );
    expect(cats).toEqual({ permit: 536, public_service: 348, other: 182, confirmation: 50, benefit: 9, adjudication: 8, reward: 2 });
    expect(count(db, "SELECT count(*) AS n FROM items i JOIN departments d ON d.id = i.department_id WHERE d.name = '区行政审批局'")).toBe(344);
  });

  it('sub-items link to their listed main item in the same department; others keep the main item name', () => {
    const links = all<{ child: string; parent: string; same: number; grand: number | null }>(
      db,
      `SELECT c.name AS child, p.name AS parent, c.department_id = p.department_id AS same, p.parent_id AS grand
         FROM items c JOIN items p ON p.id = c.parent_id`,
    );
    expect(links.length).toBeGreaterThan(40);
    for (const l of links) {
      expect(l.same).toBe(1);
      expect(l.grand).toBeNull();
      expect(l.child).not.toBe(l.parent);
    }
    expect(links).toContainEqual({ child: '机动车驾驶员培训变更备案', parent: '机动车驾驶员培训备案', same: 1, grand: null });
    expect(count(db, 'SELECT count(*) AS n FROM items WHERE parent_id IS NOT NULL AND main_item_name IS NOT NULL')).toBe(0);
    expect(count(db, "SELECT count(*) AS n FROM items WHERE main_item_name = '企业设立、变更、注销登记'")).toBe(35);
    expect(count(db, 'SELECT count(*) AS n FROM items WHERE main_item_name IS NOT NULL')).toBeGreaterThan(300);
  });

  it('most items (>85%) have a setting citation and some (>2%) have none', () => {
    const withSetting = count(db, "SELECT count(DISTINCT item_id) AS n FROM citations WHERE role = 'setting'");
    const none = count(db, 'SELECT count(*) AS n FROM items WHERE id NOT IN (SELECT item_id FROM citations)');
    expect(withSetting / 1135).toBeGreaterThan(0.85);
    expect(none / 1135).toBeGreaterThan(0.02);
    expect(none / 1135).toBeLessThan(0.1);
    expect(count(db, 'SELECT count(*) AS n FROM citations')).toBe(result.citations);
  });

  it('citations cite the version in force, a few a repealed law, an old version or an unregistered instrument', () => {
    const byStatus = Object.fromEntries(
      all<{ status: string | null; n: number }>(
        db,
        `SELECT l.status AS status, count(*) AS n FROM citations c LEFT JOIN legal_instruments l ON l.id = c.instrument_id
          GROUP BY l.status`,
      ).map((r) => [String(r.status), r.n]),
    );
    expect(byStatus.in_force).toBeGreaterThan(900);
    expect(byStatus.repealed).toBeGreaterThan(10);
    expect(byStatus.amended).toBeGreaterThan(10);
    expect(byStatus.null).toBeGreaterThan(15);
    // The old version is cited by its year, e.g. 《中华人民共和国行政许可法（2003年）》.
    const old = all<{ title: string }>(
      db,
      "SELECT c.title FROM citations c JOIN legal_instruments l ON l.id = c.instrument_id WHERE l.status = 'amended'",
    );
    for (const c of old) expect(c.title).toMatch(/（\d{4}年(修正|修订)?）》$/);
    // Unregistered instruments stay out of the registry.
    expect(count(db, "SELECT count(*) AS n FROM legal_instruments WHERE source NOT IN ('national-laws.csv', 'local-regulations.csv', 'department-rules.csv')")).toBe(0);
    const unknown = all<{ title: string; document_number: string | null }>(db, 'SELECT title, document_number FROM citations WHERE instrument_id IS NULL');
    for (const c of unknown) expect(c.title).toMatch(/^《(四川省|广安市)/);
    expect(unknown.some((c) => /川府发〔\d{4}〕\d+号/.test(c.document_number ?? ''))).toBe(true);
  });

  it('citations read like a department wrote them: 《title》, Chinese article numbers, a tag', () => {
    const rows = all<{ title: string; article: string; tag: string | null; role: string }>(db, 'SELECT * FROM citations');
    for (const r of rows) {
      expect(r.title).toMatch(/^《.+》$/);
      expect(r.article).toMatch(/^第[一二三四五六七八九十百零]+条(第[一二三四五六七八九十]+款)?(第（[一二三四五六七八九十]+）项)?$/);
      expect(['setting', 'implementing']).toContain(r.role);
    }
    expect(rows.some((r) => r.role === 'implementing')).toBe(true);
    expect(rows.some((r) => r.title.startsWith('《中华人民共和国'))).toBe(true);
    const wrongTags = count(
      db,
      `SELECT count(*) AS n FROM citations c JOIN legal_instruments l ON l.id = c.instrument_id
        WHERE (l.rank = 'law' AND c.tag = '【行政法规】') OR (l.rank = 'administrative_regulation' AND c.tag = '【法律】')`,
    );
    expect(wrongTags).toBeGreaterThan(0);
  });

  it('service-guide details are filled in, with a handful of promised limits above the statutory one', () => {
    const items = all<{
      service_objects: string;
      statutory_limit_days: number | null;
      promised_limit_days: number | null;
      instant: number;
      fee_charged: number;
      fee_standard: string;
      conditions: string;
      materials: string;
      contact_phone: string;
      supervision_phone: string;
      category: string;
    }>(db, 'SELECT * FROM items');
    for (const i of items) {
      const objects = JSON.parse(i.service_objects) as string[];
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) expect(['citizens', 'enterprises', 'organisations', 'government']).toContain(o);
      expect(i.contact_phone).toMatch(/^0826-2\d{6}$/);
      expect(i.supervision_phone).toMatch(/^0826-2\d{6}$/);
      expect(i.conditions).toMatch(/^1\. .+；2\. /);
      expect(i.materials).toMatch(/^1\. .+；2\. /);
      if (!i.fee_charged) expect(i.fee_standard).toBe('不收费');
    }
    const over = items.filter((i) => i.statutory_limit_days != null && i.promised_limit_days != null && i.promised_limit_days > i.statutory_limit_days);
    expect(over.length).toBeGreaterThanOrEqual(3);
    expect(over.length).toBeLessThan(20);
    const permits = items.filter((i) => i.category === 'permit');
    const twenty = permits.filter((i) => i.statutory_limit_days === 20).length;
    expect(twenty / permits.length).toBeGreaterThan(0.5);
    expect(items.filter((i) => i.instant && i.category === 'public_service').length).toBeGreaterThan(100);
    expect(permits.some((i) => i.service_objects === '["government"]')).toBe(true);
    const fees = items.filter((i) => i.fee_charged).length;
    expect(fees).toBeGreaterThan(0);
    expect(fees).toBeLessThan(60);
  });

  it('writes exactly one audit entry, which verifyAuditLog accepts', () => {
    const entries = all<{ entity_type: string; after: string }>(db, "SELECT * FROM audit_log WHERE action = 'seed.demo'");
    expect(entries).toHaveLength(1);
    expect(entries[0]!.entity_type).toBe('catalogue');
    expect(JSON.parse(entries[0]!.after)).toMatchObject({ departments: 34, items: 1135, citations: result.citations });
    expect(count(db, 'SELECT count(*) AS n FROM audit_log')).toBe(2); // registry.load + seed.demo
    expect(verifyAuditLog(db)).toMatchObject({ ok: true, entries: 2, problems: [] });
  });

  it('running it again changes nothing', () => {
    expect(seedDemo(db)).toEqual({ departments: 0, items: 0, citations: 0 });
    expect(count(db, 'SELECT count(*) AS n FROM items')).toBe(1135);
    expect(count(db, 'SELECT count(*) AS n FROM audit_log')).toBe(2);
  });

  it('is deterministic: a second database gets the same rows', () => {
    const other = openDatabase(':memory:');
    loadRegistry(other);
    seedDemo(other);
    const dump = (d: Db) =>
      JSON.stringify([
        all(d, 'SELECT code, name, parent_id, main_item_name, category, department_id, service_objects, statutory_limit_days, promised_limit_days, instant, fee_charged, fee_standard, fee_basis, conditions, materials, process_text, contact_phone, supervision_phone FROM items ORDER BY id'),
        all(d, 'SELECT item_id, seq, instrument_id, title, article, document_number, role, tag FROM citations ORDER BY id'),
        all(d, 'SELECT code, name, aliases FROM departments ORDER BY id'),
      ]);
    expect(dump(other)).toBe(dump(db));
  });

  it('loadRegistry + seedDemo run in well under two seconds', () => {
    console.log(`loadRegistry + seedDemo: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2000);
  });
});
