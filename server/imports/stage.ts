// Staging what an import read: each row is matched to the catalogue (by code, else by department and
// name), its citations to the registry, and compared field by field. Rows go to import_rows only; the
// catalogue itself is not touched until the import is confirmed.
import type { ImportRepository } from '../../db/queries/imports.js';
import { proposedColumns } from '../../db/queries/imports/staging.js';
import { KeyFilter } from './key-filter.js';
import type { ColumnKey } from '../../imports/columns.js';
import type { RowMessage } from '../../imports/row-message.js';
import { readFields, type ItemRow } from '../catalogue/items.js';
import { compareItem, matchedKind, type CurrentItem, type FieldChange, type PresentField, type Proposal } from './compare.js';
import type { TemplateStamp, StampedItem } from '../../imports/template-stamp.js';
import { IMPORT_MESSAGES } from '../domain/labels.js';
import { checkItem } from '../checks/engine.js';
import { proposedCitation } from '../checks/load.js';
import type { CheckContext, CheckedCitation, CheckedInstrument } from '../checks/types.js';
import { needsSettingBasis, type ServiceObject } from '../domain/vocabulary.js';

/** Which item fields a sheet carries, from its header columns. Fields it lacks are never overwritten. */
export function presentFields(headers: Partial<Record<ColumnKey, string>>): PresentField[] {
  const has = (k: ColumnKey) => k in headers;
  const out: PresentField[] = ['name', 'category'];
  if (has('level')) out.push('level');
  if (has('serviceObject')) out.push('serviceObjects');
  if (has('statutoryLimit')) out.push('statutoryLimitDays');
  if (has('promisedLimit')) out.push('promisedLimitDays');
  if (has('statutoryLimit') || has('promisedLimit') || has('handlingType')) out.push('instant');
  if (has('feeStandard')) out.push('feeCharged', 'feeStandard');
  if (has('feeBasis')) out.push('feeBasis');
  if (has('conditions')) out.push('conditions');
  if (has('materials')) out.push('materials');
  if (has('process')) out.push('processText');
  if (has('contactPhone')) out.push('contactPhone');
  if (has('supervisionPhone')) out.push('supervisionPhone');
  if (has('remarks')) out.push('remarks');
  if (has('servicePlace')) out.push('servicePlace');
  if (has('serviceHours')) out.push('serviceHours');
  if (has('onSiteVisits')) out.push('onSiteVisits');
  if (has('onlineDepth')) out.push('onlineDepth');
  if (has('resultName')) out.push('resultName');
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
  /** Made main items staged lately (sheet, row, name → staged row), for the main item's own row coming after them. */
  madeMains?: Map<string, StagedMade>;
  /** The codes of the rows staged so far: a code not among them needs no look in the staged rows. */
  stagedCodes?: KeyFilter;
  /** The main item made from the sub-items being staged, until a row that is none of its sub-items. */
  openMade?: OpenMade | null;
}

interface OpenMade extends StagedMade {
  sheet: string;
  rowNumber: number;
  name: string;
  /** Whether one of its sub-items was staged without errors. */
  kept: boolean;
}

interface StagedMade {
  id: number;
  kind: 'new' | 'changed' | 'unchanged' | 'error';
  noBasis: boolean;
}

/** Made main items remembered by staging; an older one is looked up in the staged rows. */
const MADE_MAINS_KEPT = 10_000;
const madeKey = (sheet: string, rowNumber: number, name: string) => `${sheet}\u0000${rowNumber}\u0000${name}`;

/**
 * The main item's own row came after its sub-items, whose main item was made from them and staged
 * already (imports/sub-items.ts): the made item is taken out, its counts with it, and the row stands in its place.
 */
function unstageMadeMain(ctx: StageContext, row: RowMessage, counts: StagedCounts): void {
  if (row.replacesMadeMain === null || row.name === null) return;
  const key = madeKey(row.sheet, row.replacesMadeMain, row.name);
  let made = ctx.madeMains?.get(key);
  if (made) ctx.madeMains!.delete(key);
  else {
    const found = ctx.imports.stagedRowAt(ctx.importId, row.sheet, row.replacesMadeMain, row.name);
    made = found && { id: found.id, kind: found.kind, noBasis: found.noBasis === 1 };
  }
  // Not staged: the catalogue had the main item already (see isOnFile).
  if (!made) return;
  if (ctx.openMade && ctx.openMade.id === made.id) ctx.openMade = null;
  unstage(ctx, made, counts);
}

/**
 * The sub-items of a made main item have all been staged: a main item is made for its sub-items, so
 * when every one of them is an error (their codes are another department's items, say) it is taken out
 * with its counts, never proposed on its own.
 */
