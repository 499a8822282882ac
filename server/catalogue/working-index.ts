// The working catalogue's search index: the same in-memory index and search as every published version
// (server/publication/catalogue-index.ts, search.ts), fed from the items table. Every write to an item
// stamps its updated_at, so before answering the index reads the items written since it last looked
// (one step down items_updated_idx when nothing changed): a changed item's old document is ended and
// its current state appended; a removed one is only ended. The working catalogue is "version 0".
import type { Db } from '../../db/client.js';
import type { FacetRow } from '../../db/queries/publication/index-feed.js';
import { itemRowsChangedSince, lastItemWrite, liveItemRows, type WorkingRow } from '../../db/queries/working-search.js';
import { CatalogueIndex } from '../publication/catalogue-index.js';

/** The working catalogue's number in the index (its documents are "in version 0" while current). */
export const WORKING = 0;

export class WorkingIndex {
  private index: CatalogueIndex | undefined;
  /** The current document of each live item, by item id. */
  private docOfItem = new Map<number, number>();
  /** The item id of each document. */
  itemIds: number[] = [];
  private lastWrite = '';
  private nextDoc = 1;

  constructor(private readonly db: Db) {}

  /** The item of a document's revision id (documents are numbered from 1 as they are added). */
  itemIdOf(revisionId: number): number {
    return this.itemIds[revisionId - 1]!;
  }

  /** The index, built on first use and brought up to date with the items written since. */
  current(): CatalogueIndex {
    const last = lastItemWrite(this.db);
    if (!this.index) {
      this.index = new CatalogueIndex();
      this.lastWrite = last;
      this.index.apply(this.rows(liveItemRows(this.db)), [], true);
    } else if (last > this.lastWrite) {
      // From the last stamp seen, inclusive: a write in that same millisecond after the last look is read too.
      this.catchUp(last);
    }
    return this.index;
  }

  private catchUp(last: string): void {
    const changed = itemRowsChangedSince(this.db, this.lastWrite);
    const closed: number[] = [];
    const live: WorkingRow[] = [];
    for (const row of changed) {
      const doc = this.docOfItem.get(row[0]);
      if (doc !== undefined) {
        closed.push(doc);
        this.docOfItem.delete(row[0]);
      }
      if (row[10] === null) live.push(row);
    }
    this.lastWrite = last;
    this.index!.apply(this.rows(live), closed);
  }

  /** Items as index rows, recording which document each becomes. */
  private *rows(rows: Iterable<WorkingRow>): Generator<FacetRow> {
    for (const [id, code, name, category, departmentCode, departmentName, level, parentCode, hasBasis, basisTitles] of rows) {
      const doc = this.index!.size;
      this.docOfItem.set(id, doc);
      this.itemIds[doc] = id;
      yield [this.nextDoc++, WORKING, code, name, category, departmentCode, departmentName, level, parentCode, hasBasis, basisTitles ?? ''];
    }
  }
}
