// The legal office's theme tags are applied to an index in place: only the documents of the item codes whose
// tags changed are re-themed (their bits and their places in the theme lists), whatever the index's size,
// and the index then holds what an index built with those tags from the start holds.
import { describe, expect, it } from 'vitest';
import type { FacetRow } from '../../../db/queries/publication/index-feed.js';
import { CatalogueIndex, THEME_WORDS } from '../../../server/publication/catalogue-index.js';
import { facetCounts } from '../../../server/publication/facets.js';
import { THEMES, type ThemeOverrides } from '../../../server/domain/themes.js';

const NAMES = ['食品经营许可', '个体工商户设立登记', '企业名称变更登记', '道路运输经营许可', '出生医学证明办理'];
const code = (i: number) => `T-${String(i % 4000).padStart(6, '0')}`;

/** count documents over two "versions": every code twice (a revision in version 1, its successor in 2). */
function rows(count: number): FacetRow[] {
  return Array.from({ length: count }, (_, i) => [
    i + 1, i < count / 2 ? 1 : 2, code(i), `${NAMES[i % NAMES.length]}${i}`, 'permit', `D${i % 7}`, `测试局${i % 7}`, null, null, 0, '', '["自然人"]',
  ]);
}
const build = (count: number, overrides?: ThemeOverrides) => {
  const index = new CatalogueIndex();
  if (overrides) index.applyThemeOverrides(overrides);
  index.apply(rows(count), [], true);
  return index;
};
const themeIndex = (c: string) => THEMES.findIndex((t) => t.code === c);
const lists = (index: CatalogueIndex) => index.themeDocs.map((l) => [...l.view()]);

describe('theme tags applied to an index', () => {
  const tags: ThemeOverrides = new Map([
    [code(3), { added: ['birth'], removed: ['transport'] }], // 道路运输经营许可3: transport by its name
    [code(10), { added: ['education', 'birth'], removed: [] }],
    [code(3999), { added: [], removed: ['birth'] }], // 出生医学证明办理: birth by its name
  ]);

  it('an index re-themed in place by tags holds what an index built with them from the start holds', () => {
    const index = build(8000);
    const before = lists(index);
    expect(index.applyThemeOverrides(tags)).toBe(true);
    const fresh = build(8000, tags);
    expect(lists(index)).toEqual(lists(fresh));
    expect([...index.themeBits.subarray(0, 8000 * THEME_WORDS)]).toEqual([...fresh.themeBits.subarray(0, 8000 * THEME_WORDS)]);
    expect(lists(index)).not.toEqual(before);
    // The lists stay in document order, where the facet filters start from.
    for (const l of lists(index)) expect(l).toEqual([...l].sort((a, b) => a - b));
    // Both documents of a tagged code (one per version) follow its tags.
    const docs = index.docsOfCode(code(3));
    expect(docs).toEqual([3, 4003]);
    for (const doc of docs) {
      expect(index.themeDocs[themeIndex('birth')]!.view()).toContain(doc);
      expect(index.themeDocs[themeIndex('transport')]!.view()).not.toContain(doc);
    }
    // Taking the tags off again gives back the index of the names alone.
    index.applyThemeOverrides(new Map());
    expect(lists(index)).toEqual(before);
  });

  it('a tag change drops the cached counts, and the counts then follow the tags', () => {
    const index = build(8000);
    const before = facetCounts(index, 1, {});
    expect(index.facetCache.size).toBeGreaterThan(0);
    index.applyThemeOverrides(new Map([[code(10), { added: ['education'], removed: [] }]]));
    expect(index.facetCache.size).toBe(0);
    const after = facetCounts(index, 1, {});
    // code(10) has one document in version 1.
    expect(after.themes.education).toBe((before.themes.education ?? 0) + 1);
  });

  it('a tag change re-themes only the documents of its item code', () => {
    const index = build(8000);
    const untouched = lists(index).map((l, t) => (t === themeIndex('education') ? null : l));
    // Once applied, the same map again costs nothing.
    const next = new Map([[code(20), { added: ['education'], removed: [] }]]);
    index.applyThemeOverrides(next);
    const generation = index.generation;
    expect(index.applyThemeOverrides(next)).toBe(false);
    expect(index.generation).toBe(generation);
    // Every other theme's list is the same, and education gained exactly the code's two documents.
    expect(lists(index).map((l, t) => (t === themeIndex('education') ? null : l))).toEqual(untouched);
    expect(index.docsOfCode(code(20))).toEqual([20, 4020]);
  });

  it('documents added after the tags were applied take them too', () => {
    const index = new CatalogueIndex();
    index.applyThemeOverrides(tags);
    index.apply(rows(8000).slice(0, 4000), [], true);
    index.apply(rows(8000).slice(4000), []);
    expect(lists(index)).toEqual(lists(build(8000, tags)));
  });
});
