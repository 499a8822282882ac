// The shipped legal-instrument registry (data/registry/*.csv) kept in every database: loaded when a
// database is migrated (openDatabase), updated when the shipped files change, never over a person's edit.
// Sources: national-laws.csv (flk.npc.gov.cn census via Ansvar-Systems/chinese-law-mcp),
// local-regulations.csv (LawRefBook/Laws) and department-rules.csv; see data/registry/README.md.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../client.js';
import { appendAudit, SYSTEM_ACTOR, withTransaction } from '../audit.js';
import { normalizeInstrumentTitle, pickInstrumentVersion } from '../../server/domain/instrument-title.js';
import type { InstrumentStatus, Rank } from '../../server/domain/vocabulary.js';
import { parseCsv } from './csv.js';

export const REGISTRY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'registry');
export const NATIONAL_SOURCE = 'national-laws.csv';
export const LOCAL_SOURCE = 'local-regulations.csv';
export const DEPARTMENT_SOURCE = 'department-rules.csv';
/** The shipped files, in the order they are applied. */
export const SHIPPED_SOURCES = [NATIONAL_SOURCE, LOCAL_SOURCE, DEPARTMENT_SOURCE] as const;

/** The rank column of the shipped files, in Chinese as the sources write it. */
export const SHIPPED_RANKS: Record<string, Rank> = {
  宪法: 'constitution',
  法律: 'law',
  行政法规: 'administrative_regulation',
  国务院决定: 'state_council_decision',
  地方性法规: 'local_regulation',
  部门规章: 'department_rule',
  地方政府规章: 'local_government_rule',
  规范性文件: 'normative_document',
};
const STATUSES = new Set<InstrumentStatus>(['in_force', 'amended', 'repealed', 'not_yet_in_force']);

/** The region column of local-regulations.csv and the full name of that province or municipality. */
const REGION_NAMES: Record<string, string> = {
  北京: '北京市',
  上海: '上海市',
  重庆: '重庆市',
  天津: '天津市',
  山东: '山东省',
  河南: '河南省',
  浙江: '浙江省',
  广东: '广东省',
  陕西: '陕西省',
  辽宁: '辽宁省',
};

/**
 * The body that made a local regulation. Provincial and municipal texts: that region's standing
 * committee. Texts of a city (济南市…, 深圳经济特区…) come from the city's standing committee, those of
 * an autonomous county (景宁畲族自治县…) from the county's people's congress.
 */
export function localIssuingBody(title: string, region: string): string {
  const regionName = REGION_NAMES[region] ?? region;
  if (!title.startsWith(regionName)) {
    const county = /^([\u4e00-\u9fa5]{2,10}?自治县)/.exec(title);
    if (county) return `${county[1]}人民代表大会`;
    const zone = /^([\u4e00-\u9fa5]{2,3})经济特区/.exec(title);
    if (zone) return `${zone[1]}市人民代表大会常务委员会`;
    const city = /^([\u4e00-\u9fa5]{2,4}?市)/.exec(title);
    if (city && !/^(?:城市|关于)/.test(city[1]!) && !city[1]!.includes('城市')) {
      return `${city[1]}人民代表大会常务委员会`;
    }
  }
  return `${regionName}人民代表大会常务委员会`;
}

const orNull = (value: string | undefined): string | null => {
  const v = (value ?? '').trim();
  return v === '' ? null : v;
};

/** One shipped row as stored: the fields an upgrade may change, and the key that finds it again. */
export interface ShippedRow {
  title: string;
  normalized_title: string;
  rank: Rank;
  issuing_body: string | null;
  region: string | null;
  document_number: string | null;
  published_on: string | null;
  effective_on: string | null;
  status: InstrumentStatus;
  source: string;
  shipped_hash: string;
}

/** The fields of a shipped row an upgrade compares and applies (title and publication date find it). */
export const SHIPPED_FIELDS = ['rank', 'issuing_body', 'region', 'document_number', 'effective_on', 'status'] as const;
type ShippedField = (typeof SHIPPED_FIELDS)[number];

