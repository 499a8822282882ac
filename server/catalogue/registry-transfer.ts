// The registry in bulk: a spreadsheet or CSV of instruments read, previewed against the registry as
// new / changed / unchanged with each field's change, confirmed in one audited transaction, and the
// items citing what changed re-checked (a registry_recheck job). Export writes the same columns.
import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { createRegistryTransferRepository, type RegistryFields, type StoredInstrument } from '../../db/queries/registry-transfer.js';
import { createInstrumentUpkeepRepository } from '../../db/queries/instrument-upkeep.js';
import { normaliseHeader } from '../../imports/columns.js';
import { cellToText, cleanText } from '../../imports/normalise.js';
import { readUpload } from '../../imports/read-upload.js';
import { RefusedUpload, type ReaderEvent } from '../../imports/types.js';
import { DEFAULT_READ_LIMITS } from '../domain/limits.js';
import { INSTRUMENT_STATUSES, RANKS, REGISTRY_COLUMNS, label } from '../domain/labels.js';
import { INSTRUMENT_STATUS_CODES, RANK_CODES, type InstrumentStatus, type Rank } from '../domain/vocabulary.js';
import { normalizeInstrumentTitle } from '../domain/instrument-title.js';
import { errors } from '../errors.js';

export type RegistryColumn = keyof typeof REGISTRY_COLUMNS;
const COLUMN_ORDER = Object.keys(REGISTRY_COLUMNS) as RegistryColumn[];
/** A registry is a few thousand rows; a file of more is not a registry. */
export const MAX_REGISTRY_ROWS = 20_000;
const READ_LIMITS = { ...DEFAULT_READ_LIMITS, maxInflatedBytes: 128 * 1024 ** 2, maxRows: MAX_REGISTRY_ROWS + 100 };
const HEADER_SEARCH_ROWS = 20;
/** Row errors shown when a file is refused; the rest are counted. */
const ERRORS_SHOWN = 10;

/** One instrument as a registry file gives it: its number when exported from here, its fields, its successor as written. */
export interface RegistryFileRow {
  where: string;
  id: number | null;
  fields: Omit<RegistryFields, 'replacedById'>;
  /** The successor as written: a registry number or a title (the version in force of that title). */
  replacedBy: string | null;
}

const ALIASES = new Map<string, RegistryColumn>();
for (const key of COLUMN_ORDER) for (const alias of REGISTRY_COLUMNS[key]) ALIASES.set(normaliseHeader(alias), key);

const reverse = (table: Record<string, string>, codes: readonly string[]) => {
  const m = new Map<string, string>();
  for (const code of codes) {
    m.set(code, code);
    m.set(table[code]!, code);
  }
  return m;
};
const RANK_BY_TEXT = reverse(RANKS, RANK_CODES);
const STATUS_BY_TEXT = reverse(INSTRUMENT_STATUSES, INSTRUMENT_STATUS_CODES);
STATUS_BY_TEXT.set('现行有效', 'in_force').set('废止', 'repealed').set('失效', 'repealed').set('已修正', 'amended').set('已修订', 'amended');

/** 2019-04-23, 2019/4/23, 2019.4.23, 2019年4月23日 → 2019-04-23; '' → null; anything else: undefined (an error). */
function parseDate(text: string): string | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+00:00)?$/.exec(t);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

const orNull = (s: string | undefined): string | null => {
  const t = cleanText(s ?? '').trim();
  return t === '' ? null : t;
};

/**
 * Reads a registry file's rows. The header (within the first 20 rows of a sheet) names at least 标题 and
 * 效力位阶; every row must be readable, else the whole file is refused with the rows at fault (in
 * Chinese), and nothing is kept.
 */
