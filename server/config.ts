// Configuration, parsed once from the environment. Every key is declared with its doc and default;
// README.md documents each one (a test checks that).
import { dirname, join } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const CONFIG_KEYS = {
  PORT: { doc: 'HTTP port the server listens on', schema: z.coerce.number().int().min(0).max(65535), default: '3000' },
  HOST: { doc: 'Address the server binds to (0.0.0.0 to serve other machines)', schema: z.string().min(1), default: '127.0.0.1' },
  CATALOGUE_DB: { doc: 'Path of the SQLite database file', schema: z.string().min(1), default: 'data/catalogue.db' },
  CATALOGUE_DEMO: { doc: 'Create the demo district and demo accounts when the database is empty (1 or 0)', schema: bool, default: '1' },
  SESSION_IDLE_MINUTES: { doc: 'A session ends after this many minutes without a request', schema: z.coerce.number().int().min(1), default: '30' },
  SESSION_ABSOLUTE_HOURS: { doc: 'A session ends this many hours after login, whatever happens', schema: z.coerce.number().int().min(1), default: '8' },
  COOKIE_SECURE: { doc: 'Mark cookies Secure and send HSTS (set to 1 behind HTTPS)', schema: bool, default: '0' },
  TRUST_PROXY: {
    doc: "Reverse proxies whose X-Forwarded-For names the visitor's address (express's trust proxy: loopback, an address or CIDR list); empty: none",
    schema: z.string().regex(/^[A-Za-z0-9.:/, ]*$/),
    default: '',
  },
  PAGE_SIZE: { doc: 'Items per page in lists and the API', schema: z.coerce.number().int().min(1).max(500), default: '50' },
  CATALOGUE_UPLOADS: { doc: 'Folder where accepted uploads are archived by SHA-256 (default: uploads/ beside the database)', schema: z.string(), default: '' },
  UPLOAD_MAX_MB: { doc: 'Largest spreadsheet upload accepted, in MB', schema: z.coerce.number().int().min(1).max(4096), default: '300' },
  IMPORT_MEMORY_MB: { doc: 'Memory limit of the child process that reads an upload, in MB', schema: z.coerce.number().int().min(64), default: '640' },
  BACKUP_DIR: { doc: 'Folder for scheduled backups (each a folder catalogue-<time>, as `catalogue backup` writes); empty: no scheduled backups', schema: z.string(), default: '' },
  BACKUP_EVERY_HOURS: { doc: 'Hours between scheduled backups (the server takes one when the newest in BACKUP_DIR is older)', schema: z.coerce.number().positive().max(8760), default: '24' },
  BACKUP_KEEP: { doc: 'How many scheduled backups to keep in BACKUP_DIR (the newest; older ones are deleted)', schema: z.coerce.number().int().min(1), default: '7' },
  IMPORT_TIMEOUT_SECONDS: { doc: 'Time limit for reading one upload, in seconds', schema: z.coerce.number().int().min(1), default: '900' },
} as const;

export type ConfigKey = keyof typeof CONFIG_KEYS;

export interface Config {
  port: number;
  host: string;
  dbPath: string;
  demo: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  cookieSecure: boolean;
  /** Express's 'trust proxy' value; '' trusts no proxy (the address is the connection's). */
  trustProxy: string;
  pageSize: number;
  uploadsDir: string;
  uploadMaxBytes: number;
  importMemoryMb: number;
  importTimeoutMs: number;
  backupDir: string;
  backupEveryHours: number;
  backupKeep: number;
  /** The publish page's background comparison (server/publication/preflight.ts); not read from the environment (tests set small slices). */
  preflight?: { chunk?: number; syncLimit?: number; waitMs?: number; sliceMs?: number };
}

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const read = <K extends ConfigKey>(key: K): z.output<(typeof CONFIG_KEYS)[K]['schema']> => {
    const spec = CONFIG_KEYS[key];
    const raw = env[key] === undefined || env[key] === '' ? spec.default : env[key];
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) throw new ConfigError(`配置项 ${key} 的值无效：${JSON.stringify(raw)}（${spec.doc}）`);
    return parsed.data as z.output<(typeof CONFIG_KEYS)[K]['schema']>;
  };
  return {
    port: read('PORT'),
    host: read('HOST'),
    dbPath: read('CATALOGUE_DB'),
    demo: read('CATALOGUE_DEMO'),
    sessionIdleMinutes: read('SESSION_IDLE_MINUTES'),
    sessionAbsoluteHours: read('SESSION_ABSOLUTE_HOURS'),
    cookieSecure: read('COOKIE_SECURE'),
    trustProxy: read('TRUST_PROXY').trim(),
    pageSize: read('PAGE_SIZE'),
    uploadsDir: read('CATALOGUE_UPLOADS') || join(dirname(read('CATALOGUE_DB')), 'uploads'),
    uploadMaxBytes: read('UPLOAD_MAX_MB') * 1024 * 1024,
    importMemoryMb: read('IMPORT_MEMORY_MB'),
    importTimeoutMs: read('IMPORT_TIMEOUT_SECONDS') * 1000,
    backupDir: read('BACKUP_DIR'),
    backupEveryHours: read('BACKUP_EVERY_HOURS'),
    backupKeep: read('BACKUP_KEEP'),
  };
}

/** Defaults, for tests and tools that build an app without an environment. */
export const defaultConfig = (overrides: Partial<Config> = {}): Config => ({ ...parseConfig({}), ...overrides });
