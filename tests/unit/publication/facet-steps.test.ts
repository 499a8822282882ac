// The counts a portal shows beside its lists (服务对象, themes, categories, departments) are counted ahead
// after a start or a publish, over every document of the version: in steps between requests, since a
// million documents counted in one go held the request thread 40–100 ms (npm run bench:jobs).
import { describe, expect, it } from 'vitest';
import type { FacetRow } from '../../../db/queries/publication/index-feed.js';
import { CatalogueIndex } from '../../../server/publication/catalogue-index.js';
import { facetCounts, facetCountSteps } from '../../../server/publication/facets.js';
import { NO_SYNONYMS } from '../../../server/publication/search.js';
import { demoDb } from '../../support/db.js';
import { testServices } from '../../support/services.js';
import { publishVersion } from '../../../server/publication/publish.js';
import { SYSTEM_ACTOR } from '../../../db/audit.js';

const NAMES = ['食品经营许可', '个体工商户设立登记', '企业名称变更登记', '道路运输经营许可', '出生医学证明办理'];
const CATEGORIES = ['permit', 'confirmation', 'penalty', 'public_service'];

function indexOf(count: number): CatalogueIndex {
  const rows: FacetRow[] = Array.from({ length: count }, (_, i) => [
    i + 1, 1, `T-${String(i).padStart(6, '0')}`, `${NAMES[i % NAMES.length]}${i}`, CATEGORIES[i % CATEGORIES.length]!, `D${i % 7}`, `测试局${i % 7}`,
    null, null, i % 3 === 0 ? 1 : 0, '', i % 2 === 0 ? '["自然人"]' : '["企业法人"]',
  ]);
  const index = new CatalogueIndex();
  for (const _ of index.applying(rows, [], true));
  index.lastVersion = 1;
  return index;
}

describe('facet counts in steps', () => {
  it('a count over 70,000 documents pauses between steps, and counts what the count in one go counts', () => {
    const index = indexOf(70_000);
    for (const query of [{}, { audience: 'individual' as const }, { category: 'permit' as const, department: 'D3' }]) {
      index.facetCache.clear();
      const steps = facetCountSteps(index, 1, query, NO_SYNONYMS);
      let pauses = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pauses++;
      expect(pauses, JSON.stringify(query)).toBeGreaterThanOrEqual(2);
      index.facetCache.clear();
      expect(step.value).toEqual(facetCounts(index, 1, query));
    }
  });

  it('a count that ran while the index took in a publish is not kept', () => {
    const index = indexOf(70_000);
    index.facetCache.clear();
    const steps = facetCountSteps(index, 1, {}, NO_SYNONYMS);
    steps.next();
    index.generation++;
    while (!steps.next().done);
    expect(index.facetCache.size).toBe(0);
    facetCounts(index, 1, {});
    expect(index.facetCache.size).toBe(1);
  });
});

describe('facet counts kept across a publish', () => {
  it('a publish keeps the counts of the versions before it (they cannot change) and counts the new version afresh', () => {
    const db = demoDb();
    const services = testServices(db);
    publishVersion(services, SYSTEM_ACTOR, { title: '第1版' });
    const index = CatalogueIndex.build(db);
    const before = facetCounts(index, 1, {});
    const individual = facetCounts(index, 1, { audience: 'individual' });
    db.$client.exec("UPDATE items SET name = '出租汽车经营许可（新）', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second') WHERE id IN (SELECT id FROM items WHERE parent_id IS NULL ORDER BY id LIMIT 40)");
    db.$client.exec("UPDATE items SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second') WHERE id IN (SELECT id FROM items WHERE parent_id IS NULL ORDER BY id DESC LIMIT 30)");
    publishVersion(services, SYSTEM_ACTOR, { title: '第2版' });
    index.refresh(db);
    expect(index.lastVersion).toBe(2);
    // The very counts, not counted again; and still what a fresh index counts for version 1.
    expect(facetCounts(index, 1, {})).toBe(before);
    expect(facetCounts(index, 1, { audience: 'individual' })).toBe(individual);
    const fresh = CatalogueIndex.build(db);
    expect(before).toEqual(facetCounts(fresh, 1, {}));
    const second = facetCounts(index, 2, {});
    expect(second).toEqual(facetCounts(fresh, 2, {}));
    expect(second.total).toBe(before.total - 30);
  });
});
