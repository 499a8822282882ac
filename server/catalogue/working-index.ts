// The working catalogue's search index: the same in-memory index and search as every published version
// (server/publication/catalogue-index.ts, search.ts), fed from the items table. Every write to an item
// stamps its updated_at, so before answering the index reads the items written since it last looked
// (one step down items_updated_idx when nothing changed): a changed item's old document is ended and
// its current state appended; a removed one is only ended. The working catalogue is "version 0".
import Database from 'better-sqlite3';
import type { Db } from '../../db/client.js';
import type { FacetRow } from '../../db/queries/publication/index-feed.js';
import { itemRowsChangedSince, lastItemWrite, liveItemRows, liveItemRowsOf, type WorkingRow } from '../../db/queries/working-search.js';
import { CatalogueIndex, grow, runInSlices } from '../publication/catalogue-index.js';
import { SEARCH_INDEX_MESSAGES } from '../domain/labels.js';
import { errors } from '../errors.js';
import { NO_OVERRIDES, type ThemeOverrideSource } from '../domain/themes.js';

/** The working catalogue's number in the index (its documents are "in version 0" while current). */
export const WORKING = 0;

export class WorkingIndex {
  private index: CatalogueIndex | undefined;
  /**
   * The current document of each live item plus one, by item id (0: none); and the item id of each
   * document. Typed arrays, not a Map and an array of a million entries each: the collector walked those
   * at every major collection of a server holding a million items (npm run bench:search, bench:jobs).
   */
  private docOfItem = new Int32Array(1024);
  private itemIds = new Uint32Array(1024);
  private lastWrite = '';
  private nextDoc = 1;
  /** The build the server started in the background, while it runs. */
  private building: Promise<CatalogueIndex> | null = null;

  /** themeTags: the legal office's theme tags, applied whenever they changed (server/catalogue/theme-tags.ts). */
  constructor(
    private readonly db: Db,
    private readonly themeTags: ThemeOverrideSource = { current: () => NO_OVERRIDES },
  ) {}

  /**
   * Builds the index from a read-only connection of its own, a slice at a time between requests, so a
   * server with a million items keeps answering while it builds (the server starts this when it starts).
   * Meanwhile current() answers 503 with a Chinese message instead of stopping the server to build.
   */
  warm(): Promise<CatalogueIndex> {
    const sqlite = this.db.$client;
    if (this.index) return Promise.resolve(this.current());
    if (sqlite.memory) return Promise.resolve(this.current());
    this.building ??= (async () => {
      const reader = new Database(sqlite.name, { readonly: true, fileMustExist: true });
      try {
        // The last write before reading: what is written meanwhile is read at the first look after.
        const last = lastItemWrite(this.db);
        const index = new CatalogueIndex();
        await runInSlices(index.applying(this.rows(index, liveItemRowsOf(reader)), [], true));
        this.index = index;
        this.lastWrite = last;
        return index;
      } finally {
        reader.close();
        this.building = null;
      }
    })();
    return this.building;
  }

  /** The item of a document's revision id (documents are numbered from 1 as they are added). */
  itemIdOf(revisionId: number): number {
    return this.itemIds[revisionId - 1]!;
  }

  /** The index, built on first use and brought up to date with the items written since. */
  current(): CatalogueIndex {
    if (!this.index && this.building) throw errors.unavailable(SEARCH_INDEX_MESSAGES.workingBuilding);
    const last = lastItemWrite(this.db);
    if (!this.index) {
      const index = new CatalogueIndex();
      this.lastWrite = last;
      index.apply(this.rows(index, liveItemRows(this.db)), [], true);
      this.index = index;
    } else if (last > this.lastWrite) {
      // From the last stamp seen, inclusive: a write in that same millisecond after the last look is read too.
      this.catchUp(last);
    }
    this.index.applyThemeOverrides(this.themeTags.current());
    return this.index;
  }

  private catchUp(last: string): void {
    const changed = itemRowsChangedSince(this.db, this.lastWrite);
    const closed: number[] = [];
    const live: WorkingRow[] = [];
    for (const row of changed) {
      const id = row[0];
      const doc = id < this.docOfItem.length ? this.docOfItem[id]! - 1 : -1;
      if (doc >= 0) {
        closed.push(doc);
        this.docOfItem[id] = 0;
      }
      if (row[10] === null) live.push(row);
    }
    this.lastWrite = last;
    this.index!.apply(this.rows(this.index!, live), closed);
  }

  /** Items as index rows, recording which document each becomes. */
  private *rows(index: CatalogueIndex, rows: Iterable<WorkingRow>): Generator<FacetRow> {
    for (const [id, code, name, category, departmentCode, departmentName, level, parentCode, hasBasis, basisTitles, , , serviceObjects] of rows) {
      const doc = index.size;
      if (id >= this.docOfItem.length) this.docOfItem = grow(this.docOfItem, id + 1, (k) => new Int32Array(k));
      if (doc >= this.itemIds.length) this.itemIds = grow(this.itemIds, doc + 1, (k) => new Uint32Array(k));
      this.docOfItem[id] = doc + 1;
      this.itemIds[doc] = id;
      yield [this.nextDoc++, WORKING, code, name, category, departmentCode, departmentName, level, parentCode, hasBasis, basisTitles ?? '', serviceObjects];
    }
  }
}
