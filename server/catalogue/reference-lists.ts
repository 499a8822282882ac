// Higher-level lists: cancellation and delegation decisions of the State Council, province or city,
// and the standard base catalogue. Their entries are matched to the working catalogue by name
// similarity; a person confirms or rejects each match, and a confirmed match feeds the checks
// (CANCELLED_ABOVE, NAME_NOT_STANDARD) of that item at once.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { REFERENCE_LIST_KINDS } from '../../db/schema.js';
import { createReferenceListWrites } from '../../db/queries/reference-lists.js';
import type { ReferenceEntryInput } from '../domain/reference-entry.js';
import { NameIndex } from '../checks/similarity.js';
import { recheckItems } from '../checks/store.js';
import { checkDeps } from '../checks/context.js';
import { errors } from '../errors.js';
import { fieldErrors } from '../domain/item-fields.js';
import { isoDate } from '../domain/schemas.js';
import { REFERENCE_LIST_KIND_NAMES } from '../domain/labels.js';

export type ReferenceListKind = (typeof REFERENCE_LIST_KINDS)[number];
export { REFERENCE_LIST_KIND_NAMES };
// Every kind of list has its name, and every name its kind.
const _kindsNamed: Record<ReferenceListKind, string> = REFERENCE_LIST_KIND_NAMES;
void _kindsNamed;

/** Lowest similarity proposed to a person; below it a match is noise. */
export const MATCH_MIN_SCORE = 0.6;
/** At most this many candidate items per entry. */
export const MATCH_LIMIT = 3;

const optionalText = (max: number, message: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v ?? null), z.string().trim().max(max, message).nullable());

export const referenceListSchema = z.object({
  kind: z.enum(REFERENCE_LIST_KINDS, { message: '请选择清单类型' }),
  title: z.string({ message: '请填写清单名称' }).trim().min(1, '请填写清单名称').max(200, '清单名称过长'),
  decisionNumber: optionalText(60, '文号过长'),
  issuedBy: optionalText(100, '发布机关过长'),
  issuedOn: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    isoDate().nullable(),
  ),
});
export type ReferenceListInput = z.infer<typeof referenceListSchema>;

/** Checks the list's own fields before a file is read; throws a 400 with field messages. */
export function parseReferenceListFields(input: unknown): ReferenceListInput {
  const parsed = referenceListSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  return parsed.data;
}

interface CandidateItem {
  id: number;
  name: string;
}

/** The working catalogue's items, prepared once for matching many entries. */
function catalogueIndex(db: Db): NameIndex<CandidateItem> {
  return new NameIndex(createReferenceListWrites(db).candidateItems(), (c) => c.name);
}

/** How far a matching is: entries matched of all, then the writing. */
export type MatchProgress = (done: number, total: number, stage: 'matching' | 'writing') => void;

/**
 * Each entry's candidate items, found before any write: matching ten thousand entries against a
 * million items takes a while, and no other writer should wait for it.
 */
function findMatches(index: NameIndex<CandidateItem>, names: readonly string[], onProgress: MatchProgress): { itemId: number; permille: number }[][] {
  const found: { itemId: number; permille: number }[][] = [];
  for (const name of names) {
    found.push(index.search(name, { min: MATCH_MIN_SCORE, limit: MATCH_LIMIT }).map((m) => ({ itemId: m.candidate.id, permille: Math.round(m.score * 1000) })));
    if (found.length % 500 === 0) onProgress(found.length, names.length, 'matching');
  }
  onProgress(names.length, names.length, 'writing');
  return found;
}

/** Proposes the matches found for entries; decided matches stay as they are. Returns how many were added. */
function proposeMatches(db: Db, entryIds: readonly number[], found: { itemId: number; permille: number }[][]): number {
  const lists = createReferenceListWrites(db);
  let added = 0;
  entryIds.forEach((entryId, i) => {
    for (const m of found[i]!) added += lists.proposeMatch(entryId, m.itemId, m.permille);
  });
  return added;
}

