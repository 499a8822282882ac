// A worksheet's XML turned into rows, cell by cell: the hot loop of an import.
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS } from '../limits.js';
import { RefusedUpload, type CellValue, type ReadLimits } from '../types.js';
import { HEADER_ROWS_MARGIN, MAX_CELL_CHARS, MESSAGES } from './messages.js';
import type { SharedStrings } from './shared-strings.js';
import { excelSerialToDate } from './styles.js';
import { decodeEntities, decodeOoxmlEscapes, isSpace, plainAttribute, startsWithAt, tokenizerClass, type XmlHandler } from './tokenizer.js';
import type { SheetInfo } from './workbook.js';

/** The tokenizer of worksheets: a copy of its own (see tokenizerClass). */
export const SheetTokenizer = tokenizerClass();

const enum CellType {
  Number,
  Shared,
  String,
  Inline,
  Boolean,
  Error,
  Date,
}

/** The t attribute of a cell, read in place. */
function cellTypeAt(buf: string, start: number, end: number): CellType {
  const a = buf.charCodeAt(start);
  switch (end - start) {
    case 1:
      return a === 115 ? CellType.Shared : a === 98 ? CellType.Boolean : a === 101 ? CellType.Error : a === 100 ? CellType.Date : CellType.Number;
    case 3:
      return a === 115 ? CellType.String : CellType.Number;
    case 9:
      return a === 105 ? CellType.Inline : CellType.Number;
    default:
      return CellType.Number;
  }
}

/** The column of a reference such as "AB12" (or "$AB$12") read in place; 0 when there are no letters. */
function columnAt(buf: string, start: number, end: number): number {
  let column = 0;
  for (let i = start; i < end && column <= EXCEL_MAX_COLUMNS; i++) {
    const c = buf.charCodeAt(i) | 32; // lower case
    if (c >= 97 && c <= 122) column = column * 26 + (c - 96);
    else if (c !== 36 /* $ */) break;
  }
  return column;
}

const V_END = '</v></c>';
const IS_END = '</t></is></c>';

function isDigits(buf: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const d = buf.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
  }
  return true;
}

