// A validated row as the reading child hands it to the parent. The child also matches the citations to
// the registry and writes the proposal's JSON, the text import_rows stores: the parent, which writes
// every row to the database, is the busier of the two. A row crosses as a flat array (WireRow), which
// the structured clone copies several times faster than the nested object it stands for.
import { matchCitation, type RegistryIndex } from './legal-basis.js';
import type { ImportedRow, RowIssue } from './rows.js';
import type { ItemFields } from '../server/domain/item-fields.js';
import type { Proposal, ProposedCitation } from '../server/domain/proposal.js';

/** The fields the legal-basis checks read. */
export type CheckedFields = Pick<
  ItemFields,
  'name' | 'category' | 'serviceObjects' | 'statutoryLimitDays' | 'promisedLimitDays' | 'instant' | 'feeCharged' | 'feeStandard' | 'feeBasis' | 'processText'
>;

export interface RowMessage {
  sheet: string;
  rowNumber: number;
  code: string | null;
  name: string | null;
  departmentText: string | null;
  errors: RowIssue[];
  warnings: RowIssue[];
  /** A main item made from its sub-items: staged only when the catalogue does not have it already. */
  madeMain: boolean;
  /** The main item's own row after its sub-items: the row number of the made main item it takes the place of. */
  replacesMadeMain: number | null;
  /** Null for a row with errors. */
  proposal: {
    fields: CheckedFields;
    citations: ProposedCitation[];
    /** JSON.stringify of the whole Proposal. */
    json: string;
  } | null;
}

/**
 * [sheet, rowNumber, code, name, departmentText, errors JSON | null, warnings JSON | null, madeMain, replacesMadeMain], and for a
 * valid row then: proposal JSON, the ten checked fields in CHECKED order, the number of citations and
 * seven values per citation in CITATION order.
 */
export type WireRow = readonly unknown[];

const CHECKED = ['name', 'category', 'serviceObjects', 'statutoryLimitDays', 'promisedLimitDays', 'instant', 'feeCharged', 'feeStandard', 'feeBasis', 'processText'] as const;
const CITATION = ['title', 'article', 'documentNumber', 'tag', 'quotedText', 'role', 'instrumentId'] as const;
const HEAD = 9;
const CITATIONS_AT = HEAD + 1 + CHECKED.length;

/** The row as it crosses to the parent, its citations matched against the registry. */
export function encodeRow(row: ImportedRow, registry: RegistryIndex): WireRow {
  const wire: unknown[] = [
    row.sheet,
    row.rowNumber,
    row.code,
    row.name,
    row.departmentText,
    row.errors.length ? JSON.stringify(row.errors) : null,
    row.warnings.length ? JSON.stringify(row.warnings) : null,
    row.madeMain === true,
    row.replacesMadeMain ?? null,
  ];
  const fields = row.fields;
  if (!fields) return wire;
  const citations: ProposedCitation[] = [];
  for (const c of row.citations) {
    citations.push({
      title: c.title,
      article: c.article,
      documentNumber: c.documentNumber,
      tag: c.tag,
      quotedText: c.quotedText,
      role: c.role,
      instrumentId: matchCitation(registry, c).instrumentId,
    });
  }
  const proposal: Proposal = {
    code: row.code,
    fields,
    mainItemName: row.mainItemName,
    citations,
    prerequisites: row.prerequisites,
    disposition: row.disposition,
    dispositionReason: row.dispositionReason,
  };
  wire.push(JSON.stringify(proposal));
  for (const key of CHECKED) wire.push(fields[key]);
  wire.push(citations.length);
  for (const c of citations) for (const key of CITATION) wire.push(c[key]);
  return wire;
}

export function decodeRow(wire: WireRow): RowMessage {
  const message: RowMessage = {
    sheet: wire[0] as string,
    rowNumber: wire[1] as number,
    code: wire[2] as string | null,
    name: wire[3] as string | null,
    departmentText: wire[4] as string | null,
    errors: wire[5] === null ? [] : (JSON.parse(wire[5] as string) as RowIssue[]),
    warnings: wire[6] === null ? [] : (JSON.parse(wire[6] as string) as RowIssue[]),
    madeMain: wire[7] as boolean,
    replacesMadeMain: wire[8] as number | null,
    proposal: null,
  };
  if (wire.length <= HEAD) return message;
  const at = HEAD + 1;
  const fields: CheckedFields = {
    name: wire[at] as CheckedFields['name'],
    category: wire[at + 1] as CheckedFields['category'],
    serviceObjects: wire[at + 2] as CheckedFields['serviceObjects'],
    statutoryLimitDays: wire[at + 3] as number | null,
    promisedLimitDays: wire[at + 4] as number | null,
    instant: wire[at + 5] as boolean,
    feeCharged: wire[at + 6] as boolean,
    feeStandard: wire[at + 7] as string | null,
    feeBasis: wire[at + 8] as string | null,
    processText: wire[at + 9] as string | null,
  };
  const citations: ProposedCitation[] = [];
  const count = wire[CITATIONS_AT] as number;
  for (let i = 0, j = CITATIONS_AT + 1; i < count; i++, j += CITATION.length) {
    citations.push({
      title: wire[j] as string,
      article: wire[j + 1] as string | null,
      documentNumber: wire[j + 2] as string | null,
      tag: wire[j + 3] as string | null,
      quotedText: wire[j + 4] as string | null,
      role: wire[j + 5] as ProposedCitation['role'],
      instrumentId: wire[j + 6] as number | null,
    });
  }
  message.proposal = { fields, citations, json: wire[HEAD] as string };
  return message;
}
