// Reading one worksheet of an .xlsx workbook as a stream of rows, in constant memory whatever its length (only the
// shared strings are held, compactly). `readWorkbook` checks everything it can before the first row is asked for:
// what the file is (an encrypted workbook, an .xls, a zip that is not a workbook, not a zip), the sheet asked for,
// and that the sheet has a row; each failure is one CallscrubError ('input', exit 1) saying what to do. Rows that
// hold only cells that show nothing are skipped, as a CSV's blank lines are (Gnumeric writes empty styled cells down
// to row 1,048,576; LibreOffice a thousand empty rows); a row's number is its number in the sheet, so a skipped row
// shows as a gap. With no sheet asked for, the first visible worksheet is read: a hidden sheet is one the user does
// not see in Excel, and scrubbing it instead of the one on screen would hand back rows nobody meant.

import path from 'node:path';
import { CallscrubError, ioError } from '../errors.js';
import { type SheetRow, isBlankRow } from './cell.js';
import { WorkbookPackage } from './package.js';
import { readSharedStrings } from './shared-strings.js';
import { sheetRows } from './sheet.js';
import { sniff } from './sniff.js';
import { readStructure, type SheetEntry } from './structure.js';
import { readStyles } from './styles.js';

export interface ReadOptions {
  /** The sheet: its name, or its 1-based position (a number, or a string of digits that is no sheet's name). */
  sheet?: string | number;
  /** The file's name as the user wrote it, for messages (default: the path). */
  name?: string;
}

/** One sheet's rows, streamed once (a second `for await` throws). */
export interface WorkbookSheet extends AsyncIterable<SheetRow> {
  /** The sheet's name and 1-based position in the workbook. */
  readonly name: string;
  readonly index: number;
  /** Every sheet's name, in workbook order. */
  readonly sheets: readonly string[];
  /** The other sheets, which are not read: their names and whether they are hidden ('visible', 'hidden', 'veryHidden'). */
  readonly others: readonly { readonly name: string; readonly state: string }[];
  /** Date serials count from 1904-01-01 rather than 1899-12-30. */
  readonly date1904: boolean;
  /**
   * Rows that show nothing, so far: those holding only empty cells and those absent from the file, above the first
   * row that holds something and between such rows (those below the last one are not counted).
   */
  readonly blankRows: number;
  /** Closes the file; needed only when the rows are not read to the end. */
  close(): void;
}

const resave = 'open it in Excel or LibreOffice, save it as an Excel workbook (.xlsx) and run again';

