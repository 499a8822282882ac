// The legal office's theme tags of items (item_theme_tags): added or removed by hand, keyed by item code.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { itemThemeTags } from '../schema.js';

export interface ThemeTagRow {
  id: number;
  itemCode: string;
  theme: string;
  tag: 'added' | 'removed';
  taggedBy: string;
  createdAt: string;
}

/** Every tag (what the indexes and the static export read: a few hundred rows, not one per item). */
export const allThemeTags = (db: Db): ThemeTagRow[] => db.select().from(itemThemeTags).orderBy(asc(itemThemeTags.id)).all();

export const themeTagsOfItem = (db: Db, itemCode: string): ThemeTagRow[] =>
  db.select().from(itemThemeTags).where(eq(itemThemeTags.itemCode, itemCode)).orderBy(asc(itemThemeTags.id)).all();

/** Sets the item's tag of a theme (a new row, so the table's stamp moves). */
export function putThemeTag(db: Db, itemCode: string, theme: string, tag: 'added' | 'removed', taggedBy: string): number {
  deleteThemeTag(db, itemCode, theme);
  return Number(db.insert(itemThemeTags).values({ itemCode, theme, tag, taggedBy }).run().lastInsertRowid);
}

export const deleteThemeTag = (db: Db, itemCode: string, theme: string): boolean =>
  db.delete(itemThemeTags).where(and(eq(itemThemeTags.itemCode, itemCode), eq(itemThemeTags.theme, theme))).run().changes === 1;

/** A cheap fingerprint of the table, read by one prepared statement (the indexes reapply the tags when it moves). */
export function themeTagsStampReader(db: Db): () => string {
  let statement: { get(): unknown } | undefined;
  return () => {
    statement ??= db.$client.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS m, coalesce(sum(id), 0) AS s FROM item_theme_tags');
    const r = statement.get() as { n: number; m: number; s: number };
    return `${r.n}:${r.m}:${r.s}`;
  };
}