export async function readRegistryRows(events: AsyncIterable<ReaderEvent>): Promise<RegistryFileRow[]> {
  const rows: RegistryFileRow[] = [];
  const problems: string[] = [];
  let columns: Map<number, RegistryColumn> | null = null;
  let sheet = '';
  let sheets = 0;
  for await (const event of events) {
    if (event.type === 'sheet') {
      if (columns) break; // the first sheet with a header is the registry
      sheet = event.name;
      sheets++;
      continue;
    }
    const texts = event.cells.map((c) => cellToText(c).trim());
    if (!columns) {
      if (event.rowNumber > HEADER_SEARCH_ROWS) continue;
      const found = new Map<number, RegistryColumn>();
      texts.forEach((t, i) => {
        const key = t ? ALIASES.get(normaliseHeader(t)) : undefined;
        if (key && ![...found.values()].includes(key)) found.set(i, key);
      });
      if ([...found.values()].includes('title') && [...found.values()].includes('rank')) columns = found;
      continue;
    }
    if (texts.every((t) => t === '')) continue;
    const v: Partial<Record<RegistryColumn, string>> = {};
    for (const [i, key] of columns) v[key] = texts[i] ?? '';
    const where = sheets > 1 ? `${sheet} 第${event.rowNumber}行` : `第${event.rowNumber}行`;
    const fail = (message: string) => problems.push(`${where}：${message}`);
    // The title as written (spaces inside kept): an exported title must read back the same.
    const title = (v.title ?? '').trim().replace(/^《|》$/g, '');
    if (!title) {
      fail('缺少标题');
      continue;
    }
    if (title.length > 200) fail('标题超过 200 个字');
    const rank = RANK_BY_TEXT.get((v.rank ?? '').trim()) as Rank | undefined;
    if (!rank) fail(`效力位阶“${v.rank ?? ''}”无法识别，应为：${RANK_CODES.map((c) => RANKS[c]).join('、')}`);
    const statusText = (v.status ?? '').trim();
    const status = (statusText === '' ? 'in_force' : STATUS_BY_TEXT.get(statusText)) as InstrumentStatus | undefined;
    if (!status) fail(`状态“${statusText}”无法识别，应为：${INSTRUMENT_STATUS_CODES.map((c) => INSTRUMENT_STATUSES[c]).join('、')}`);
    const dates: Record<'publishedOn' | 'effectiveOn' | 'repealedOn', string | null> = { publishedOn: null, effectiveOn: null, repealedOn: null };
    for (const key of ['publishedOn', 'effectiveOn', 'repealedOn'] as const) {
      const d = parseDate(v[key] ?? '');
      if (d === undefined) fail(`${REGISTRY_COLUMNS[key][0]}“${v[key]}”不是日期，请写成 2024-01-31`);
      else dates[key] = d;
    }
    const idText = (v.id ?? '').trim();
    const id = idText === '' ? null : /^\d{1,9}$/.test(idText) ? Number(idText) : NaN;
    if (Number.isNaN(id)) fail(`编号“${idText}”不是数字`);
    if (!rank || !status || Number.isNaN(id)) continue;
    rows.push({
      where,
      id,
      fields: { title, rank, status, issuingBody: orNull(v.issuingBody), region: orNull(v.region), documentNumber: orNull(v.documentNumber), ...dates },
      replacedBy: orNull(v.replacedBy),
    });
    if (rows.length > MAX_REGISTRY_ROWS) throw errors.invalid(`文件超过 ${MAX_REGISTRY_ROWS.toLocaleString('zh-CN')} 行，请拆分后分别导入。`);
  }
  if (!columns) throw errors.invalid('文件中找不到表头：需要有“标题”和“效力位阶”两列（可先导出法规库，按导出的格式填写）。');
  if (problems.length > 0) {
    const more = problems.length > ERRORS_SHOWN ? `；另有 ${problems.length - ERRORS_SHOWN} 处` : '';
    throw errors.invalid(`文件有 ${problems.length} 处无法读取，未做任何改动：${problems.slice(0, ERRORS_SHOWN).join('；')}${more}。`);
  }
  if (rows.length === 0) throw errors.invalid('文件中没有读到任何法律依据。');
  return rows;
}

