// Themes for browsing the public catalogue like a provincial portal (生育收养, 交通出行, 设立变更 …), kept as
// data in data/themes/themes.json: an item takes every theme one of whose keywords its name contains. The
// legal office's own tags (added or removed by hand) are applied on top by whoever stores them.
import data from '../../data/themes/themes.json' with { type: 'json' };

export type ThemeAudience = 'individual' | 'legal' | 'both';

export interface Theme {
  code: string;
  name: string;
  /** Who the theme is for: 个人 (individual), 法人 (legal) or both. */
  audience: ThemeAudience;
  keywords: string[];
}

const AUDIENCES: readonly ThemeAudience[] = ['individual', 'legal', 'both'];

/** Checks the theme list as a person edits it: unique codes and names, a known audience, keywords present. */
export function validateThemes(list: readonly Theme[]): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const t of list) {
    if (!/^[a-z][a-z0-9_]*$/.test(t.code)) problems.push(`theme code ${JSON.stringify(t.code)} is not lower-case letters, digits and _`);
    if (codes.has(t.code)) problems.push(`theme code ${t.code} twice`);
    if (names.has(t.name)) problems.push(`theme name ${t.name} twice`);
    if (!AUDIENCES.includes(t.audience)) problems.push(`theme ${t.code}: audience ${t.audience}`);
    if (!t.keywords.length || t.keywords.some((k) => !k.trim())) problems.push(`theme ${t.code}: no keywords, or an empty one`);
    codes.add(t.code);
    names.add(t.name);
  }
  return problems;
}

export const THEMES: readonly Theme[] = (data.themes as Theme[]).map((t) => ({ ...t, keywords: t.keywords.map((k) => k.normalize('NFKC')) }));

/** Theme code → its Chinese name. */
export const THEME_NAMES: Readonly<Record<string, string>> = Object.fromEntries(THEMES.map((t) => [t.code, t.name]));

/**
 * Finds the themes of names as their places in the list (ascending): keywords indexed by their first
 * character, so a name is scanned once (a province's million names take well under a second), whatever
 * the number of keywords.
 */
export function themeIndexMatcher(themes: readonly Theme[] = THEMES): (name: string) => number[] {
  const byFirst = new Map<string, { keyword: string; theme: number }[]>();
  themes.forEach((t, theme) => {
    for (const keyword of t.keywords) {
      const first = keyword[0]!;
      let list = byFirst.get(first);
      if (!list) byFirst.set(first, (list = []));
      list.push({ keyword, theme });
    }
  });
  return (name: string) => {
    const s = name.normalize('NFKC');
    const found = new Set<number>();
    for (let i = 0; i < s.length; i++) {
      const list = byFirst.get(s[i]!);
      if (!list) continue;
      for (const { keyword, theme } of list) if (!found.has(theme) && s.startsWith(keyword, i)) found.add(theme);
    }
    return [...found].sort((a, b) => a - b);
  };
}

/** Finds the themes of names, as theme codes in the list's order. */
export function themeMatcher(themes: readonly Theme[] = THEMES): (name: string) => string[] {
  const match = themeIndexMatcher(themes);
  return (name: string) => match(name).map((i) => themes[i]!.code);
}

/** The themes an item name takes by the rules on names. */
export const themesOfName = themeMatcher();

/** The legal office's tags of one item: themes added by hand, and themes the name rule gives taken away. */
export interface ThemeOverride {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Every tagged item's override, by item code (a new map whenever a tag changes). */
export type ThemeOverrides = ReadonlyMap<string, ThemeOverride>;

export const NO_OVERRIDES: ThemeOverrides = new Map();

/** Where the indexes read the current tags from (server/catalogue/theme-tags.ts). */
export interface ThemeOverrideSource {
  current(): ThemeOverrides;
}

/** An item's themes: those its name takes by the rules, plus those added by hand, less those removed; in the list's order. */
export function effectiveThemes(ruleThemes: readonly string[], override: ThemeOverride | undefined): string[] {
  if (!override) return [...ruleThemes];
  const set = new Set([...ruleThemes, ...override.added]);
  for (const t of override.removed) set.delete(t);
  return THEMES.filter((t) => set.has(t.code)).map((t) => t.code);
}

/** Whether two overrides hold the same tags. */
export function sameOverride(a: ThemeOverride | undefined, b: ThemeOverride | undefined): boolean {
  const key = (o: ThemeOverride | undefined) => (o ? `${[...o.added].sort().join(',')}|${[...o.removed].sort().join(',')}` : '|');
  return key(a) === key(b);
}
