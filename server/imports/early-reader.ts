// The reading child of an import's file, started as early as the file is known. `catalogue import FILE`
// starts it before the command line's own code has loaded (a third of a second at first, while the child
// starts and reads the workbook's shared strings side by side): server/cli.ts.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openReader, type Reader } from '../../imports/run-worker.js';
import { sniffFile } from '../../imports/sniff.js';
import { ZipArchive } from '../../imports/xlsx/zip.js';
import { CLI_OPTIONS } from '../cli-options.js';
import { parseConfig, type Config } from '../config.js';
import { DEFAULT_READ_LIMITS } from '../domain/limits.js';

/**
 * A reading child started on the file before anything else, or null where the file would be refused
 * before reading (too large, not a workbook or CSV: readAndStage records why) or the child cannot start.
 */
export async function readerStartedEarly(path: string, config: Config): Promise<Reader | null> {
  try {
    if (statSync(path).size > config.uploadMaxBytes) return null;
    const { format } = await sniffFile(path);
    return await openReader(path, { memoryMb: await readerHeapMb(path, format, config.importMemoryMb), timeoutMs: config.importTimeoutMs, scratchDir: config.uploadsDir });
  } catch {
    return null;
  }
}

/**
 * The reading child of the file a command line names when the command is `import FILE`, started as the
 * import itself would start it (the same options and configuration), or null for any other command, or
 * arguments the command will refuse. Whoever takes it closes it (runImport); the command line closes it
 * in any case when the command ends.
 */
export function importReaderOf(argv: string[], env: Record<string, string | undefined>): Promise<Reader | null> | null {
  let config: Config;
  let file: string | undefined;
  try {
    const { values, positionals } = parseArgs({ args: argv, options: CLI_OPTIONS, allowPositionals: true, strict: true });
    if (positionals[0] !== 'import' || values.help) return null;
    file = positionals[1];
    config = parseConfig({ ...env, ...(values.db ? { CATALOGUE_DB: values.db } : {}) });
  } catch {
    return null;
  }
  if (!file || !existsSync(file)) return null;
  return readerStartedEarly(file, config);
}

/**
 * The reading child's heap: rows stream through it, so it needs little, except a workbook's shared-string
 * table, which it holds whole. A small heap makes V8 collect early and keeps the reader's footprint
 * small; the declared table size (only an estimate: the reader caps real sizes itself) sets how much more.
 */
export async function readerHeapMb(path: string, format: 'xlsx' | 'csv', maxMb: number): Promise<number> {
  const BASE_MB = 200;
  if (format !== 'xlsx') return Math.min(maxMb, BASE_MB);
  let archive: ZipArchive | null = null;
  try {
    archive = await ZipArchive.open(path, DEFAULT_READ_LIMITS);
    const sst = archive.entries.find((e) => /(^|\/)sharedStrings\.xml$/i.test(e.name));
    const sstMb = sst ? sst.declaredSize / 1048576 : 0;
    return Math.min(maxMb, Math.ceil(BASE_MB + sstMb * 3));
  } catch {
    return Math.min(maxMb, BASE_MB);
  } finally {
    await archive?.close();
  }
}