export function createReferenceList(
  db: Db,
  actor: Actor,
  fields: ReferenceListInput,
  source: string,
  entries: readonly ReferenceEntryInput[],
  onProgress: MatchProgress = () => {},
): { id: number; entries: number; proposed: number } {
  if (entries.length === 0) throw errors.invalid('清单中没有读到任何事项。');
  const found = findMatches(catalogueIndex(db), entries.map((e) => e.name), onProgress);
  return withTransaction(db, () => {
    const lists = createReferenceListWrites(db);
    const id = lists.insertList({ ...fields, source, count: entries.length, by: actor.name, byId: actor.id });
    const stored = entries.map((e, i) => lists.insertEntry(id, i + 1, e));
    const proposed = proposeMatches(db, stored, found);
    appendAudit(db, actor, {
      action: 'reference_list.create',
      entityType: 'reference_list',
      entityId: id,
      after: { ...fields, source, entries: entries.length, proposedMatches: proposed },
    });
    return { id, entries: entries.length, proposed };
  });
}

/** Matches the list again against the catalogue as it is now (items added since), keeping every decision. */
export function rematchReferenceList(db: Db, actor: Actor, listId: number, onProgress: MatchProgress = () => {}): { proposed: number } {
  const reading = createReferenceListWrites(db);
  if (!reading.listSummary(listId)) throw errors.notFound('上级清单');
  // A list's entries never change once stored: read and matched before the write.
  const entries = reading.entriesOf(listId);
  const found = findMatches(catalogueIndex(db), entries.map((e) => e.name), onProgress);
  return withTransaction(db, () => {
    const lists = createReferenceListWrites(db);
    if (!lists.listSummary(listId)) throw errors.notFound('上级清单');
    const proposed = proposeMatches(db, entries.map((e) => e.id), found);
    appendAudit(db, actor, { action: 'reference_list.rematch', entityType: 'reference_list', entityId: listId, after: { proposedMatches: proposed } });
    return { proposed };
  });
}

export const matchDecisionSchema = z.object({
  decision: z.enum(['confirmed', 'rejected'], { message: '请选择确认或否决' }),
  reason: optionalText(500, '理由过长'),
});

/**
 * A person decides one or more matches of a list alike (confirm or reject, with an optional reason).
 * The items concerned are re-checked in the same transaction, so the flag appears or goes at once.
 */
export function decideMatches(
  db: Db,
  actor: Actor,
  listId: number,
  matchIds: readonly number[],
  input: unknown,
): { decided: number; changed: ReturnType<typeof recheckItems>['changed'] } {
  const parsed = matchDecisionSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  if (matchIds.length === 0) throw errors.invalid('请至少选择一个匹配。');
  const { decision, reason } = parsed.data;
  return withTransaction(db, () => {
    const lists = createReferenceListWrites(db);
    const itemIds = new Set<number>();
    const decided: { match: number; item: string; entry: string; before: string }[] = [];
    for (const matchId of matchIds) {
      const row = lists.match(matchId);
      // A match of another list is as good as missing: the form only offers this list's.
      if (!row || row.list_id !== listId) throw errors.notFound('匹配记录');
      if (row.status === decision) continue;
      lists.decide(matchId, decision, reason, actor.name);
      itemIds.add(row.item_id);
      decided.push({ match: matchId, item: row.item_code, entry: row.entry_name, before: row.status });
    }
    const result = itemIds.size > 0 ? recheckItems(checkDeps(db), [...itemIds], undefined, undefined, 'registry') : { changed: [] };
    appendAudit(db, actor, {
      action: `reference_match.${decision === 'confirmed' ? 'confirm' : 'reject'}`,
      entityType: 'reference_list',
      entityId: listId,
      after: { decision, reason, matches: decided, itemsChangedState: result.changed.length },
    });
    return { decided: decided.length, changed: result.changed };
  });
}

/** Removes a list that was uploaded by mistake; its confirmed matches stop counting and the items are re-checked. */
export function deleteReferenceList(db: Db, actor: Actor, listId: number): { changed: ReturnType<typeof recheckItems>['changed'] } {
  return withTransaction(db, () => {
    const lists = createReferenceListWrites(db);
    const list = lists.listSummary(listId);
    if (!list) throw errors.notFound('上级清单');
    const itemIds = lists.confirmedItemsOf(listId);
    lists.deleteList(listId);
    const result = itemIds.length > 0 ? recheckItems(checkDeps(db), itemIds, undefined, undefined, 'registry') : { changed: [] };
    appendAudit(db, actor, { action: 'reference_list.delete', entityType: 'reference_list', entityId: listId, before: list, after: { itemsChangedState: result.changed.length } });
    return { changed: result.changed };
  });
}
