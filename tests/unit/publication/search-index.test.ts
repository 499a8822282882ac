// The search index's structures at more items than its arrays first hold: names kept as one typed array,
// the galloping intersection of posting lists, the one-pass search of a one-term query and the kept count
// of a version. Each is checked against a plain reading of the items (the oracle), not against itself.
import { describe, it, expect } from 'vitest';
import { CatalogueIndex, normaliseText } from '../../../server/publication/catalogue-index.js';
import { intersect, placedCandidates, searchVersion, SCORE } from '../../../server/publication/search.js';
import type { FacetRow } from '../../../db/queries/publication/index-feed.js';
import { Synonyms } from '../../../server/domain/search-synonyms.js';

/** A small deterministic random generator (the tests must not change from run to run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

interface Item {
  code: string;
  name: string;
  department: string;
  departmentName: string;
  titles: string[];
}

// Names from a few characters, so that short terms match thousands of items and longer ones a few;
// departments and legal bases from other characters, so a name-only term matches by name alone.
const NAME_CHARS = '许可证登记备案变更经营食品';
const DEPARTMENTS = [
  ['D01', '市场监督管理局'],
  ['D02', '交通运输局'],
  ['D03', '卫生健康委员会'],
] as const;
const TITLES = ['中华人民共和国道路运输条例', '城市绿化条例', '医疗机构管理条例'];

function generate(count: number, seed: number): Item[] {
  const random = rng(seed);
  const pick = (s: string) => s[Math.floor(random() * s.length)]!;
  const items: Item[] = [];
  for (let i = 0; i < count; i++) {
    const length = 2 + Math.floor(random() * 14);
    let name = '';
    for (let k = 0; k < length; k++) name += pick(NAME_CHARS);
    // Some names carry punctuation and traditional characters, which normalising removes or converts.
    if (i % 7 === 0) name = `（${name}）`;
    if (i % 11 === 0) name = name.replace('许', '許');
    const [department, departmentName] = DEPARTMENTS[i % DEPARTMENTS.length]!;
    items.push({ code: `X-${String(count - i).padStart(5, '0')}`, name, department, departmentName, titles: i % 5 === 0 ? [TITLES[i % TITLES.length]!] : [] });
  }
  return items;
}

function indexOf(items: Item[]): CatalogueIndex {
  const index = new CatalogueIndex();
  const rows: FacetRow[] = items.map((it, doc) => [doc + 1, 0, it.code, it.name, 'permit', it.department, it.departmentName, null, null, it.titles.length ? 1 : 0, it.titles.join('\n')]);
  index.apply(rows, [], true);
  return index;
}

/** The documented ranking, item by item: the best way the term (or a word it stands for) matches, ties by normalised code. */
function oracle(items: Item[], term: string | string[], open: (doc: number) => boolean = () => true): { doc: number; score: number; code: string }[] {
  const out: { doc: number; score: number; code: string }[] = [];
  items.forEach((it, doc) => {
    if (!open(doc)) return;
    const name = normaliseText(it.name);
    const code = normaliseText(it.code);
    const penalty = Math.min(name.length, 999);
    let best = 0;
    for (const t of typeof term === 'string' ? [term] : term) {
      let score = 0;
      if (code === t) score = SCORE.code;
      else if (name === t) score = SCORE.exactName;
      else if (name.startsWith(t)) score = SCORE.namePrefix - penalty;
      else if (name.includes(t)) score = SCORE.name - penalty;
      else if ((/[0-9]/.test(t) || t.length >= 4) && code.startsWith(t)) score = SCORE.codePrefix;
      else if (t.length >= 2 && normaliseText(it.departmentName).includes(t)) score = SCORE.department;
      else if (t.length >= 2 && it.titles.some((title) => normaliseText(title).includes(t))) score = SCORE.basis;
      best = Math.max(best, score);
    }
    if (best) out.push({ doc, score: best, code });
  });
  return out.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

const ITEMS = generate(5000, 17);
const INDEX = indexOf(ITEMS);

describe('the search index at more items than its arrays first hold', () => {
  it("every item's normalised name reads back from the index's one array of names", () => {
    for (let doc = 0; doc < ITEMS.length; doc++) expect(INDEX.nameOf(doc)).toBe(normaliseText(ITEMS[doc]!.name));
  });

  it('where a text occurs in a name is where it occurs in the normalised name', () => {
    const random = rng(5);
    for (let k = 0; k < 2000; k++) {
      const doc = Math.floor(random() * ITEMS.length);
      const name = normaliseText(ITEMS[doc]!.name);
      const other = normaliseText(ITEMS[Math.floor(random() * ITEMS.length)]!.name);
      const at = Math.floor(random() * other.length);
      const text = other.slice(at, at + 1 + Math.floor(random() * 4));
      expect(INDEX.nameIndexOf(doc, text)).toBe(name.indexOf(text));
    }
  });

  it('the intersection of sorted posting lists is exactly the documents present in every list', () => {
    const random = rng(9);
    for (let k = 0; k < 200; k++) {
      const lists = Array.from({ length: 2 + Math.floor(random() * 3) }, () => {
        const density = [0.001, 0.05, 0.5, 0.95][Math.floor(random() * 4)]!;
        const docs: number[] = [];
        for (let d = 0; d < 3000; d++) if (random() < density) docs.push(d);
        return Uint32Array.from(docs);
      });
      const expected = [...lists[0]!].filter((d) => lists.every((l) => l.includes(d)));
      expect([...intersect(lists)]).toEqual(expected);
    }
  });

  it('the first page of a one-term query holds the best-ranked items that contain it, in rank order', () => {
    const terms = ['许', '可证', '登记', '证登记', '许可证', '备案变更', '许可证登记备案', '食品经营', '经营食品许可证', '市场监督', '道路运输', 'x00012', 'x0001'];
    for (const t of terms) {
      const expected = oracle(ITEMS, t);
      for (const page of [1, 2, 7]) {
        const hits = searchVersion(INDEX, 0, { q: t, page, pageSize: 20 });
        expect(hits.revisionIds, `${t}, page ${page}`).toEqual(expected.slice((page - 1) * 20, page * 20).map((e) => e.doc + 1));
      }
    }
  });

  it('a term with synonyms counts each item holding any of its words once, ranked by its best match', () => {
    const synonyms = new Synonyms([['登记', '备案'], ['食品', '市场']], normaliseText);
    for (const t of ['登记', '登记变更', '许可证登记', '食品经营', '食品']) {
      const alternatives = synonyms.alternatives(t);
      expect(alternatives.length, t).toBeGreaterThan(1);
      const expected = oracle(ITEMS, alternatives);
      for (const page of [1, 4]) {
        const hits = searchVersion(INDEX, 0, { q: t, page, pageSize: 20 }, synonyms);
        expect(hits.total, t).toBe(expected.length);
        expect(hits.revisionIds, `${t}, page ${page}`).toEqual(expected.slice((page - 1) * 20, page * 20).map((e) => e.doc + 1));
      }
    }
  });

  it('the count of a query equals the number of items whose normalised name contains it (when nothing else matches)', () => {
    for (const t of ['许', '许可', '許可证', '证登记备', '（登记）', '经营食品', '食品食品食品']) {
      const norm = normaliseText(t);
      const expected = ITEMS.filter((it) => normaliseText(it.name).includes(norm)).length;
      expect(searchVersion(INDEX, 0, { q: t, page: 1, pageSize: 20 }).total, t).toBe(expected);
    }
  });

  it('the count of a query matching by name and by department or legal basis counts each item once', () => {
    const index = indexOf(ITEMS.map((it, i) => ({ ...it, ...(i % 2 ? { department: 'D09', departmentName: '许可证登记中心' } : {}), titles: i % 3 ? ['登记条例'] : [] })));
    for (const t of ['许可', '登记', '证登记', '登记中心', '条例']) {
      const expected = ITEMS.filter((it, i) => normaliseText(it.name).includes(t) || (i % 2 && '许可证登记中心'.includes(t)) || (i % 3 && '登记条例'.includes(t))).length;
      expect(searchVersion(index, 0, { q: t, page: 1, pageSize: 20 }).total, t).toBe(expected);
    }
  });

  it('a one-term query counts and ranks only the items of the version asked for, also after items are closed between two searches', () => {
    const index = indexOf(ITEMS);
    const closed = Array.from({ length: 1500 }, (_, k) => k * 3);
    index.apply([], closed);
    const open = (doc: number) => !closed.includes(doc);
    for (const t of ['许', '登记', '许可证']) {
      const expected = oracle(ITEMS, t, open);
      const hits = searchVersion(index, 0, { q: t, page: 1, pageSize: 20 });
      expect(hits.total, t).toBe(expected.length);
      expect(hits.revisionIds, t).toEqual(expected.slice(0, 20).map((e) => e.doc + 1));
    }
    // Closed after those searches: the version's documents as the searches know them follow.
    const later = Array.from({ length: 1000 }, (_, k) => k * 3 + 1);
    index.apply([], later);
    const stillOpen = (doc: number) => open(doc) && !later.includes(doc);
    for (const t of ['许', '登记', '许可证']) {
      const expected = oracle(ITEMS, t, stillOpen);
      const hits = searchVersion(index, 0, { q: t, page: 1, pageSize: 20 });
      expect(hits.total, t).toBe(expected.length);
      expect(hits.revisionIds, t).toEqual(expected.slice(0, 20).map((e) => e.doc + 1));
    }
  });

  it('a term of three characters or more is placed where it first stands in each name from its pairs\' places, or read from where it can first stand, never wrongly', () => {
    // Names with pairs repeated (few characters) and names longer than 255 characters, where places are not kept.
    const random = rng(23);
    const items = generate(3000, 29).map((it, i) => (i % 50 === 0 ? { ...it, name: '登'.repeat(250 + (i % 9)) + it.name + '许可证' } : it));
    const index = indexOf(items);
    let placed = 0;
    let bounded = 0;
    for (let k = 0; k < 300; k++) {
      const source = normaliseText(items[Math.floor(random() * items.length)]!.name);
      const len = 3 + Math.floor(random() * 5);
      const at = Math.floor(random() * Math.max(1, source.length - len));
      const t = source.slice(at, at + len);
      if (t.length < 3) continue;
      const found = placedCandidates(index, t)!;
      const docs = [...found.docs];
      const holding = items.map((it, doc) => (normaliseText(it.name).includes(t) ? doc : -1)).filter((d) => d >= 0);
      // Every name holding the term is a candidate …
      expect(holding.filter((d) => !docs.includes(d)), t).toEqual([]);
      for (let p = 0; p < docs.length; p++) {
        const start = found.start[p]!;
        const first = normaliseText(items[docs[p]!]!.name).indexOf(t);
        if (start < 0) {
          // … a name to read is read from a place the term never stands before …
          if (-1 - start > 0) bounded++;
          expect(first === -1 || first >= -1 - start, `${t} in ${docs[p]} from ${-1 - start}`).toBe(true);
          continue;
        }
        // … and a place given is exactly where the term first stands.
        expect(first, `${t} in ${docs[p]}`).toBe(start);
        placed++;
      }
    }
    expect(placed).toBeGreaterThan(500); // most candidates are placed without reading their names
    expect(bounded).toBeGreaterThan(0); // and names to read are read from where the rarest pair puts the term
  });

  it('a longer term is placed in the items added after the index was built as in those built with it', () => {
    const index = indexOf(ITEMS);
    const added = generate(400, 41);
    const row = (k: number, name: string): FacetRow => [ITEMS.length + k + 1, 0, `Y-${k}`, name, 'permit', 'D01', '市场监督管理局', null, null, 0, ''];
    index.apply(added.slice(0, 200).map((it, k) => row(k, it.name)), []);
    const t = '证登记';
    placedCandidates(index, t); // asked between two publishes: the joined lists are kept, then must follow
    index.apply(added.slice(200).map((it, k) => row(200 + k, it.name)), []);
    const all = [...ITEMS, ...added];
    for (const term of [t, '许可证']) {
      const found = placedCandidates(index, term)!;
      const docs = [...found.docs];
      const holding = all.map((it, doc) => (normaliseText(it.name).includes(term) ? doc : -1)).filter((d) => d >= 0);
      expect(holding.filter((d) => !docs.includes(d)), term).toEqual([]);
      let placedAdded = 0;
      for (let p = 0; p < docs.length; p++) {
        const start = found.start[p]!;
        if (start < 0) continue;
        expect(normaliseText(all[docs[p]!]!.name).indexOf(term), `${term} in ${docs[p]}`).toBe(start);
        if (docs[p]! >= ITEMS.length) placedAdded++;
      }
      expect(placedAdded, term).toBeGreaterThan(0);
    }
  });

  it('a 3-character term matches exactly the names holding it, also past 255 characters and with pairs repeated', () => {
    // Also names whose pairs of a term first stand past 254 where the other pairs' places would fit them.
    const items = generate(3000, 31).map((it, i) =>
      i % 40 === 0
        ? { ...it, name: '备'.repeat(260) + it.name + (i % 80 === 0 ? '证登记' : '') }
        : i % 40 === 1
          ? { ...it, name: '食'.repeat(254) + '证登' + '食'.repeat(50) + '登记' }
          : i % 40 === 2
            ? { ...it, name: '食'.repeat(253) + '证登' + '食'.repeat(50) + '登记' }
            : it,
    );
    const index = indexOf(items);
    for (const t of ['证登记', '许可证', '可许可', '经营食', '备备备', '登记备案', '许可许可']) {
      const expected = oracle(items, t);
      const hits = searchVersion(index, 0, { q: t, page: 1, pageSize: 20 });
      expect(hits.total, t).toBe(expected.length);
      expect(hits.revisionIds, t).toEqual(expected.slice(0, 20).map((e) => e.doc + 1));
    }
  });

  it('a query of several terms counts the items holding every term and ranks them by their summed scores, longer terms placed as in the names', () => {
    const items = generate(3000, 37).map((it, i) => (i % 40 === 0 ? { ...it, name: '备'.repeat(260) + it.name + '证登记' } : it));
    const index = indexOf(items);
    for (const q of ['证登记 许可', '许可证 备案变更', '登记备案 可许可 经营', '食品经营 证登记']) {
      const perTerm = q.split(' ').map((t) => new Map(oracle(items, t).map((e) => [e.doc, e.score])));
      const expected = items
        .map((it, doc) => ({ doc, code: normaliseText(it.code), scores: perTerm.map((m) => m.get(doc)) }))
        .filter((e) => e.scores.every((x) => x !== undefined))
        .map((e) => ({ ...e, score: e.scores.reduce((a, b) => a! + b!, 0)! }))
        .sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      const hits = searchVersion(index, 0, { q, page: 1, pageSize: 20 });
      expect(hits.total, q).toBe(expected.length);
      expect(hits.revisionIds, q).toEqual(expected.slice(0, 20).map((e) => e.doc + 1));
    }
  });

  it('a query finds the items added after the index was built, also when more are added between two queries', () => {
    const index = indexOf(ITEMS);
    const row = (doc: number, name: string): FacetRow => [doc + 1, 0, `Y-${doc}`, name, 'permit', 'D01', '市场监督管理局', null, null, 0, ''];
    const count = (q: string) => searchVersion(index, 0, { q, page: 1, pageSize: 20 }).total;
    const before = { one: count('许'), two: count('许可'), long: count('许可证登记') };
    index.apply([row(ITEMS.length, '许可证登记')], []);
    expect([count('许'), count('许可'), count('许可证登记')]).toEqual([before.one + 1, before.two + 1, before.long + 1]);
    index.apply([row(ITEMS.length + 1, '许可证登记变更')], []);
    expect([count('许'), count('许可'), count('许可证登记')]).toEqual([before.one + 2, before.two + 2, before.long + 2]);
    expect(searchVersion(index, 0, { q: '许可证登记', page: 1, pageSize: 20 }).revisionIds[0]).toBe(ITEMS.length + 1);
  });

  it("a listing without a query counts the version's items, also after items are closed", () => {
    const index = indexOf(ITEMS);
    expect(index.countOfVersion(0)).toBe(ITEMS.length);
    expect(searchVersion(index, 0, { page: 1, pageSize: 20 }).total).toBe(ITEMS.length);
    index.apply([], [0, 1, 2, 4000]);
    expect(index.countOfVersion(0)).toBe(ITEMS.length - 4);
    expect(searchVersion(index, 0, { page: 1, pageSize: 20 }).total).toBe(ITEMS.length - 4);
    expect(searchVersion(index, 0, { q: '（', page: 1, pageSize: 20 }).total).toBe(ITEMS.length - 4);
  });
});
