// Staging rows as they arrive from the reading child: what import_rows holds for each.
import { describe, it, expect } from 'vitest';
import { deserialize, serialize } from 'node:v8';
import { demoDb } from '../../../support/db.js';
import { importRow } from '../../../../imports/rows.js';
import { buildRegistryIndex, matchCitation, type RegistryInstrument } from '../../../../imports/legal-basis.js';
import { RowBatch, decodeRows, encodeRow } from '../../../../imports/row-message.js';
import { createImportRepository } from '../../../../db/queries/imports.js';
import { departmentNameIndex, registryInstruments } from '../../../../server/imports/service.js';
import { emptyCounts, presentFields, stageBatch, type StageContext } from '../../../../server/imports/stage.js';
import { registryForChecks } from '../../../../server/checks/load.js';
import { checkDeps, createCheckContext } from '../../../../server/checks/context.js';
import type { ColumnKey } from '../../../../imports/columns.js';

const HEADERS: Partial<Record<ColumnKey, string>> = { code: '事项编码', name: '事项名称', category: '事项类型', department: '实施主体', basis: '设定依据', materials: '申请材料' };

function stage(rows: Partial<Record<ColumnKey, string>>[]) {
  const db = demoDb();
  const sqlite = db.$client;
  const legal = sqlite.prepare("SELECT id FROM users WHERE username = 'legal'").get() as { id: number };
  const importId = Number(
    sqlite.prepare("INSERT INTO imports (original_name, department_id, mode, status, created_by, created_by_id) VALUES ('t.xlsx', NULL, 'submission', 'reading', 'legal', ?)").run(legal.id)
      .lastInsertRowid,
  );
  const imports = createImportRepository({ db });
  const instruments: RegistryInstrument[] = registryInstruments(imports);
  const ctx: StageContext = {
    imports,
    importId,
    fixedDepartment: null,
    departmentsByName: departmentNameIndex(imports),
    present: presentFields(HEADERS),
    unknownDepartments: new Set(),
    departmentIds: new Set(),
    checkRegistry: registryForChecks(checkDeps(db).checks),
    checkContext: createCheckContext('2026-06-01'),
  };
  const index = buildRegistryIndex(instruments);
  const imported = rows.map((values, i) => importRow({ sheet: '清单', rowNumber: i + 3, values }, HEADERS));
  const counts = emptyCounts();
  const batch = new RowBatch();
  for (const row of imported) batch.add(encodeRow(row, index));
  stageBatch(ctx, decodeRows(deserialize(serialize(batch.take())) as Uint8Array), counts);
  const staged = sqlite.prepare('SELECT * FROM import_rows WHERE import_id = ? ORDER BY id').all(importId) as Record<string, unknown>[];
  return { db, ctx, imported, staged, counts, index };
}

describe('staging rows', () => {
  it('stores each proposal exactly as JSON.stringify({ ...proposal, present }) of its parts, the citations matched to the registry', () => {
    const db = demoDb();
    const item = db.$client
      .prepare('SELECT i.code, i.name, d.name AS department FROM items i JOIN departments d ON d.id = i.department_id WHERE i.removed_at IS NULL ORDER BY i.id LIMIT 1')
      .get() as { code: string; name: string; department: string };
    const { staged, imported, ctx, counts, index } = stage([
      { name: '新的事项（一）', category: '行政许可', department: item.department, basis: '《中华人民共和国行政许可法》第十二条', materials: '1. 申请表\n2. 身份证明' },
      { code: item.code, name: `${item.name}（改名）`, category: '行政许可', department: item.department, basis: '无' },
      { name: '没有部门的事项', category: '行政许可' },
      { code: item.code, name: '重复编码', category: '行政许可', department: item.department },
    ]);
    expect(staged.map((r) => r.kind)).toEqual(['new', 'changed', 'error', 'error']);
    expect(counts).toMatchObject({ items: 2, new: 1, changed: 1, errorRows: 2 });
    for (const i of [0, 1]) {
      const row = imported[i]!;
      const proposal = {
        code: row.code,
        fields: row.fields,
        mainItemName: row.mainItemName,
        citations: row.citations.map((c) => ({ ...c, instrumentId: matchCitation(index, c).instrumentId })),
        prerequisites: row.prerequisites,
        disposition: row.disposition,
        dispositionReason: row.dispositionReason,
      };
      expect(staged[i]!.proposal).toBe(JSON.stringify({ ...proposal, present: ctx.present }));
    }
    expect(JSON.parse(staged[0]!.proposal as string).citations[0].instrumentId).toEqual(expect.any(Number));
    expect(JSON.parse(staged[1]!.changes as string).map((c: { field: string }) => c.field)).toContain('name');
    expect(JSON.parse(staged[2]!.errors as string)).toEqual([{ column: '实施主体', message: expect.stringContaining('缺少实施主体') }]);
    expect(JSON.parse(staged[3]!.errors as string)[0].message).toContain('重复');
    expect(staged[2]!.proposal).toBeNull();
    expect([...ctx.departmentIds]).toEqual([staged[0]!.department_id]);
  });

  it('counts as 无设定依据 the rows the NO_BASIS rule flags: a public service without a basis is no administrative power and is not counted', () => {
    const { staged, counts } = stage([
      { name: '某许可事项', category: '行政许可', department: '区人社局' },
      { name: '某公共服务事项', category: '公共服务', department: '区人社局' },
      { name: '有依据的许可', category: '行政许可', department: '区人社局', basis: '《中华人民共和国食品安全法》第三十五条' },
    ]);
    expect(staged.map((r) => r.no_basis)).toEqual([1, 0, 0]);
    expect(counts.noBasis).toBe(1);
    const noBasisFlags = staged.map((r) => ((JSON.parse((r.flags as string | null) ?? '[]') as { rule: string }[]).some((f) => f.rule === 'NO_BASIS') ? 1 : 0));
    expect(noBasisFlags).toEqual([1, 0, 0]);
  });
});
