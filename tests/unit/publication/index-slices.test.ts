// An index built a slice at a time between requests (the working catalogue's at server start, a
// published one in the background) never holds the request thread for one long step: a million names
// hold about 29 million name tokens, and placing them all in one step stopped every visitor for most of
// a second (npm run bench:jobs, its start-up line).
import { describe, expect, it } from 'vitest';
import type { FacetRow } from '../../../db/queries/publication/index-feed.js';
import { CatalogueIndex, ChunkedU32List, TOKENS_PER_STEP, normaliseText } from '../../../server/publication/catalogue-index.js';

/** Names of 20 characters drawn from a few hundred CJK characters, as index rows. */
function rows(count: number): FacetRow[] {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: count }, (_, i) => {
    const name = Array.from({ length: 20 }, () => String.fromCharCode(0x4e00 + Math.floor(random() * 400))).join('');
    return [i + 1, 0, `T-${String(i).padStart(6, '0')}`, name, 'permit', 'D01', '测试局', null, null, 1, ''];
  });
}

/** A name's tokens as the index counts them: its distinct characters and distinct adjacent pairs. */
function tokensOf(name: string): number {
  const norm = normaliseText(name);
  const units = new Set<string>();
  const pairs = new Set<string>();
  for (let i = 0; i < norm.length; i++) {
    units.add(norm[i]!);
    if (i > 0) pairs.add(norm.slice(i - 1, i + 1));
  }
  return units.size + pairs.size;
}

/** Runs a build step by step; how many times it yielded after it had read its last row. */
function yieldsAfterTheRows(index: CatalogueIndex, input: FacetRow[], firstBuild: boolean): number {
  let read = false;
  function* feed() {
    yield* input;
    read = true;
  }
  let after = 0;
  for (const _ of index.applying(feed(), [], firstBuild)) if (read) after++;
  return after;
}

describe('an index built in slices', () => {
  it('a first build places its names’ postings a slice at a time, yielding to requests every 65,536 tokens, and finds what one built at once finds', () => {
    const input = rows(8_000);
    const tokens = input.reduce((n, r) => n + tokensOf(r[3]), 0);
    expect(tokens).toBeGreaterThan(3 * TOKENS_PER_STEP);

    // The same rows without a first build (postings kept per token as they come) and the orders merged
    // the same way: what the first build yields more is the placing of its postings.
    const built = new CatalogueIndex();
    const plain = new CatalogueIndex();
    const extra = yieldsAfterTheRows(built, input, true) - yieldsAfterTheRows(plain, input, false);
    expect(extra).toBeGreaterThanOrEqual(Math.floor(tokens / TOKENS_PER_STEP));

    for (const r of input.slice(0, 200)) {
      const name = normaliseText(r[3]);
      for (let i = 0; i + 1 < name.length; i += 5) {
        expect([...built.unigram(name.charCodeAt(i))]).toEqual([...plain.unigram(name.charCodeAt(i))]);
        expect([...built.bigram(name.charCodeAt(i), name.charCodeAt(i + 1))]).toEqual([...plain.bigram(name.charCodeAt(i), name.charCodeAt(i + 1))]);
      }
    }
    expect([...built.listOrder]).toEqual([...plain.listOrder]);
  });

  it('the list of a build’s tokens keeps every value in order across its chunks', () => {
    const list = new ChunkedU32List(1000);
    for (let i = 0; i < 2500; i++) list.push(i * 3);
    const values = [...list.parts()].flatMap((p) => [...p]);
    expect(list.len).toBe(2500);
    expect(values).toEqual(Array.from({ length: 2500 }, (_, i) => i * 3));
  });
});
