// A database created by the product uses 16 KB pages (why: NEW_DATABASE_PAGE_BYTES in db/client.ts); one
// created before keeps its own page size and opens as ever.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEW_DATABASE_PAGE_BYTES, openDatabase } from '../../../db/client.js';

describe('database page size', () => {
  it('a new database file is created with 16 KB pages, in WAL mode, and keeps them when opened again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'page-size-'));
    try {
      const path = join(dir, 'catalogue.db');
      const db = openDatabase(path);
      expect(NEW_DATABASE_PAGE_BYTES).toBe(16384);
      expect(db.$client.pragma('page_size', { simple: true })).toBe(16384);
      expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
      db.$client.close();
      const again = openDatabase(path);
      expect(again.$client.pragma('page_size', { simple: true })).toBe(16384);
      again.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a database made with 4 KB pages opens, migrates and keeps its page size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'page-size-'));
    try {
      const path = join(dir, 'old.db');
      const old = new Database(path);
      old.pragma('page_size = 4096');
      old.pragma('journal_mode = WAL');
      old.exec('CREATE TABLE kept (x)');
      old.close();
      const db = openDatabase(path);
      expect(db.$client.pragma('page_size', { simple: true })).toBe(4096);
      expect(db.$client.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'items'").pluck().get()).toBe(1);
      db.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