const rowHash = (r: Omit<ShippedRow, 'shipped_hash' | 'normalized_title' | 'source'>): string =>
  createHash('sha256')
    .update(JSON.stringify([r.title, r.published_on, ...SHIPPED_FIELDS.map((f) => r[f])]))
    .digest('hex')
    .slice(0, 32);

function objects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.filter((r) => r.some((f) => f.trim() !== '')).map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ''])));
}

/** Reads one shipped file's rows; a row the loader cannot read stops the load (the files are ours). */
function shippedRows(source: string, text: string): ShippedRow[] {
  return objects(text).map((r, idx) => {
    const title = (r.title ?? '').trim();
    const fail = () => new Error(`${source} 第 ${idx + 2} 行无法识别：${JSON.stringify(r)}`);
    let row: Omit<ShippedRow, 'shipped_hash' | 'normalized_title' | 'source'>;
    if (source === LOCAL_SOURCE) {
      const region = (r.region ?? '').trim();
      if (!title || !region) throw fail();
      row = {
        title,
        rank: 'local_regulation',
        issuing_body: localIssuingBody(title, region),
        region,
        document_number: orNull(r.document_number),
        published_on: orNull(r.published),
        effective_on: orNull(r.effective),
        status: (r.superseded ?? '').trim() === '1' ? 'amended' : 'in_force',
      };
    } else {
      const rank = SHIPPED_RANKS[(r.rank ?? '').trim()];
      const status = (r.status ?? '').trim() as InstrumentStatus;
      if (!title || !rank || !STATUSES.has(status)) throw fail();
      row = {
        title,
        rank,
        issuing_body: orNull(r.issuing_body),
        region: orNull(r.region),
        document_number: orNull(r.document_number),
        published_on: orNull(r.published),
        effective_on: orNull(r.effective),
        status,
      };
    }
    return { ...row, normalized_title: normalizeInstrumentTitle(title), source, shipped_hash: rowHash(row) };
  });
}

/** Parsed files by content hash: the many test databases of one process parse each file once. */
const parsed = new Map<string, ShippedRow[]>();

/** A shipped row a person has changed since, and what the new shipped file says differently. */
export interface ShippedConflict {
  id: number;
  title: string;
  editedBy: string | null;
  editedAt: string | null;
  fields: Record<string, { shipped: string | null; current: string | null }>;
}

export interface RegistrySync {
  /** Rows added, by file. */
  added: Record<string, number>;
  /** Rows of unedited instruments brought up to the shipped file. */
  updated: number;
  /** Rows a person edited, left as they are, with the shipped file's differences. */
  conflicts: ShippedConflict[];
  /** Files whose hash differed from the one last applied (none: nothing was done). */
  files: string[];
  /** Citations kept as unknown that name an instrument the files added, now linked to it (their items want a re-check). */
  linked?: number;
}

interface StoredRow {
  id: number;
  rank: string;
  issuing_body: string | null;
  region: string | null;
  document_number: string | null;
  effective_on: string | null;
  status: string;
  shipped_hash: string | null;
  edited_at: string | null;
  edited_by: string | null;
}

/**
 * Brings the shipped registry into a database. Each file's content hash is compared with the one last
 * applied: unchanged files cost a read and a hash. For a changed (or new) file every row is found by
 * source, title and publication date: a missing row is added; a row whose shipped hash differs is
 * updated when no person has edited it (edited_at null), else left alone and reported as a conflict.
 * Rows dropped from a file are kept (citations may point at them). One audit entry when anything changed.
 */
