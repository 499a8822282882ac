// Taking in a published version makes room for all its revisions at once, before the first: the columns
// doubled as the rows came, and each doubling copied every column of the index in one step between
// requests (up to 76 ms at a million items, npm run bench:jobs).
import { describe, expect, it } from 'vitest';
import { emptyDb } from '../../support/db.js';
import { testServices } from '../../support/services.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';
import { publishVersion } from '../../../server/publication/publish.js';
import { CatalogueIndex } from '../../../server/publication/catalogue-index.js';

/** An index of a first version of `first` items, and a second version of `then` more published since. */
function indexBeforeSecondVersion(first: number, then: number) {
  const db = emptyDb();
  const sql = db.$client;
  const dept = Number(sql.prepare("INSERT INTO departments (code, name) VALUES ('DA', '测试局')").run().lastInsertRowid);
  const insert = sql.prepare("INSERT INTO items (code, name, category, department_id, materials) VALUES (?, ?, 'permit', ?, '申请书')");
  const add = (from: number, count: number) =>
    sql.transaction(() => {
      for (let i = from; i < from + count; i++) insert.run(`T-${String(i).padStart(5, '0')}`, `测试许可${i}`, dept);
    })();
  add(0, first);
  publishVersion(testServices(db), SYSTEM_ACTOR, { title: '第1版' });
  const index = CatalogueIndex.build(db);
  add(first, then);
  publishVersion(testServices(db), SYSTEM_ACTOR, { title: '第2版' });
  return { sql, index };
}

describe('an index taking in a version', () => {
  it('makes room for every revision of the version before reading the first, and reads them all', () => {
    const { sql, index } = indexBeforeSecondVersion(10, 3000);
    expect(index.size).toBe(10);
    const steps = index.loadingSteps(sql);
    steps.next();
    // Room for the 3,000 new revisions already, after the first step.
    expect(index.revisionId.length).toBeGreaterThanOrEqual(3010);
    const room = index.revisionId;
    while (!steps.next().done);
    expect(index.revisionId).toBe(room);
    expect(index.size).toBe(3010);
    expect(index.lastVersion).toBe(2);
  });

  it('makes that room a column a step: no step between requests grows more than one column', () => {
    const { sql, index } = indexBeforeSecondVersion(1200, 3000);
    const COLUMNS = ['revisionId', 'fromVersion', 'toVersion', 'department', 'category', 'level', 'hasBasis', 'audience', 'themeBits', 'nameLength', 'head', 'nameStart'] as const;
    const arrays = () => COLUMNS.map((c) => index[c as keyof CatalogueIndex]);
    let before = arrays();
    let grownSteps = 0;
    for (const steps = index.loadingSteps(sql); !steps.next().done; ) {
      const now = arrays();
      const grown = now.filter((a, i) => a !== before[i]).length;
      expect(grown).toBeLessThanOrEqual(1);
      if (grown) grownSteps++;
      before = now;
    }
    expect(grownSteps).toBe(COLUMNS.length);
    expect(index.size).toBe(4200);
  });
});

