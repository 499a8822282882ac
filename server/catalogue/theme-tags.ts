// The legal office's themes of an item, on top of the rules on names: it adds a theme by hand, or takes
// away one the name rule gives (a keyword that matched wrongly). Keyed by item code, so a tag holds in the
// working catalogue and in every published version alike, without touching what was published. The
// indexes read the tags through the store below, reread only when the table changed.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { getItem } from '../../db/queries/catalogue.js';
import { allThemeTags, deleteThemeTag, themeTagsOfItem, themeTagsStampReader, putThemeTag, type ThemeTagRow } from '../../db/queries/theme-tags.js';
import { THEME_NAMES, effectiveThemes, themesOfName, type ThemeOverride, type ThemeOverrides } from '../domain/themes.js';
import { normaliseText } from '../domain/search-tables.js';
import { THEME_TAG_MESSAGES } from '../domain/labels.js';
import { errors } from '../errors.js';

export const themeTagInputSchema = z.object({
  theme: z.string({ message: THEME_TAG_MESSAGES.unknownTheme }).trim().refine((t) => t in THEME_NAMES, THEME_TAG_MESSAGES.unknownTheme),
});

/** Rows of the table as overrides by item code. */
export function overridesOf(rows: readonly ThemeTagRow[]): Map<string, ThemeOverride> {
  const out = new Map<string, { added: string[]; removed: string[] }>();
  for (const r of rows) {
    let o = out.get(r.itemCode);
    if (!o) out.set(r.itemCode, (o = { added: [], removed: [] }));
    (r.tag === 'added' ? o.added : o.removed).push(r.theme);
  }
  return out;
}

/** The tags as the indexes apply them: a new map only when the table changed (what the indexes compare). */
export class ThemeTagStore {
  private stamp = '';
  private overrides: ThemeOverrides = new Map();
  private readonly readStamp: () => string;
  constructor(private readonly db: Db) {
    this.readStamp = themeTagsStampReader(db);
  }

  current(): ThemeOverrides {
    const stamp = this.readStamp();
    if (stamp !== this.stamp) {
      this.overrides = overridesOf(allThemeTags(this.db));
      this.stamp = stamp;
    }
    return this.overrides;
  }

  /** The table's fingerprint (a version page's ETag includes it: its facet counts follow the tags). */
  currentStamp(): string {
    return this.readStamp();
  }
}

export type ThemeSource = 'rule' | 'hand';

/** An item's themes as the staff block shows them: each with where it comes from, and the rule's themes taken away. */
export interface ItemThemes {
  themes: { code: string; name: string; source: ThemeSource }[];
  removedByHand: { code: string; name: string }[];
}

/** An item's themes by its name's rule, its tags, and the themes it has: the rule's, plus added, less removed. */
function themesOfItem(db: Db, code: string, name: string) {
  const rule = themesOfName(normaliseText(name));
  const tags = themeTagsOfItem(db, code);
  const override = overridesOf(tags).get(code);
  return { rule, tags, override, effective: effectiveThemes(rule, override) };
}

export function itemThemes(db: Db, code: string, name: string): ItemThemes {
  const { rule, override, effective } = themesOfItem(db, code, name);
  return {
    themes: effective.map((t) => ({ code: t, name: THEME_NAMES[t]!, source: rule.includes(t) ? 'rule' : 'hand' })),
    removedByHand: rule.filter((t) => override?.removed.includes(t)).map((t) => ({ code: t, name: THEME_NAMES[t]! })),
  };
}

const parseTheme = (input: unknown): string => {
  const parsed = themeTagInputSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid(THEME_TAG_MESSAGES.unknownTheme, { theme: THEME_TAG_MESSAGES.unknownTheme });
  return parsed.data.theme;
};

/** The item of the working catalogue the tag is for, with its themes by name and by hand. */
function taggedItem(db: Db, code: string) {
  const item = getItem(db, code);
  if (!item) throw errors.missing(THEME_TAG_MESSAGES.unknownItem);
  return { item, ...themesOfItem(db, code, item.name) };
}

/**
 * The legal office puts an item under a theme (audited): a theme the rule gives but was taken away comes
 * back (the "removed" tag goes); any other is tagged "added". A theme it already has is refused.
 */
export function addItemTheme(db: Db, actor: Actor, code: string, input: unknown): string {
  const theme = parseTheme(input);
  return withTransaction(db, () => {
    const { rule, tags, effective } = taggedItem(db, code);
    const name = THEME_NAMES[theme]!;
    if (effective.includes(theme)) {
      const message = rule.includes(theme) ? THEME_TAG_MESSAGES.alreadyByRule(name) : THEME_TAG_MESSAGES.alreadyAdded(name);
      throw errors.invalid(message, { theme: message });
    }
    const before = tags.find((t) => t.theme === theme)?.tag ?? null;
    if (rule.includes(theme)) deleteThemeTag(db, code, theme);
    else putThemeTag(db, code, theme, 'added', actor.name);
    appendAudit(db, actor, { action: 'item_theme.add', entityType: 'item_theme', entityId: `${code}/${theme}`, before: before && { theme, themeTag: before }, after: { theme, themeTag: rule.includes(theme) ? null : 'added' } });
    return theme;
  });
}

/**
 * The legal office takes an item out of a theme (audited): a theme added by hand loses its tag; one the
 * name rule gives is tagged "removed", so the keyword no longer puts the item there.
 */
export function removeItemTheme(db: Db, actor: Actor, code: string, input: unknown): string {
  const theme = parseTheme(input);
  return withTransaction(db, () => {
    const { rule, tags, effective } = taggedItem(db, code);
    const name = THEME_NAMES[theme]!;
    if (!effective.includes(theme)) throw errors.invalid(THEME_TAG_MESSAGES.notUnder(name), { theme: THEME_TAG_MESSAGES.notUnder(name) });
    const before = tags.find((t) => t.theme === theme)?.tag ?? null;
    if (rule.includes(theme)) putThemeTag(db, code, theme, 'removed', actor.name);
    else deleteThemeTag(db, code, theme);
    appendAudit(db, actor, { action: 'item_theme.remove', entityType: 'item_theme', entityId: `${code}/${theme}`, before: { theme, themeTag: before }, after: { theme, themeTag: rule.includes(theme) ? 'removed' : null } });
    return theme;
  });
}

/**
 * The item's themes as the public guide lists them, each with the list it browses to: by its name and the
 * legal office's tags, as the theme lists and their counts have it.
 */
export function browseThemes(db: Db, code: string, name: string, listOf: (theme: string) => string): { name: string; url: string }[] {
  return itemThemes(db, code, name).themes.map((t) => ({ name: t.name, url: listOf(t.code) }));
}