/** Reads a registry file from disk (xlsx or CSV, judged by content); a refused file is an invalid-input error. */
export async function readRegistryFile(path: string): Promise<RegistryFileRow[]> {
  try {
    return await readRegistryRows(readUpload(path, READ_LIMITS));
  } catch (err) {
    if (err instanceof RefusedUpload) throw errors.invalid(err.message);
    throw err;
  }
}

const DIFF_FIELDS = ['title', 'rank', 'issuingBody', 'region', 'documentNumber', 'publishedOn', 'effectiveOn', 'repealedOn', 'status', 'replacedById'] as const;
type DiffField = (typeof DIFF_FIELDS)[number];
const FIELD_COLUMN: Record<DiffField, RegistryColumn> = {
  title: 'title', rank: 'rank', issuingBody: 'issuingBody', region: 'region', documentNumber: 'documentNumber', publishedOn: 'publishedOn',
  effectiveOn: 'effectiveOn', repealedOn: 'repealedOn', status: 'status', replacedById: 'replacedBy',
};

export interface FieldChange {
  field: DiffField;
  /** The column's name, as the file's header writes it. */
  name: string;
  before: string;
  after: string;
}

export interface RegistryPreview {
  added: { where: string; title: string; rank: string; documentNumber: string | null; publishedOn: string | null }[];
  changed: { where: string; id: number; title: string; changes: FieldChange[] }[];
  unchanged: number;
}

const shown = (field: DiffField, value: unknown): string =>
  value === null || value === undefined || value === '' ? '' : field === 'rank' ? label(RANKS, String(value)) : field === 'status' ? label(INSTRUMENT_STATUSES, String(value)) : String(value);

interface Plan {
  preview: RegistryPreview;
  inserts: { row: RegistryFileRow; fields: RegistryFields }[];
  updates: { id: number; set: Partial<RegistryFields>; before: Partial<RegistryFields>; changes: FieldChange[] }[];
}

const keyOf = (title: string, publishedOn: string | null) => `${title}\u0000${publishedOn ?? ''}`;

