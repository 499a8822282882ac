// The name index skips a query's commonest bigrams when the lowest score kept makes them unable to
// reach it: its answers must be exactly those of scoring every candidate.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../db/seed/csv.js';
import { NameIndex, nameProfile, profileSimilarity, type NameProfile } from '../../../server/checks/similarity.js';

const [header, ...rows] = parseCsv(readFileSync('data/demo/district-service-items.csv', 'utf8'));
const NAMES = rows.map((r) => r[header!.indexOf('item_name')]!).filter(Boolean);

function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

/** Names as other lists write them: characters dropped, swapped or added, qualifiers, one-character names. */
function variants(count: number): string[] {
  const random = rng(42);
  const out: string[] = ['证', '许可', '审批', ''];
  for (let i = 0; i < count; i++) {
    const chars = [...NAMES[Math.floor(random() * NAMES.length)]!];
    const r = random();
    if (r < 0.25 && chars.length > 3) chars.splice(Math.floor(random() * chars.length), 1);
    else if (r < 0.5 && chars.length > 3) {
      const k = Math.floor(random() * (chars.length - 1));
      [chars[k], chars[k + 1]] = [chars[k + 1]!, chars[k]!];
    } else if (r < 0.65) chars.push('（市级）');
    else if (r < 0.8) chars.unshift(...'对违反'.split(''));
    out.push(chars.join(''));
  }
  return out;
}

function bruteForce(query: string, candidates: NameProfile[], min: number, limit: number) {
  const q = nameProfile(query);
  return candidates
    .map((c) => ({ name: c.name, score: profileSimilarity(q, c) }))
    .filter((m) => m.score >= min)
    .sort((x, y) => y.score - x.score || x.name.localeCompare(y.name, 'zh'))
    .slice(0, limit);
}

describe('NameIndex', () => {
  const candidates = [...NAMES, '证', '照', ...variants(300)];
  const index = new NameIndex(candidates);
  const profiles = candidates.map(nameProfile);

  for (const min of [0.6, 0.75, 0.5, 0.3]) {
    it(`finds exactly what scoring every candidate finds, at a lowest score of ${min}`, () => {
      // A candidate that shares no content character is never scored, by either way (the index's rule).
      const sharesContent = (q: NameProfile, c: NameProfile) => [...q.unigrams].some(([ch, w]) => (w >= 1 || q.unigrams.size <= 1) && c.unigrams.has(ch));
      for (const query of variants(150)) {
        const q = nameProfile(query);
        const expected = bruteForce(query, profiles.filter((c) => sharesContent(q, c)), min, 5);
        const found = index.search(query, { min, limit: 5 }).map((m) => ({ name: m.name, score: m.score }));
        expect(found, query).toEqual(expected);
      }
    });
  }
});
