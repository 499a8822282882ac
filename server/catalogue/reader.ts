// The public pages read a catalogue through this interface. Today it is the working catalogue;
// the publication issue adds published versions behind the same interface, so pages stay as they are.
import type { Db } from '../../db/client.js';
import {
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
}

export function workingCatalogue(db: Db): CatalogueReader {
  return {
    label: '工作目录（尚未发布）',
    listItems: (filter) => listItems(db, filter),
    getItem: (code) => getItem(db, code),
    listDepartments: () => listDepartments(db),
  };
}
