// One check context everywhere: the full check, the import preview, the submission and the finalise
// compare an item with the same catalogue, so none of them drops a flag another one raised.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createReviewRepository } from '../../db/queries/review/index.js';
import { join } from 'node:path';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { tempDir, writeWorkbook } from '../support/sheets.js';
import { importSettled, uploadSheet } from '../support/imports.js';
import { prerequisiteWriter } from '../../server/analysis/prerequisites.js';
import { assignExperts, closeExpertReview, decideItems, finaliseItems, type Reviewer } from '../../server/review/service.js';

let server: TestServer;
let legal: TestClient;
beforeAll(async () => {
  server = await startTestServer(demoDb(), { uploadsDir: join(tempDir('uploads-'), 'uploads') });
  legal = server.client();
  await legal.login('legal');
});
afterAll(() => server.close());

const sql = (q: string, ...params: unknown[]) => server.db.$client.prepare(q).all(...params) as Record<string, any>[];
type Flag = { rule: string; message: string };
const RULES = ['DUPLICATE_ACROSS_DEPARTMENTS', 'PREREQUISITE_CYCLE'];
const picked = (flags: Flag[]) => flags.filter((f) => RULES.includes(f.rule)).map((f) => ({ rule: f.rule, message: f.message }));
const stored = (code: string): Flag[] =>
  picked(sql('SELECT f.rule, f.message FROM item_flags f JOIN items i ON i.id = f.item_id WHERE i.code = ? ORDER BY f.id', code) as Flag[]);

describe('one check context', () => {
  it('a flag raised by the full check is raised the same by the preview, the submission and the finalise', async () => {
    const db = server.db;
    const dept = (code: string) => sql('SELECT id, name FROM departments WHERE code = ?', code)[0] as { id: number; name: string };
    const [own, other] = [dept('XZSPJ'), dept('RSJ')];
    const add = (code: string, name: string, d: { id: number }) =>
      Number(db.$client.prepare("INSERT INTO items (code, name, category, department_id) VALUES (?, ?, 'permit', ?)").run(code, name, d.id).lastInsertRowid);
    // Names that differ only in what normalizeItemName removes (a qualifier in brackets).
    add('CTX-D1', '测试同名许可证核发', own);
    add('CTX-D2', '测试同名许可证核发（含新办、变更）', other);
    // A loop already in the catalogue, across two departments.
    const l1 = add('CTX-L1', '测试环甲审批', own);
    const l2 = add('CTX-L2', '测试环乙审批', other);
    const writer = prerequisiteWriter(db);
    writer.replace({ id: l1, departmentId: own.id }, ['测试环乙审批']);
    writer.replace({ id: l2, departmentId: other.id }, ['测试环甲审批']);

    // The full check.
    expect((await legal.postForm('/workspace/flags/recheck', {})).status).toBe(303);
    const full = { 'CTX-D1': stored('CTX-D1'), 'CTX-L1': stored('CTX-L1') };
    expect(full['CTX-D1'].map((f) => f.rule)).toEqual(['DUPLICATE_ACROSS_DEPARTMENTS']);
    expect(full['CTX-D1'][0]!.message).toContain('测试同名许可证核发（含新办、变更）');
    expect(full['CTX-L1'].map((f) => f.rule)).toEqual(['PREREQUISITE_CYCLE']);

    // The import preview of the department's sheet proposing a change to both.
    const path = await writeWorkbook(join(tempDir(), 'own.xlsx'), [
      {
        rows: [
          ['事项编码', '事项名称', '事项类型', '实施主体', '设定依据', '备注'],
          ['CTX-D1', '测试同名许可证核发', '行政许可', own.name, '《中华人民共和国行政许可法》第十二条', '改'],
          ['CTX-L1', '测试环甲审批', '行政许可', own.name, '《中华人民共和国行政许可法》第十二条', '改'],
        ],
      },
    ]);
    const { importId } = (await uploadSheet(server, legal, path, { department: 'XZSPJ', mode: 'submission' })).body;
    expect((await importSettled(legal, importId)).status).toBe('ready');
    const preview = Object.fromEntries(
      sql("SELECT json_extract(proposal, '$.code') AS code, flags FROM import_rows WHERE import_id = ? AND proposal IS NOT NULL", importId).map((r) => [
        r.code,
        picked(JSON.parse(r.flags ?? '[]') as Flag[]),
      ]),
    );
    expect(preview).toEqual(full);

    // The submission made from it.
    expect((await legal.postForm(`/workspace/imports/${importId}/confirm`, {}, { csrf: await legal.csrfToken() })).status).toBe(303);
    const proposed = sql(
      `SELECT si.id, si.row_version AS rowVersion, i.code, si.flags FROM submission_items si JOIN items i ON i.id = si.item_id
        WHERE i.code IN ('CTX-D1', 'CTX-L1') AND si.kind = 'change' ORDER BY i.code`,
    ) as { id: number; rowVersion: number; code: string; flags: string }[];
    expect(Object.fromEntries(proposed.map((r) => [r.code, picked(JSON.parse(r.flags) as Flag[])]))).toEqual(full);

    // The finalise re-checks the items it touched and stores their flags again.
    const user = (username: string) => sql('SELECT id, username, role, department_id AS departmentId FROM users WHERE username = ?', username)[0] as Reviewer;
    const [reviewer, expert] = [user('legal'), user('expert')];
    const review = createReviewRepository(db);
    const rows = () => sql('SELECT id, row_version AS rowVersion FROM submission_items WHERE id IN (?, ?) ORDER BY id', proposed[0]!.id, proposed[1]!.id) as { id: number; rowVersion: number }[];
    decideItems(review, reviewer, rows(), { disposition: 'retain', reason: '保留' });
    assignExperts(review, reviewer, rows(), [expert.id!]);
    for (const r of rows()) closeExpertReview(review, reviewer, r.id, { reason: '定稿', rowVersion: r.rowVersion });
    expect(finaliseItems(review, reviewer, rows(), { setAsideReason: '测试：互为前置待另行处理' }).finalised).toBe(2);
    expect({ 'CTX-D1': stored('CTX-D1'), 'CTX-L1': stored('CTX-L1') }).toEqual(full);
  });
});