function closeMadeMain(ctx: StageContext, counts: StagedCounts): void {
  const open = ctx.openMade;
  ctx.openMade = null;
  if (!open || open.kept) return;
  ctx.madeMains?.delete(madeKey(open.sheet, open.rowNumber, open.name));
  unstage(ctx, open, counts);
}

function unstage(ctx: StageContext, made: StagedMade, counts: StagedCounts): void {
  ctx.imports.deleteStagedRow(made.id);
  if (made.kind === 'error') counts.errorRows--;
  else {
    counts.items--;
    counts[made.kind]--;
    if (made.noBasis) counts.noBasis--;
  }
}

/** The end of the file's rows: a made main item whose sub-items were all errors is taken out. */
export function endStaging(ctx: StageContext, counts: StagedCounts): void {
  if (ctx.openMade) ctx.imports.inStagingTransaction(() => closeMadeMain(ctx, counts));
}

export interface StagedCounts {
  items: number;
  new: number;
  changed: number;
  unchanged: number;
  errorRows: number;
  noBasis: number;
  /** Rows where a stale template would undo a later decision. */
  reverts: number;
}

export const emptyCounts = (): StagedCounts => ({ items: 0, new: 0, changed: 0, unchanged: 0, errorRows: 0, noBasis: 0, reverts: 0 });

export type Revert = FieldChange & { value: unknown };

/**
 * Where a file made from an older template would undo a later decision: a field the catalogue changed
 * after the template was made (the item's row version moved on) while the file still has it as it was
 * exported. A field the clerk edited (the file differs from what was exported) is the clerk's change.
 */
export function staleReverts(stamped: StampedItem, itemVersion: number, diff: readonly FieldChange[], proposal: Proposal, present: ReadonlySet<PresentField>): Revert[] {
  if (itemVersion <= stamped.version || diff.length === 0) return [];
  const edited = new Set(compareItem(stamped.exported, proposal, present).map((c) => c.field));
  const out: Revert[] = [];
  for (const change of diff) {
    if (edited.has(change.field)) continue;
    const value =
      change.field === 'citations' ? proposal.citations : change.field === 'prerequisites' ? proposal.prerequisites : proposal.fields[change.field as keyof Proposal['fields']];
    out.push({ ...change, value });
  }
  return out;
}

const REMOVED_CODE = '该编码的事项已从目录中移出，本行将作为新增事项申报';

/**
 * After the file was read (and accepted by the reading child), a pre-filled template's stamp is applied
 * to the rows of the items it lists: a field that would undo a later decision is left out of the row's
 * proposal (kept for when the person ticks the row), and a row bringing back an item removed since the
 * template was made says so.
 */
export function applyTemplateStamp(ctx: StageContext, stamp: TemplateStamp, counts: StagedCounts): void {
  const repo = ctx.imports;
  repo.inTransaction(() => {
    for (const stamped of stamp.items.values()) {
      const row = repo.stagedRowByCode(ctx.importId, stamped.code);
      if (!row || !row.proposal) continue;
      if (row.kind === 'new') {
        const removed = repo.itemByCode(stamped.code);
        if (removed?.removed_at && row.warnings) {
          const warnings = row.warnings.map((w) => (w.message === REMOVED_CODE ? { ...w, message: IMPORT_MESSAGES.cancelledSinceTemplate(removed.name) } : w));
          repo.restageRow(row.id, { warnings });
        }
        continue;
      }
      if (row.itemId === null || (row.kind !== 'changed' && row.kind !== 'unchanged')) continue;
      const item = repo.itemById(row.itemId);
      if (!item || item.code !== stamped.code) continue;
      const proposal = row.proposal as unknown as Proposal & { present: PresentField[] };
      const present = new Set(proposal.present);
      const current = currentItem(repo, item, present.has('prerequisites'));
      const found = staleReverts(stamped, item.row_version, compareItem(current, proposal, present), proposal, present);
      if (found.length === 0) continue;
      const kept = presentWithout(present, found);
      const changes = compareItem(current, proposal, kept);
      const kind = matchedKind(changes, proposal.disposition);
      // The file's own fields stay in presentInFile: ticking the row proposes them (confirm.ts).
      const restaged = { ...proposal, present: [...kept], presentInFile: proposal.present, ...(kept.has('prerequisites') ? {} : { prerequisitesPresent: false }) };
      repo.restageRow(row.id, { proposal: restaged, kind, changes, reverts: found });
      counts[row.kind]--;
      counts[kind]++;
      counts.reverts++;
    }
  });
}

/** The fields a row proposes once its reverts are left out: a reverted field is treated as a column the sheet does not have. */
export function presentWithout(present: ReadonlySet<PresentField>, reverts: readonly Revert[]): Set<PresentField> {
  const kept = new Set(present);
  for (const r of reverts) {
    kept.delete(r.field as PresentField);
    if (r.field === 'citations') kept.delete('implementingCitations');
  }
  return kept;
}

