// A validated row as the reading child hands it to the parent, its citations matched to the registry.
// A row is a flat array of its values (WireRow), written at once into its batch's bytes (RowBatch): a
// batch of rows kept as objects until sent outlived the child's young generation, and its collector
// copied and promoted every one of them. The row arrives as a Proposal object; the parent compares it
// with the catalogue and writes its JSON, the text import_rows stores (server/imports/stage.ts).
import { matchCitation, type RegistryIndex } from './legal-basis.js';
import type { ImportedRow, RowIssue } from './rows.js';
import type { ItemFields } from '../server/domain/item-fields.js';
import type { Proposal, ProposedCitation } from '../server/domain/proposal.js';

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
  /** What the row proposes, keys in the order JSON.stringify writes them; null for a row with errors. */
  proposal: Proposal | null;
}

/**
 * [sheet, rowNumber, code, name, departmentText, errors JSON | null, warnings JSON | null, madeMain,
 * replacesMadeMain], and for a valid row then: mainItemName, disposition, dispositionReason, the
 * prerequisites (a list), the item's FIELD_COUNT fields in the order importRow makes them (encodeRow and
 * decodeRow both list them; tests/unit/imports/row-message.test.ts holds the two to that order), the
 * number of citations and seven values per citation in CITATION order.
 */
export type WireRow = readonly unknown[];

/** How many fields an item has: written in the order importRow makes them (the JSON's order). */
const FIELD_COUNT = 21;
const CITATION = ['title', 'article', 'documentNumber', 'tag', 'quotedText', 'role', 'instrumentId'] as const;
const HEAD = 9;
const FIELDS_AT = HEAD + 4;
const CITATIONS_AT = FIELDS_AT + FIELD_COUNT;

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
  wire.push(row.mainItemName, row.disposition, row.dispositionReason, row.prerequisites);
  const f = fields;
  wire.push(f.name, f.category, f.level, f.serviceObjects, f.statutoryLimitDays, f.promisedLimitDays, f.instant, f.feeCharged, f.feeStandard, f.feeBasis, f.conditions, f.materials, f.processText, f.contactPhone, f.supervisionPhone, f.remarks, f.servicePlace, f.serviceHours, f.onSiteVisits, f.onlineDepth, f.resultName);
  wire.push(row.citations.length);
  for (const c of row.citations) wire.push(c.title, c.article, c.documentNumber, c.tag, c.quotedText, c.role, matchCitation(registry, c).instrumentId);
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
  // A literal, in one shape for every row: JSON.stringify writes such objects twice as fast as ones
  // whose keys were added one by one.
  const fields = {
    name: wire[FIELDS_AT + 0],
    category: wire[FIELDS_AT + 1],
    level: wire[FIELDS_AT + 2],
    serviceObjects: wire[FIELDS_AT + 3],
    statutoryLimitDays: wire[FIELDS_AT + 4],
    promisedLimitDays: wire[FIELDS_AT + 5],
    instant: wire[FIELDS_AT + 6],
    feeCharged: wire[FIELDS_AT + 7],
    feeStandard: wire[FIELDS_AT + 8],
    feeBasis: wire[FIELDS_AT + 9],
    conditions: wire[FIELDS_AT + 10],
    materials: wire[FIELDS_AT + 11],
    processText: wire[FIELDS_AT + 12],
    contactPhone: wire[FIELDS_AT + 13],
    supervisionPhone: wire[FIELDS_AT + 14],
    remarks: wire[FIELDS_AT + 15],
    servicePlace: wire[FIELDS_AT + 16],
    serviceHours: wire[FIELDS_AT + 17],
    onSiteVisits: wire[FIELDS_AT + 18],
    onlineDepth: wire[FIELDS_AT + 19],
    resultName: wire[FIELDS_AT + 20],
  } as ItemFields;
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
  // The keys in the order the proposal was always written (stage.ts adds present last).
  message.proposal = {
    code: message.code,
    fields,
    mainItemName: wire[HEAD] as string | null,
    citations,
    prerequisites: wire[HEAD + 3] as string[],
    disposition: wire[HEAD + 1] as string | null,
    dispositionReason: wire[HEAD + 2] as string | null,
  };
  return message;
}

