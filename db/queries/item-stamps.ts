// When an item's row changes, its updated_at moves (the publisher finds what changed since the last
// publish through items_updated_idx) and, when its content changes, its row version too (optimistic
// concurrency). Every statement that writes items takes its stamps from here instead of spelling them.
import { sql } from 'drizzle-orm';
import { items } from '../schema.js';

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

/** For raw statements: the SET clause's tail when an item's content changes. */
export const ITEM_CHANGED_SQL = `row_version = row_version + 1, updated_at = ${NOW}`;

/** For drizzle's `set`: the item's content changed (new row version, new updated_at). */
export const itemChanged = () => ({ rowVersion: sql`${items.rowVersion} + 1`, updatedAt: sql.raw(NOW) });

/** For drizzle's `set`: what the catalogue says about the item changed without a new version of its content (its review outcome). */
export const itemTouched = () => ({ updatedAt: sql.raw(NOW) });