/** The main item, or sub-items under its name, are in the department's catalogue already. */
function isOnFile(repo: ImportRepository, departmentId: number, name: string, code: string | null): boolean {
  if (code !== null && repo.itemByCode(code)) return true;
  return repo.activeItemByName(departmentId, name) !== undefined || repo.hasSubItemsOf(departmentId, name);
}

/** Stages one batch of rows; `rowsRead` (the rows read so far) is recorded as the import's progress in the same commit. */
export function stageBatch(ctx: StageContext, rows: RowMessage[], counts: StagedCounts, rowsRead?: number): void {
  const repo = ctx.imports;
  const present = new Set(ctx.present);

  const registered = new Map<number, string>();
  const registeredName = (id: number): string => {
    let name = registered.get(id);
    if (name === undefined) registered.set(id, (name = repo.departmentName(id) ?? ''));
    return name;
  };

  repo.inStagingTransaction(() => {
    if (rowsRead !== undefined) repo.recordProgress(ctx.importId, rowsRead);
    for (const row of rows) {
      const open = ctx.openMade;
      const subOfOpen = !!open && row.sheet === open.sheet && !row.madeMain && row.proposal?.mainItemName === open.name;
      if (open && !subOfOpen) closeMadeMain(ctx, counts);
      unstageMadeMain(ctx, row, counts);
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
      const stagedCodes = (ctx.stagedCodes ??= new KeyFilter());
      if (errors.length === 0 && row.code) {
        const first = stagedCodes.mightHave(row.code) ? repo.earlierRowWithCode(ctx.importId, row.code) : undefined;
        if (first !== undefined) errors.push({ column: '事项编码', cell: row.code, message: `事项编码“${row.code}”在本文件中重复（第 ${first} 行已出现）` });
        else {
          item = repo.itemByCode(row.code);
          if (item && item.removed_at) {
            warnings.push({ column: '事项编码', message: REMOVED_CODE });
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
      // Stored as JSON.stringify({ ...proposal, present }).
      let proposal: string | null = null;
      let changes: unknown[] | null = null;
      let noBasis = false;
      let flags: unknown[] | null = null;
      let proposes: Proposal | null = null;
      if (errors.length === 0 && row.proposal) {
        const { fields, citations } = row.proposal;
        const checked: CheckedCitation[] = [];
        // 无设定依据 as the NO_BASIS rule judges it (a public service needs no setting basis).
        noBasis = needsSettingBasis(fields.category);
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
            // The registered name: the checks tell one department's claims from another's by it.
            departmentName: ctx.fixedDepartment?.name ?? (departmentId !== null ? registeredName(departmentId) : (row.departmentText ?? '')),
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
            // Proposed 前置事项: a loop they close with items already in the catalogue is found in the preview.
            ...(present.has('prerequisites') && row.proposal.prerequisites.length > 0 ? { prerequisites: row.proposal.prerequisites } : {}),
          },
          ctx.checkContext,
        );
        if (findings.length) {
          flags = findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, suggestion: f.suggestionText, ground: f.ground }));
        }
        proposes = row.proposal;
        if (item) {
          // A 处理意见 the catalogue already records for the item (保留 on a kept item) proposes nothing.
          if (proposes.disposition && proposes.disposition === item.disposition) proposes = { ...proposes, disposition: null, dispositionReason: null };
          const diff = compareItem(currentItem(repo, item, present.has('prerequisites')), proposes, present);
          kind = matchedKind(diff, proposes.disposition);
          changes = diff;
        } else kind = 'new';
        // A literal, not a spread copy: JSON.stringify writes an object made in one shape faster.
        const p = proposes;
        proposal = JSON.stringify({
          code: p.code,
          fields: p.fields,
          mainItemName: p.mainItemName,
          citations: p.citations,
          prerequisites: p.prerequisites,
          disposition: p.disposition,
          dispositionReason: p.dispositionReason,
          present: ctx.present,
        });
        counts.items++;
        counts[kind]++;
        if (noBasis) counts.noBasis++;
      } else counts.errorRows++;

      if (departmentId !== null) ctx.departmentIds.add(departmentId);
      const staged = repo.insertStagedRow({
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
        ...proposedColumns(proposes),
      });
      if (row.code) stagedCodes.add(row.code);
      if (row.madeMain && row.name !== null) {
        const made = (ctx.madeMains ??= new Map());
        if (made.size >= MADE_MAINS_KEPT) made.delete(made.keys().next().value!);
        const stagedMade = { id: Number(staged.lastInsertRowid), kind, noBasis };
        made.set(madeKey(row.sheet, row.rowNumber, row.name), stagedMade);
        ctx.openMade = { ...stagedMade, sheet: row.sheet, rowNumber: row.rowNumber, name: row.name, kept: false };
      } else if (subOfOpen && kind !== 'error') ctx.openMade!.kept = true;
    }
  });
}
