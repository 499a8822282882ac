// A person's answer to what the reader did not understand: which column each header is, which catalogue
// value a file's value stands for, which department a name means. Remembered per department and header
// set (audited), then the archived upload is read again with it; nothing in the catalogue changes.
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { COLUMN_KEYS, COLUMNS, normaliseHeader, type ColumnKey } from '../../imports/columns.js';
import { VALUE_COLUMNS, catalogueValue, valueKey, type ColumnChoice, type ReadMapping, type SheetLayout, type ValueColumn } from '../../imports/mapping.js';
import { can, type Subject } from '../auth/policy.js';
import type { Config } from '../config.js';
import { CATEGORIES, DISPOSITIONS, LEVELS } from '../domain/vocabulary.js';
import { MAPPING_CHOICES } from '../domain/labels.js';
import { errors } from '../errors.js';
import { mappingScope, restageImport, type ImportDeps, type ImportHooks } from './service.js';

/** What the preview's mapping form (or the API) says. */
export interface MappingChoices {
  /** Header text → column or ignore. */
  columns: Record<string, string>;
  /** Column → file value → catalogue value (a code). */
  values: Partial<Record<string, Record<string, string>>>;
  /** Department names the catalogue does not know → a department code, or `new:CODE` to create one at confirmation. */
  departments: Record<string, string>;
}

const NEW_CODE = /^[A-Z0-9_-]{1,32}$/;

/** The catalogue's values a file's value may be mapped to, per column (the department column: the departments). */
export const VALUE_TARGETS: Record<Exclude<ValueColumn, 'department'>, Record<string, string>> = {
  category: CATEGORIES,
  level: LEVELS,
  disposition: DISPOSITIONS,
};

/** A column choice as written on the form or the command line: a key, a template label, or 忽略 / ignore. */
export function columnChoice(text: string): ColumnChoice | null {
  const t = text.trim();
  if (t === 'ignore' || t === MAPPING_CHOICES.ignore) return 'ignore';
  if ((COLUMN_KEYS as string[]).includes(t)) return t as ColumnKey;
  const byLabel = COLUMN_KEYS.find((k) => COLUMNS[k].label === t);
  return byLabel ?? null;
}

/** Checks every choice; a bad one refuses the whole form with a Chinese message (and nothing is saved). */
export function validateChoices(
  choices: MappingChoices,
  departmentExists: (code: string) => boolean,
): { mapping: ReadMapping; newDepartments: Record<string, string>; cleared: { columns: string[]; values: [string, string][] } } {
  const mapping: ReadMapping = { columns: {}, values: {} };
  const cleared = { columns: [] as string[], values: [] as [string, string][] };
  for (const [header, choice] of Object.entries(choices.columns)) {
    if (!choice) {
      cleared.columns.push(normaliseHeader(header));
      continue;
    }
    const key = columnChoice(choice);
    if (!key) throw errors.invalid(`“${header}”一列的对应“${choice}”不是模板中的列名。`);
    const h = normaliseHeader(header);
    if (h) mapping.columns[h] = key;
  }
  for (const [column, map] of Object.entries(choices.values)) {
    if (!(VALUE_COLUMNS as readonly string[]).includes(column)) throw errors.invalid(`“${column}”一列的值不能对应。`);
    for (const [from, to] of Object.entries(map ?? {})) {
      if (!to) {
        cleared.values.push([column, valueKey(from)]);
        continue;
      }
      const ok = column === 'department' ? departmentExists(to.toUpperCase()) : to in VALUE_TARGETS[column as Exclude<ValueColumn, 'department'>];
      if (!ok) throw errors.invalid(`“${from}”要对应的“${to}”不是目录中的值。`);
      ((mapping.values[column as ValueColumn] ??= {}) as Record<string, string>)[valueKey(from)] = column === 'department' ? to.toUpperCase() : to;
    }
  }
  const newDepartments: Record<string, string> = {};
  for (const [name, choice] of Object.entries(choices.departments)) {
    const t = choice.trim();
    if (!t) continue;
    if (t.startsWith('new:')) {
      const code = t.slice(4).trim().toUpperCase();
      if (!NEW_CODE.test(code)) throw errors.invalid(`新部门编码“${code}”无效：只能由字母、数字、下划线和连字符组成（最多 32 个）。`);
      if (departmentExists(code)) throw errors.invalid(`部门编码 ${code} 已存在，请直接选择该部门或换一个编码。`);
      newDepartments[name] = `new:${code}`;
      cleared.values.push(['department', valueKey(name)]);
    } else {
      if (!departmentExists(t.toUpperCase())) throw errors.invalid(`部门 ${t} 不存在。`);
      ((mapping.values.department ??= {}) as Record<string, string>)[valueKey(name)] = t.toUpperCase();
    }
  }
  return { mapping, newDepartments, cleared };
}

