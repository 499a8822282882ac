// Archiving accepted uploads by SHA-256: stored once, recognised when the same file comes again.
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/client.js';

export async function sha256OfFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

export interface ArchivedUpload {
  uploadId: number;
  sha256: string;
  size: number;
  storedPath: string;
  /** The earlier import of the same file, when there was one. */
  previous: { importId: number; by: string; at: string; status: string } | null;
}

/** Store the file under uploadsDir/<sha256[0..2]>/<sha256>.<format> and record it (inside the caller's transaction or alone). */
export function archiveUpload(
  db: Db,
  uploadsDir: string,
  file: { path: string; sha256: string; size: number; originalName: string; format: 'xlsx' | 'csv'; move: boolean },
  actorName: string,
): ArchivedUpload {
  const sqlite = db.$client;
  const existing = sqlite.prepare('SELECT id, stored_path FROM uploads WHERE sha256 = ?').get(file.sha256) as { id: number; stored_path: string } | undefined;
  if (existing) {
    const previous = sqlite
      .prepare('SELECT id, created_by, created_at, status FROM imports WHERE upload_id = ? ORDER BY id DESC LIMIT 1')
      .get(existing.id) as { id: number; created_by: string; created_at: string; status: string } | undefined;
    return {
      uploadId: existing.id,
      sha256: file.sha256,
      size: file.size,
      storedPath: existing.stored_path,
      previous: previous ? { importId: previous.id, by: previous.created_by, at: previous.created_at, status: previous.status } : null,
    };
  }
  const dir = join(uploadsDir, file.sha256.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  const storedPath = join(dir, `${file.sha256}.${file.format}`);
  if (!existsSync(storedPath)) {
    if (file.move) {
      try {
        renameSync(file.path, storedPath);
      } catch {
        copyFileSync(file.path, storedPath);
      }
    } else copyFileSync(file.path, storedPath);
  }
  const uploadId = Number(
    sqlite
      .prepare('INSERT INTO uploads (sha256, size, original_name, format, stored_path, first_uploaded_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(file.sha256, file.size, file.originalName, file.format, storedPath, actorName).lastInsertRowid,
  );
  return { uploadId, sha256: file.sha256, size: file.size, storedPath, previous: null };
}
