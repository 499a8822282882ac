// The uploads table names each archived file relative to the uploads folder, so a database moved or
// restored elsewhere still finds its files; older databases' absolute paths are rewritten by a migration.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { MIGRATIONS_DIR, openDatabase } from '../../../db/client.js';
import { createImportRepository } from '../../../db/queries/imports.js';
import { archiveUpload } from '../../../server/imports/archive.js';

const SHA = 'ab'.padEnd(64, '0');

describe('upload paths', () => {
  it('an absolute stored path from an older database becomes <sha[0..2]>/<sha>.<format> when migrated', () => {
    const db = openDatabase(':memory:');
    db.$client.prepare("INSERT INTO uploads (sha256, size, original_name, format, stored_path, first_uploaded_by) VALUES (?, 1, 'a.xlsx', 'xlsx', ?, 'x')").run(SHA, `/srv/old/data/uploads/ab/${SHA}.xlsx`);
    // The rewrite migration, run on that row as on an older database.
    const rewrite = readdirSync(MIGRATIONS_DIR).find((f) => f.endsWith('_uploads_relative_paths.sql'))!;
    db.$client.exec(readFileSync(join(MIGRATIONS_DIR, rewrite), 'utf8'));
    expect(db.$client.prepare('SELECT stored_path FROM uploads').pluck().get()).toBe(`ab/${SHA}.xlsx`);
  });

  it('an archived upload is recorded relative to the uploads folder, and a file the archive lost is stored again', () => {
    const db = openDatabase(':memory:');
    const repo = createImportRepository({ db });
    const dir = mkdtempSync(join(tmpdir(), 'paths-'));
    const file = join(dir, 'in.csv');
    writeFileSync(file, 'a,b\n');
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const uploads = join(dir, 'uploads');
    const first = archiveUpload(repo, uploads, { path: file, sha256, size: 4, originalName: 'in.csv', format: 'csv', move: false }, 'x');
    expect(first.storedPath).toBe(`${sha256.slice(0, 2)}/${sha256}.csv`);
    // Another machine's uploads folder without the file: the next upload of it puts it back.
    const elsewhere = join(dir, 'elsewhere');
    const second = archiveUpload(repo, elsewhere, { path: file, sha256, size: 4, originalName: 'in.csv', format: 'csv', move: false }, 'x');
    expect(second.uploadId).toBe(first.uploadId);
    expect(existsSync(join(elsewhere, second.storedPath))).toBe(true);
  });
});
