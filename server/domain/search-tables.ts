// The search tables as shipped in data/search/: the traditional → simplified pairs and the synonyms
// every database starts with. Read once per process (the files never change while it runs).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNormaliser, pairsOfTable, type Normaliser } from './search-normalise.js';
import { pairsOfCsv } from './search-synonyms.js';

export const SEARCH_DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'search');

let pairs: string | undefined;
let normaliser: Normaliser | undefined;

/** Each traditional character followed by its simplified one ("們们個个…"). */
export function simplifiedPairs(): string {
  return (pairs ??= pairsOfTable(readFileSync(join(SEARCH_DATA_DIR, 'traditional-simplified.txt'), 'utf8')));
}

/** How every search normalises names and queries (server/domain/search-normalise.ts with the shipped table). */
export function normaliseText(s: string): string {
  normaliser ??= createNormaliser(simplifiedPairs());
  return normaliser(s);
}

/** The synonyms shipped with the product (data/search/synonyms.csv). */
export function shippedSynonyms(): [string, string][] {
  return pairsOfCsv(readFileSync(join(SEARCH_DATA_DIR, 'synonyms.csv'), 'utf8'));
}
