// The matching of the static site's search, which runs in the browser (search-page.ts is the page's
// script, bundled into the site's search.js at export). No imports and no DOM here: the rules are the
// same in Node, where the tests hold them.

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
  /** Each traditional character followed by its simplified one ("們们個个…"). */
  simplified: string;
  items: IndexRow[];
}

export interface Hit {
  row: IndexRow;
  /** Lower is better: 0 the whole name, then a name starting with a word, inside the name, the code, department or category. */
  score: number;
}

/** The query's words: half-width (NFKC), lower case, each traditional character made simplified. */
export function queryWords(query: string, simplifiedPairs: string): string[] {
  const simplified: Record<string, string> = {};
  for (let k = 0; k + 1 < simplifiedPairs.length; k += 2) simplified[simplifiedPairs[k]!] = simplifiedPairs[k + 1]!;
  let text = '';
  const chars = query.normalize('NFKC').toLowerCase();
  for (let c = 0; c < chars.length; c++) text += simplified[chars[c]!] || chars[c];
  return text.trim().split(/\s+/).filter(Boolean);
}

/**
 * The items holding every word of the query in their name, code, department or category, best first:
 * by score, then the shorter name, then the code.
 */
export function search(index: SearchIndex, query: string): Hit[] {
  const hits: Hit[] = [];
  const words = queryWords(query, index.simplified);
  const whole = words.join('');
  for (const row of index.items) {
    const name = row[1].toLowerCase();
    const code = row[0].toLowerCase();
    const department = (index.departments[row[2]] || '').toLowerCase();
    const category = (index.categories[row[3]] || '').toLowerCase();
    let score = 0;
    let all = true;
    for (const w of words) {
      if (name.indexOf(w) === 0) score += 1;
      else if (name.indexOf(w) > 0) score += 2;
      else if (code.indexOf(w) >= 0) score += 3;
      else if (department.indexOf(w) >= 0 || category.indexOf(w) >= 0) score += 4;
      else {
        all = false;
        break;
      }
    }
    if (!all) continue;
    if (name === whole) score = 0;
    hits.push({ row, score });
  }
  hits.sort((a, b) => a.score - b.score || a.row[1].length - b.row[1].length || (a.row[0] < b.row[0] ? -1 : 1));
  return hits;
}
