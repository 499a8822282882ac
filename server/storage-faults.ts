// Faults of the disk and the database file, told apart by SQLite's error code: a full disk, a read-only
// file or disk, an I/O error, a damaged file. Each is a Chinese 503 naming the cause (never "try again
// later": none of them passes by itself), for requests and jobs alike.
import { AppError } from './errors.js';
import { STORAGE_FAULTS } from './domain/labels.js';

export type StorageFault = keyof typeof STORAGE_FAULTS;

const codeOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string' ? (err as { code: string }).code : '';

/** Which storage fault an error is (by SQLite's code, or the file system's), or null for any other error. */
export function storageFaultOf(err: unknown): StorageFault | null {
  const code = codeOf(err);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'diskFull';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'readOnly';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'ioError';
  return null;
}

/** The Chinese 503 for a storage fault, or null when the error is something else. */
export function storageFault(err: unknown): AppError | null {
  const fault = storageFaultOf(err);
  return fault ? new AppError(`unavailable.${fault}`, 503, STORAGE_FAULTS[fault]) : null;
}
