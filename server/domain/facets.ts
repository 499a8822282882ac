// Browsing the public catalogue like a provincial portal: by 服务对象 (个人 / 法人), department, category
// and theme. An item is for 个人 when its service objects include 自然人, for 法人 when they include 企业法人
// or 其他组织 (both when both); 仅限政府机关 items are for neither. Themes: server/domain/themes.ts.
import { THEMES } from './themes.js';

/** 个人 and 法人 (their words: FACET_LABELS.audiences in labels.ts). */
export const AUDIENCE_CODES = ['individual', 'legal'] as const;
export type Audience = (typeof AUDIENCE_CODES)[number];

/** An audience's bit in an item's audience mask. */
export const AUDIENCE_BIT: Readonly<Record<Audience, number>> = { individual: 1, legal: 2 };

/**
 * The audience mask of an item's service objects, given as the stored JSON text (["citizens",…]) or a
 * list: bit 1 个人, bit 2 法人.
 */
export function audienceMask(serviceObjects: string | readonly string[] | null | undefined): number {
  if (!serviceObjects) return 0;
  const has = (o: string) => (typeof serviceObjects === 'string' ? serviceObjects.includes(`"${o}"`) : serviceObjects.includes(o));
  return (has('citizens') ? AUDIENCE_BIT.individual : 0) | (has('enterprises') || has('organisations') ? AUDIENCE_BIT.legal : 0);
}

/** Themes shown under an audience: those for it and those for both, in the list's order. */
export const themesFor = (audience: Audience) => THEMES.filter((t) => t.audience === audience || t.audience === 'both');
