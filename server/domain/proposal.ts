// What a department proposes for an item, from a spreadsheet row or the item form: its fields, its
// legal basis and its prerequisites, as the import, the review and the catalogue writer pass it on.
import type { ItemFields } from './item-fields.js';

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
}