/** Compares a file's rows with the registry: which are new, which change which fields, which are the same. */
function plan(stored: StoredInstrument[], rows: RegistryFileRow[]): Plan {
  const byId = new Map(stored.map((s) => [s.id, s]));
  const byKey = new Map(stored.map((s) => [keyOf(s.title, s.publishedOn), s]));
  // The version in force (else the latest) of each normalised title: what a successor written as a title means.
  const current = new Map<string, StoredInstrument>();
  for (const s of [...stored].sort((a, b) => (a.publishedOn ?? '').localeCompare(b.publishedOn ?? ''))) {
    const k = normalizeInstrumentTitle(s.title);
    const have = current.get(k);
    if (!have || s.status === 'in_force' || have.status !== 'in_force') current.set(k, s);
  }
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const result: Plan = { preview: { added: [], changed: [], unchanged: 0 }, inserts: [], updates: [] };
  for (const row of rows) {
    const target = row.id !== null ? byId.get(row.id) : byKey.get(keyOf(row.fields.title, row.fields.publishedOn));
    if (row.id !== null && !target) {
      problems.push(`${row.where}：编号 ${row.id} 的法律依据不存在（新增的依据请把编号留空）`);
      continue;
    }
    const seenKey = target ? `#${target.id}` : keyOf(row.fields.title, row.fields.publishedOn);
    const earlier = seen.get(seenKey);
    if (earlier) {
      problems.push(`${row.where}：与${earlier}是同一部法律依据`);
      continue;
    }
    seen.set(seenKey, row.where);
    let replacedById: number | null = null;
    if (row.replacedBy) {
      const asId = /^\d{1,9}$/.test(row.replacedBy) ? byId.get(Number(row.replacedBy)) : current.get(normalizeInstrumentTitle(row.replacedBy));
      if (!asId) {
        problems.push(`${row.where}：现行版本“${row.replacedBy}”在法规库中找不到`);
        continue;
      }
      if (target && asId.id === target.id) {
        problems.push(`${row.where}：现行版本不能是它自己`);
        continue;
      }
      replacedById = asId.id;
    }
    const fields: RegistryFields = { ...row.fields, replacedById };
    if (!target) {
      result.inserts.push({ row, fields });
      result.preview.added.push({ where: row.where, title: fields.title, rank: label(RANKS, fields.rank), documentNumber: fields.documentNumber, publishedOn: fields.publishedOn });
      continue;
    }
    const changes: FieldChange[] = [];
    const set: Partial<RegistryFields> = {};
    const before: Partial<RegistryFields> = {};
    for (const f of DIFF_FIELDS) {
      if ((target[f] ?? null) === (fields[f] ?? null)) continue;
      (set as Record<string, unknown>)[f] = fields[f];
      (before as Record<string, unknown>)[f] = target[f];
      changes.push({ field: f, name: REGISTRY_COLUMNS[FIELD_COLUMN[f]][0], before: shown(f, target[f]), after: shown(f, fields[f]) });
    }
    if (changes.length === 0) {
      result.preview.unchanged++;
      continue;
    }
    result.updates.push({ id: target.id, set, before, changes });
    result.preview.changed.push({ where: row.where, id: target.id, title: target.title, changes });
  }
  if (problems.length > 0) {
    const more = problems.length > ERRORS_SHOWN ? `；另有 ${problems.length - ERRORS_SHOWN} 处` : '';
    throw errors.invalid(`文件有 ${problems.length} 处与法规库对不上，未做任何改动：${problems.slice(0, ERRORS_SHOWN).join('；')}${more}。`);
  }
  return result;
}

/** What importing these rows would do, changing nothing. */
export function previewRegistryImport(db: Db, rows: RegistryFileRow[]): RegistryPreview {
  return plan(createRegistryTransferRepository(db).all(), rows).preview;
}

/** Keeps a read file's rows for the preview page and its confirm button; returns the import's number. */
export function savePendingRegistryImport(db: Db, actor: Actor, fileName: string, rows: RegistryFileRow[]): number {
  return createRegistryTransferRepository(db).savePending(fileName.slice(0, 200), rows, actor.name);
}

export function pendingRegistryImport(db: Db, id: number): { id: number; fileName: string; rows: RegistryFileRow[]; state: string; createdBy: string; createdAt: string; result: Record<string, unknown> | null } {
  const row = createRegistryTransferRepository(db).pending(id);
  if (!row) throw errors.notFound('法规库导入');
  return { ...row, rows: row.rows as RegistryFileRow[] };
}

export interface RegistryImportResult {
  added: number;
  changed: number;
  unchanged: number;
  /** Instruments added or changed: the items citing them are to be re-checked. */
  instrumentIds: number[];
  /** Unknown citations linked to an instrument the file added. */
  linked: number;
}

/**
 * Applies a file's rows in one transaction: new instruments are added (source 'import'), changed ones
 * updated, both marked as edited by the actor (an upgrade of the shipped registry leaves them alone);
 * citations kept as unknown that name an added instrument are linked to it. One audit entry names every
 * change field by field. The preview is recomputed here, against the registry as it is now.
 */