export function syncShippedRegistry(db: Db, options: { dir?: string; sources?: readonly string[] } = {}): RegistrySync {
  const dir = options.dir ?? REGISTRY_DIR;
  const sqlite = db.$client;
  const result: RegistrySync = { added: {}, updated: 0, conflicts: [], files: [] };
  const stored = new Map((sqlite.prepare('SELECT file, hash FROM registry_files').all() as { file: string; hash: string }[]).map((r) => [r.file, r.hash]));
  const pending: { source: string; hash: string; text: string }[] = [];
  for (const source of options.sources ?? SHIPPED_SOURCES) {
    const path = join(dir, source);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    const hash = createHash('sha256').update(text).digest('hex');
    if (stored.get(source) !== hash) pending.push({ source, hash, text });
  }
  if (pending.length === 0) return result;

  return withTransaction(db, () => {
    // The rows of one source, by title and publication date: one read per file, not one per row.
    const ofSource = sqlite.prepare(
      `SELECT id, title, published_on, rank, issuing_body, region, document_number, effective_on, status, shipped_hash, edited_at, edited_by
         FROM legal_instruments WHERE source = ?`,
    );
    const keyOf = (title: string, publishedOn: string | null) => `${title}\u0000${publishedOn ?? ''}`;
    const insert = sqlite.prepare(
      `INSERT INTO legal_instruments
         (title, normalized_title, rank, rank_inferred, issuing_body, region, document_number,
          published_on, effective_on, status, source, shipped_hash)
       VALUES (@title, @normalized_title, @rank, 0, @issuing_body, @region, @document_number,
               @published_on, @effective_on, @status, @source, @shipped_hash)`,
    );
    const update = sqlite.prepare(
      `UPDATE legal_instruments SET rank = @rank, rank_inferred = 0, issuing_body = @issuing_body, region = @region,
              document_number = @document_number, effective_on = @effective_on, status = @status,
              shipped_hash = @shipped_hash, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
        WHERE id = @id`,
    );
    const markApplied = sqlite.prepare('UPDATE legal_instruments SET shipped_hash = ? WHERE id = ?');
    const remember = sqlite.prepare(
      `INSERT INTO registry_files (file, hash) VALUES (?, ?)
         ON CONFLICT(file) DO UPDATE SET hash = excluded.hash, applied_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    );
    for (const { source, hash, text } of pending) {
      let rows = parsed.get(hash);
      if (!rows) {
        rows = shippedRows(source, text);
        parsed.set(hash, rows);
      }
      let added = 0;
      const present = new Map(
        (ofSource.all(source) as (StoredRow & { title: string; published_on: string | null })[]).map((r) => [keyOf(r.title, r.published_on), r as StoredRow]),
      );
      for (const row of rows) {
        const key = keyOf(row.title, row.published_on);
        const have = present.get(key);
        if (!have) {
          insert.run(row);
          // A row repeated verbatim in a file is one instrument.
          present.set(key, { ...row, id: -1, edited_at: null, edited_by: null });
          added++;
          continue;
        }
        if (have.shipped_hash === row.shipped_hash) continue;
        const differing = SHIPPED_FIELDS.filter((f: ShippedField) => (have[f] ?? null) !== (row[f] ?? null));
        if (differing.length === 0) {
          markApplied.run(row.shipped_hash, have.id);
        } else if (have.edited_at === null) {
          update.run({ ...row, id: have.id });
          result.updated++;
        } else {
          result.conflicts.push({
            id: have.id,
            title: row.title,
            editedBy: have.edited_by,
            editedAt: have.edited_at,
            fields: Object.fromEntries(differing.map((f) => [f, { shipped: row[f] ?? null, current: have[f] ?? null }])),
          });
        }
      }
      result.added[source] = added;
      result.files.push(source);
      remember.run(source, hash);
    }
    linkSuccessors(db, result.files);
    if (Object.values(result.added).some((n) => n > 0)) result.linked = linkUnknownCitations(db);
    const changed = Object.values(result.added).some((n) => n > 0) || result.updated > 0 || result.conflicts.length > 0;
    if (changed) {
      appendAudit(db, SYSTEM_ACTOR, {
        action: 'registry.load',
        entityType: 'legal_instrument',
        after: {
          added: Object.values(result.added).reduce((sum, n) => sum + n, 0),
          addedByFile: Object.entries(result.added).map(([file, n]) => `${file}：${n}`),
          updated: result.updated,
          linked: result.linked ?? 0,
          conflicts: result.conflicts.map((c) => ({ id: c.id, title: c.title, fields: c.fields })),
          source: result.files.map((s) => `data/registry/${s}`),
        },
      });
    }
    return result;
  });
}

/**
 * Each amended version of the given files (not edited by a person, not yet linked) points at the newer
 * version of the same text in force: the latest published after it, from the same file.
 */
function linkSuccessors(db: Db, sources: string[]): void {
  if (sources.length === 0) return;
  const sqlite = db.$client;
  const placeholders = sources.map(() => '?').join(', ');
  const rows = sqlite
    .prepare(
      `SELECT id, normalized_title, source, status, published_on, replaced_by_id, edited_at FROM legal_instruments
        WHERE source IN (${placeholders}) AND status IN ('amended', 'in_force')`,
    )
    .all(...sources) as { id: number; normalized_title: string; source: string; status: string; published_on: string | null; replaced_by_id: number | null; edited_at: string | null }[];
  const inForce = new Map<string, typeof rows>();
  for (const r of rows) {
    if (r.status !== 'in_force') continue;
    const key = `${r.source}\u0000${r.normalized_title}`;
    inForce.set(key, [...(inForce.get(key) ?? []), r]);
  }
  const link = sqlite.prepare('UPDATE legal_instruments SET replaced_by_id = ? WHERE id = ?');
  for (const old of rows) {
    if (old.status !== 'amended' || old.replaced_by_id !== null || old.edited_at !== null) continue;
    const later = (inForce.get(`${old.source}\u0000${old.normalized_title}`) ?? [])
      .filter((c) => c.id !== old.id && (old.published_on === null || (c.published_on !== null && c.published_on > old.published_on)))
      .sort((a, b) => (b.published_on ?? '').localeCompare(a.published_on ?? '') || b.id - a.id);
    if (later[0]) link.run(later[0].id, old.id);
  }
}

/**
 * Citations of items that named an instrument the registry did not know, linked to it now that a file
 * brings it (the version the citation names, else the one in force). Run when a file added rows.
 */
function linkUnknownCitations(db: Db): number {
  const sqlite = db.$client;
  const unknown = sqlite.prepare('SELECT id, title FROM citations WHERE instrument_id IS NULL').all() as { id: number; title: string }[];
  if (unknown.length === 0) return 0;
  const titles = new Set(unknown.map((c) => normalizeInstrumentTitle(c.title)));
  const versions = new Map<string, { id: number; status: string; publishedOn: string | null }[]>();
  const all = sqlite.prepare('SELECT id, normalized_title, status, published_on FROM legal_instruments').all() as { id: number; normalized_title: string; status: string; published_on: string | null }[];
  for (const r of all) {
    if (!titles.has(r.normalized_title)) continue;
    versions.set(r.normalized_title, [...(versions.get(r.normalized_title) ?? []), { id: r.id, status: r.status, publishedOn: r.published_on }]);
  }
  const link = sqlite.prepare('UPDATE citations SET instrument_id = ? WHERE id = ?');
  let linked = 0;
  for (const c of unknown) {
    const picked = pickInstrumentVersion(versions.get(normalizeInstrumentTitle(c.title)) ?? [], c.title);
    if (!picked) continue;
    link.run(picked.id, c.id);
    linked++;
  }
  return linked;
}

/**
 * The shipped registry in a database, as counts of the rows added by file (national, local,
 * department). Kept for the seeds and the server's start: the same sync as a migration's.
 */
export function loadRegistry(db: Db): { national: number; local: number; department: number } {
  const r = syncShippedRegistry(db);
  return { national: r.added[NATIONAL_SOURCE] ?? 0, local: r.added[LOCAL_SOURCE] ?? 0, department: r.added[DEPARTMENT_SOURCE] ?? 0 };
}
