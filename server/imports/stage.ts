// Staging what an import read: each row is matched to the catalogue (by code, else by department and
// name), its citations to the registry, and compared field by field. Rows go to import_rows only; the
// catalogue itself is not touched until the import is confirmed.
import type { Db } from '../../db/client.js';
import type { RowMessage } from '../../imports/row-message.js';
import type { ColumnKey } from '../../imports/columns.js';
import { readFields, type ItemRow } from '../catalogue/items.js';
import { compareItem, type PresentField, type Proposal } from './compare.js';
import { checkItem } from '../checks/engine.js';
import { proposedCitation } from '../checks/load.js';
import type { CheckContext, CheckedCitation, CheckedInstrument } from '../checks/types.js';
import type { ServiceObject } from '../domain/vocabulary.js';

/** Which item fields a sheet carries, from its header columns. Fields it lacks are never overwritten. */
export function presentFields(headers: Partial<Record<ColumnKey, string>>): PresentField[] {
  const has = (k: ColumnKey) => k in headers;
  const out: PresentField[] = ['name', 'category'];
  if (has('level')) out.push('level');
  if (has('serviceObject')) out.push('serviceObjects');
  if (has('statutoryLimit')) out.push('statutoryLimitDays');
  if (has('promisedLimit')) out.push('promisedLimitDays');
  if (has('statutoryLimit') || has('promisedLimit')) out.push('instant');
  if (has('feeStandard')) out.push('feeCharged', 'feeStandard');
  if (has('feeBasis')) out.push('feeBasis');
  if (has('conditions')) out.push('conditions');
  if (has('materials')) out.push('materials');
  if (has('process')) out.push('processText');
  if (has('contactPhone')) out.push('contactPhone');
  if (has('supervisionPhone')) out.push('supervisionPhone');
  if (has('remarks')) out.push('remarks');
  if (has('basis') || has('implementingBasis')) out.push('citations');
  if (has('implementingBasis')) out.push('implementingCitations');
  if (has('prerequisites')) out.push('prerequisites');
  return out;
}

export const normaliseDepartmentName = (name: string) => name.normalize('NFKC').replace(/[\s\u3000]+/g, '');

/** Every row names its department: normalise each distinct name once. */
const normalisedNames = new Map<string, string>();
function normalisedDepartment(name: string): string {
  let hit = normalisedNames.get(name);
  if (hit === undefined) {
    hit = normaliseDepartmentName(name);
    if (normalisedNames.size >= 10_000) normalisedNames.clear();
    normalisedNames.set(name, hit);
  }
  return hit;
}

export interface StageContext {
  db: Db;
  importId: number;
  /** Department imports: every row belongs to this department, whatever its department column says. */
  fixedDepartment: { id: number; name: string } | null;
  departmentsByName: Map<string, number>;
  present: PresentField[];
  unknownDepartments: Set<string>;
  /** Every department a staged row belongs to: the items of these the upload leaves out are missing. */
  departmentIds: Set<number>;
  /** The registry for the checks, and the context they judge at (the import preview's flags). */
  checkRegistry: Map<number, CheckedInstrument>;
  checkContext: CheckContext;
}

export interface StagedCounts {
  items: number;
  new: number;
  changed: number;
  unchanged: number;
  errorRows: number;
  noBasis: number;
}

export const emptyCounts = (): StagedCounts => ({ items: 0, new: 0, changed: 0, unchanged: 0, errorRows: 0, noBasis: 0 });

