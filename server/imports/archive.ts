// Archiving accepted uploads by SHA-256: stored once, recognised when the same file comes again.
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
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
  /** Relative to the uploads folder. */
  storedPath: string;
  /** The earlier import of the same file, when there was one. */
  previous: { importId: number; by: string; at: string; status: string } | null;
}

/** Where an upload lives inside the uploads folder: a path relative to it, as the uploads table stores it. */
export const archivedName = (sha256: string, format: 'xlsx' | 'csv'): string => `${sha256.slice(0, 2)}/${sha256}.${format}`;

/**
 * Store the file under uploadsDir/<sha256[0..2]>/<sha256>.<format> and record it (inside the caller's
 * transaction or alone). The table keeps the path relative to the uploads folder, so a database moved
 * or restored with its folder still finds its files; a file the archive lost is stored again.
 */
export function archiveUpload(
  imports: ImportRepository,
  uploadsDir: string,
  file: { path: string; sha256: string; size: number; originalName: string; format: 'xlsx' | 'csv'; move: boolean },
  actorName: string,
): ArchivedUpload {
  const existing = imports.uploadByHash(file.sha256);
  const storedPath = existing?.storedPath ?? archivedName(file.sha256, file.format);
  const target = join(uploadsDir, storedPath);
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    if (file.move) {
      try {
        renameSync(file.path, target);
      } catch {
        copyFileSync(file.path, target);
      }
    } else copyFileSync(file.path, target);
  }
  if (existing) {
    return { uploadId: existing.id, sha256: file.sha256, size: file.size, storedPath, previous: imports.lastImportOfUpload(existing.id) };
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

/** Where an archived upload is on disk: stored paths are relative to the uploads folder (older rows may be absolute). */
export const archivedPath = (uploadsDir: string, storedPath: string): string => (isAbsolute(storedPath) ? storedPath : join(uploadsDir, storedPath));