/** A remembered mapping with the new choices on top and the cleared ones (set back to nothing) taken out. */
function updated(
  before: { columns: Record<string, string>; values: Record<string, Record<string, string>> } | null,
  mapping: ReadMapping,
  cleared: ReturnType<typeof validateChoices>['cleared'],
  headers: Set<string>,
) {
  const columns: Record<string, string> = { ...before?.columns };
  for (const [h, key] of Object.entries(mapping.columns)) if (headers.has(h)) columns[h] = key;
  for (const h of cleared.columns) delete columns[h];
  const values: Record<string, Record<string, string>> = {};
  for (const [c, m] of Object.entries(before?.values ?? {})) values[c] = { ...m };
  for (const [c, m] of Object.entries(mapping.values)) Object.assign((values[c] ??= {}), m);
  for (const [c, v] of cleared.values) delete values[c]?.[v];
  return { columns, values };
}

/**
 * Remembers a mapping for each header set the import's file has (per its department): the sheets whose
 * header was found, or all when none was. Call inside a transaction; each remembered mapping is audited.
 */
function rememberFor(
  { db, importRepository: repo }: ImportDeps,
  departmentId: number | null,
  importId: number,
  mapping: ReadMapping,
  cleared: ReturnType<typeof validateChoices>['cleared'],
  actor: Actor,
) {
  const scope = mappingScope(departmentId);
  const sheets = (repo.layoutOf(importId)?.sheets ?? []) as SheetLayout[];
  const offered = sheets.some((s) => s.found) ? sheets.filter((s) => s.found) : sheets;
  const seen = new Set<string>();
  for (const sheet of offered) {
    if (seen.has(sheet.headerKey)) continue;
    seen.add(sheet.headerKey);
    const headers = new Set(sheet.columns.map((c) => normaliseHeader(c.header)));
    const before = repo.rememberedMapping(scope, sheet.headerKey);
    const { columns, values } = updated(before, mapping, cleared, headers);
    const id = repo.rememberMapping({ scope, headerKey: sheet.headerKey, columns, values, updatedBy: actor.name });
    appendAudit(db, actor, {
      action: 'mapping.remember',
      entityType: 'upload_mapping',
      entityId: id,
      before: before ? { columns: before.columns, values: before.values } : null,
      after: { scope, headers: sheet.columns.map((c) => c.header), columns, values, importId },
    });
  }
}

/**
 * A mapping given with the file (the command line's --column and --value) is remembered like one chosen in
 * the preview, so the same header row is read the same way next time, on the web too. Nothing is
 * remembered for an empty mapping.
 */
export function rememberGivenMapping(deps: ImportDeps, importId: number, mapping: ReadMapping, actor: Actor) {
  const given = Object.keys(mapping.columns).length > 0 || Object.values(mapping.values).some((m) => m && Object.keys(m).length > 0);
  if (!given) return;
  const imp = deps.importRepository.importRecord(importId);
  if (!imp) return;
  withTransaction(deps.db, () => rememberFor(deps, imp.departmentId, importId, mapping, { columns: [], values: [] }, actor));
}

/**
 * Remembers the choices for each header set of the import (per its department), records the departments
 * to create at confirmation, and reads the archived upload again with them.
 */
export async function applyMapping(deps: ImportDeps, config: Config, importId: number, choices: MappingChoices, actor: Actor, subject: Subject, hooks: ImportHooks = {}) {
  const { db, importRepository: repo } = deps;
  const imp = repo.importRecord(importId);
  if (!imp || !can(subject, 'read:import', { departmentId: imp.departmentId })) throw errors.notFound('导入记录');
  if (!can(subject, 'create:import', { departmentId: imp.departmentId })) throw errors.forbidden('只能处理本部门的导入。');
  if (imp.status !== 'ready') throw errors.conflict(imp.status === 'reading' ? '文件正在读取中，请稍候再试。' : '该导入已经确认或放弃，不能再修改对应关系；请重新上传文件。');
  if (!repo.archivedFile(importId)) throw errors.conflict('找不到该导入的原始文件，请重新上传。');
  const { mapping, newDepartments, cleared } = validateChoices(choices, (code) => repo.departmentByCode(code) !== null);
  const layout = repo.layoutOf(importId);
  withTransaction(db, () => {
    rememberFor(deps, imp.departmentId, importId, mapping, cleared, actor);
    const keptChoices = Object.fromEntries(Object.entries(layout?.departmentChoices ?? {}).filter(([name]) => !(name in choices.departments)));
    const departmentChoices = { ...keptChoices, ...newDepartments };
    if (Object.keys(newDepartments).length || Object.keys(keptChoices).length !== Object.keys(layout?.departmentChoices ?? {}).length) {
      repo.saveDepartmentChoices(importId, departmentChoices);
      appendAudit(db, actor, { action: 'import.map_departments', entityType: 'import', entityId: importId, after: departmentChoices });
    }
  });
  return restageImport(deps, config, importId, mapping, actor, subject, hooks);
}


const VALUE_COLUMN_LABELS = VALUE_COLUMNS.map((c) => COLUMNS[c].label);

