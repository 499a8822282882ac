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
    proposedName: null, proposedCategory: null, proposedDisposition: null, proposedReason: null,
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

  it("a confirmed import's proposals follow its file's order, and take nothing from another import staged at the same time", () => {
    const { db, repo, item, importId } = staged();
    const other = repo.createImport({ originalName: 'other.xlsx', departmentId: null, mode: 'submission', createdBy: 'legal', createdById: null });
    const proposal = (name: string, category = 'permit') => JSON.stringify({ fields: { name, category }, citations: [] });
    const row = (id: number, rowNumber: number, name: string, departmentId = item.department_id): StagedRowValues => ({
      importId: id, sheet: '清单', rowNumber, code: null, name, departmentText: null, departmentId, itemId: null, kind: 'new',
      proposal: proposal(name), changes: null, errors: null, warnings: null, noBasis: false, flags: null,
      proposedName: name, proposedCategory: 'permit', proposedDisposition: null, proposedReason: null,
    });
    // Two uploads read at once: their rows lie between each other's in the table.
    repo.insertStagedRow(row(importId, 4, '甲'));
    repo.insertStagedRow(row(other, 4, '别的导入'));
    repo.insertStagedRow(row(importId, 5, '乙'));
    repo.insertStagedRow(row(importId, 6, '别的部门', item.department_id + 1));
    repo.insertStagedRow(row(other, 5, '别的导入二'));
    repo.insertStagedRow(row(importId, 7, '丙'));
    const submissionId = repo.createSubmission({ departmentId: item.department_id, importId, createdBy: 'legal', createdById: null });
    expect(repo.proposeRows(submissionId, importId, item.department_id)).toBe(3);
    expect(db.$client.prepare('SELECT name, category, kind FROM submission_items WHERE submission_id = ? ORDER BY id').all(submissionId)).toEqual([
      { name: '甲', category: 'permit', kind: 'new' },
      { name: '乙', category: 'permit', kind: 'new' },
      { name: '丙', category: 'permit', kind: 'new' },
    ]);
    const none = repo.createImport({ originalName: 'empty.xlsx', departmentId: null, mode: 'submission', createdBy: 'legal', createdById: null });
    expect(repo.proposeRows(submissionId, none, item.department_id)).toBe(0);
  });

  it('a restaged row\'s name, category, 处理意见 and reason follow its new proposal (what confirming copies)', () => {
    const { db, repo, importId } = staged();
    const id = db.$client.prepare('SELECT id FROM import_rows WHERE import_id = ?').pluck().get(importId) as number;
    repo.restageRow(id, { proposal: { fields: { name: '新名称', category: 'confirmation' }, citations: [], disposition: 'cancel', dispositionReason: '已废止' }, kind: 'changed' });
    expect(db.$client.prepare('SELECT proposed_name, proposed_category, proposed_disposition, proposed_reason FROM import_rows WHERE id = ?').raw().get(id)).toEqual([
      '新名称',
      'confirmation',
      'cancel',
      '已废止',
    ]);
  });
});
