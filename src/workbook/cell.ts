// What a worksheet cell holds, as stored in the workbook (never its display text), and the letters of its column.
// A number keeps the exact text of its <v> (3.3612345678E+10 stays that text beside the number 33612345678), so that
// what was stored can be shown; a formula keeps its text and the value its program cached when it saved the file.

export type Cell =
  | { kind: 'empty' }
  /**
   * `shown`: the text section of the cell's number format, only when it writes characters of its own around the text
   * (`"05"@` shows 0536496475 for the text 36496475); absent for nearly every text cell.
   */
  | { kind: 'text'; text: string; shown?: string }
  /** `text` is the stored <v> text exactly; `format` the cell's number format code ('General' when none). */
  | { kind: 'number'; value: number; text: string; format: string }
  /** A number whose cell format shows a date or time: `value` is the serial (days since 1900, or 1904: see the sheet). */
  | { kind: 'date'; value: number; text: string; format: string }
  | { kind: 'boolean'; value: boolean }
  /** An error value as stored: '#N/A', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#NULL!'. */
  | { kind: 'error'; text: string }
  /**
   * A formula and the value its program cached when it saved the file (undefined when none was stored). A follower of
   * a shared formula (Excel writes `<f t="shared" si="0"/>`) has the formula text '' and `shared` its group id.
   */
  | { kind: 'formula'; formula: string; cached: Value | undefined; shared?: string };

/** What a formula's cached value can be. */
export type Value = Exclude<Cell, { kind: 'formula' } | { kind: 'empty' }>;

export const emptyCell: Cell = Object.freeze({ kind: 'empty' });

/**
 * A row of a sheet: its 1-based number in the sheet, and its cells from column A, gaps filled with empty cells;
 * `hidden` when the sheet hides it (a filter, or by hand), absent otherwise.
 */
export interface SheetRow {
  row: number;
  cells: Cell[];
  hidden?: true;
}

/** The 1-based column of a cell reference ('A1' -> 1, 'AA10' -> 27), or 0 when it starts with no letter. */
export function columnOf(reference: string): number {
  let column = 0;
  for (let i = 0; i < reference.length; i++) {
    const code = reference.charCodeAt(i) | 0x20; // lower case
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  return column;
}

/** The letters of a 1-based column (1 -> 'A', 27 -> 'AA', 16384 -> 'XFD'). */
export function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/**
 * Whether a cell shows nothing: empty, a text of no character, or a formula whose stored value is such a text
 * (`=IF(A2="","",A2)` filled down a template); Excel shows each as a blank cell. A formula with no stored value is not
 * one: what it shows is not known.
 */
export function isEmptyCell(cell: Cell | undefined): boolean {
  if (cell === undefined || cell.kind === 'empty') return true;
  const value = cell.kind === 'formula' ? cell.cached : cell;
  return value?.kind === 'text' && value.text === '';
}

/** Whether a row holds nothing: no cell, or only cells that show nothing. */
export function isBlankRow(cells: readonly Cell[]): boolean {
  return cells.every(isEmptyCell);
}
