// Staging what an import read: each row is matched to the catalogue (by code, else by department and
// name), its citations to the registry, and compared field by field. Rows go to import_rows only; the
// catalogue itself is not touched until the import is confirmed.
import type { ImportRepository } from '../../db/queries/imports.js';
import type { RowMessage } from '../../imports/row-message.js';
import type { ColumnKey } from '../../imports/columns.js';
import { readFields, type ItemRow } from '../catalogue/items.js';
import { compareItem, type CurrentItem, type PresentField, type Proposal } from './compare.js';
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

/** The catalogue item as the comparison sees it; its 前置事项 are read only when the sheet has the column. */
export function currentItem(imports: ImportRepository, item: ItemRow, withPrerequisites: boolean): CurrentItem {
  return {
    fields: readFields(item),
    mainItemName: item.main_item_name,
    citations: imports.citationsOf(item.id),
    prerequisites: withPrerequisites ? imports.prerequisitesOf(item.id) : [],
  };
}

export interface StageContext {
  imports: ImportRepository;
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

/** The main item, or sub-items under its name, are in the department's catalogue already. */
function isOnFile(repo: ImportRepository, departmentId: number, name: string, code: string | null): boolean {
  if (code !== null && repo.itemByCode(code)) return true;
  return repo.activeItemByName(departmentId, name) !== undefined || repo.hasSubItemsOf(departmentId, name);
}

export function stageBatch(ctx: StageContext, rows: RowMessage[], counts: StagedCounts): void {
  const repo = ctx.imports;
  const present = new Set(ctx.present);
  // Stored as JSON.stringify({ ...proposal, present }): the child wrote the proposal, present is added here.
  const presentJson = `,"present":${JSON.stringify(ctx.present)}}`;

  repo.inTransaction(() => {
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
          warnings.push({ column: '实施主体', cell: row.departmentText, message: `本行写的部门“${row.departmentText}”不是本部门，已按“${ctx.fixedDepartment.name}”的事项处理` });
        }
      }

      // A main item made from its sub-items is proposed only when the catalogue has neither it nor
      // sub-items naming it (a catalogue may keep sub-items whose main item is no item of its own).
      if (row.madeMain && departmentId !== null && row.name && isOnFile(repo, departmentId, row.name, row.code)) continue;

      let item: ItemRow | undefined;
      if (errors.length === 0 && row.code) {
        const first = repo.earlierRowWithCode(ctx.importId, row.code);
        if (first !== undefined) errors.push({ column: '事项编码', cell: row.code, message: `事项编码“${row.code}”在本文件中重复（第 ${first} 行已出现）` });
        else {
          item = repo.itemByCode(row.code);
          if (item && item.removed_at) {
            warnings.push({ column: '事项编码', message: '该编码的事项已从目录中移出，本行将作为新增事项申报' });
            item = undefined;
          } else if (item && ctx.fixedDepartment && item.department_id !== ctx.fixedDepartment.id) {
            const other = repo.departmentName(item.department_id)!;
            errors.push({ column: '事项编码', cell: row.code, message: `事项编码“${row.code}”属于${other}的事项，只能修改本部门的事项` });
            item = undefined;
          }
        }
      }
      if (errors.length === 0 && !item && !row.code && departmentId !== null && row.name) {
        item = repo.activeItemByName(departmentId, row.name);
      }
      if (errors.length === 0 && item) {
        const first = repo.earlierRowOfItem(ctx.importId, item.id);
        if (first !== undefined) {
          errors.push({ column: '事项名称', cell: row.name ?? undefined, message: `与第 ${first} 行是同一事项（${item.name}），请合并为一行` });
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
          const diff = compareItem(currentItem(repo, item, present.has('prerequisites')), JSON.parse(row.proposal.json) as Proposal, present);
          kind = diff.length ? 'changed' : 'unchanged';
          changes = diff;
        } else kind = 'new';
        proposal = row.proposal.json.slice(0, -1) + presentJson;
        counts.items++;
        counts[kind]++;
        if (noBasis) counts.noBasis++;
      } else counts.errorRows++;

      if (departmentId !== null) ctx.departmentIds.add(departmentId);
      repo.insertStagedRow({
        importId: ctx.importId,
        sheet: row.sheet,
        rowNumber: row.rowNumber,
        code: row.code,
        name: row.name,
        departmentText: row.departmentText,
        departmentId,
        itemId: item?.id ?? null,
        kind,
        proposal,
        changes: changes ? JSON.stringify(changes) : null,
        errors: errors.length ? JSON.stringify(errors) : null,
        warnings: warnings.length ? JSON.stringify(warnings) : null,
        noBasis,
        flags: flags ? JSON.stringify(flags) : null,
      });
    }
  });
}
