// Query-string schemas shared by the HTML pages and their JSON twins. Bad values are dropped, not fatal.
import { z } from 'zod';
import { CATEGORY_CODES, INSTRUMENT_STATUS_CODES, LEVEL_CODES, RANK_CODES } from '../domain/vocabulary.js';
import { AUDIENCE_CODES } from '../domain/facets.js';
import { THEMES } from '../domain/themes.js';

const THEME_CODES = THEMES.map((t) => t.code) as [string, ...string[]];

// Text past the limit is cut, not dropped: a pasted long query still searches by its beginning
// instead of silently listing everything.
const optionalText = (max: number) =>
  z
    .preprocess((v) => (typeof v === 'string' ? v.trim().slice(0, max) : v), z.string().max(max).optional())
    .catch(undefined)
    .transform((v) => (v ? v : undefined));
const page = z.coerce.number().int().min(1).max(100_000).catch(1).default(1);

export const itemQuerySchema = z.object({
  department: optionalText(32),
  category: z.enum(CATEGORY_CODES).optional().catch(undefined),
  level: z.enum(LEVEL_CODES).optional().catch(undefined),
  basis: z.enum(['yes', 'no']).optional().catch(undefined),
  /** 服务对象: individual 个人, legal 法人. */
  audience: z.enum(AUDIENCE_CODES).optional().catch(undefined),
  /** A theme code of data/themes/themes.json. */
  theme: z.enum(THEME_CODES).optional().catch(undefined),
  q: optionalText(100),
  page,
});
export type ItemQuery = z.output<typeof itemQuerySchema>;

export const instrumentQuerySchema = z.object({
  q: optionalText(100),
  rank: z.enum(RANK_CODES).optional().catch(undefined),
  status: z.enum(INSTRUMENT_STATUS_CODES).optional().catch(undefined),
  page,
});
export type InstrumentQuery = z.output<typeof instrumentQuerySchema>;
