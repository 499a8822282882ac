// The imports repository: what a stopped import leaves behind, and which items an import leaves out.
import { describe, it, expect } from 'vitest';
import { demoDb } from '../../../support/db.js';
import { createImportRepository, type StagedRowValues } from '../../../../db/queries/imports.js';

function staged() {
  const db = demoDb();
  const repo = createImportRepository({ db });
  const item = db.$client.prepare('SELECT id, department_id FROM items WHERE removed_at IS NULL ORDER BY id LIMIT 1').get() as { id: number; department_id: number };
  const importId = repo.createImport({ originalName: 't.xlsx', departmentId: null, mode: 'submission', createdBy: 'legal', createdById: null });
  const row: StagedRowValues = {
    importId, sheet: '清单', rowNumber: 3, code: null, name: '某事项', departmentText: null, departmentId: item.department_id,
    itemId: item.id, kind: 'unchanged', proposal: null, changes: null, errors: null, warnings: null, noBasis: false, flags: null,
  };
  repo.insertStagedRow(row);
  const rowsOf = () => (db.$client.prepare('SELECT count(*) AS n FROM import_rows WHERE import_id = ?').get(importId) as { n: number }).n;
  return { db, repo, item, importId, rowsOf };
}

describe('the imports repository', () => {
  it('a refused import keeps its record with the reason, and its staged rows go', () => {
    const { repo, importId, rowsOf } = staged();
    repo.clearStagedRows(importId);
    repo.markRefused(importId, 'failed', '读取文件时出现意外错误');
    expect(rowsOf()).toBe(0);
    expect(repo.importRecord(importId)).toMatchObject({ status: 'refused', refusalCode: 'failed', refusalMessage: '读取文件时出现意外错误', finishedAt: expect.any(String) });
  });

  it('a deleted import takes its staged rows with it', () => {
    const { repo, importId, rowsOf } = staged();
    repo.deleteImport(importId);
    expect(repo.importRecord(importId)).toBeUndefined();
    expect(rowsOf()).toBe(0);
  });

  it('the items an import leaves out are counted the same from the departments staging saw and from the staged rows', () => {
    const { db, repo, item, importId } = staged();
    const active = (db.$client.prepare('SELECT count(*) AS n FROM items WHERE department_id = ? AND removed_at IS NULL').get(item.department_id) as { n: number }).n;
    expect(repo.countMissingItems(importId, { departmentIds: [item.department_id] })).toBe(active - 1);
    expect(repo.countMissingItems(importId, { departmentIds: [] })).toBe(0);
    expect(repo.missingItems(importId, 5).total).toBe(active - 1);
  });
});
