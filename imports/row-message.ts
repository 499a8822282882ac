// A validated row as the reading child hands it to the parent. The child also matches the citations to
// the registry and writes the proposal's JSON, the text import_rows stores: the parent, which writes
// every row to the database, is the busier of the two. A row is a flat array (WireRow), written at once
// into its batch's bytes (RowBatch): a batch of rows kept as objects until sent outlived the child's
// young generation, and its collector copied and promoted every one of them (npm run bench:import).
import { matchCitation, type RegistryIndex } from './legal-basis.js';
import type { ImportedRow, RowIssue } from './rows.js';
import type { ItemFields } from '../server/domain/item-fields.js';
import type { Proposal, ProposedCitation } from '../server/domain/proposal.js';
import type { PresentField } from '../server/imports/compare.js';

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
    /** The proposal's 处理意见 and its reason, as in its JSON. */
    disposition: string | null;
    dispositionReason: string | null;
    /**
     * JSON.stringify({ ...proposal, present }), the text import_rows stores, as UTF-8 bytes: the parent
     * hands them to SQLite as they are (see insertStagedRow), and reads them as text only to compare a
     * matched item's fields.
     */
    json: Buffer;
  } | null;
}

/**
 * [sheet, rowNumber, code, name, departmentText, errors JSON | null, warnings JSON | null, madeMain, replacesMadeMain], and for a
 * valid row then: proposal JSON, the ten checked fields in CHECKED order, the disposition and its reason,
 * the number of citations and seven values per citation in CITATION order.
 */
export type WireRow = readonly unknown[];

const CHECKED = ['name', 'category', 'serviceObjects', 'statutoryLimitDays', 'promisedLimitDays', 'instant', 'feeCharged', 'feeStandard', 'feeBasis', 'processText'] as const;
const CITATION = ['title', 'article', 'documentNumber', 'tag', 'quotedText', 'role', 'instrumentId'] as const;
const HEAD = 9;
const CITATIONS_AT = HEAD + 1 + CHECKED.length + 2;

/** JSON text written into a batch as UTF-8 (RowBatch): read back as the bytes, not as a string. */
export class Utf8Text {
  constructor(readonly text: string) {}
}

/**
 * The row as it crosses to the parent, its citations matched against the registry; `present`: the fields
 * its sheet carries (presentFields), which its proposal's JSON names.
 */
export function encodeRow(row: ImportedRow, registry: RegistryIndex, present: readonly PresentField[]): WireRow {
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
  const proposal: Proposal & { present: readonly PresentField[] } = {
    code: row.code,
    fields,
    mainItemName: row.mainItemName,
    citations,
    prerequisites: row.prerequisites,
    disposition: row.disposition,
    dispositionReason: row.dispositionReason,
    present,
  };
  wire.push(new Utf8Text(JSON.stringify(proposal)));
  for (const key of CHECKED) wire.push(fields[key]);
  wire.push(proposal.disposition, proposal.dispositionReason ?? null);
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
  const disposition = wire[at + CHECKED.length] as string | null;
  const dispositionReason = wire[at + CHECKED.length + 1] as string | null;
  message.proposal = { fields, citations, disposition, dispositionReason, json: wire[HEAD] as Buffer };
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
const UTF8 = 7;

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
    } else if (value instanceof Utf8Text) {
      // At most three bytes a UTF-16 unit; the length is written once the text is.
      this.room(5 + value.text.length * 3);
      this.buffer[this.at] = UTF8;
      const bytes = this.buffer.write(value.text, this.at + 5, 'utf8');
      this.buffer.writeUInt32LE(bytes, this.at + 1);
      this.at += 5 + bytes;
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
    if (tag === UTF8) {
      const length = buffer.readUInt32LE(this.at);
      const start = this.at + 4;
      this.at = start + length;
      return buffer.subarray(start, this.at);
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
