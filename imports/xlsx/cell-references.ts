// Cell references ("AB12") and ranges ("B3:B7").
import type { CellRange } from '../types.js';

/** Column number (1-based) of a reference such as "AB12" starting at buf[start]; 0 if none. */
function columnOf(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) column = column * 26 + (c - 64);
    else if (c >= 97 && c <= 122) column = column * 26 + (c - 96);
    else if (c === 36 /* $ */ && i === 0) continue;
    else break;
    if (column > 1e9) break;
  }
  return column;
}

function rowOf(ref: string): number {
  const match = /(\d+)\s*$/.exec(ref);
  return match ? Number(match[1]) : 0;
}

export function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** "B3:B7" → { top: 3, left: 2, bottom: 7, right: 2 }; undefined when it is not a range. */
export function parseRange(ref: string): CellRange | undefined {
  const [from, to] = ref.replace(/\$/g, '').trim().split(':');
  if (!from) return undefined;
  const end = to ?? from;
  const range = { top: rowOf(from), left: columnOf(from), bottom: rowOf(end), right: columnOf(end) };
  if (!range.top || !range.left || !range.bottom || !range.right) return undefined;
  return {
    top: Math.min(range.top, range.bottom),
    left: Math.min(range.left, range.right),
    bottom: Math.max(range.top, range.bottom),
    right: Math.max(range.left, range.right),
  };
}
