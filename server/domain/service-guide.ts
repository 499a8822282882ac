// The service guide's words read from what a department wrote: phone numbers a phone can dial, and
// 申请条件 / 申请材料 as lists. Pure, shared by the live pages and the static export.
import { HANDLING_TYPES, ON_SITE_VISITS, ONLINE_DEPTHS, label } from './vocabulary.js';

export interface PhoneLink {
  /** As written ("0826-2345678"). */
  text: string;
  /** tel: URI: digits and a leading +, extension after a comma (dialled once the call connects). */
  href: string;
}

// A number, not inside a longer run of digits: an 11-digit mobile, a 400/800 line, a fixed line with
// an optional +86 or area code (and extension), or a short hotline such as 12345 (with its area code or without).
const PHONE_RE = /(?<!\d)(?:1[3-9]\d{9}|[48]00[-\s]?\d{3}[-\s]?\d{4}|(?:\+?86[-\s]?)?(?:[（(]?0\d{2,3}[)）]?[-\s－—]?)?\d{3,4}[-\s－]?\d{4}(?:\s*(?:转|-|ext\.?)\s*\d{1,6})?|(?:[（(]?0\d{2,3}[)）]?[-\s－—]?)?1\d{4})(?!\d)/g;

/** The phone numbers in a cell ("0826-2345678；0826-2345679（传真）", "12345"), each with its tel: link. */
export function phoneLinks(text: string | null | undefined): PhoneLink[] {
  if (!text) return [];
  const out: PhoneLink[] = [];
  for (const m of text.normalize('NFKC').matchAll(PHONE_RE)) {
    const written = m[0].trim();
    const [main, extension] = written.split(/\s*(?:转|ext\.?)\s*/);
    const digits = (main ?? '').replace(/[^\d+]/g, '');
    if (digits.replace(/\D/g, '').length < 5) continue;
    out.push({ text: written, href: `tel:${digits}${extension ? `,${extension.replace(/\D/g, '')}` : ''}` });
  }
  return out;
}

/** 办件类型: 即办件 when handled on the spot, else 承诺件. */
export const handlingTypeName = (instant: boolean): string => (instant ? HANDLING_TYPES.instant : HANDLING_TYPES.promised);

/** 到现场次数 in words; empty when not filled in. */
export const onSiteVisitsName = (visits: number | null | undefined): string => (visits == null ? '' : ON_SITE_VISITS[Math.min(visits, 2)] ?? '');

/** 网上办理深度 in words; empty when not filled in. */
export const onlineDepthName = (depth: string | null | undefined): string => label(ONLINE_DEPTHS, depth);
