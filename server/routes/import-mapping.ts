// The import preview's mapping forms: departments the catalogue does not know (at the top of the
// preview), the file's header row with its first rows and a choice per column, and a short table of
// values not understood. Built from how the import was read (import_layouts); parsed back into choices.
import type { ImportRepository } from '../../db/queries/imports.js';
import { COLUMN_KEYS, COLUMNS, normaliseHeader } from '../../imports/columns.js';
import { valueKey, type SheetLayout } from '../../imports/mapping.js';
import { suggestDepartment, type DepartmentOption } from '../imports/department-match.js';
import { VALUE_TARGETS, type MappingChoices } from '../imports/mapping.js';
import { MAPPING_CHOICES, localTime } from '../domain/labels.js';
import { urls } from '../urls.js';

const VALUE_COLUMN_NAMES: Record<string, string> = {
  category: COLUMNS.category.label,
  level: COLUMNS.level.label,
  disposition: COLUMNS.disposition.label,
  department: COLUMNS.department.label,
};

interface Imp {
  id: number;
  unknownDepartments: string[];
}

/** The forms' view model; `needed` when the person has something to settle before confirming. */
export function mappingModel(repo: ImportRepository, imp: Imp, departments: DepartmentOption[]) {
  const layout = repo.layoutOf(imp.id);
  const sheets = (layout?.sheets ?? []) as SheetLayout[];
  const given = layout?.mapping ?? { columns: {}, values: {} };
  const choices = layout?.departmentChoices ?? {};

  // Departments: each unknown name with its rows, a suggestion (never preselected) and the choice made.
  const rows = repo.rowsPerUnmatchedDepartment(imp.id);
  const departmentOptions = (chosen: string | undefined) => departments.map((d) => ({ value: d.code, text: `${d.name}（${d.code}）`, selected: d.code === chosen }));
  const unmatched = imp.unknownDepartments.map((name, i) => {
    const chosen = choices[name];
    const suggestion = suggestDepartment(name, departments);
    return {
      name,
      index: i,
      rows: rows.get(name) ?? 0,
      suggestion: suggestion ? { code: suggestion.code, name: suggestion.name } : null,
      options: departmentOptions(chosen),
      newCode: chosen?.startsWith('new:') ? chosen.slice(4) : '',
      mapped: !!chosen,
    };
  });

  // Columns: per sheet (one per header set), every filled header cell with its current meaning.
  const seen = new Set<string>();
  let columnIndex = 0;
  const columnSheets = [];
  const rememberedIds = new Set<number>();
  // A sheet whose header was not found is offered only when no sheet's was (else it is a notes sheet or the like, named as skipped).
  const anyFound = sheets.some((s) => s.found);
  for (const sheet of sheets) {
    if (anyFound && !sheet.found) continue;
    if (seen.has(sheet.headerKey)) continue;
    seen.add(sheet.headerKey);
    if (sheet.rememberedId !== null) rememberedIds.add(sheet.rememberedId);
    const remembered = sheet.rememberedId !== null ? repo.rememberedMappingById(sheet.rememberedId) : null;
    const columns = sheet.columns.map((c) => {
      const current = c.ignored ? 'ignore' : (c.key ?? '');
      const field = columnIndex++;
      return {
        header: c.header,
        field,
        unknown: !c.key && !c.ignored,
        options: [
          { value: '', text: MAPPING_CHOICES.unrecognised, selected: current === '' },
          ...COLUMN_KEYS.map((k) => ({ value: k, text: COLUMNS[k].label, selected: current === k })),
          { value: 'ignore', text: MAPPING_CHOICES.ignore, selected: current === 'ignore' },
        ],
      };
    });
    columnSheets.push({
      sheet: sheet.sheet,
      headerRow: sheet.headerRow,
      found: sheet.found,
      unknownCount: columns.filter((c) => c.unknown).length,
      remembered: remembered ? { by: remembered.updatedBy, at: localTime(remembered.updatedAt) } : null,
      columns,
      samples: sheet.samples.map((cells) => ({ cells: cells.map((t) => (t.length > 40 ? `${t.slice(0, 40)}…` : t)) })),
    });
  }

  // Values: the ones not understood, and those mapped already (so they can be changed).
  const mapped: Record<string, Record<string, string>> = {};
  for (const id of rememberedIds) for (const [c, m] of Object.entries(repo.rememberedMappingById(id)?.values ?? {})) Object.assign((mapped[c] ??= {}), m);
  for (const [c, m] of Object.entries(given.values ?? {})) Object.assign((mapped[c] ??= {}), m);
  const unrecognised = layout?.unrecognised ?? {};
  let valueIndex = 0;
  const valueColumns = [];
  for (const column of ['category', 'level', 'disposition', 'department'] as const) {
    const entries = new Map<string, number | null>();
    for (const [v, n] of Object.entries(unrecognised[column] ?? {})) entries.set(v, n);
    for (const v of Object.keys(mapped[column] ?? {})) if (!entries.has(v)) entries.set(v, null);
    if (entries.size === 0) continue;
    const targets =
      column === 'department'
        ? departments.map((d) => ({ value: d.code, text: d.name }))
        : Object.entries(VALUE_TARGETS[column]).map(([value, text]) => ({ value, text }));
    valueColumns.push({
      label: VALUE_COLUMN_NAMES[column],
      entries: [...entries].map(([value, count]) => {
        const current = mapped[column]?.[valueKey(value)] ?? '';
        return {
          value,
          column,
          field: valueIndex++,
          count,
          mapped: current !== '',
          options: [{ value: '', text: MAPPING_CHOICES.asWritten, selected: current === '' }, ...targets.map((t) => ({ ...t, selected: t.value === current }))],
        };
      }),
    });
  }

  const needsMapping = sheets.length > 0 && !sheets.some((s) => s.found);
  const unknownHeaders = columnSheets.some((s) => s.unknownCount > 0);
  const unmapped = unmatched.filter((u) => !u.mapped).length;
  return {
    action: urls.importMapping(imp.id),
    needsMapping,
    unmatched,
    unmapped,
    columnSheets,
    valueColumns,
    hasColumns: columnSheets.length > 0,
    skippedSheets: anyFound ? sheets.filter((s) => !s.found).map((s) => s.sheet) : [],
    remembered: columnSheets.some((s) => s.remembered),
    /** The column table is open when nothing can be read without it; else one click away, saying what it holds. */
    openColumns: needsMapping,
    unknownHeaderCount: columnSheets.reduce((n, s) => n + s.unknownCount, 0),
    show: unmatched.length > 0 || needsMapping || unknownHeaders || valueColumns.length > 0 || columnSheets.some((s) => s.remembered),
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The choices a form or a JSON body says. The form's fields: col_N (choice) with colh_N (header),
 * val_N with valc_N (column) and valv_N (file value), dept_N / newdept_N with deptn_N (the name).
 * JSON: { columns: {header: choice}, values: {column: {file value: catalogue value}}, departments: {name: code | new:CODE} }.
 */
export function mappingChoicesFrom(body: Record<string, unknown>): MappingChoices {
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const strings = (v: unknown) => Object.fromEntries(Object.entries(obj(v)).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
  const choices: MappingChoices = { columns: strings(body.columns), values: {}, departments: strings(body.departments) };
  for (const [c, m] of Object.entries(obj(body.values))) choices.values[c] = strings(m);
  for (const [key, value] of Object.entries(body)) {
    let m = /^col_(\d{1,4})$/.exec(key);
    if (m) {
      const header = str(body[`colh_${m[1]}`]);
      if (normaliseHeader(header)) choices.columns[header] = str(value);
      continue;
    }
    m = /^val_(\d{1,4})$/.exec(key);
    if (m) {
      const column = str(body[`valc_${m[1]}`]);
      const from = str(body[`valv_${m[1]}`]);
      if (column && from) (choices.values[column] ??= {})[from] = str(value);
      continue;
    }
    m = /^deptn_(\d{1,4})$/.exec(key);
    if (m) {
      const name = str(value);
      const code = str(body[`newdept_${m[1]}`]).trim();
      const chosen = str(body[`dept_${m[1]}`]);
      if (name) choices.departments[name] = code ? `new:${code}` : chosen;
    }
  }
  return choices;
}
