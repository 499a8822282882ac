// The dashboard's query string (?version=…&department=…), defined once for the page, its JSON and xlsx
// twins and the API description.
import { z } from 'zod';

const blankIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

export const statsQuerySchema = z.object({
  version: z.preprocess(blankIsAbsent, z.union([z.literal('latest'), z.string().regex(/^[1-9]\d{0,8}$/).transform(Number)]).optional()),
  department: z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() || undefined : undefined), z.string().max(32).optional()),
});
export type StatsQuery = z.output<typeof statsQuerySchema>;