export async function readWorkbook(file: string, options: ReadOptions = {}): Promise<WorkbookSheet> {
  const name = options.name ?? file;
  const fail = (message: string, hint: string) => new CallscrubError('input', message, { file: name, hint });
  let kind;
  try {
    kind = await sniff(file);
  } catch (error) {
    throw ioError(error, name, 'read the workbook');
  }
  switch (kind) {
    case 'encrypted':
      throw fail('the workbook is password-protected (encrypted)', 'open it in Excel, remove the password (File > Info > Protect Workbook), save it and run again');
    case 'xls':
      throw fail('this is an Excel 97-2003 workbook (.xls), not an .xlsx', resave);
    case 'compound':
      throw path.extname(file).toLowerCase() === '.xls'
        ? fail('this is an Excel 97-2003 workbook (.xls), not an .xlsx', resave)
        : fail('the workbook is password-protected (encrypted) or a legacy .xls: an .xlsx is a zip, this is an OLE compound file', `remove any password, or ${resave}`);
    case 'empty':
      throw fail('the file is empty, not an .xlsx workbook', 'check the path, or export the workbook again');
    case 'other':
    case 'empty-zip':
      throw fail(kind === 'other' ? 'not an .xlsx workbook (not a zip file)' : 'not an .xlsx workbook (an empty zip)', `check the file; to scrub a CSV, name it .csv; or ${resave}`);
  }

  const pkg = await WorkbookPackage.open(file, name);
  let handedOver = false;
  try {
    const structure = await readStructure(pkg);
    if (structure.workbook === undefined) {
      throw fail('a zip file, but not an .xlsx workbook (no xl/workbook.xml)', `check the file; ${resave}`);
    }
    const names = structure.sheets.map((sheet) => sheet.name);
    const sheet = pickSheet(structure.sheets, options.sheet);
    const listing = `its sheets: ${structure.sheets.map((s) => `'${s.name}'${s.state === 'visible' ? '' : ' (hidden)'}`).join(', ') || 'none'}`;
    if (sheet === undefined) {
      if (options.sheet === undefined && structure.sheets.some((s) => s.worksheet)) {
        throw fail(`no visible worksheet in the workbook (${listing})`, 'name the sheet to scrub with --sheet NAME: a hidden sheet is scrubbed only when named');
      }
      const asked = options.sheet === undefined ? 'no worksheet' : typeof options.sheet === 'number' ? `no sheet ${options.sheet}` : `no sheet '${options.sheet}'`;
      throw fail(`${asked} in the workbook (${listing})`, 'name a sheet with --sheet NAME, or --sheet N for the Nth');
    }
    if (!sheet.worksheet || sheet.part === undefined || !pkg.has(sheet.part)) {
      throw fail(`sheet '${sheet.name}' is not a worksheet with cells (a chart sheet, or its part is missing)`, `choose a worksheet with --sheet (${listing})`);
    }
    const [styles, strings] = await Promise.all([readStyles(pkg, structure.styles), readSharedStrings(pkg, structure.sharedStrings)]);

    let blankRows = 0;
    const all = sheetRows(pkg, sheet.part, sheet.name, strings, styles);
    async function* nonBlank(): AsyncGenerator<SheetRow> {
      let previous = 0;
      for await (const row of all) {
        if (isBlankRow(row.cells)) continue;
        // the rows in between, stored empty or not stored at all
        blankRows += row.row - previous - 1;
        previous = row.row;
        yield row;
      }
    }
    const rows = nonBlank();
    // The first row is read now, so that an empty sheet fails before the caller starts anything.
    const first = await rows.next();
    if (first.done === true) {
      throw fail(`sheet '${sheet.name}' is empty: it has no row`, names.length > 1 ? `choose another sheet with --sheet (${listing})` : 'check that this is the right file');
    }
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      pkg.close();
    };
    async function* stream(): AsyncGenerator<SheetRow> {
      try {
        yield first.value as SheetRow;
        yield* rows;
      } finally {
        await rows.return(undefined);
        close();
      }
    }
    let iterated = false;
    handedOver = true;
    return {
      name: sheet.name,
      index: sheet.index,
      sheets: names,
      others: structure.sheets.filter((other) => other !== sheet).map((other) => ({ name: other.name, state: other.state })),
      date1904: structure.date1904,
      get blankRows() {
        return blankRows;
      },
      close,
      [Symbol.asyncIterator]: () => {
        if (iterated) throw new Error('a workbook sheet streams its rows once');
        iterated = true;
        return stream();
      },
    };
  } finally {
    if (!handedOver) pkg.close();
  }
}

/**
 * The sheet asked for: by name first, then by 1-based position (hidden sheets count, as --sheet names them on
 * purpose); when none is asked for, the first visible worksheet (none when every worksheet is hidden), or the
 * first sheet of a workbook that has no worksheet (refused then as a chart sheet).
 */
function pickSheet(sheets: SheetEntry[], wanted: string | number | undefined): SheetEntry | undefined {
  if (wanted === undefined) return sheets.some((sheet) => sheet.worksheet) ? sheets.find((sheet) => sheet.worksheet && sheet.state === 'visible') : sheets[0];
  if (typeof wanted === 'string') {
    const named = sheets.find((sheet) => sheet.name === wanted) ?? sheets.find((sheet) => sheet.name.toLowerCase() === wanted.toLowerCase());
    if (named !== undefined || !/^\d+$/.test(wanted)) return named;
  }
  const position = Number(wanted);
  return Number.isSafeInteger(position) && position >= 1 ? sheets[position - 1] : undefined;
}
