// The index keeps its item codes packed in typed arrays (PackedStrings): they must sort, compare and match
// prefixes exactly as the strings themselves do, or the version pages and code search change order.
import { describe, it, expect } from 'vitest';
import { PackedStrings } from '../../../server/publication/catalogue-index.js';

const CODES = ['XK-001', 'XK-001-01', 'XK-01', 'xk-001', '', 'Ａ１', '许可-3', '许可-10', 'XK', '𠀀-1', 'XK-001'];

describe('codes packed in typed arrays', () => {
  const packed = new PackedStrings();
  for (const c of CODES) packed.push(c);

  it('give back each string as it was pushed', () => {
    expect(CODES.map((_, i) => packed.get(i))).toEqual(CODES);
    expect(packed.length).toBe(CODES.length);
  });

  it('sort as the strings sort with < and >, prefixes first', () => {
    const byStrings = CODES.map((_, i) => i).sort((a, b) => (CODES[a]! < CODES[b]! ? -1 : CODES[a]! > CODES[b]! ? 1 : a - b));
    const byPacked = CODES.map((_, i) => i).sort((a, b) => packed.compare(a, b) || a - b);
    expect(byPacked).toEqual(byStrings);
  });

  it('compare with a text, test equality and prefixes as the strings do', () => {
    for (const [i, code] of CODES.entries()) {
      for (const text of ['XK', 'XK-001', 'XK-0010', '', '许可', 'xk-001', 'Z']) {
        expect(Math.sign(packed.compareTo(i, text)), `${code} vs ${text}`).toBe(code < text ? -1 : code > text ? 1 : 0);
        expect(packed.equals(i, text)).toBe(code === text);
        expect(packed.startsWith(i, text)).toBe(code.startsWith(text));
      }
    }
  });
});
