// Themes for browsing: kept as data, matched on item names by keyword. Measured on the item names of a
// real district (data/demo/district-service-items.csv, Guang'an district) so the list is judged on real names.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { THEMES, THEME_NAMES, themeMatcher, themesOfName, validateThemes } from '../../../server/domain/themes.js';

const districtNames = readFileSync(new URL('../../../data/demo/district-service-items.csv', import.meta.url), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((line) => line.split(',')[2]!);

describe('themes', () => {
  it('the shipped theme list is well formed: unique codes and names, a known audience, keywords', () => {
    expect(validateThemes(THEMES)).toEqual([]);
    expect(THEMES.length).toBeGreaterThanOrEqual(25);
  });

  it('an item takes every theme one of whose keywords its name contains, in the list’s order', () => {
    expect(themesOfName('出租汽车经营资格证核发').map((c) => THEME_NAMES[c])).toEqual(['交通出行', '准营准办', '资质认证']);
    expect(themesOfName('婚姻登记')).toEqual(['marriage']);
    expect(themesOfName('对违反消防安全规定的处罚')).toEqual(['public_safety']);
    expect(themesOfName('某某事项')).toEqual([]);
  });

  it('names are matched after full-width forms are made half-width', () => {
    const match = themeMatcher([{ code: 'x', name: 'X', audience: 'both', keywords: ['A类'] }]);
    expect(match('Ａ类资质')).toEqual(['x']);
  });

  it('a bad theme list is named: duplicate code, unknown audience, empty keyword', () => {
    const bad = validateThemes([
      { code: 'a', name: '甲', audience: 'individual', keywords: ['x'] },
      { code: 'a', name: '乙', audience: 'nobody' as never, keywords: [''] },
    ]);
    expect(bad).toEqual(['theme code a twice', 'theme a: audience nobody', 'theme a: no keywords, or an empty one']);
  });

  it('on a real district’s 1,135 item names, nine in ten take a theme and every theme but a few is used', () => {
    expect(districtNames.length).toBe(1135);
    const themed = districtNames.map((n) => themesOfName(n));
    const share = themed.filter((t) => t.length > 0).length / districtNames.length;
    expect(share).toBeGreaterThanOrEqual(0.9);
    const used = new Set(themed.flat());
    expect(THEMES.filter((t) => !used.has(t.code)).length).toBeLessThanOrEqual(3);
  });
});
