// Builds the demo database once per test run (registry, demo district, demo accounts) and hands its
// path to the tests, which open private in-memory copies of it. Scrypt at full cost runs only here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/client.js';
import { prepareDatabase } from '../../server/bootstrap.js';

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-test-'));
  const path = join(dir, 'demo-template.db');
  const db = openDatabase(path);
  await prepareDatabase(db, { demo: true });
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.pragma('journal_mode = DELETE');
  db.$client.close();
  project.provide('demoDbPath', path);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    demoDbPath: string;
  }
}
