// normalizeItemName skips NFKC for names that are already in that form (most are): the skip must never
// change a name's key. Held against every BMP code point, alone and next to the characters NFKC composes with.
import { describe, it, expect } from 'vitest';
import { normalizeItemName } from '../../../server/domain/item-names.js';

describe('an item name is compared in its NFKC form, whether or not normalize() runs', () => {
  it('every BMP code point, alone and between others, gives the key its NFKC form gives', () => {
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      for (const name of [`许可${ch}`, `e${ch}审批`, `가${ch}`, `ᄀ${ch}`, `${ch}\u0301登记`, `${ch}\u1161`, `（${ch}）`, `Ａ${ch}　许可（`]) {
        if (normalizeItemName(name) !== normalizeItemName(name.normalize('NFKC'))) wrong.push(`U+${c.toString(16)} in ${JSON.stringify(name)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('full-width forms and compatibility characters still fold: （含县级）许可 is 许可', () => {
    expect(normalizeItemName('对ＡＢＣ公司的检查（含县级）')).toBe(normalizeItemName('ABC公司检查'));
    expect(normalizeItemName('㈱许可')).toBe(normalizeItemName('(株)许可'));
  });
});
