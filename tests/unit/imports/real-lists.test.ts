// Lists that governments really published (tests/fixtures/real/README.md) go in whole through the
// import a person runs (`catalogue import FILE --dry-run`, and --baseline): no real row is lost for a
// soft reason, sub-items hang under their main item, and the departments the catalogue has are matched.
import { describe, it, expect, beforeEach, afterEach, inject } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '../../../server/cli.js';
import { openDatabase } from '../../../db/client.js';
import { REAL } from '../../fixtures/real/build-real.js';
import { readUpload } from '../../../imports/read-upload.js';
import { findTables, type SheetInfo } from '../../../imports/table.js';
import { importRow, type ImportedRow } from '../../../imports/rows.js';
import { subItemRows } from '../../../imports/sub-items.js';
import { PROPOSAL_OF_SI } from '../../../db/queries/review/proposal.js';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'real-'));
  dbPath = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), dbPath);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Issue {
  sheet: string;
  row: number;
  column: string;
  message: string;
  cell?: string;
}
interface Summary {
  rows: number;
  items: number;
  new: number;
  noBasis: number;
  errors: Issue[];
  warnings: Issue[];
  unknownDepartments: string[];
}

async function importFile(file: string, ...args: string[]): Promise<Summary> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '' };
  const code = await main(['import', join(REAL, file), '--json', '--db', dbPath, ...args], io, {});
  expect(err.join('\n')).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out.join('\n')) as Summary;
}

/** The rows as the reading child hands them on (imports/worker.ts): table, row rules, sub-items. */
async function readRows(file: string): Promise<ImportedRow[]> {
  let headers: SheetInfo['headers'] = {};
  const subItems = subItemRows();
  const rows: ImportedRow[] = [];
  for await (const e of findTables(readUpload(join(REAL, file)))) {
    if (e.type === 'sheet') {
      rows.push(...subItems.sheet(e.info.headers.name ?? '事项名称'));
      headers = e.info.headers;
    } else if (e.type === 'row') rows.push(...subItems.push(importRow(e.row, headers)));
  }
  rows.push(...subItems.end());
  return rows;
}

const count = (values: (string | null | undefined)[]) => values.reduce<Record<string, number>>((n, v) => ({ ...n, [String(v)]: (n[String(v)] ?? 0) + 1 }), {});

function addDepartments(names: string[]): void {
  const db = openDatabase(dbPath);
  names.forEach((name, i) => db.$client.prepare("INSERT INTO departments (code, name, level) VALUES (?, ?, 'city')").run(`XA${i + 1}`, name));
  db.$client.close();
}

describe('a city 权责清单 exported from a provincial platform (西安, 服务事项 / 行驶主体 / 承办机构 / 监管电话)', () => {
  it('imports every row: 其他权力类型 is a category, names over 200 characters are kept with a warning naming the cell', async () => {
    addDepartments(['西安市市场监督管理局', '市公安局']);
    const report = await importFile('xian-quanze.xlsx', '--dry-run');
    expect(report).toMatchObject({ rows: 18, items: 18, errors: [] });
    const rows = await readRows('xian-quanze.xlsx');
    expect(rows).toHaveLength(18);
    expect(rows.every((r) => r.errors.length === 0)).toBe(true);
    expect(count(rows.map((r) => r.fields!.category))).toEqual({ penalty: 12, permit: 1, confirmation: 1, inspection: 1, other: 2, enforcement: 1 });
    const long = report.warnings.filter((w) => w.message.startsWith('事项名称长达'));
    expect(long.map((w) => [w.sheet, w.row, w.column, w.cell!.length])).toEqual([
      ['权责清单', 9, '服务事项', 207],
      ['权责清单', 15, '服务事项', 204],
    ]);
    expect(rows.find((r) => r.rowNumber === 9)!.fields!.name).toHaveLength(207);
    // 行驶主体 names the department (承办机构 is the office inside it): the two on file are matched, the rest listed.
    expect(count(rows.map((r) => r.departmentText))).toMatchObject({ 西安市市场监督管理局: 5, 市公安局: 2 });
    expect(report.unknownDepartments).not.toContain('西安市市场监督管理局');
    expect(report.unknownDepartments).not.toContain('市公安局');
    expect(report.unknownDepartments).toContain('西安市水务局');
    expect(report.unknownDepartments).not.toContain('西安市文化市场综合执法支队');
  });
});