export function applyRegistryImport(db: Db, actor: Actor, rows: RegistryFileRow[], source: { fileName: string; importId?: number }): RegistryImportResult {
  const repo = createRegistryTransferRepository(db);
  const upkeep = createInstrumentUpkeepRepository(db);
  return withTransaction(db, () => {
    if (source.importId !== undefined) {
      const pending = repo.pending(source.importId);
      if (!pending) throw errors.notFound('法规库导入');
      if (pending.state !== 'pending') throw errors.conflict('这次导入已经确认或放弃过了。');
    }
    const p = plan(repo.all(), rows);
    const added: { id: number; normalized: string }[] = [];
    for (const { fields } of p.inserts) {
      const normalizedTitle = normalizeInstrumentTitle(fields.title);
      added.push({ id: repo.insert({ ...fields, normalizedTitle }, actor.name), normalized: normalizedTitle });
    }
    for (const u of p.updates) repo.update(u.id, u.set.title ? { ...u.set, normalizedTitle: normalizeInstrumentTitle(u.set.title) } : u.set, actor.name);
    let linked = 0;
    if (added.length > 0) {
      const byTitle = new Map(added.map((a) => [a.normalized, a.id]));
      for (const c of upkeep.unknownCitations()) {
        const id = byTitle.get(normalizeInstrumentTitle(c.title));
        if (id === undefined) continue;
        upkeep.linkCitation(c.id, id);
        linked++;
      }
    }
    const result: RegistryImportResult = {
      added: added.length,
      changed: p.updates.length,
      unchanged: p.preview.unchanged,
      instrumentIds: [...p.updates.map((u) => u.id), ...added.map((a) => a.id)],
      linked,
    };
    appendAudit(db, actor, {
      action: 'registry.import',
      entityType: 'legal_instrument',
      entityId: source.importId ?? null,
      after: {
        file: source.fileName,
        added: result.added,
        changed: result.changed,
        unchanged: result.unchanged,
        linked,
        addedIds: added.map((a) => a.id),
        changes: p.updates.map((u) => ({ id: u.id, before: u.before, after: u.set })),
      },
    });
    if (source.importId !== undefined) repo.finish(source.importId, 'confirmed', { added: result.added, changed: result.changed, unchanged: result.unchanged, linked });
    return result;
  });
}

export function discardRegistryImport(db: Db, actor: Actor, id: number): void {
  const repo = createRegistryTransferRepository(db);
  withTransaction(db, () => {
    const pending = repo.pending(id);
    if (!pending) throw errors.notFound('法规库导入');
    if (pending.state !== 'pending') throw errors.conflict('这次导入已经确认或放弃过了。');
    repo.finish(id, 'discarded', {});
    appendAudit(db, actor, { action: 'registry.import_discard', entityType: 'legal_instrument', entityId: id, after: { file: pending.fileName } });
  });
}

/** The registry as rows of text in the file's column order, the header first. */
export function registryTable(db: Db): string[][] {
  const header = COLUMN_ORDER.map((k) => REGISTRY_COLUMNS[k][0]);
  const rows = createRegistryTransferRepository(db)
    .all()
    .map((s) => [String(s.id), s.title, label(RANKS, s.rank), s.issuingBody ?? '', s.region ?? '', s.documentNumber ?? '', s.publishedOn ?? '', s.effectiveOn ?? '', s.repealedOn ?? '', label(INSTRUMENT_STATUSES, s.status), s.replacedById === null ? '' : String(s.replacedById)]);
  return [header, ...rows];
}

/** The registry as an .xlsx workbook (one sheet, frozen header, every cell text). */
export async function registryWorkbook(db: Db): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('法规库', { views: [{ state: 'frozen', ySplit: 1 }] });
  for (const row of registryTable(db)) ws.addRow(row);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c, i) => (c.width = i === 1 ? 48 : 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The registry as UTF-8 CSV with a BOM (Excel opens it as Chinese). */
export function registryCsv(db: Db): string {
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `\ufeff${registryTable(db).map((r) => r.map(q).join(',')).join('\r\n')}\r\n`;
}

/** Writes the export to a file: .csv as CSV, anything else as .xlsx. */
export async function writeRegistryExport(db: Db, out: string): Promise<number> {
  if (/\.csv$/i.test(out)) writeFileSync(out, registryCsv(db));
  else writeFileSync(out, await registryWorkbook(db));
  return registryTable(db).length - 1;
}
