// Item names as compared: the same power is written with qualifiers, punctuation and glue words that do
// not change what it is. Duplicates, prerequisites and list matching all compare names this way.

/** Qualifiers in brackets that do not change what the item is: （含…）（市级/县级）（仅限…）. */
const QUALIFIER_RE = /\((?:含|包括|包含|不含|限|仅|指|即|注)[^()]*\)|\((?:[省市县区]级|乡镇|街道|[/、,，\s])+\)/g;
const BRACKET_RE = /[()[\]{}【】〔〕「」『』《》〈〉]/g;
/** Punctuation, symbols and spaces of every width. */
const NOISE_RE = /[\s\p{P}\p{S}]/gu;
/** 对…的处罚 → …处罚: the words that only glue a name together. */
const GLUE_RE = /^对|的|之/g;

/** The name as compared: half-width, qualifiers and punctuation gone, 对/的 dropped. */
export function normalizeItemName(name: string): string {
  return name.normalize('NFKC').replace(QUALIFIER_RE, '').replace(BRACKET_RE, '').replace(NOISE_RE, '').replace(GLUE_RE, '');
}