describe('a provincial catalogue with national codes (辽宁政务服务网: 事项类型 01–10/20/99, 实施层级 "2,3")', () => {
  it('imports all 30 rows: type 99 and 20 are categories, level lists are read, the 21 numeric departments are listed to map', async () => {
    const report = await importFile('liaoning-catalogue.xlsx', '--dry-run');
    expect(report).toMatchObject({ rows: 30, items: 30, errors: [] });
    const rows = await readRows('liaoning-catalogue.xlsx');
    expect(rows).toHaveLength(30);
    const byCode = new Map(rows.map((r) => [r.code, r.fields]));
    expect(byCode.get('219964005000')).toMatchObject({ category: 'other', level: 'town' }); // 99, "2,3,4"
    expect(byCode.get('212011084000')).toMatchObject({ category: 'public_service', level: 'city' }); // 20, "2"
    expect(byCode.get('210973001000')).toMatchObject({ category: 'adjudication', level: 'district' }); // 09, "2,3"
    expect(rows.every((r) => r.fields!.category !== 'unclassified' && r.fields!.level !== null)).toBe(true);
    expect(report.unknownDepartments).toHaveLength(21);
  });
});

describe('a district service guide with sub-items in merged cells (四川政务服务网, 广安区)', () => {
  const GUANGAN_DEPARTMENTS = "('区住建局', '区卫健局', '区市监局', '区司法局', '区水务局')";
  /** The demo catalogue is made from the same platform's list: empty these departments for a first upload. */
  const emptyDepartments = () => {
    const db = openDatabase(dbPath);
    db.$client.exec(`DELETE FROM items WHERE department_id IN (SELECT id FROM departments WHERE name IN ${GUANGAN_DEPARTMENTS})`);
    db.$client.close();
  };

  it('imports all 132 rows as 143 items: 11 main items made from their sub-items, 42 sub-items, every department matched', async () => {
    emptyDepartments();
    const report = await importFile('guangan-service-guide.xlsx', '--dry-run');
    expect(report).toMatchObject({ rows: 132, items: 143, errors: [], unknownDepartments: [] });
    const rows = await readRows('guangan-service-guide.xlsx');
    expect(rows).toHaveLength(143);
    expect(rows.every((r) => r.errors.length === 0)).toBe(true);
    const subs = rows.filter((r) => r.mainItemName !== null);
    expect(subs).toHaveLength(42);
    expect(rows.filter((r) => !r.mainItemName && subs.some((s) => s.mainItemName === r.name))).toHaveLength(15);
    const made = report.warnings.filter((w) => w.message.includes('没有自己的一行'));
    expect(made).toHaveLength(11);
    expect(made[0]).toMatchObject({ sheet: '办事指南目录', column: '事项名称', cell: '基层法律服务工作者执业、变更、注销许可' });
    // No item is named after a bare action: every sub-item has its main item.
    const food = subs.filter((r) => r.mainItemName === '对食品小作坊、小经营店进行备案').map((r) => r.name);
    expect(food).toHaveLength(8);
    expect(new Set(subs.map((r) => r.code)).size).toBe(42);
  });

  it('uploaded onto a catalogue that keeps these sub-items without their main items (the demo), it proposes no made main item', async () => {
    const report = await importFile('guangan-service-guide.xlsx', '--dry-run');
    expect(report).toMatchObject({ rows: 132, items: 132, new: 0, errors: [] });
  });

  it('submitted for review, every one of its 143 items is a proposal that reads back as it was staged', async () => {
    emptyDepartments();
    const report = await importFile('guangan-service-guide.xlsx', '--user', 'legal');
    expect(report).toMatchObject({ rows: 132, items: 143, errors: [], unknownDepartments: [] });
    const db = openDatabase(dbPath);
    // Each submission item reads its proposal from the row it was staged from (db/queries/review/proposal.ts).
    const proposals = db.$client
      .prepare(
        `SELECT ${PROPOSAL_OF_SI} AS proposal, r.proposal AS staged FROM submission_items si JOIN submissions s ON s.id = si.submission_id
           JOIN import_rows r ON r.id = si.import_row_id WHERE s.import_id = (SELECT max(id) FROM imports) ORDER BY si.id`,
      )
      .all() as { proposal: string; staged: string }[];
    const submitted = db.$client.prepare('SELECT count(*) FROM submission_items si JOIN submissions s ON s.id = si.submission_id WHERE s.import_id = (SELECT max(id) FROM imports)').pluck().get();
    db.$client.close();
    expect(submitted).toBe(143);
    expect(proposals).toHaveLength(143);
    expect(proposals.every((p) => p.proposal !== null && p.proposal === p.staged)).toBe(true);
    expect(proposals.filter((p) => (JSON.parse(p.proposal) as { mainItemName: string | null }).mainItemName !== null)).toHaveLength(42);
  });

  it('its 无设定依据 count is the items the NO_BASIS rule flags for having no setting basis: its public services, which need none, are not counted', async () => {
    emptyDepartments();
    const report = await importFile('guangan-service-guide.xlsx', '--user', 'legal');
    const db = openDatabase(dbPath);
    const staged = db.$client
      .prepare("SELECT proposal, flags, no_basis FROM import_rows WHERE import_id = (SELECT max(id) FROM imports) AND kind <> 'error'")
      .all() as { proposal: string; flags: string | null; no_basis: number }[];
    db.$client.close();
    const flagged = staged.filter((r) => ((JSON.parse(r.flags ?? '[]') as { rule: string }[]).some((f) => f.rule === 'NO_BASIS')));
    const publicServices = staged.filter((r) => (JSON.parse(r.proposal) as { fields: { category: string } }).fields.category === 'public_service');
    expect(staged).toHaveLength(143);
    expect(publicServices.length).toBeGreaterThan(0);
    expect(report.noBasis).toBe(flagged.length);
    expect(staged.filter((r) => r.no_basis === 1)).toEqual(flagged);
    expect(publicServices.every((r) => r.no_basis === 0)).toBe(true);
  });

  it('loaded as a baseline, each sub-item hangs under its main item', async () => {
    emptyDepartments();
    await importFile('guangan-service-guide.xlsx', '--baseline', '--user', 'legal');
    const db = openDatabase(dbPath);
    const subItems = db.$client
      .prepare('SELECT c.name, p.name AS parent FROM items c JOIN items p ON p.id = c.parent_id JOIN departments d ON d.id = c.department_id WHERE d.name = ? ORDER BY c.id')
      .all('区卫健局') as { name: string; parent: string }[];
    db.$client.close();
    expect(subItems).toEqual([
      { name: '母婴保健技术服务机构执业许可校验（县级）', parent: '母婴保健技术服务机构执业许可' },
      { name: '母婴保健技术服务执业许可校验（婚前医学检查)', parent: '母婴保健技术服务机构执业许可' },
      { name: '麻醉药品和第一类精神药品购用许可延续', parent: '麻醉药品和第一类精神药品购用许可' },
      { name: '麻醉药品和第一类精神药品购用许可新办审批', parent: '麻醉药品和第一类精神药品购用许可' },
      { name: '麻醉药品和第一类精神药品购用许可遗失补办', parent: '麻醉药品和第一类精神药品购用许可' },
      { name: '麻醉药品和第一类精神药品购用许可变更', parent: '麻醉药品和第一类精神药品购用许可' },
    ]);
  });
});
