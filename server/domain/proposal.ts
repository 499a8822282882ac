// What a department proposes for an item, from a spreadsheet row or the item form: its fields, its
// legal basis and its prerequisites, as the import, the review and the catalogue writer pass it on.
import type { ItemFields } from './item-fields.js';
import type { Disposition } from './vocabulary.js';

/**
 * The 处理意见 that take a listed item out of a department's catalogue (取消, 下放, 合并, 转移): a row
 * saying one proposes removing the item with that disposition; a change of mode (改变管理方式) is a change.
 */
export const LEAVING_DISPOSITIONS: readonly Disposition[] = ['cancel', 'delegate', 'merge', 'transfer'];

export interface ProposedCitation {
  title: string;
  article: string | null;
  documentNumber: string | null;
  tag: string | null;
  quotedText: string | null;
  role: 'setting' | 'implementing';
  instrumentId: number | null;
}

export interface Proposal {
  code: string | null;
  fields: ItemFields;
  mainItemName: string | null;
  citations: ProposedCitation[];
  prerequisites: string[];
  disposition: string | null;
  /** Why, as the 处理意见 says after its keyword (取消：已被法律废止) or a 理由 column; absent in older proposals. */
  dispositionReason?: string | null;
}
