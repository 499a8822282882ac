// npm run bench:facets — in-process timing of the public list's facet counts and filtered page at
// province scale (BENCH_ITEMS, default 200,000 and 1,000,000): an index of generated items (names from
// the real district list, departments, categories and service objects spread over them) answers the
// first page of a list filtered by theme, 服务对象, category and department, with and without a query,
// alone and with its facet counts, as the list page asks them. Prints the median and worst of repeated runs, the
// first (uncached) unfiltered count, and the load average (other work on the machine slows the figures).
import { CatalogueIndex } from '../server/publication/catalogue-index.js';
import { facetCounts, type FacetQuery } from '../server/publication/facets.js';
import { searchVersion } from '../server/publication/search.js';
import type { FacetRow } from '../db/queries/publication/index-feed.js';
import { CATEGORY_CODES } from '../server/domain/vocabulary.js';
import { DEPARTMENT_NAMES, benchRow, rng } from './content.js';
import { load } from './http-app.js';

const sizes = (process.env.BENCH_ITEMS ?? '200000,1000000').split(',').map(Number);
const OBJECTS = ['["citizens"]', '["enterprises"]', '["citizens","enterprises"]', '["enterprises","organisations"]', '["government"]', '[]'];

function build(n: number): CatalogueIndex {
  const random = rng(3);
  const index = new CatalogueIndex();
  function* rows(): Generator<FacetRow> {
    for (let i = 1; i <= n; i++) {
      const name = benchRow(i, random)[2]!;
      const d = Math.floor(random() * DEPARTMENT_NAMES.length);
      yield [i, 1, `PUB-${String(i).padStart(7, '0')}`, name, CATEGORY_CODES[Math.floor(random() * 8)]!, `D${d}`, DEPARTMENT_NAMES[d]!, 'district', null, 1, '', OBJECTS[Math.floor(random() * OBJECTS.length)]!];
    }
  }
  index.apply(rows(), [], true);
  return index;
}

/** Median and worst of runs, in ms: the time f returns, or else the time it took. */
const time = (f: () => unknown, runs = 15) => {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const own = f();
    ms.push(typeof own === 'number' ? own : performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return `${ms[Math.floor(runs / 2)]!.toFixed(2).padStart(7)} ${ms[runs - 1]!.toFixed(2).padStart(7)}`;
};

const CASES: [string, FacetQuery][] = [
  ['theme', { theme: 'transport' }],
  ['theme + 个人', { theme: 'transport', audience: 'individual' }],
  ['theme + 法人 + category', { theme: 'permit', audience: 'legal', category: 'permit' }],
  ['department + 个人', { department: 'D3', audience: 'individual' }],
  ['q 证 + theme + 个人', { q: '证', theme: 'certificates', audience: 'individual' }],
  ['q 道路运输 + 法人', { q: '道路运输', audience: 'legal' }],
];

for (const n of sizes) {
  const t0 = performance.now();
  const index = build(n);
  const built = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  facetCounts(index, 1, {});
  const first = performance.now() - t1;
  const t2 = performance.now();
  facetCounts(index, 1, { audience: 'individual' });
  facetCounts(index, 1, { audience: 'legal' });
  const ahead = performance.now() - t2;
  console.log(`\n${n} items: index built in ${built.toFixed(1)} s; counted ahead: unfiltered ${first.toFixed(1)} ms, 个人 and 法人 ${ahead.toFixed(1)} ms; then from the cache ${time(() => facetCounts(index, 1, {}))} ms (${load()})`);
  console.log('filter                       page p50/max ms   page + counts p50/max ms   total');
  for (const [name, q] of CASES) {
    const page = time(() => searchVersion(index, 1, { ...q, page: 1, pageSize: 20 }));
    // The list page as a visitor meets it: its page, then its counts (the search's matches reused), the
    // version's unfiltered, 个人 and 法人 counts counted ahead (as the server does after a start or a
    // publish), the rest counted afresh on every run.
    const both = time(() => {
      index.facetCache.clear();
      for (const ahead of [{}, { audience: 'individual' }, { audience: 'legal' }] as FacetQuery[]) facetCounts(index, 1, ahead);
      const t = performance.now();
      searchVersion(index, 1, { ...q, page: 1, pageSize: 20 });
      facetCounts(index, 1, q);
      return performance.now() - t;
    });
    const total = searchVersion(index, 1, { ...q, page: 1, pageSize: 20 }).total;
    console.log(`${name.padEnd(26)} ${page}          ${both}      ${String(total).padStart(7)}`);
  }
}
