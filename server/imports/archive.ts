// Archiving accepted uploads by SHA-256: stored once, recognised when the same file comes again.
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportRepository } from '../../db/queries/imports.js';

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
  imports: ImportRepository,
  uploadsDir: string,
  file: { path: string; sha256: string; size: number; originalName: string; format: 'xlsx' | 'csv'; move: boolean },
  actorName: string,
): ArchivedUpload {
  const existing = imports.uploadByHash(file.sha256);
  if (existing) {
    return { uploadId: existing.id, sha256: file.sha256, size: file.size, storedPath: existing.storedPath, previous: imports.lastImportOfUpload(existing.id) };
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
  const uploadId = imports.recordUpload({
    sha256: file.sha256,
    size: file.size,
    originalName: file.originalName,
    format: file.format,
    storedPath,
    firstUploadedBy: actorName,
  });
  return { uploadId, sha256: file.sha256, size: file.size, storedPath, previous: null };
}
