// Confirming an upload does not write its proposals a second time: each submission item reads its
// proposal from the staged row it came from, until one is written over it (a returned proposal
// corrected). Those staged rows are then the submission's record: they cannot change nor be deleted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confirmImport } from '../../../../server/imports/confirm.js';
import { createReviewRepository } from '../../../../db/queries/review/index.js';
import { createChecksRepository } from '../../../../db/queries/checks.js';
import { updateReturnedProposal } from '../../../../db/queries/basis.js';
import { writeWorkbook } from '../../../support/sheets.js';
import { importAsFirstClerk } from '../../../support/imports.js';

const dir = mkdtempSync(join(tmpdir(), 'submitted-proposals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = ['序号', '事项名称', '事项类型', '设定依据', '承诺时限'];

async function confirmedUpload() {
  const file = await writeWorkbook(join(dir, `list-${Date.now()}.xlsx`), [
    {
      name: '清单',
      rows: [HEADER, [1, '公共场所卫生许可（新办）', '行政许可', '《公共场所卫生管理条例》第八条', '10'], [2, '小餐饮登记（新办）', '行政许可', '《中华人民共和国食品安全法》第三十六条', '5']],
    },
  ]);
  const run = await importAsFirstClerk(dir, file);
  expect(run.report.errors).toEqual([]);
  const result = confirmImport(run.deps, run.report.importId!, run.actor, run.subject);
  const staged = run.db.$client.prepare('SELECT id, proposal FROM import_rows WHERE import_id = ? ORDER BY id').all(run.report.importId) as { id: number; proposal: string }[];
  const submitted = run.db.$client.prepare('SELECT id, import_row_id AS importRowId, proposal FROM submission_items WHERE submission_id = ? ORDER BY id').all(result.submissions[0]!.id) as {
    id: number;
    importRowId: number;
    proposal: string | null;
  }[];
  return { ...run, staged, submitted };
}

describe("an upload's proposals are read from its staged rows", () => {
  it('confirming an upload refers each submission item to its staged row instead of copying the proposal', async () => {
    const { db, staged, submitted } = await confirmedUpload();
    expect(staged).toHaveLength(2);
    expect(submitted.map((s) => ({ importRowId: s.importRowId, proposal: s.proposal }))).toEqual(staged.map((r) => ({ importRowId: r.id, proposal: null })));
    // Every reader of a proposal sees the staged one: the review's rules, its page, the open-proposal checks.
    const review = createReviewRepository(db);
    const open = [...createChecksRepository(db).openProposals(null)];
    for (const [k, s] of submitted.entries()) {
      const proposal = JSON.parse(staged[k]!.proposal) as Record<string, unknown>;
      expect(review.items.get(s.id)?.proposal).toEqual(proposal);
      expect(review.queue.item(s.id)?.proposal).toEqual(proposal);
      expect(JSON.parse(open.find((o) => o.id === s.id)!.proposal)).toEqual(proposal);
    }
    // They are proposals with fields, not removals.
    expect([...review.items.removalsForChecks(review.items.get(submitted[0]!.id)!.submissionId)]).toEqual([]);
    db.$client.close();
  });

  it("a proposal written over an upload's (a returned proposal corrected) is the one read, the staged row unchanged", async () => {
    const { db, staged, submitted } = await confirmedUpload();
    const review = createReviewRepository(db);
    const sent = review.items.get(submitted[0]!.id)!;
    expect(review.items.transition(sent.id, sent.rowVersion, 'returned', { returnRequest: '请补充承诺时限的依据' })).toBe(true);
    const first = review.items.get(sent.id)!;
    const corrected = { ...(first.proposal as Record<string, unknown>), fields: { ...((first.proposal as { fields: object }).fields), promisedLimitDays: 3 } };
    expect(updateReturnedProposal(db, first.id, first.rowVersion, { name: '公共场所卫生许可（新办）', category: 'permit', proposal: corrected, changes: [] })).toBe(true);
    expect(review.items.get(first.id)?.proposal).toEqual(corrected);
    expect(review.queue.item(first.id)?.proposal).toEqual(corrected);
    expect(db.$client.prepare('SELECT proposal FROM import_rows WHERE id = ?').pluck().get(staged[0]!.id)).toBe(staged[0]!.proposal);
    db.$client.close();
  });

  it('the staged rows of a submitted upload can be neither changed nor deleted', async () => {
    const { db, report, staged } = await confirmedUpload();
    expect(() => db.$client.prepare("UPDATE import_rows SET proposal = '{}' WHERE id = ?").run(staged[0]!.id)).toThrow(/do not change/);
    expect(() => db.$client.prepare('DELETE FROM import_rows WHERE import_id = ?').run(report.importId)).toThrow(/FOREIGN KEY/);
    expect(db.$client.prepare('SELECT count(*) FROM import_rows WHERE import_id = ? AND proposal IS NOT NULL').pluck().get(report.importId)).toBe(2);
    db.$client.close();
  });
});
