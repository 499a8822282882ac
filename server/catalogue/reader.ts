// The public pages read a catalogue through this interface: the working catalogue (signed-in staff) or a
// published version (server/publication/reader.ts), so pages stay as they are.
import type { Db } from '../../db/client.js';
import { PUBLIC_CATALOGUE_LABELS } from '../domain/labels.js';
import {
  catalogueCounts,
  getItem,
  listDepartments,
  listItems,
  type DepartmentSummary,
  type ItemDetail,
  type ItemFilter,
  type ItemPage,
} from '../../db/queries/catalogue.js';

export interface CatalogueReader {
  /** Shown in page headers: which catalogue the visitor is looking at. */
  readonly label: string;
  listItems(filter: ItemFilter): ItemPage;
  getItem(code: string): ItemDetail | null;
  listDepartments(): DepartmentSummary[];
  /** Items in all and by category code (the home page's tiles). */
  counts(): { items: number; byCategory: Record<string, number> };
  /** Whether this is a published version (false: the working catalogue). */
  readonly published: boolean;
}

export function workingCatalogue(db: Db): CatalogueReader {
  return {
    label: PUBLIC_CATALOGUE_LABELS.working,
    published: false,
    listItems: (filter) => listItems(db, filter),
    getItem: (code) => getItem(db, code),
    listDepartments: () => listDepartments(db),
    counts: () => catalogueCounts(db),
  };
}
