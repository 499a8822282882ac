// 前置事项 as people write them: several to a form field or cell, each another item's code or name.
// Splitting the text and deciding which item a written name means. Pure: the lookups are given.
import { normalizeItemName } from './item-names.js';

export const PREREQUISITES_LABEL = '前置事项';
export const MAX_PREREQUISITES = 50;
export const MAX_PREREQUISITE_LENGTH = 200;

/** Cells and fields that say "none". */
const NONE_RE = /^(无|暂无|没有|不涉及|\/|／|—+|-+|－+)$/;
/** A list marker at the start of a line: 1、 1. （1） (一) 一、 */
const MARKER_RE = /^\s*(?:(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*[、.．)）]|[（(]\s*(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*[)）])\s*/;

/** The form's 前置事项: one per line, or separated by 、；; — in order, without repeats or "无". */
export function splitPrerequisiteText(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    for (const part of line.replace(MARKER_RE, '').split(/[、；;]/)) out.push(part);
  }
  return cleanPrerequisites(out);
}

/** Written prerequisites as stored: trimmed, in order, without blanks, repeats or "无". */
export function cleanPrerequisites(list: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of list) {
    const p = raw.replace(/[\s\u3000]+/g, ' ').trim().replace(/[，,。.]+$/, '').trim();
    if (p === '' || NONE_RE.test(p) || seen.has(p)) continue;
    seen.add(p);
    out.push(p);
  }
  return out;
}

/** The key names are matched on: the normalisation the duplicate and similarity checks use. */
export const prerequisiteKey = (written: string): string => normalizeItemName(written.trim());

export interface Candidate {
  id: number;
  departmentId: number;
}

/** How the catalogue is searched; only items still in the working catalogue are candidates. */
export interface ItemLookups {
  byCode(code: string): Candidate | null;
  /** Items with exactly this name. */
  byName(name: string): Candidate[];
  /** Items whose normalised name is this key. */
  byKey(key: string): Candidate[];
}

export type ResolutionProblem = 'unknown' | 'ambiguous' | 'self';
export type Resolution = { itemId: number; problem: null } | { itemId: null; problem: ResolutionProblem };

export const RESOLUTION_PROBLEMS: Record<ResolutionProblem | 'removed', string> = {
  unknown: '目录中没有这个编码或名称的事项',
  ambiguous: '有多个同名事项，无法确定是哪一个（请改写事项编码）',
  self: '写的是本事项自己',
  removed: '所指事项已移出工作目录',
};

/**
 * Which item a written prerequisite means: the item with that code; else the one item with that exact
 * name; else the one whose normalised name matches. Of several namesakes the one in the owner's own
 * department is taken when it is the only one there; otherwise the name stays unresolved.
 */
export function resolvePrerequisite(written: string, owner: Candidate, look: ItemLookups): Resolution {
  const text = written.trim();
  const coded = look.byCode(text);
  if (coded) return coded.id === owner.id ? { itemId: null, problem: 'self' } : { itemId: coded.id, problem: null };
  let onlySelf = false;
  const key = prerequisiteKey(text);
  for (const find of [() => look.byName(text), () => (key === '' ? [] : look.byKey(key))]) {
    const all = find();
    const found = all.filter((c) => c.id !== owner.id);
    if (found.length < all.length) onlySelf = true;
    if (found.length === 1) return { itemId: found[0]!.id, problem: null };
    if (found.length > 1) {
      const own = found.filter((c) => c.departmentId === owner.departmentId);
      return own.length === 1 ? { itemId: own[0]!.id, problem: null } : { itemId: null, problem: 'ambiguous' };
    }
  }
  return { itemId: null, problem: onlySelf ? 'self' : 'unknown' };
}

/** The form field's text for what the form is shown with: the item's rows, a draft's list, or the text just posted. */
export function prerequisitesFormText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  return value.map((p) => (typeof p === 'string' ? p : p && typeof p === 'object' && 'writtenAs' in p ? String((p as { writtenAs: unknown }).writtenAs) : '')).filter(Boolean).join('\n');
}

/**
 * The list a form or JSON body gives: text is split (lines, 、；;); a JSON list is taken item by item
 * (strings, or the item JSON's own {writtenAs} objects sent back).
 */
export function prerequisitesFromInput(value: unknown): string[] {
  if (value === null) return [];
  if (!Array.isArray(value)) return splitPrerequisiteText(String(value));
  return cleanPrerequisites(value.map((x) => (x && typeof x === 'object' && 'writtenAs' in x ? String((x as { writtenAs: unknown }).writtenAs) : String(x))));
}
