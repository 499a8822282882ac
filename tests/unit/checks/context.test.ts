// The check context's per-item duplicate search reads names through the name index by ranges; it
// must find every name the whole-catalogue index finds, whatever characters the names hold.
import { describe, expect, it } from 'vitest';
import { keyRanges } from '../../../server/checks/context.js';
import { normalizeItemName } from '../../../server/checks/similarity.js';

/** SQLite compares text as UTF-8 bytes: by code point (not by UTF-16 unit, as JavaScript does). */
const cmp = (a: string, b: string): number => {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};
const found = (name: string) => {
  const key = normalizeItemName(name);
  return key === '' || keyRanges(key).some(([from, to]) => cmp(name, from) >= 0 && (to === null || cmp(name, to) < 0));
};

describe('the per-item duplicate search', () => {
  it('reaches every name that normalises to the key, whatever character comes first, after 对 or between the first two kept', () => {
    const missed: string[] = [];
    for (let cp = 0; cp <= 0x3ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      for (const name of [`${c}甲乙许可`, `对${c}甲乙许可`, `甲${c}乙许可`, `对甲${c}乙许可`, `${c}${c}甲乙`, `${c}`]) {
        if (!found(name)) missed.push(name);
      }
    }
    expect(missed).toEqual([]);
    // Every code point, six names each: allowed longer than the default on a loaded two-core machine.
  }, 120_000);

  it('reaches names that differ only in qualifiers, brackets, spaces and glue words', () => {
    for (const name of ['（市级）建筑工程施工许可', ' 对建筑工程的施工许可（含变更）', '建　筑工程施工许可', '【建筑】工程施工许可', '建的筑工程施工许可']) {
      expect(found(name)).toBe(true);
    }
  });
});