// A batch's bytes: per row the number of its values, then each value as a tag and its bytes.
const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const NUMBER = 3;
const STRING = 4;
const UNDEFINED = 5;
const LIST = 6;

/** Rows as the child sends them: written into one buffer as they come, taken a batch at a time. */
export class RowBatch {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private at = 0;
  /** Rows written since the last take. */
  count = 0;

  add(wire: WireRow): void {
    this.list(wire);
    this.count++;
  }

  private list(values: readonly unknown[]): void {
    this.room(4);
    this.buffer.writeUInt32LE(values.length, this.at);
    this.at += 4;
    for (const value of values) this.value(value);
  }

  private value(value: unknown): void {
    if (typeof value === 'string') {
      // As UTF-16, two bytes a unit, copied both ways: UTF-8 took the parent twice as long to turn back
      // into text, and telling ASCII apart took the child twice as long to write.
      const bytes = value.length * 2;
      this.room(5 + bytes);
      this.buffer[this.at] = STRING;
      this.buffer.writeUInt32LE(bytes, this.at + 1);
      this.buffer.write(value, this.at + 5, 'utf16le');
      this.at += 5 + bytes;
    } else if (typeof value === 'number') {
      this.room(9);
      this.buffer[this.at] = NUMBER;
      this.buffer.writeDoubleLE(value, this.at + 1);
      this.at += 9;
    } else if (Array.isArray(value)) {
      this.room(1);
      this.buffer[this.at++] = LIST;
      this.list(value);
    } else {
      this.room(1);
      this.buffer[this.at++] = value === null ? NULL : value === undefined ? UNDEFINED : value === true ? TRUE : value === false ? FALSE : fail(value);
    }
  }

  /** The rows written since the last take, as bytes of their own. */
  take(): Uint8Array {
    const bytes = Uint8Array.prototype.slice.call(this.buffer, 0, this.at);
    this.at = 0;
    this.count = 0;
    return bytes;
  }

  private room(n: number): void {
    if (this.at + n <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + n));
    this.buffer.copy(bigger, 0, 0, this.at);
    this.buffer = bigger;
  }
}

function fail(value: unknown): never {
  throw new TypeError(`a row value of type ${typeof value} cannot cross to the parent`);
}

/** Reads a batch's bytes (RowBatch.take) back. */
class BatchReader {
  at = 0;
  constructor(readonly buffer: Buffer) {}

  list(): unknown[] {
    const n = this.buffer.readUInt32LE(this.at);
    this.at += 4;
    const values = new Array<unknown>(n);
    for (let i = 0; i < n; i++) values[i] = this.value();
    return values;
  }

  private value(): unknown {
    const { buffer } = this;
    const tag = buffer[this.at++];
    if (tag === STRING) {
      const length = buffer.readUInt32LE(this.at);
      const start = this.at + 4;
      this.at = start + length;
      return buffer.toString('utf16le', start, this.at);
    }
    if (tag === NUMBER) {
      this.at += 8;
      return buffer.readDoubleLE(this.at - 8);
    }
    if (tag === LIST) return this.list();
    return tag === NULL ? null : tag === TRUE ? true : tag === FALSE ? false : undefined;
  }
}

/** The flat rows of a batch's bytes (RowBatch.take), as they were added. */
export function wiresOf(bytes: Uint8Array): WireRow[] {
  const reader = new BatchReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const rows: WireRow[] = [];
  while (reader.at < reader.buffer.length) rows.push(reader.list());
  return rows;
}

/** The rows of a batch's bytes, decoded. */
export const decodeRows = (bytes: Uint8Array): RowMessage[] => wiresOf(bytes).map(decodeRow);
