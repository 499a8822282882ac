// Configuration, parsed once from the environment. Every key is declared with its doc and default;
// README.md documents each one (a test checks that).
import { dirname, join } from 'node:path';

// Each key's reading: its value, or undefined when the text is not one. Plain functions, not a schema
// library: the command line reads the configuration before it starts an import's reading child
// (server/cli.ts), and loading zod first held that start up by a tenth of a second.
const BOOLEANS = new Map([
  ['1', true],
  ['true', true],
  ['yes', true],
  ['0', false],
  ['false', false],
  ['no', false],
]);
const bool = (raw: string): boolean | undefined => BOOLEANS.get(raw);
const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (raw: string): number | undefined => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
const text =
  (min = 0, pattern?: RegExp) =>
  (raw: string): string | undefined =>
    raw.length >= min && (!pattern || pattern.test(raw)) ? raw : undefined;

export const CONFIG_KEYS = {
  PORT: { doc: 'HTTP port the server listens on', read: integer(0, 65535), default: '3000' },
  HOST: { doc: 'Address the server binds to (0.0.0.0 to serve other machines)', read: text(1), default: '127.0.0.1' },
  CATALOGUE_DB: { doc: 'Path of the SQLite database file', read: text(1), default: 'data/catalogue.db' },
  CATALOGUE_DEMO: { doc: 'Create the demo district and demo accounts when the database is empty (1 or 0)', read: bool, default: '1' },
  SESSION_IDLE_MINUTES: { doc: 'A session ends after this many minutes without a request', read: integer(1), default: '30' },
  SESSION_ABSOLUTE_HOURS: { doc: 'A session ends this many hours after login, whatever happens', read: integer(1), default: '8' },
  COOKIE_SECURE: { doc: 'Mark cookies Secure and send HSTS (set to 1 behind HTTPS)', read: bool, default: '0' },
  TRUST_PROXY: {
    doc: "Reverse proxies whose X-Forwarded-For names the visitor's address (express's trust proxy: loopback, an address or CIDR list); empty: none",
    read: text(0, /^[A-Za-z0-9.:/, ]*$/),
    default: '',
  },
  PAGE_SIZE: { doc: 'Items per page in lists and the API', read: integer(1, 500), default: '50' },
  CATALOGUE_UPLOADS: { doc: 'Folder where accepted uploads are archived by SHA-256 (default: uploads/ beside the database)', read: text(), default: '' },
  UPLOAD_MAX_MB: { doc: 'Largest spreadsheet upload accepted, in MB', read: integer(1, 4096), default: '300' },
  IMPORT_MEMORY_MB: { doc: 'Memory limit of the child process that reads an upload, in MB', read: integer(64), default: '640' },
  BACKUP_DIR: { doc: 'Folder for scheduled backups (each a folder catalogue-<time>, as `catalogue backup` writes); empty: no scheduled backups', read: text(), default: '' },
  BACKUP_EVERY_HOURS: {
    doc: 'Hours between scheduled backups (the server takes one when the newest in BACKUP_DIR is older)',
    read: (raw: string): number | undefined => {
      const n = Number(raw);
      return n > 0 && n <= 8760 ? n : undefined;
    },
    default: '24',
  },
  BACKUP_KEEP: { doc: 'How many scheduled backups to keep in BACKUP_DIR (the newest; older ones are deleted)', read: integer(1), default: '7' },
  IMPORT_TIMEOUT_SECONDS: { doc: 'Time limit for reading one upload, in seconds', read: integer(1), default: '900' },
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
  const read = <K extends ConfigKey>(key: K): NonNullable<ReturnType<(typeof CONFIG_KEYS)[K]['read']>> => {
    const spec = CONFIG_KEYS[key];
    const raw = env[key] === undefined || env[key] === '' ? spec.default : env[key]!;
    const value = spec.read(raw);
    if (value === undefined) throw new ConfigError(`配置项 ${key} 的值无效：${JSON.stringify(raw)}（${spec.doc}）`);
    return value as NonNullable<ReturnType<(typeof CONFIG_KEYS)[K]['read']>>;
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
