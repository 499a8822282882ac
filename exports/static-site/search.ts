// The matching of the static site's search, which runs in the browser (search-page.ts is the page's
// script, bundled into the site's search.js at export). No imports and no DOM here: the rules are the
// same in Node, where the tests hold them. Normalising and synonyms are the server's own modules
// (server/domain/search-normalise.ts, search-synonyms.ts), bundled in.
import { createNormaliser, termsOf, type Normaliser } from '../../server/domain/search-normalise.js';
import { Synonyms } from '../../server/domain/search-synonyms.js';

/**
 * One item of the index: code, name, the department's position in `departments` (-1 when unknown),
 * category code, the item page's file name (without .html), 1 when it has a legal basis.
 */
export type IndexRow = [code: string, name: string, department: number, category: string, file: string, hasBasis: 0 | 1];

/** What search-index.js sets as window.CATALOGUE_INDEX. */
export interface SearchIndex {
  departments: string[];
  /** Category labels by code. */
  categories: Record<string, string>;
  /** Each traditional character followed by its simplified one ("們们個个…"): data/search/traditional-simplified.txt. */
  simplified: string;
  /** The search synonyms of the catalogue's database when it was exported. */
  synonyms?: [string, string][];
  items: IndexRow[];
}

export interface Hit {
  row: IndexRow;
  /** Lower is better: 0 the whole name, then a name starting with a word, inside the name, the code, department or category. */
  score: number;
}

/** Built once per page from the index's table: the same normaliser as the server's searches. */
let normaliser: { pairs: string; normalise: Normaliser; synonyms: Synonyms } | undefined;
function tablesOf(index: SearchIndex) {
  if (!normaliser || normaliser.pairs !== index.simplified) {
    const normalise = createNormaliser(index.simplified);
    normaliser = { pairs: index.simplified, normalise, synonyms: new Synonyms(index.synonyms || [], normalise) };
  }
  return normaliser;
}

/** The query's words, normalised as the server normalises them (server/domain/search-normalise.ts). */
export function queryWords(query: string, simplifiedPairs: string): string[] {
  return termsOf(createNormaliser(simplifiedPairs), query);
}

/**
 * The items holding every word of the query (or one of its synonyms) in their name, code, department or
 * category, best first: by score, then the shorter name, then the code.
 */
export function search(index: SearchIndex, query: string): Hit[] {
  const hits: Hit[] = [];
  const { normalise, synonyms } = tablesOf(index);
  const words = termsOf(normalise, query).map((w) => synonyms.alternatives(w));
  const whole = words.map((w) => w[0]).join('');
  const departments = index.departments.map(normalise);
  const categories: Record<string, string> = {};
  for (const code of Object.keys(index.categories)) categories[code] = normalise(index.categories[code]!);
  for (const row of index.items) {
    const name = normalise(row[1]);
    const code = normalise(row[0]);
    const department = departments[row[2]] || '';
    const category = categories[row[3]] || '';
    let score = 0;
    let all = true;
    for (const alternatives of words) {
      let best = 9;
      for (const w of alternatives) {
        const at = name.indexOf(w);
        if (at === 0) best = Math.min(best, 1);
        else if (at > 0) best = Math.min(best, 2);
        else if (code.indexOf(w) >= 0) best = Math.min(best, 3);
        else if (department.indexOf(w) >= 0 || category.indexOf(w) >= 0) best = Math.min(best, 4);
      }
      if (best === 9) {
        all = false;
        break;
      }
      score += best;
    }
    if (!all) continue;
    if (name === whole) score = 0;
    hits.push({ row, score });
  }
  hits.sort((a, b) => a.score - b.score || a.row[1].length - b.row[1].length || (a.row[0] < b.row[0] ? -1 : 1));
  return hits;
}
