// The archive of accepted uploads: one record per file content (SHA-256), however often it comes.
import { eq } from 'drizzle-orm';
import type { Db } from '../../client.js';
import { uploads } from '../../schema.js';

export function uploadArchive(db: Db) {
  return {
    uploadByHash: (sha256: string) => db.select({ id: uploads.id, storedPath: uploads.storedPath }).from(uploads).where(eq(uploads.sha256, sha256)).get() ?? null,
    recordUpload: (values: { sha256: string; size: number; originalName: string; format: 'xlsx' | 'csv'; storedPath: string; firstUploadedBy: string }): number =>
      db.insert(uploads).values(values).returning({ id: uploads.id }).get().id,
  };
}
