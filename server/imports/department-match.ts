// A suggestion for a department name the catalogue does not know (区消防救援大队 ≈ 区消防大队): offered
// in the preview, never applied without a person's choice. Pure.

export interface DepartmentOption {
  code: string;
  name: string;
  aliases?: string[];
}

/** Words departments' names vary by, which say nothing about which department it is. */
const COMMON_WORDS = /救援|管理|行政|综合|执法|服务|委员会|办公室|人民政府|政府|中心|大队|支队|分局|局|委|办|所|站|处|科/g;
/** An administrative place at the start of a name: 区, 县, 某某区, 某某县, 某某市 (up to four characters before it). */
const PLACE_PREFIX = /^(?:\S{0,6}?(?:自治区|自治县|自治州|新区|省|市|区|县|旗|镇|乡|街道))/;

/**
 * The words that tell departments apart: no spaces, none of the common words, with and without what
 * looks like a place at the start (市场监管局 starts with 市 and is no place).
 */
export function departmentCores(name: string): string[] {
  const t = name.normalize('NFKC').replace(/[\s\u3000()（）]+/g, '');
  const cores = new Set([t.replace(COMMON_WORDS, '')]);
  const withoutPlace = t.replace(PLACE_PREFIX, '');
  if (withoutPlace && withoutPlace !== t) cores.add(withoutPlace.replace(COMMON_WORDS, ''));
  cores.delete('');
  return [...cores];
}

function bigrams(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < text.length; i++) {
    const b = text.slice(i, i + 2);
    out.set(b, (out.get(b) ?? 0) + 1);
  }
  return out;
}

/** Dice's coefficient over character bigrams, 0–1. */
export function bigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const x = bigrams(a);
  const y = bigrams(b);
  let shared = 0;
  for (const [k, n] of x) shared += Math.min(n, y.get(k) ?? 0);
  return (2 * shared) / (a.length - 1 + b.length - 1);
}

/** How close two names are, 0–1: the same core counts as 0.95; else the bigram similarity of the whole names. */
function closeness(file: string, known: string): number {
  let best = bigramSimilarity(file.normalize('NFKC'), known.normalize('NFKC'));
  for (const a of departmentCores(file))
    for (const b of departmentCores(known)) {
      if (a === b) return 0.95;
      if (a.length >= 2 && b.length >= 2) best = Math.max(best, bigramSimilarity(a, b) * 0.9);
    }
  return best;
}

/** Below this a name is not suggested at all. */
const THRESHOLD = 0.6;

/** The department a name most likely means, with how sure (0–1); null when none is close enough. */
export function suggestDepartment(name: string, departments: DepartmentOption[]): { code: string; name: string; score: number } | null {
  let best: { code: string; name: string; score: number } | null = null;
  for (const d of departments) {
    for (const known of [d.name, ...(d.aliases ?? [])]) {
      const score = closeness(name, known);
      if (score >= THRESHOLD && (!best || score > best.score)) best = { code: d.code, name: d.name, score };
    }
  }
  return best;
}
