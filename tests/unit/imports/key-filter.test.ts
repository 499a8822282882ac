import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../../../server/imports/key-filter.js';

describe('the filter of codes staged so far', () => {
  it('every key added is "perhaps there", across growth, and a key never added is almost always "certainly not"', () => {
    const filter = new KeyFilter();
    const codes = Array.from({ length: 200_000 }, (_, i) => `XK-${String(i).padStart(8, '0')}`);
    for (const code of codes) filter.add(code);
    for (const code of codes) expect(filter.mightHave(code)).toBe(true);
    let falsePerhaps = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mightHave(`QT-${i}-未登记`)) falsePerhaps++;
    // Only a hash collision says "perhaps" wrongly (the database is then asked): about n / 2³² each.
    expect(falsePerhaps).toBeLessThan(50);
  });

  it('the same key added twice, and the empty string, are kept like any other', () => {
    const filter = new KeyFilter();
    filter.add('许可-001');
    filter.add('许可-001');
    filter.add('');
    expect(filter.mightHave('许可-001')).toBe(true);
    expect(filter.mightHave('')).toBe(true);
    expect(filter.mightHave('许可-002')).toBe(false);
  });
});