export function stageBatch(ctx: StageContext, rows: RowMessage[], counts: StagedCounts): void {
  const sqlite = ctx.db.$client;
  const byCode = sqlite.prepare('SELECT * FROM items WHERE code = ?');
  const byName = sqlite.prepare('SELECT * FROM items WHERE department_id = ? AND name = ? AND removed_at IS NULL ORDER BY id LIMIT 1');
  const citationsOf = sqlite.prepare('SELECT title, article, role FROM citations WHERE item_id = ? ORDER BY role DESC, seq');
  const prerequisitesOf = sqlite.prepare('SELECT written_as FROM item_prerequisites WHERE item_id = ? ORDER BY id').pluck();
  const departmentName = sqlite.prepare('SELECT name FROM departments WHERE id = ?');
  // Earlier rows of this import with the same code or the same item: looked up in the staged rows
  // themselves (indexed), so a million-row import holds no per-row state in memory.
  const earlierCode = sqlite.prepare('SELECT row_number FROM import_rows WHERE import_id = ? AND item_code = ? LIMIT 1').pluck();
  const earlierItem = sqlite.prepare('SELECT row_number FROM import_rows WHERE import_id = ? AND item_id = ? LIMIT 1').pluck();
  // Positional parameters: binding fifteen named ones costs more than SQLite's own work on a short row.
  const insert = sqlite.prepare(
    `INSERT INTO import_rows (import_id, sheet, row_number, item_code, name, department_text, department_id, item_id, kind, proposal, changes, errors, warnings, no_basis, flags)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const present = new Set(ctx.present);
  // Stored as JSON.stringify({ ...proposal, present }): the child wrote the proposal, present is added here.
  const presentJson = `,"present":${JSON.stringify(ctx.present)}}`;

  sqlite.transaction(() => {
    for (const row of rows) {
      const errors = [...row.errors];
      const warnings = [...row.warnings];
      let departmentId: number | null = ctx.fixedDepartment?.id ?? null;
      if (!ctx.fixedDepartment) {
        if (!row.departmentText) errors.push({ column: '实施主体', message: '缺少实施主体（部门），整库导入时每行都必须写明部门' });
        else {
          departmentId = ctx.departmentsByName.get(normalisedDepartment(row.departmentText)) ?? null;
          if (departmentId === null) ctx.unknownDepartments.add(row.departmentText);
        }
      } else if (row.departmentText && normalisedDepartment(row.departmentText) !== normalisedDepartment(ctx.fixedDepartment.name)) {
        const named = ctx.departmentsByName.get(normalisedDepartment(row.departmentText));
        if (named !== ctx.fixedDepartment.id) {
          warnings.push({ column: '实施主体', message: `本行写的部门“${row.departmentText}”不是本部门，已按“${ctx.fixedDepartment.name}”的事项处理` });
        }
      }

      let item: ItemRow | undefined;
      if (errors.length === 0 && row.code) {
        const first = earlierCode.get(ctx.importId, row.code) as number | undefined;
        if (first !== undefined) errors.push({ column: '事项编码', message: `事项编码“${row.code}”在本文件中重复（第 ${first} 行已出现）` });
        else {
          item = byCode.get(row.code) as ItemRow | undefined;
          if (item && item.removed_at) {
            warnings.push({ column: '事项编码', message: '该编码的事项已从目录中移出，本行将作为新增事项申报' });
            item = undefined;
          } else if (item && ctx.fixedDepartment && item.department_id !== ctx.fixedDepartment.id) {
            const other = (departmentName.get(item.department_id) as { name: string }).name;
            errors.push({ column: '事项编码', message: `事项编码“${row.code}”属于${other}的事项，只能修改本部门的事项` });
            item = undefined;
          }
        }
      }
      if (errors.length === 0 && !item && !row.code && departmentId !== null && row.name) {
        item = byName.get(departmentId, row.name) as ItemRow | undefined;
      }
      if (errors.length === 0 && item) {
        const first = earlierItem.get(ctx.importId, item.id) as number | undefined;
        if (first !== undefined) {
          errors.push({ column: '事项名称', message: `与第 ${first} 行是同一事项（${item.name}），请合并为一行` });
          item = undefined;
        }
      }

      let kind: 'new' | 'changed' | 'unchanged' | 'error' = 'error';
      let proposal: string | null = null;
      let changes: unknown[] | null = null;
      let noBasis = false;
      let flags: unknown[] | null = null;
      if (errors.length === 0 && row.proposal) {
        const { fields, citations } = row.proposal;
        const checked: CheckedCitation[] = [];
        noBasis = true;
        for (const c of citations) {
          checked.push(proposedCitation(ctx.checkRegistry, c));
          if (c.role === 'setting') noBasis = false;
        }
        const findings = checkItem(
          {
            key: `${ctx.importId}:${row.rowNumber}`,
            code: row.code,
            name: fields.name,
            category: fields.category,
            departmentCode: '',
            departmentName: ctx.fixedDepartment?.name ?? row.departmentText ?? '',
            serviceObjects: fields.serviceObjects as ServiceObject[],
            feeCharged: fields.feeCharged,
            feeStandard: fields.feeStandard,
            feeBasis: fields.feeBasis,
            statutoryLimitDays: fields.statutoryLimitDays,
            promisedLimitDays: fields.promisedLimitDays,
            instant: fields.instant,
            processText: fields.processText,
            citations: checked,
            isNew: !item,
            previousName: item && item.name !== fields.name ? item.name : null,
          },
          ctx.checkContext,
        );
        if (findings.length) {
          flags = findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, suggestion: f.suggestionText, ground: f.ground }));
        }
        if (item) {
          const current = {
            fields: readFields(item),
            mainItemName: item.main_item_name,
            citations: citationsOf.all(item.id) as { title: string; article: string | null; role: string }[],
            prerequisites: present.has('prerequisites') ? (prerequisitesOf.all(item.id) as string[]) : [],
          };
          const diff = compareItem(current, JSON.parse(row.proposal.json) as Proposal, present);
          kind = diff.length ? 'changed' : 'unchanged';
          changes = diff;
        } else kind = 'new';
        proposal = row.proposal.json.slice(0, -1) + presentJson;
        counts.items++;
        counts[kind]++;
        if (noBasis) counts.noBasis++;
      } else counts.errorRows++;

      if (departmentId !== null) ctx.departmentIds.add(departmentId);
      insert.run(
        ctx.importId,
        row.sheet,
        row.rowNumber,
        row.code,
        row.name,
        row.departmentText,
        departmentId,
        item?.id ?? null,
        kind,
        proposal,
        changes ? JSON.stringify(changes) : null,
        errors.length ? JSON.stringify(errors) : null,
        warnings.length ? JSON.stringify(warnings) : null,
        noBasis ? 1 : 0,
        flags ? JSON.stringify(flags) : null,
      );
    }
  })();
}
