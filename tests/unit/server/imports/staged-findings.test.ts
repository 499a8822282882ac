// Confirming an upload takes the findings its preview checked, unless something the checks read changed
// between the preview and the confirm: then the submission's proposals are checked again.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { openDatabase, type Db } from '../../../../db/client.js';
import { SYSTEM_ACTOR } from '../../../../db/audit.js';
import type { ItemRow } from '../../../../db/queries/items.js';
import { createImportRepository } from '../../../../db/queries/imports.js';
import { createReviewRepository } from '../../../../db/queries/review/index.js';
import { runImport } from '../../../../server/imports/service.js';
import { confirmImport } from '../../../../server/imports/confirm.js';
import { checkSubmissionItems } from '../../../../server/review/submissions.js';
import { readFields, updateItem } from '../../../../server/catalogue/items.js';
import { defaultConfig } from '../../../../server/config.js';
import { writeWorkbook } from '../../../support/sheets.js';

const dir = mkdtempSync(join(tmpdir(), 'staged-findings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ADMIN = { role: 'admin' as const, departmentId: null };
const today = () => new Date().toISOString().slice(0, 10);

/** A department's upload of two rows, staged: one without a basis, one named as another department's item. */
async function stagedUpload(name: string) {
  const path = join(dir, `${name}.db`);
  copyFileSync(inject('demoDbPath'), path);
  const db = openDatabase(path);
  const clerk = db.$client
    .prepare("SELECT u.id, u.username, u.department_id AS departmentId, d.code FROM users u JOIN departments d ON d.id = u.department_id WHERE u.role = 'department' ORDER BY u.id LIMIT 1")
    .get() as { id: number; username: string; departmentId: number; code: string };
  const other = db.$client.prepare('SELECT * FROM items WHERE department_id != ? AND removed_at IS NULL ORDER BY id LIMIT 1').get(clerk.departmentId) as ItemRow;
  const file = await writeWorkbook(join(dir, `${name}.xlsx`), [
    {
      name: '事项',
      rows: [
        ['序号', '事项名称', '事项类型', '设定依据'],
        [1, '测试无依据的许可', '行政许可', null],
        [2, other.name, '行政许可', '《中华人民共和国行政许可法》第十二条'],
      ],
    },
  ]);
  const actor = { id: clerk.id, name: clerk.username };
  const subject = { id: clerk.id, role: 'department' as const, departmentId: clerk.departmentId };
  const deps = { db, importRepository: createImportRepository({ db }) };
  const report = await runImport(deps, defaultConfig({ dbPath: path, uploadsDir: join(dir, `${name}-uploads`) }), {
    path: file,
    originalName: `${name}.xlsx`,
    departmentCode: clerk.code,
    mode: 'submission',
    actor,
    subject,
  });
  const confirm = () => confirmImport(deps, report.importId!, actor, subject).submissions[0]!.id;
  return { db, other, report, confirm };
}

const rulesOf = (db: Db, submissionId: number) =>
  (db.$client.prepare('SELECT name, flags FROM submission_items WHERE submission_id = ? ORDER BY id').all(submissionId) as { name: string; flags: string }[]).map((r) => ({
    name: r.name,
    rules: (JSON.parse(r.flags) as { rule: string }[]).map((f) => f.rule),
  }));

describe("a confirmed upload's findings", () => {
  it('are those a check of the submission finds: checking it again changes nothing', async () => {
    const { db, other, report, confirm } = await stagedUpload('unchanged');
    expect(report.errors).toEqual([]);
    const submissionId = confirm();
    const stored = db.$client.prepare('SELECT id, name, category, flags FROM submission_items WHERE submission_id = ? ORDER BY id').all(submissionId);
    const rules = rulesOf(db, submissionId);
    expect(rules.find((r) => r.name === '测试无依据的许可')!.rules).toContain('NO_BASIS');
    expect(rules.find((r) => r.name === other.name)!.rules).toContain('DUPLICATE_ACROSS_DEPARTMENTS');
    db.$client.transaction(() => checkSubmissionItems(createReviewRepository(db), submissionId, today()))();
    expect(db.$client.prepare('SELECT id, name, category, flags FROM submission_items WHERE submission_id = ? ORDER BY id').all(submissionId)).toEqual(stored);
  });

  it('follow a change made between the preview and the confirm: a namesake renamed since is no duplicate any more', async () => {
    const { db, other, confirm } = await stagedUpload('renamed');
    const staged = db.$client.prepare('SELECT flags FROM import_rows WHERE name = ?').pluck().get(other.name) as string;
    expect(staged).toContain('DUPLICATE_ACROSS_DEPARTMENTS');
    // The other department renames its item (audited) after the preview was checked.
    const row = db.$client.prepare('SELECT * FROM items WHERE id = ?').get(other.id) as ItemRow;
    updateItem(db, SYSTEM_ACTOR, ADMIN, row.code, { ...readFields(row), rowVersion: row.row_version, name: `${other.name}（已改名）` });
    const rules = rulesOf(db, confirm());
    expect(rules.find((r) => r.name === other.name)!.rules).not.toContain('DUPLICATE_ACROSS_DEPARTMENTS');
    expect(rules.find((r) => r.name === '测试无依据的许可')!.rules).toContain('NO_BASIS');
  });
});