function integerAt(buf: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = buf.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return value;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Turns the XML of one worksheet into rows, handed out one at a time: the tokenizer pauses after each
 * row's end, so that the row is read, checked and written into its batch before the next one is made.
 * Collected a chunk (about a thousand rows) at a time, the rows outlived the reader's young generation,
 * and its collector copied and promoted them (npm run bench:import).
 */
export class SheetHandler implements XmlHandler {
  wantsText = false;
  pause = false;
  readonly ready: { rowNumber: number; cells: CellValue[] }[] = [];

  private rowNumber = 0;
  private rowsWithContent = 0;
  private cells: CellValue[] = [];
  private hasContent = false;
  private column = 0;
  private inCell = false;
  private cellType = CellType.Number;
  private cellStyle = 0;
  private buffered = '';
  private hasValue = false;
  private hasFormula = false;
  private inlineString = false;
  private inInline = false;
  private phonetic = 0;
  private readonly maxRow: number;

  constructor(
    private readonly sheet: SheetInfo,
    private readonly strings: SharedStrings,
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
    private readonly limits: ReadLimits,
  ) {
    this.maxRow = Math.min(EXCEL_MAX_ROWS, limits.maxRows + HEADER_ROWS_MARGIN);
  }

  open(name: string, buf: string, start: number, end: number, selfClosing: boolean): number | void {
    switch (name) {
      case 'c': {
        this.inCell = true;
        this.cellType = CellType.Number;
        this.cellStyle = 0;
        this.buffered = '';
        this.hasValue = false;
        this.hasFormula = false;
        this.inlineString = false;
        // Attributes of <c> by hand, without allocating: this runs once per cell.
        let column = 0;
        let i = start;
        while (i < end) {
          const eq = buf.indexOf('=', i);
          if (eq === -1 || eq >= end) break;
          let q = eq + 1;
          while (q < end && isSpace(buf.charCodeAt(q))) q++;
          const quote = buf.charCodeAt(q);
          const close = buf.indexOf(quote === 39 ? "'" : '"', q + 1);
          if (close === -1 || close > end) break;
          let nameEnd = eq;
          while (nameEnd > i && isSpace(buf.charCodeAt(nameEnd - 1))) nameEnd--;
          if (nameEnd - 1 === i || isSpace(buf.charCodeAt(nameEnd - 2))) {
            const key = buf.charCodeAt(nameEnd - 1);
            if (key === 114 /* r */) column = columnAt(buf, q + 1, close);
            else if (key === 116 /* t */) this.cellType = cellTypeAt(buf, q + 1, close);
            else if (key === 115 /* s */) this.cellStyle = integerAt(buf, q + 1, close);
          }
          i = close + 1;
        }
        this.column = column > 0 ? column : this.column + 1;
        if (this.column > EXCEL_MAX_COLUMNS) {
          throw new RefusedUpload('sheet.range_too_large', MESSAGES.rangeTooLarge(this.sheet.name, `第 ${this.rowNumber} 行的单元格`));
        }
        return selfClosing ? undefined : this.simpleCell(buf, end + 1);
      }
      case 'v':
        if (this.inCell) {
          this.wantsText = true;
          this.buffered = '';
        }
        break;
      case 'f':
        if (this.inCell) this.hasFormula = true;
        break;
      case 'is':
        if (this.inCell) {
          this.inInline = true;
          this.inlineString = true;
          this.buffered = '';
        }
        break;
      case 'rPh':
        this.phonetic++;
        break;
      case 't':
        if (this.inInline && this.phonetic === 0) this.wantsText = true;
        break;
      case 'row': {
        const r = plainAttribute(buf, start, end, 'r');
        const number = r === undefined ? this.rowNumber + 1 : Number(r);
        this.rowNumber = Number.isInteger(number) && number > 0 ? number : this.rowNumber + 1;
        if (this.rowNumber > EXCEL_MAX_ROWS) {
          throw new RefusedUpload('sheet.range_too_large', MESSAGES.rangeTooLarge(this.sheet.name, `第 ${this.rowNumber} 行`));
        }
        this.cells = [];
        this.hasContent = false;
        this.column = 0;
        break;
      }
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v':
        if (this.inCell) {
          this.wantsText = false;
          this.hasValue = true;
        }
        break;
      case 't':
        if (this.inInline) this.wantsText = false;
        break;
      case 'rPh':
        this.phonetic--;
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'c':
        this.finishCell();
        break;
      case 'row':
        if (this.hasContent) {
          if (this.rowNumber > this.maxRow || ++this.rowsWithContent > this.maxRow) {
            throw new RefusedUpload('sheet.too_many_rows', MESSAGES.tooManyRows(this.sheet.name, this.limits.maxRows));
          }
          this.ready.push({ rowNumber: this.rowNumber, cells: this.cells });
          this.pause = true;
        }
        this.cells = [];
        this.hasContent = false;
        break;
    }
  }

  text(raw: string): void {
    this.buffered += decodeEntities(raw);
    if (this.buffered.length > MAX_CELL_CHARS) throw new RefusedUpload('cell.too_long', MESSAGES.cellTooLong(this.sheet.entry.name));
  }

  cdata(literal: string): void {
    this.buffered += literal;
  }

  /**
   * The shapes almost every cell has, `<v>…</v></c>` and `<is><t>…</t></is></c>` without prefixes, taken
   * in one step instead of four tokens; anything else (formulas, rich text, CDATA, a chunk boundary) is
   * left to the tokenizer. Returns the index after `</c>`, or 0.
   */
  private simpleCell(buf: string, at: number): number {
    if (buf.charCodeAt(at) !== 60 /* < */) return 0;
    let textStart: number;
    let tail: string;
    if (buf.charCodeAt(at + 1) === 118 /* v */ && buf.charCodeAt(at + 2) === 62 /* > */) {
      textStart = at + 3;
      tail = V_END;
    } else if (buf.startsWith('<is><t>', at)) {
      textStart = at + 7;
      tail = IS_END;
    } else if (buf.startsWith('<is><t xml:space="preserve">', at)) {
      textStart = at + 28;
      tail = IS_END;
    } else {
      return 0;
    }
    const close = buf.indexOf('<', textStart);
    if (close === -1 || close - textStart > MAX_CELL_CHARS || !startsWithAt(buf, close, tail)) return 0;
    if (tail === IS_END) {
      this.inlineString = true;
      this.buffered = decodeEntities(buf.slice(textStart, close));
    } else if (this.cellType === CellType.Shared && close > textStart && close - textStart < 10) {
      // A shared string index: read the digits in place, no substring.
      const index = integerAt(buf, textStart, close);
      const value = this.strings.get(index);
      if (value === undefined || !isDigits(buf, textStart, close)) {
        this.buffered = buf.slice(textStart, close);
      } else {
        this.hasValue = true;
        this.finishCellWith(value);
        return close + tail.length;
      }
    } else {
      this.buffered = decodeEntities(buf.slice(textStart, close));
    }
    this.hasValue = true;
    this.finishCell();
    return close + tail.length;
  }

  private finishCell(): void {
    this.finishCellWith(this.cellValue());
  }

  private finishCellWith(value: CellValue): void {
    this.inCell = false;
    this.wantsText = false;
    if (value === undefined) return;
    if (this.rowNumber === 0) this.rowNumber = 1; // a cell outside any <row>: be forgiving
    if (value !== null && value !== '') {
      if (this.column > this.limits.maxColumns) {
        throw new RefusedUpload(
          'sheet.range_too_large',
          MESSAGES.tooManyColumns(this.sheet.name, this.rowNumber, this.column, this.limits.maxColumns),
        );
      }
      this.hasContent = true;
    }
    this.cells[this.column - 1] = value;
  }

  private cellValue(): CellValue {
    if (this.inlineString) return decodeOoxmlEscapes(this.buffered);
    if (!this.hasValue) return this.hasFormula ? null : undefined;
    const text = this.buffered;
    switch (this.cellType) {
      case CellType.Shared: {
        const value = this.strings.get(Number(text));
        if (value === undefined) {
          throw new RefusedUpload('xml.malformed', MESSAGES.badSharedString(this.sheet.name, this.rowNumber));
        }
        return value;
      }
      case CellType.String:
      case CellType.Inline:
        return decodeOoxmlEscapes(text);
      case CellType.Boolean:
        return text === '1' || text.trim().toLowerCase() === 'true';
      case CellType.Error:
        return { error: text };
      case CellType.Date: {
        const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`;
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? text : date;
      }
      default: {
        if (text.trim() === '') return null;
        const number = Number(text);
        if (Number.isNaN(number)) return text;
        if (this.dateStyles[this.cellStyle] === true) return excelSerialToDate(number, this.date1904) ?? number;
        return number;
      }
    }
  }
}