/**
 * The command line's mapping: `--column "表头=列名"` (列名 as the template's labels, or 忽略) and
 * `--value "列名:文件中的值=目录中的值"`. A bad flag is refused with a Chinese message saying how to write it.
 */
export function mappingFromFlags(columnFlags: string[], valueFlags: string[], departmentCode: (text: string) => string | null): ReadMapping {
  const mapping: ReadMapping = { columns: {}, values: {} };
  for (const flag of columnFlags) {
    const at = flag.lastIndexOf('=');
    const header = at > 0 ? flag.slice(0, at).trim() : '';
    const target = at > 0 ? flag.slice(at + 1).trim() : '';
    if (!header || !target) throw errors.invalid(`--column "${flag}" 的写法不对，应为 --column "表头=列名"，例如 --column "服务事项=事项名称"。`);
    const key = columnChoice(target);
    if (!key) throw errors.invalid(`--column "${flag}"：“${target}”不是模板中的列名。可用的列名：${COLUMN_KEYS.map((k) => COLUMNS[k].label).join('、')}，或“${MAPPING_CHOICES.ignore}”。`);
    mapping.columns[normaliseHeader(header)] = key;
  }
  for (const flag of valueFlags) {
    const m = /^([^:：]+)[:：](.+)=([^=]+)$/.exec(flag);
    if (!m) throw errors.invalid(`--value "${flag}" 的写法不对，应为 --value "列名:文件中的值=目录中的值"，例如 --value "事项类型:其他权力类型=其他行政权力"。`);
    const [, columnText, from, to] = m.map((s) => s.trim()) as [string, string, string, string];
    const column = VALUE_COLUMNS.find((c) => COLUMNS[c].label === columnText || c === columnText);
    if (!column) throw errors.invalid(`--value "${flag}"：只有${VALUE_COLUMN_LABELS.join('、')}这几列的值可以对应，“${columnText}”不是其中之一。`);
    const value = column === 'department' ? departmentCode(to) : catalogueValue(column, to);
    if (!value) {
      const known = column === 'department' ? '请写部门编码或部门名称' : `可用：${Object.values(VALUE_TARGETS[column]).join('、')}`;
      throw errors.invalid(`--value "${flag}"：“${to}”不是目录中的${COLUMNS[column].label}（${known}）。`);
    }
    ((mapping.values[column] ??= {}) as Record<string, string>)[valueKey(from)] = value;
  }
  return mapping;
}

/** Who may see and change a remembered mapping: whoever may import for its scope (a department, or all). */
function scopeDepartment(scope: string): number | null {
  return scope.startsWith('d:') ? Number(scope.slice(2)) : null;
}

export function mayKeepMapping(subject: Subject, scope: string): boolean {
  return can(subject, 'create:import', { departmentId: scopeDepartment(scope) });
}

/** The remembered mappings a person may keep, newest change first. */
export function keptMappings(deps: ImportDeps, subject: Subject) {
  return deps.importRepository.allRememberedMappings().filter((m) => mayKeepMapping(subject, m.scope));
}

function keptMapping(deps: ImportDeps, id: number, subject: Subject) {
  const m = deps.importRepository.rememberedMappingById(id);
  if (!m || !mayKeepMapping(subject, m.scope)) throw errors.notFound('保存的对应关系');
  return m;
}

/**
 * Takes entries out of a remembered mapping (header → column, or a file value → catalogue value); a mapping
 * left with nothing is forgotten. Audited with what it said before.
 */
export function editMapping(deps: ImportDeps, id: number, drop: { columns: string[]; values: [string, string][] }, actor: Actor, subject: Subject) {
  const m = keptMapping(deps, id, subject);
  const columns = { ...m.columns };
  for (const h of drop.columns) delete columns[h];
  const values: Record<string, Record<string, string>> = {};
  for (const [c, map] of Object.entries(m.values)) values[c] = { ...map };
  for (const [c, v] of drop.values) delete values[c]?.[v];
  for (const c of Object.keys(values)) if (Object.keys(values[c]!).length === 0) delete values[c];
  if (Object.keys(columns).length === 0 && Object.keys(values).length === 0) return forgetMapping(deps, id, actor, subject);
  withTransaction(deps.db, () => {
    deps.importRepository.replaceMapping(id, { columns, values }, actor.name);
    appendAudit(deps.db, actor, { action: 'mapping.edit', entityType: 'upload_mapping', entityId: id, before: { columns: m.columns, values: m.values }, after: { scope: m.scope, columns, values } });
  });
}

/** Forgets a remembered mapping; audited with what it said. */
export function forgetMapping(deps: ImportDeps, id: number, actor: Actor, subject: Subject) {
  const m = keptMapping(deps, id, subject);
  withTransaction(deps.db, () => {
    deps.importRepository.forgetMapping(id);
    appendAudit(deps.db, actor, { action: 'mapping.forget', entityType: 'upload_mapping', entityId: id, before: { scope: m.scope, headerKey: m.headerKey, columns: m.columns, values: m.values } });
  });
}
