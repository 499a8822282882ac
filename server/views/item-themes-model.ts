// The 主题 block of the item page for the legal office: the item's themes, each marked by where it comes
// from (the name rule or a hand tag) with a button that takes it away; a form that adds one of the others;
// the rule's themes taken away by hand (so they can be put back); the message of the last change.
import { THEMES, THEME_NAMES } from '../domain/themes.js';
import { THEME_TAG_LABELS } from '../domain/labels.js';
import { urls } from '../urls.js';
import type { ItemThemes } from '../catalogue/theme-tags.js';

/** `query`: the item page's query string, where a tag change leaves ?theme_added= or ?theme_removed=. */
export function itemThemesModel(data: ItemThemes, code: string, query: Record<string, unknown>) {
  const has = new Set(data.themes.map((t) => t.code));
  const done = (key: string, say: (name: string) => string) => {
    const theme = typeof query[key] === 'string' ? (query[key] as string) : '';
    return THEME_NAMES[theme] ? say(THEME_NAMES[theme]) : null;
  };
  return {
    labels: THEME_TAG_LABELS,
    message: done('theme_added', THEME_TAG_LABELS.added) ?? done('theme_removed', THEME_TAG_LABELS.removed),
    themes: data.themes.map((t) => ({
      ...t,
      sourceName: THEME_TAG_LABELS.sources[t.source],
      sourceHint: THEME_TAG_LABELS.sourceHint[t.source],
      browseUrl: urls.items({ theme: t.code }),
      browseTitle: THEME_TAG_LABELS.browse(t.name),
      removeUrl: urls.removeItemTheme(code, t.code),
      removeTitle: THEME_TAG_LABELS.removeTitle(t.name),
    })),
    removedByHand: data.removedByHand,
    addUrl: urls.addItemTheme(code),
    options: THEMES.filter((t) => !has.has(t.code)).map((t) => ({ value: t.code, text: t.name })),
  };
}
