// A worksheet's rows as they stream out of its part: each <row> becomes its 1-based number and its cells from
// column A, each placed by its reference (r="D5"; a cell without one follows the cell before it), gaps filled with
// empty cells. A cell's type comes from its `t` and the style's number format; its value from <v> exactly, never
// from display text. Whitespace between elements (Gnumeric indents its XML) is never part of a value: text is taken
// only inside <v>, <f> and an inline string's <t>.

import { CallscrubError } from '../errors.js';
import { type Cell, type SheetRow, type Value, columnName, columnOf, emptyCell } from './cell.js';
import { decodeEscapes } from './escapes.js';
import { maxCellText, maxStoredCellText } from './limits.js';
import type { WorkbookPackage } from './package.js';
import type { SharedStrings } from './shared-strings.js';
import type { CellStyles } from './styles.js';

/** A number as SpreadsheetML stores it: decimal digits, a point, an exponent (spaces around tolerated). */
const decimal = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Excel's last column, XFD. */
const maxColumn = 16384;

const enum Capture {
  None,
  Value,
  Formula,
  InlineText,
}

/** Streams the rows of a sheet's part, every row as it is stored (blank ones too). */
export async function* sheetRows(
  pkg: WorkbookPackage,
  part: string,
  sheetName: string,
  strings: SharedStrings,
  styles: CellStyles,
): AsyncGenerator<SheetRow> {
  let rows: SheetRow[] = [];
  let rowNumber = 0;
  let cells: Cell[] | undefined;
  let column = 0;
  // the cell being read
  let type = 'n';
  let style = 0;
  let raw = '';
  /** The row's number as text, which every cell reference in it ends with. */
  let rowText = '';
  let rowHidden = false;
  /** Whether the cell has a <v>, even an empty one. */
  let sawValue = false;
  let formula: string | undefined;
  let shared: string | undefined;
  let capture = Capture.None;
  let inInline = false;
  let phonetic = 0;

  const bad = (what: string, hint = 'open the workbook in Excel or LibreOffice, save it again as .xlsx and run again') =>
    new CallscrubError('input', `sheet '${sheetName}', cell ${columnName(column)}${rowNumber}: ${what}`, { file: pkg.file, hint });
  // Excel cannot have written such a cell, so saving the workbook again is no help
  const tooLong = () => bad(`more than ${maxCellText.toLocaleString('en')} characters (Excel's limit for a cell)`, 'shorten that cell, or save the sheet as CSV and scrub that');
  /** A cell's text as stored, decoded, within Excel's limit. */
  const cellText = (stored: string) => {
    const text = decodeEscapes(stored);
    if (text.length > maxCellText) throw tooLong();
    return text;
  };

  const number = (text: string): Value => {
    const value = Number(text);
    // Number() also reads 0x1FFA7D1B, 0b101 and 0o17, which no spreadsheet stores or shows as those numbers
    if (!decimal.test(text) || !Number.isFinite(value)) throw bad(`'${text}' is stored as a number but is not one`);
    return styles.isDate(style) ? { kind: 'date', value, text, format: styles.format(style) } : { kind: 'number', value, text, format: styles.format(style) };
  };

  const textValue = (text: string): Value => {
    const shown = styles.textShown(style);
    return shown === undefined ? { kind: 'text', text } : { kind: 'text', text, shown };
  };

  /** The value stored in <v> (or an inline string), by the cell's type; undefined when nothing is stored. */
  const stored = (): Value | undefined => {
    if (raw.length > maxCellText && type !== 'inlineStr' && type !== 'str') throw tooLong();
    switch (type) {
      case 's': {
        if (raw === '') return undefined;
        const text = strings.get(Number(raw));
        if (text === undefined) throw bad(`shared string ${raw} does not exist (the workbook has ${strings.size})`);
        return textValue(text);
      }
      case 'inlineStr':
      case 'str':
        // a formula's text result with no <v> at all is no value, not an empty text
        return type === 'str' && !sawValue ? undefined : textValue(cellText(raw));
      case 'b':
        if (raw === '') return undefined;
        return { kind: 'boolean', value: raw === '1' || raw.toLowerCase() === 'true' };
      case 'e':
        return raw === '' ? undefined : { kind: 'error', text: raw.trim() };
      case 'd':
        // an ISO 8601 date cell (strict writers): kept as its text
        return raw === '' ? undefined : { kind: 'text', text: raw };
      default:
        return raw === '' ? undefined : number(raw);
    }
  };

  const parse = pkg.parse(part, {
    open(name, attributes) {
      switch (name) {
        case 'row': {
          const r = attributes.r === undefined ? rowNumber + 1 : Number(attributes.r);
          if (!Number.isSafeInteger(r) || r <= rowNumber) throw bad(`row number '${attributes.r}' is not after row ${rowNumber}`);
          rowNumber = r;
          rowText = String(r);
          // hidden, or of no height (Excel shows neither)
          rowHidden = attributes.hidden === '1' || attributes.hidden === 'true' || (attributes.ht !== undefined && Number(attributes.ht) === 0);
          cells = [];
          column = 0;
          break;
        }
        case 'c': {
          if (cells === undefined) return;
          const reference = attributes.r;
          column = reference === undefined ? column + 1 : columnOf(reference);
          if (column < 1 || column > maxColumn) throw bad(`cell reference '${reference}' is not a column from A to XFD`);
          // A cell names its row too (B7): one inside another row is placed there by Excel and LibreOffice, beside
          // other cells than those it is read with here.
          const letters = column <= 26 ? 1 : column <= 702 ? 2 : 3;
          if (reference !== undefined && (reference.length !== letters + rowText.length || !reference.endsWith(rowText))) {
            throw bad(`cell reference '${reference}' is not in row ${rowText}, the row it is stored in`);
          }
          type = attributes.t ?? 'n';
          style = attributes.s === undefined ? 0 : Number(attributes.s);
          raw = '';
          sawValue = false;
          formula = undefined;
          shared = undefined;
          break;
        }
        case 'v':
          if (cells !== undefined && !inInline) {
            capture = Capture.Value;
            sawValue = true;
          }
          break;
        case 'f':
          if (cells === undefined) return;
          capture = Capture.Formula;
          formula = '';
          if (attributes.t === 'shared' && attributes.si !== undefined) shared = attributes.si;
          break;
        case 'is':
          inInline = true;
          break;
        case 'rPh':
          phonetic++;
          break;
        case 't':
          if (inInline && phonetic === 0) capture = Capture.InlineText;
          break;
      }
    },
    text(text) {
      // the lengths are checked as the text comes, so that a hostile cell is refused before it is held whole
      if (capture === Capture.Value || capture === Capture.InlineText) {
        raw += text;
        if (raw.length > maxStoredCellText) throw tooLong();
      } else if (capture === Capture.Formula) {
        formula += text;
        if ((formula as string).length > maxCellText) throw tooLong();
      }
    },
    overlong() {
      if (capture !== Capture.None) throw tooLong();
    },
    close(name) {
      switch (name) {
        case 'v':
        case 'f':
        case 't':
          capture = Capture.None;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'is':
          inInline = false;
          break;
        case 'c': {
          if (cells === undefined) return;
          const value = stored();
          let cell: Cell;
          if (formula !== undefined) {
            cell = shared === undefined ? { kind: 'formula', formula, cached: value } : { kind: 'formula', formula, cached: value, shared };
          } else {
            cell = value ?? emptyCell;
          }
          while (cells.length < column - 1) cells.push(emptyCell);
          cells[column - 1] = cell;
          break;
        }
        case 'row':
          if (cells !== undefined) rows.push(rowHidden ? { row: rowNumber, cells, hidden: true } : { row: rowNumber, cells });
          cells = undefined;
          break;
      }
    },
  });
  for await (const _ of parse) {
    if (rows.length === 0) continue;
    const ready = rows;
    rows = [];
    yield* ready;
  }
}
