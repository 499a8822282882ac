// What the facet panel of the item list and the home page's browse blocks show: for each dimension
// (服务对象, theme, category, department) its values with counts and the link that chooses one, keeping
// the rest of the filter; the chosen ones as chips whose link takes them off. Plain links: no script.
import type { FacetCounts } from '../publication/facets.js';
import { AUDIENCE_CODES, themesFor, type Audience } from '../domain/facets.js';
import { THEMES, THEME_NAMES } from '../domain/themes.js';
import { CATEGORIES, CATEGORY_CODES, LEVELS, label } from '../domain/vocabulary.js';
import { FACET_LABELS } from '../domain/labels.js';
import type { Query } from '../urls.js';

/** The filters a list page carries in its URL (page excluded). */
export interface FacetFilters {
  q?: string | undefined;
  audience?: Audience | undefined;
  theme?: string | undefined;
  category?: string | undefined;
  department?: string | undefined;
  level?: string | undefined;
  basis?: 'yes' | 'no' | undefined;
}

type Dimension = 'audience' | 'theme' | 'category' | 'department';

interface FacetOption {
  text: string;
  count: number;
  countText: string;
  url: string;
  selected: boolean;
}

/**
 * The facet panel and the chips of a list page: `link` builds the list's URL for a filter, `departmentName`
 * names a chosen department that has no items under the current filter.
 */
export function facetPanelModel(facets: FacetCounts, filters: FacetFilters, link: (q: Query) => string, departmentName: (code: string) => string | undefined = () => undefined) {
  // (facets.total is the list's total: the chips bar repeats it for a phone.)
  const base: Query = { ...filters };
  const choose = (dimension: Dimension, value: string | undefined) => link({ ...base, [dimension]: value });
  const group = (dimension: Dimension, values: { value: string; text: string; count: number }[]) => {
    const selected = filters[dimension];
    const options: FacetOption[] = values
      .filter((v) => v.count > 0 || v.value === selected)
      .map((v) => ({
        text: v.text,
        count: v.count,
        countText: FACET_LABELS.count(v.count),
        // A chosen value's link takes it off again.
        url: choose(dimension, v.value === selected ? undefined : v.value),
        selected: v.value === selected,
      }));
    const chosen = options.find((o) => o.selected);
    return {
      dimension,
      title: FACET_LABELS.dimensions[dimension],
      chosen: chosen?.text ?? null,
      all: { text: FACET_LABELS.all, url: choose(dimension, undefined), selected: !selected },
      options,
      empty: options.length === 0,
    };
  };
  const audience = group(
    'audience',
    AUDIENCE_CODES.map((a) => ({ value: a, text: FACET_LABELS.audiences[a], count: facets.audiences[a] })),
  );
  const theme = group(
    'theme',
    THEMES.map((t) => ({ value: t.code, text: t.name, count: facets.themes[t.code] ?? 0 })),
  );
  const category = group(
    'category',
    CATEGORY_CODES.map((c) => ({ value: c, text: CATEGORIES[c], count: facets.categories[c] ?? 0 })).sort((a, b) => b.count - a.count),
  );
  const departments = facets.departments.map((d) => ({ value: d.code, text: d.name, count: d.count }));
  if (filters.department && !departments.some((d) => d.value === filters.department)) {
    departments.push({ value: filters.department, text: departmentName(filters.department) ?? filters.department, count: 0 });
  }
  const department = group('department', departments);

  // The chips: every filter in the URL, each with the link that takes it off.
  const chips: { label: string; value: string; removeUrl: string; removeTitle: string }[] = [];
  const chip = (key: keyof FacetFilters, value: string | undefined) => {
    if (!value) return;
    const rest: Query = { ...base, [key]: undefined };
    const name = FACET_LABELS.dimensions[key];
    chips.push({ label: name, value, removeUrl: link(rest), removeTitle: FACET_LABELS.remove(`${name}：${value}`) });
  };
  chip('q', filters.q);
  chip('audience', filters.audience && FACET_LABELS.audiences[filters.audience]);
  chip('theme', filters.theme && (THEME_NAMES[filters.theme] ?? filters.theme));
  chip('category', filters.category && label(CATEGORIES, filters.category));
  chip('department', filters.department && (department.chosen ?? departmentName(filters.department) ?? filters.department));
  chip('level', filters.level && label(LEVELS, filters.level));
  chip('basis', filters.basis && FACET_LABELS.basis[filters.basis]);

  return {
    labels: { panel: FACET_LABELS.panel, chips: FACET_LABELS.chips, clearAll: FACET_LABELS.clearAll, noneHere: FACET_LABELS.noneHere, found: FACET_LABELS.found(facets.total) },
    groups: [audience, theme, category, department],
    chips,
    clearAllUrl: chips.length > 1 ? link({}) : null,
  };
}

/** The home page's entry points: 个人办事 / 法人办事 with counts, and the themes of each with theirs. */
export function homeBrowseModel(all: FacetCounts, byAudience: Record<Audience, FacetCounts>, link: (q: Query) => string) {
  return {
    labels: { byAudience: FACET_LABELS.byAudience, byTheme: FACET_LABELS.byTheme },
    audiences: AUDIENCE_CODES.map((a) => ({ code: a, name: FACET_LABELS.audienceEntries[a], count: all.audiences[a], countText: FACET_LABELS.count(all.audiences[a]), url: link({ audience: a }) })),
    themeGroups: AUDIENCE_CODES.map((a) => ({
      code: a,
      title: FACET_LABELS.themeGroups[a],
      themes: themesFor(a)
        .map((t) => ({ code: t.code, name: t.name, count: byAudience[a].themes[t.code] ?? 0 }))
        .filter((t) => t.count > 0)
        .map((t) => ({ ...t, countText: FACET_LABELS.count(t.count), url: link({ audience: a, theme: t.code }) })),
    })).filter((g) => g.themes.length > 0),
  };
}

/** The counts as the list's JSON twin gives them (?facets=1): each dimension's values with names and counts. */
export function facetsJson(facets: FacetCounts) {
  return {
    audiences: AUDIENCE_CODES.map((a) => ({ code: a, name: FACET_LABELS.audiences[a], count: facets.audiences[a] })),
    themes: THEMES.filter((t) => facets.themes[t.code]).map((t) => ({ code: t.code, name: t.name, audience: t.audience, count: facets.themes[t.code]! })),
    categories: CATEGORY_CODES.filter((c) => facets.categories[c]).map((c) => ({ code: c, name: CATEGORIES[c], count: facets.categories[c]! })),
    departments: facets.departments,
  };
}
