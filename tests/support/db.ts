// Test databases: a private in-memory copy of the demo template, or an empty migrated one.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { openDatabase, wrapConnection, type Db } from '../../db/client.js';

let template: Buffer | null = null;

/** A fresh in-memory database holding the demo district, registry and demo accounts. */
export function demoDb(): Db {
  template ??= readFileSync(inject('demoDbPath'));
  return wrapConnection(new Database(template));
}

/** A fresh, migrated, empty in-memory database: no registry either (tests that need it use demoDb or load it). */
export const emptyDb = (): Db => openDatabase(':memory:', { registry: false });
